"""What every rule shares: building findings from a placed segment, reading amounts, and the
segment-id dispatch that keeps a rule silent (and cheap) on segments it does not care about."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Callable, ClassVar, Iterable, Optional

from x12kit.diagnostics import Diagnostic, Level, Severity
from x12kit.validate.elements import data_element
from x12kit.validate.walker import Placed

ERROR, WARNING = Severity.ERROR, Severity.WARNING
NOTHING: tuple = ()


def finding(placed: Placed, code: str, message: str, snip: int, ack: str, ref: str = "",
            value: str = "", severity: Severity = ERROR, segment_id: str = "",
            loop_id: str = "") -> Diagnostic:
    """A finding at the placed segment: element level when ``ref`` names an element (``ack`` is
    then the 999 IK403 code), segment level otherwise (``ack`` is the IK304 code).
    ``segment_id``/``loop_id`` name a missing segment reported at the segment that requires it
    (IK3 of the missing segment at the trigger's position, as CTX SITUATIONAL TRIGGER does)."""
    seg = placed.segment
    number = data_element(placed.definition, ref) if ref and placed.definition else ""
    return Diagnostic(
        code=code, severity=severity, message=message,
        level=Level.ELEMENT if ref else Level.SEGMENT, ack_code=ack, offset=seg.offset,
        segment_number=seg.number, set_position=seg.set_position,
        segment_id=segment_id or seg.elements[0], element_ref=ref,
        loop_id=loop_id or placed.loop_id, snip=snip, value=value, data_element=number)


def amount(text: str) -> Optional[Decimal]:
    """A monetary amount as an exact Decimal; None when absent or not a finite number (the
    element checks report malformed amounts, balancing then skips what it cannot add up)."""
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def element(elements: tuple, n: int) -> str:
    return elements[n] if n < len(elements) else ""


def parts(placed: Placed, n: int) -> list[str]:
    """The components of composite element ``n`` (one split, for the hot paths)."""
    seg = placed.segment
    return element(seg.elements, n).split(seg.delimiters.component)


def part(components: list[str], c: int) -> str:
    return components[c - 1] if c <= len(components) else ""


CAS_AMOUNTS = (3, 6, 9, 12, 15, 18)  # the amount of each (reason, amount, quantity) triple


def adjustments(elements: tuple) -> Optional[Decimal]:
    """The sum of a CAS segment's amounts; None when one cannot be read (or a reason code
    stands without its amount), so that the balance it belongs to is not judged."""
    total = Decimal(0)
    for n in CAS_AMOUNTS:
        if n >= len(elements):
            break
        if elements[n]:
            value = amount(elements[n])
            if value is None:
                return None
            total += value
        elif elements[n - 1]:
            return None
    return total


class SegmentRule:
    """Base of the rules: ``ON`` maps segment ids to method names; ``place`` calls the one for
    the segment's id and does nothing else for any other segment. Handlers return findings
    (a list) or None."""

    snip: ClassVar[int]
    ON: ClassVar[dict[str, str]] = {}

    def __init__(self) -> None:
        self._handlers: dict[str, Callable[[Placed], Optional[list]]] = {
            sid: getattr(self, name) for sid, name in self.ON.items()}

    def place(self, placed: Placed) -> Iterable[Diagnostic]:
        handler = self._handlers.get(placed.segment.elements[0])
        if handler is None:
            return NOTHING
        return handler(placed) or NOTHING

    def finish(self) -> Iterable[Diagnostic]:
        return NOTHING


class RuleGroup(SegmentRule):
    """The rules of one SNIP level as one ``SetRule``: their handlers merged by segment id, so
    that a segment costs one dict lookup per level however many rules the level has
    (``place`` is SegmentRule's, over the merged handlers)."""

    def __init__(self, snip: int, rules: list[SegmentRule]):
        self.snip = snip
        self.rules = rules
        merged: dict[str, list] = {}
        for rule in rules:
            for sid, handler in rule._handlers.items():
                merged.setdefault(sid, []).append(handler)
        self._handlers = {sid: handlers[0] if len(handlers) == 1 else _chain(handlers)
                          for sid, handlers in merged.items()}
        self.segment_ids = frozenset(self._handlers)  # the pipeline skips the others

    def finish(self) -> Iterable[Diagnostic]:
        return [d for rule in self.rules for d in rule.finish()]


def _chain(handlers: list) -> Callable[[Placed], list]:
    """One handler running several rules' handlers of the same segment id, in order."""
    def run(placed: Placed) -> list:
        found = []
        for handler in handlers:
            more = handler(placed)
            if more:
                found.extend(more)
        return found
    return run
