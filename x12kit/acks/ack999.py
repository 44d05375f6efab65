"""999 implementation acknowledgments (005010X231A1) from validation reports.

One 999 transaction set answers one functional group: AK1 names the group; per set an AK2,
then per segment with findings an IK3 (segment id, position from ST, loop, IK304 code) with,
for a situational rule, a CTX naming its trigger, and per element finding an IK4 (position
in the segment, data element number, IK403 code); an IK5 gives the set's verdict (A, E, R)
with its IK502 codes; AK9 gives the group's verdict with the counts of sets.

This module says only what the 999 tells of validation's findings: it turns them into the
999's models (``x12kit.models.acks``), and ``x12kit.generate`` writes those, element
positions from the compiled X231 guide, as it writes every transaction. ``Ack999Writer``
answers as validation's events come (``validate.reports``): a ``SetResponse`` per set as its
report arrives, a ``GroupAcknowledgment`` (AK9) from the group's counts at its end, so a
group of any number of sets is answered in flat memory. The guide lets the AK2 and IK3
loops repeat without limit (">1"); the findings a set keeps are capped in validation
(``reports.MAX_KEPT_FINDINGS``), so no set gets more IK3s than that.

IK404 (a copy of the bad value) is written only when the caller asks for values: the
acknowledgment may travel where element values (PHI) should not.
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import datetime
from typing import BinaryIO, Callable, Optional

from ..diagnostics import Diagnostic, Level, Severity
from ..generate.writing import Generator
from ..models.acks import (AcknowledgedGroup, ElementError, ErrorContext,
                           GroupAcknowledgment, SegmentError, SetResponse)
from ..models.tree import Loop
from ..reader import read_segments
from ..segment import Segment, parse_ref
from ..validate.reports import (ACCEPTED, REJECTED, GroupEnd, GroupStart, InterchangeEnd,
                                InterchangeReport, SetReport, events_of)
from .numbers import ControlNumbers
from .reply import reply_options

# AK101 codes of 005010X231A1: the groups a 999 answers (not FA: "neither the 997 nor the
# 999 acknowledgment shall be acknowledged", the 999's note 1/0100; and not an unknown GS01,
# which the TA1 reports as an invalid GS)
ACKNOWLEDGED_GROUPS = frozenset(("BE", "HB", "HC", "HI", "HN", "HP", "HR", "HS", "RA"))
MAX_ERROR_CODES = 5          # IK502-IK506 and AK905-AK909
SEGMENT_ERROR = "8"          # IK304: segment has data element errors
IMPLEMENTATION_SEGMENT_ERRORS = "I5"   # IK502: implementation one or more segments in error
SYNTAX_SEGMENT_ERRORS = "5"            # IK502: one or more segments in error
SITUATIONAL_TRIGGER = "SITUATIONAL TRIGGER"  # CTX01-1 of a situational rule's trigger


def ack_999(report: InterchangeReport, now: datetime, control_number: int = 1,
            show_values: bool = False) -> list[Segment]:
    """The segments of the 999 interchange answering every group of ``report`` (one ST per
    group), its ISA13 ``control_number`` and its groups numbered 1, 2, ...; none at all when
    no group is one a 999 answers (an interchange of 999s)."""
    out = io.BytesIO()
    writer = Ack999Writer(report.header, now, _GroupOrdinals(control_number), show_values,
                          lambda: out)
    for event in events_of(report):
        writer.feed(event)
    return list(read_segments(out.getvalue())) if out.tell() else []


class Ack999Writer:
    """Writes the 999 interchange answering one interchange (its ISA ``received``) as its
    events come: ``feed`` each event of the interchange (``GroupStart``, ``SetReport``,
    ``GroupEnd``, and at last ``InterchangeEnd``, which ends the 999). Nothing is written for
    an interchange with no group a 999 answers (of 999s): ``out`` is called for where the
    999 goes only when the first group it answers starts."""

    def __init__(self, received: Segment, now: datetime, numbers: ControlNumbers,
                 show_values: bool, out: Callable[[], BinaryIO]) -> None:
        """``numbers`` hands out the control numbers (ISA13, then each group's GS06 and ST02)
        as they are written, e.g. from a persisted counter."""
        self.received, self.now, self.numbers = received, now, numbers
        self.show_values, self.out = show_values, out
        self.generator: Optional[Generator] = None
        self.group: Optional[AcknowledgedGroup] = None  # AK1 of the open group, if answered

    def feed(self, event) -> None:
        kind = type(event)
        if kind is GroupStart:
            self.group = acknowledged_group(event.header)
            if self.group is not None:
                if self.generator is None:
                    self.generator = Generator(self.out(), reply_options(
                        self.received, self.now), self.numbers, checked=False)
                self.generator.new_group(event.header.element(3), event.header.element(2))
        elif self.group is not None and kind is SetReport:
            self.generator.add(set_response(event, self.group, self.show_values))
        elif self.group is not None and kind is GroupEnd:
            self.generator.add(group_acknowledgment(event, self.group))
            self.group = None
        elif kind is InterchangeEnd and self.generator is not None:
            self.generator.close()
            self.generator = None


class _GroupOrdinals:
    """The control numbers of a 999 made without a counter: ISA13 the one given, then each
    group's GS06 and ST02 its ordinal (the generator takes ISA13, then GS06 and ST02 per
    group)."""

    def __init__(self, interchange: int) -> None:
        self.interchange, self.taken = interchange, 0

    def take(self, count: int) -> int:
        self.taken += 1
        return self.interchange if self.taken == 1 else self.taken // 2


def acknowledged_group(gs: Segment) -> Optional[AcknowledgedGroup]:
    """AK1 for a group a 999 answers; None for one it does not (``ACKNOWLEDGED_GROUPS``)."""
    if gs.element(1) not in ACKNOWLEDGED_GROUPS:
        return None
    return AcknowledgedGroup(gs.element(1), _number(gs.element(6)), gs.element(8))


def group_acknowledgment(end: GroupEnd, group: AcknowledgedGroup) -> GroupAcknowledgment:
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
    return GroupAcknowledgment(group, status, received, received, accepted,
                               tuple(group_codes), _NOT_READ)


def set_response(report: SetReport, group: AcknowledgedGroup,
                 show_values: bool) -> SetResponse:
    """AK2 to IK5: the set's verdict, its segment errors and its IK5 codes."""
    st = report.header
    status = {ACCEPTED: "A", REJECTED: "R"}.get(report.status, "E")
    if not report.diagnostics:  # most sets: AK2 and IK5 alone
        return SetResponse(st.element(1), st.element(2), report.implementation, status, (),
                           (), group, _NOT_READ)
    set_codes: list[str] = []
    errors: list[SegmentError] = []
    for segment_findings in _by_segment(report.diagnostics):
        first = segment_findings[0]
        if first.level in _ENVELOPE_LEVELS:
            set_codes += [x.ack_code for x in segment_findings if x.ack_code]
        elif _SEGMENT_ID.match(first.segment_id):  # else no IK301 can name it; IK5 still does
            errors.append(_segment_error(segment_findings, show_values))
    in_segments = [x for x in report.diagnostics if x.level not in _ENVELOPE_LEVELS]
    if in_segments:
        set_codes.append(IMPLEMENTATION_SEGMENT_ERRORS if any(x.snip > 1 for x in in_segments)
                         else SYNTAX_SEGMENT_ERRORS)
    return SetResponse(st.element(1), st.element(2), report.implementation, status,
                       tuple(_codes(set_codes)), tuple(errors), group, _NOT_READ)


def _segment_error(found: list[Diagnostic], show_values: bool) -> SegmentError:
    first = found[0]
    segment_level = [x for x in found if x.level is Level.SEGMENT and x.ack_code]
    position = max(first.set_position, 1)
    contexts = (ErrorContext(SITUATIONAL_TRIGGER, "", first.segment_id, position,
                             first.loop_id[:4], "", ""),) if first.snip == 4 else ()
    elements = tuple(_element_error(x, show_values) for x in found
                     if x.level is Level.ELEMENT and x.ack_code)
    return SegmentError(first.segment_id[:3], position, first.loop_id[:4],
                        segment_level[0].ack_code if segment_level else SEGMENT_ERROR,
                        contexts, elements, _NOT_READ)


def _element_error(x: Diagnostic, show_values: bool) -> ElementError:
    try:
        _, element, component = parse_ref(x.element_ref)
    except ValueError:
        element, component = 1, None
    number = x.data_element if x.data_element.isdigit() else ""  # IK402 is N0
    return ElementError(element, component or None, None, number, x.ack_code,
                        x.value[:99] if show_values else "", ())


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
_NOT_READ = Loop("", ())  # the loop a model was read from: these were made, not read


def _number(value: str) -> str:
    """A control number as an N0 value: leading zeros do not count (AK102 has 1-9 digits)."""
    return str(int(value)) if value.isascii() and value.isdigit() else value


def _codes(codes: Iterable[str]) -> list[str]:
    unique: list[str] = []
    for code in codes:
        if code and code not in unique:
            unique.append(code)
    return unique[:MAX_ERROR_CODES]
