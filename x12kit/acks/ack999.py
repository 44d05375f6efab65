"""999 implementation acknowledgments (005010X231A1) from validation reports.

One 999 transaction set answers one functional group: AK1 names the group; per set an AK2,
then per segment with findings an IK3 (segment id, position from ST, loop, IK304 code) with,
for a situational rule, a CTX naming its trigger, and per element finding an IK4 (position
in the segment, data element number, IK403 code); an IK5 gives the set's verdict (A, E, R)
with its IK502 codes; AK9 gives the group's verdict with the counts of sets.

``Ack999Writer`` writes a 999 as validation's events come (``validate.reports``): the AK2
loop of each set as the set's report arrives, AK9 from the group's counts at its end, so a
group of any number of sets is answered in flat memory. The guide lets the AK2 and IK3
loops repeat without limit (">1"); the findings a set keeps are capped in validation
(``reports.MAX_KEPT_FINDINGS``), so no set gets more IK3s than that.

IK404 (a copy of the bad value) is written only when the caller asks for values: the
acknowledgment may travel where element values (PHI) should not.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Callable, Optional

from ..diagnostics import Diagnostic, Level, Severity
from ..segment import Delimiters, Segment, make_segment, parse_ref
from .reply import reply_delimiters, reply_isa
from ..validate.reports import (ACCEPTED, REJECTED, GroupEnd, GroupStart, InterchangeEnd,
                                InterchangeReport, SetCounts, SetReport)

IMPLEMENTATION = "005010X231A1"
# AK101 codes of 005010X231A1: the groups a 999 answers (not FA: "neither the 997 nor the
# 999 acknowledgment shall be acknowledged", the 999's note 1/0100; and not an unknown GS01,
# which the TA1 reports as an invalid GS)
ACKNOWLEDGED_GROUPS = frozenset(("BE", "HB", "HC", "HI", "HN", "HP", "HR", "HS", "RA"))
MAX_ERROR_CODES = 5          # IK502-IK506 and AK905-AK909
SEGMENT_ERROR = "8"          # IK304: segment has data element errors
IMPLEMENTATION_SEGMENT_ERRORS = "I5"   # IK502: implementation one or more segments in error
SYNTAX_SEGMENT_ERRORS = "5"            # IK502: one or more segments in error


def ack_999(report: InterchangeReport, now: datetime, control_number: int = 1,
            show_values: bool = False) -> list[Segment]:
    """The 999 interchange answering every group of ``report`` (one ST per group); no
    segments at all when no group is one a 999 answers (an interchange of 999s)."""
    writer = Ack999Writer(report.header, now, control_number, show_values)
    out: list[Segment] = []
    for group in report.groups:
        out += writer.feed(GroupStart(group.header))
        for set_report in group.sets:
            out += writer.feed(set_report)
        counts = SetCounts()
        for set_report in group.sets:
            counts = counts.plus(set_report.status)
        out += writer.feed(GroupEnd(group.header, tuple(group.diagnostics), counts))
    return out + writer.trailer()


class Ack999Writer:
    """The 999 interchange answering one interchange (its ISA ``received``), segment by
    segment: ``feed`` each event of the interchange's groups (``GroupStart``, ``SetReport``,
    ``GroupEnd``), then ``trailer`` (the IEA). Each call gives the segments it completes. The
    ISA comes with the first group a 999 answers, so an interchange with none (of 999s) gets
    no 999 at all. ``feed`` also takes the interchange's ``InterchangeEnd`` and gives the
    IEA."""

    def __init__(self, received: Segment, now: datetime, control_number: int = 1,
                 show_values: bool = False,
                 numbers: Optional[Callable[[], int]] = None) -> None:
        """``numbers``, where given, hands out the control numbers (ISA13, then each group's
        GS06 and ST02) as they are written, e.g. from a persisted counter; else ISA13 is
        ``control_number`` and groups count 1, 2, ..."""
        self.received, self.now, self.show_values = received, now, show_values
        self.control_number = control_number
        self.numbers = numbers
        self.d = reply_delimiters(received.delimiters)
        self.isa: Segment | None = None
        self.groups = 0              # groups answered
        self.answering = False       # the open group is one a 999 answers
        self.body = 0                # segments of the open 999 set, ST and SE aside
        self.group_numbers = ("", "")  # GS06 and ST02 of the open 999 group

    def trailer(self) -> list[Segment]:
        if self.isa is None:
            return []
        return [make_segment("IEA", str(self.groups), self.isa.element(13), delimiters=self.d)]

    def feed(self, event) -> list[Segment]:
        out: list[Segment] = []
        kind = type(event)
        if kind is InterchangeEnd:
            return self.trailer()
        if kind is GroupStart:
            self.answering = event.header.element(1) in ACKNOWLEDGED_GROUPS
            if self.answering:
                if self.isa is None:
                    number = self.numbers() if self.numbers else self.control_number
                    self.isa = reply_isa(self.received, number, self.now, self.d)
                    out.append(self.isa)
                out += self._group_header(event.header)
        elif self.answering:
            body = (set_response(event, self.show_values, self.d) if kind is SetReport
                    else [group_trailer(event, self.d)])
            self.body += len(body)
            out += body
            if kind is GroupEnd:
                out += self._group_trailer()
        return out

    def _group_header(self, gs: Segment) -> list[Segment]:
        self.groups += 1
        d, now = self.d, self.now
        if self.numbers:
            self.group_numbers = (str(self.numbers()), f"{self.numbers():04d}")
        else:
            self.group_numbers = (str(self.groups), f"{self.groups:04d}")
        gs06, st02 = self.group_numbers
        self.body = 1
        return [make_segment("GS", "FA", gs.element(3), gs.element(2), now.strftime("%Y%m%d"),
                             now.strftime("%H%M"), gs06, "X", IMPLEMENTATION, delimiters=d),
                make_segment("ST", "999", st02, IMPLEMENTATION, delimiters=d),
                make_segment("AK1", gs.element(1), _number(gs.element(6)), gs.element(8),
                             delimiters=d)]

    def _group_trailer(self) -> list[Segment]:
        gs06, st02 = self.group_numbers
        self.answering = False
        return [make_segment("SE", str(self.body + 2), st02, delimiters=self.d),
                make_segment("GE", "1", gs06, delimiters=self.d)]


def group_trailer(end: GroupEnd, d: Delimiters) -> Segment:
    """AK9: the group's verdict, from its own findings and its sets' counts."""
    group_codes = _codes(x.ack_code for x in end.diagnostics if x.is_error)
    counts = end.counts
    received, accepted = counts.received, counts.accepted
    if group_codes or (received and not accepted):
        status = "R"
    elif accepted < received:
        status = "P"
    else:
        status = "E" if counts.with_errors or \
            any(x.severity is Severity.WARNING for x in end.diagnostics) else "A"
    return make_segment("AK9", status, str(received), str(received), str(accepted),
                        *group_codes, delimiters=d)


def set_response(report: SetReport, show_values: bool, d: Delimiters) -> list[Segment]:
    """AK2, the IK3/CTX/IK4 loops of its findings, and IK5."""
    st = report.header
    out = [make_segment("AK2", st.element(1), st.element(2), report.implementation,
                        delimiters=d)]
    set_codes: list[str] = []
    for segment_findings in _by_segment(report.diagnostics):
        first = segment_findings[0]
        if first.level in (Level.TRANSACTION, Level.GROUP, Level.INTERCHANGE):
            set_codes += [x.ack_code for x in segment_findings if x.ack_code]
        elif _SEGMENT_ID.match(first.segment_id):  # else no IK301 can name it; IK5 still does
            out += _segment_note(segment_findings, show_values, d)
    status = {ACCEPTED: "A", REJECTED: "R"}.get(report.status, "E")
    in_segments = [x for x in report.diagnostics if x.level not in _ENVELOPE_LEVELS]
    if in_segments:
        set_codes.append(IMPLEMENTATION_SEGMENT_ERRORS if any(x.snip > 1 for x in in_segments)
                         else SYNTAX_SEGMENT_ERRORS)
    out.append(make_segment("IK5", status, *_codes(set_codes), delimiters=d))
    return out


def _segment_note(found: list[Diagnostic], show_values: bool, d: Delimiters) -> list[Segment]:
    first = found[0]
    segment_level = [x for x in found if x.level is Level.SEGMENT and x.ack_code]
    ik304 = segment_level[0].ack_code if segment_level else SEGMENT_ERROR
    out = [make_segment("IK3", first.segment_id[:3], str(max(first.set_position, 1)),
                        first.loop_id[:4], ik304, delimiters=d)]
    if first.snip == 4:
        out.append(make_segment("CTX", "SITUATIONAL TRIGGER", first.segment_id,
                                str(max(first.set_position, 1)), first.loop_id[:4],
                                delimiters=d))
    for x in found:
        if x.level is Level.ELEMENT and x.ack_code:
            value = x.value[:99] if show_values else ""
            number = x.data_element if x.data_element.isdigit() else ""  # IK402 is N0
            out.append(make_segment("IK4", _position(x.element_ref, d), number, x.ack_code,
                                    value, delimiters=d))
    return out


def _by_segment(found: Iterable[Diagnostic]) -> list[list[Diagnostic]]:
    """Findings grouped by the segment they concern, in file order. A missing segment is
    reported at the segment where it was found missing (the next one present, as pyx12
    does), under its own id and loop: so it gets an IK3 of its own, apart from that
    segment's, and both come at that segment's position in the order they were found."""
    groups: dict[tuple, list[Diagnostic]] = {}
    for x in found:
        key = (x.segment_number, x.level in _ENVELOPE_LEVELS, x.segment_id, x.loop_id)
        groups.setdefault(key, []).append(x)
    return [groups[k] for k in sorted(groups, key=lambda k: k[:2])]  # stable: as found


_ENVELOPE_LEVELS = (Level.TRANSACTION, Level.GROUP, Level.INTERCHANGE)
_SEGMENT_ID = re.compile(r"^[A-Z0-9]{2,3}$")


def _number(value: str) -> str:
    """A control number as an N0 value: leading zeros do not count (AK102 has 1-9 digits)."""
    return str(int(value)) if value.isascii() and value.isdigit() else value


def _position(element_ref: str, d: Delimiters) -> str:
    """IK401 from an element reference: ``CLM05-3`` -> ``5:3``."""
    try:
        _, element, component = parse_ref(element_ref)
    except ValueError:
        return "1"
    return f"{element}{d.component}{component}" if component else str(element)


def _codes(codes: Iterable[str]) -> list[str]:
    unique: list[str] = []
    for code in codes:
        if code and code not in unique:
            unique.append(code)
    return unique[:MAX_ERROR_CODES]

