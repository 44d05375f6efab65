"""999 implementation acknowledgments (005010X231A1) from validation reports.

One 999 transaction set answers one functional group: AK1 names the group; per set an AK2,
then per segment with findings an IK3 (segment id, position from ST, loop, IK304 code) with,
for a situational rule, a CTX naming its trigger, and per element finding an IK4 (position
in the segment, data element number, IK403 code); an IK5 gives the set's verdict (A, E, R)
with its IK502 codes; AK9 gives the group's verdict with the counts of sets.

IK404 (a copy of the bad value) is written only when the caller asks for values: the
acknowledgment may travel where element values (PHI) should not.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from ..diagnostics import Diagnostic, Level, Severity
from ..segment import Delimiters, Segment, make_segment, parse_ref
from .reply import reply_delimiters, reply_isa
from ..validate.pipeline import ACCEPTED, REJECTED, GroupReport, InterchangeReport, SetReport

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
    groups = [g for g in report.groups if g.header.element(1) in ACKNOWLEDGED_GROUPS]
    if not groups:
        return []
    d = reply_delimiters(report.header.delimiters)
    out = [reply_isa(report.header, control_number, now, d)]
    for n, group in enumerate(groups, start=1):
        gs = group.header
        out.append(make_segment("GS", "FA", gs.element(3), gs.element(2), now.strftime("%Y%m%d"),
                                now.strftime("%H%M"), str(n), "X", IMPLEMENTATION, delimiters=d))
        body = group_999(group, show_values, d)
        out.append(make_segment("ST", "999", f"{n:04d}", IMPLEMENTATION, delimiters=d))
        out += body
        out.append(make_segment("SE", str(len(body) + 2), f"{n:04d}", delimiters=d))
        out.append(make_segment("GE", "1", str(n), delimiters=d))
    out.append(make_segment("IEA", str(len(groups)), out[0].element(13), delimiters=d))
    return out


def group_999(group: GroupReport, show_values: bool, d: Delimiters) -> list[Segment]:
    """AK1 .. AK9 for one group (the body of its 999 set)."""
    gs = group.header
    body = [make_segment("AK1", gs.element(1), _number(gs.element(6)), gs.element(8),
                         delimiters=d)]
    accepted = 0
    for report in group.sets:
        body += set_response(report, show_values, d)
        accepted += report.status != REJECTED
    group_codes = _codes(x.ack_code for x in group.diagnostics if x.is_error)
    received = len(group.sets)
    if group_codes or (received and not accepted):
        status = "R"
    elif accepted < received:
        status = "P"
    else:
        status = "E" if any(s.status != ACCEPTED for s in group.sets) or \
            any(x.severity is Severity.WARNING for x in group.diagnostics) else "A"
    body.append(make_segment("AK9", status, str(received), str(received), str(accepted),
                             *group_codes, delimiters=d))
    return body


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

