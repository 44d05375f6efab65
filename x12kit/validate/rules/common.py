"""What every rule shares: building findings from a placed segment, reading amounts, and the
segment-id dispatch that keeps a rule silent (and cheap) on segments it does not care about."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Callable, ClassVar, Iterable, Optional

from x12kit.diagnostics import Diagnostic, Level, Severity
from x12kit.validate.elements import data_element
from x12kit.walk.walker import Placed

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


# Amounts already read, text -> amount(text): the same charges, payments and adjustments
# recur all through a large file, and a dict lookup costs a fraction of Decimal() and
# is_finite(). Decimal(text) is exact whatever the decimal context, so the answer for a text
# never changes. Emptied when it reaches _AMOUNTS_LIMIT entries.
_amounts: dict[str, Optional[Decimal]] = {}
_AMOUNTS_LIMIT = 4096
_UNREAD = object()


def amount(text: str) -> Optional[Decimal]:
    """A monetary amount as an exact Decimal; None when absent or not a finite number (the
    element checks report malformed amounts, balancing then skips what it cannot add up)."""
    value = _amounts.get(text, _UNREAD)
    return _read_amount(text) if value is _UNREAD else value


def _read_amount(text: str) -> Optional[Decimal]:
    value: Optional[Decimal] = None
    if text:
        try:
            value = Decimal(text)
        except InvalidOperation:
            pass
        else:
            if not value.is_finite():
                value = None
    if len(_amounts) >= _AMOUNTS_LIMIT:
        _amounts.clear()
    _amounts[text] = value
    return value


def element(elements: tuple, n: int) -> str:
    return elements[n] if n < len(elements) else ""


def parts(placed: Placed, n: int) -> list[str]:
    """The components of composite element ``n`` (one split, for the hot paths)."""
    seg = placed.segment
    return element(seg.elements, n).split(seg.delimiters.component)


def part(components: list[str], c: int) -> str:
    return components[c - 1] if c <= len(components) else ""


ZERO = Decimal(0)


def adjustments(elements: tuple) -> Optional[Decimal]:
    """The sum of a CAS segment's amounts; None when one cannot be read (or a reason code
    stands without its amount), so that the balance it belongs to is not judged."""
    # every CAS of a remittance comes here: the usual CAS of one (reason, amount, quantity)
    # triple is read without the loop (ZERO + value: the loop's arithmetic, which rounds to
    # the context's precision)
    if 3 < len(elements) < 6 and elements[3]:
        value = amount(elements[3])
        return None if value is None else ZERO + value
    total = ZERO
    reason = 2
    for text in elements[3:19:3]:  # CAS03, 06 ... 18, as far as the segment goes
        if text:
            value = amount(text)
            if value is None:
                return None
            total += value
        elif elements[reason]:
            return None
        reason += 3
    return total


class SegmentRule:
    """Base of the rules: ``ON`` maps segment ids to method names, called with the placed
    segment (``place`` calls the one for a segment's id); ``CLOSES`` maps loop ids to method
    names, called with nothing as each instance of the loop ends (``feed.RuleFeed`` does,
    from the walk's loop events). Both return findings (a list) or None."""

    snip: ClassVar[int]
    ON: ClassVar[dict[str, str]] = {}
    CLOSES: ClassVar[dict[str, str]] = {}

    def __init__(self) -> None:
        self._handlers: dict[str, Callable[[Placed], Optional[list]]] = {
            sid: getattr(self, name) for sid, name in self.ON.items()}

    def each_handler(self) -> Iterable[tuple[str, Callable[[Placed], Optional[list]]]]:
        """(segment id, handler) of each handler, in the order ``place`` runs them: for a
        caller that dispatches by id itself and calls them directly (findings as a list, or
        None)."""
        return self._handlers.items()

    def each_closer(self) -> Iterable[tuple[str, Callable[[], Optional[list]]]]:
        """(loop id, close handler) of each loop whose ends the rule judges."""
        return [(loop_id, getattr(self, name)) for loop_id, name in self.CLOSES.items()]

    def place(self, placed: Placed) -> Iterable[Diagnostic]:
        handler = self._handlers.get(placed.segment.elements[0])
        if handler is None:
            return NOTHING
        return handler(placed) or NOTHING

    def finish(self) -> Iterable[Diagnostic]:
        return NOTHING


class RuleGroup:
    """The rules of one SNIP level as one ``SetRule``: their handlers and close handlers,
    rule by rule (``feed.RuleFeed`` dispatches them)."""

    def __init__(self, snip: int, rules: list[SegmentRule]):
        self.snip = snip
        self.rules = rules

    def each_handler(self) -> Iterable[tuple[str, Callable[[Placed], Optional[list]]]]:
        return [item for rule in self.rules for item in rule.each_handler()]

    def each_closer(self) -> Iterable[tuple[str, Callable[[], Optional[list]]]]:
        return [item for rule in self.rules for item in rule.each_closer()]

    def finish(self) -> Iterable[Diagnostic]:
        return [d for rule in self.rules for d in rule.finish()]
