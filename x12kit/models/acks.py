"""999 implementation acknowledgments (005010X231A1) and TA1 interchange acknowledgments as
models.

999 loops: HEADER holds AK1 (the group answered), the 2000 loops, then AK9 (the group's
verdict); 2000 is one set's response: AK2, 2100 segment errors (IK3, CTX, and 2110 element
errors: IK4, CTX), IK5. Each 2000 is handed out as it closes, with the AK1 read before it;
the HEADER closes at SE, after the last 2000, and is handed out holding AK1 and AK9 only, so
memory stays one set response however many the group has.

A TA1 stands in the interchange, outside any group or set: one model per TA1 segment.
"""
from __future__ import annotations

from datetime import date
from typing import NamedTuple, Optional

from x12kit.models.tree import Item, Loop
from x12kit.models.values import codes_only, day
from x12kit.segment import Segment

ACCEPTING = frozenset(("A", "E"))  # IK501/AK901: accepted, accepted with errors noted


def _int(text: str) -> Optional[int]:
    return int(text) if text.isascii() and text.isdigit() else None


def _codes(seg: Optional[Segment], first: int, last: int) -> tuple[str, ...]:
    if seg is None:
        return ()
    return tuple(c for c in (seg.element(n) for n in range(first, last + 1)) if c)


@codes_only("functional_id", "control_number", "version")
class AcknowledgedGroup(NamedTuple):
    """AK1: the functional group a 999 answers."""

    functional_id: str                 # AK101: GS01 of the group (HC claims, HS, HB ...)
    control_number: str                # AK102: its GS06
    version: str                       # AK103: its GS08


@codes_only("segment_id", "position", "loop_id")
class ErrorContext(NamedTuple):
    """A CTX: where a situational rule was triggered, or the business unit (CLM01 ...) an
    error belongs to."""

    name: str                          # CTX01-1: SITUATIONAL TRIGGER, or CLM01, ...
    value: str                         # CTX01-2: the business unit's value (a PCN ...)
    segment_id: str                    # CTX02
    position: Optional[int]            # CTX03: the segment's position in the set
    loop_id: str                       # CTX04
    element: str                       # CTX05, as written (position:component:repetition)
    reference: str                     # CTX06, as written


@codes_only("position", "component", "data_element", "code")
class ElementError(NamedTuple):
    """2110: an IK4, an error in one element of the segment."""

    position: Optional[int]            # IK401-1: the element's position in the segment
    component: Optional[int]           # IK401-2
    repetition: Optional[int]          # IK401-3
    data_element: str                  # IK402: data element reference number
    code: str                          # IK403: 1 required missing, 7 invalid code value ...
    bad_value: str                     # IK404: a copy of the element as received
    contexts: tuple[ErrorContext, ...]


@codes_only("segment_id", "position", "loop_id", "code", "elements")
class SegmentError(NamedTuple):
    """2100: an IK3, an error in one segment of the set, with its element errors."""

    segment_id: str                    # IK301
    position: Optional[int]            # IK302: counted from ST = 1
    loop_id: str                       # IK303
    code: str                          # IK304: 1 unrecognized, 3 required missing, 8 has errors ...
    contexts: tuple[ErrorContext, ...]
    elements: tuple[ElementError, ...]
    loop: Loop


@codes_only("set_id", "control_number", "status", "codes", "segment_errors")
class SetResponse(NamedTuple):
    """2000: the 999's verdict on one transaction set, AK2 to IK5."""

    set_id: str                        # AK201: ST01 of the set answered
    control_number: str                # AK202: its ST02
    implementation: str                # AK203: its ST03
    status: str                        # IK501: A accepted, E accepted with errors, R rejected ...
    codes: tuple[str, ...]             # IK502-506: 5 segment errors, 3 SE missing ...
    segment_errors: tuple[SegmentError, ...]
    group: Optional[AcknowledgedGroup]  # AK1 of the group it belongs to
    loop: Loop
    findings: tuple = ()

    @property
    def accepted(self) -> bool:
        return self.status in ACCEPTING

    @property
    def element_errors(self) -> tuple[ElementError, ...]:
        return tuple(e for s in self.segment_errors for e in s.elements)


@codes_only("status", "included", "received", "accepted", "codes")
class GroupAcknowledgment(NamedTuple):
    """AK1 and AK9: the 999's verdict on the whole group, after its set responses."""

    group: Optional[AcknowledgedGroup]  # AK1
    status: str                        # AK901: A, E, P partially accepted, R rejected ...
    included: Optional[int]            # AK902: sets the GE counted
    received: Optional[int]            # AK903: sets received
    accepted: Optional[int]            # AK904: sets accepted
    codes: tuple[str, ...]             # AK905-909: group syntax error codes
    loop: Loop
    findings: tuple = ()


@codes_only("control_number", "status", "note_code")
class InterchangeAcknowledgment(NamedTuple):
    """A TA1: the receiver's verdict on an interchange's envelope."""

    control_number: str                # TA101: ISA13 of the interchange answered
    interchange_date: Optional[date]   # TA102: its ISA09
    interchange_time: str              # TA103: its ISA10 (HHMM)
    status: str                        # TA104: A accepted, E accepted with errors, R rejected
    note_code: str                     # TA105: 000 no error, 024 invalid control structure ...
    loop: Loop                         # the TA1 as read


def _context(seg: Segment) -> ErrorContext:
    e = seg.element
    return ErrorContext(seg.component(1, 1), seg.component(1, 2), e(2), _int(e(3)), e(4),
                        e(5), e(6))


def element_error(loop: Loop) -> ElementError:
    ik4 = loop.segment("IK4") or Segment(("IK4",))
    return ElementError(
        _int(ik4.component(1, 1)), _int(ik4.component(1, 2)), _int(ik4.component(1, 3)),
        ik4.element(2), ik4.element(3), ik4.element(4),
        tuple(_context(s) for s in loop.segments("CTX")))


def segment_error(loop: Loop) -> SegmentError:
    ik3 = loop.segment("IK3") or Segment(("IK3",))
    e = ik3.element
    return SegmentError(e(1), _int(e(2)), e(3), e(4),
                        tuple(_context(s) for s in loop.segments("CTX")),
                        tuple(element_error(c) for c in loop.loops("2110")), loop)


def acknowledged_group(header: Optional[Loop]) -> Optional[AcknowledgedGroup]:
    ak1 = header.segment("AK1") if header is not None else None
    if ak1 is None:
        return None
    return AcknowledgedGroup(ak1.element(1), ak1.element(2), ak1.element(3))


def interchange_acknowledgment(seg: Segment) -> InterchangeAcknowledgment:
    e = seg.element
    return InterchangeAcknowledgment(e(1), day(e(2)), e(3), e(4), e(5), Loop("TA1", (seg,)))


class AcknowledgmentBuilder:
    """Typed models from the items of 999 sets and from TA1 segments."""

    def build(self, item: Item) -> list:
        loop = item.loop
        if loop.id == "TA1":
            return [interchange_acknowledgment(s) for s in loop.segments("TA1")]
        if loop.id == "HEADER":
            ak9 = loop.segment("AK9")
            e = ak9.element if ak9 is not None else (lambda _n: "")
            return [GroupAcknowledgment(
                acknowledged_group(loop), e(1), _int(e(2)), _int(e(3)), _int(e(4)),
                _codes(ak9, 5, 9), loop, item.findings)]
        ak2 = loop.segment("AK2") or Segment(("AK2",))
        ik5 = loop.segment("IK5")
        return [SetResponse(
            ak2.element(1), ak2.element(2), ak2.element(3),
            ik5.element(1) if ik5 is not None else "", _codes(ik5, 2, 6),
            tuple(segment_error(c) for c in loop.loops("2100")),
            acknowledged_group(item.around("HEADER")), loop, item.findings)]
