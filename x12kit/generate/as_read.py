"""Models left as they were read, written from their loops as read.

Theory of operation. A model read from a file carries the loops it was read from. Where it
is still exactly what those loops read as, the generator's typed path (draft each segment
from its table, lay it over the segment read, place it by the guide) gives the segments
read back, but for the numbers the writer owns (HL01, HL02, HL04, LX01): so they are
written as they stand, with those numbers set, and nothing is drafted.

"Unchanged" is tested by reading the model's loops again with the models' own builder and
comparing: ``model == read(model.loop, model.context)``, as values, all fields. A model made
by ``_replace`` differs in the field replaced; a model built anew carries no loop (or not
the one its fields say), so neither takes the shortcut. Nothing is remembered about a
model between reading and writing, so no model refers to anything new.

A file the guide's order or grouping does not fit (segments out of order, HI codes grouped
otherwise, a required loop missing ...) is written by the typed path differently from how
it was read, so the shortcut is also checked per *shape* (``shape``: the segment ids and the
codes that place them), in parts: the loop's outline and each of its child loops' shapes.
A loop with a part not seen before goes through the typed path as well, and its parts take
the shortcut from then on only if both gave the same segments and no problem was found.

``shape`` and ``as_written`` run for every claim written as read, so where
``x12kit/_as_read.c`` was built they are its C versions; ``py_shape_within`` and
``py_as_written`` here are their specification, and tests/test_as_read_c.py holds both to
the same results on every 835 and 837 corpus file.
"""
from __future__ import annotations

from typing import Optional

from x12kit.generate.draft import settled_over
from x12kit.generate.tree import NUMBERED_BY_POSITION
from x12kit.models.claims import ClaimBuilder
from x12kit.models.remittance import ClaimPayment, claim_payment
from x12kit.models.tree import Item, Loop
from x12kit.segment import Segment
from x12kit.walk.events import NO_ENVELOPE, Envelope

LEVEL_ID = "HL"  # HL01..HL04: a level's numbers, which ``as_written`` is given
(LINE_ID,) = NUMBERED_BY_POSITION  # LX01: a child loop's place among its parent's of its id
# segments whose element 01 is a number the writer gives (HL01, LX01): not part of a shape
RENUMBERED = NUMBERED_BY_POSITION | {LEVEL_ID}
_REPEATED = ("+",)  # in a shape: the child loop before it, more than once
CODE_SIZE = 3  # an element 01 this short is a code that steers placing (NM1*82, REF*G1)
MAX_SHAPE_ENTRIES = 500  # segments and loops of a loop whose shape may be remembered


class ClaimsAsRead:
    """Tells whether an 837 claim is what its loops read as (one reader per set writer, so
    the parties around consecutive claims are read once, as the models' reader does)."""

    def __init__(self) -> None:
        self._builder = ClaimBuilder()

    def unchanged(self, claim) -> bool:
        loop = claim.loop
        if not loop.content or not claim.context or claim.context[0].id != "ST_LOOP":
            return False
        st = claim.context[0].content[0] if claim.context[0].content else None
        if st is None or st.__class__ is not Segment or st.elements[0] != "ST":
            return False
        again = self._builder.build(Item(loop, claim.context, Envelope(header=st),
                                         claim.findings))
        return len(again) == 1 and again[0] == claim


def payment_unchanged(model) -> bool:
    """Is an 835 claim payment what its loop reads as (under its own payment header)?"""
    if model.__class__ is not ClaimPayment or not model.loop.content:
        return False
    again = claim_payment(Item(model.loop, model.context, NO_ENVELOPE, model.findings),
                          model.payment)
    return again == model


def shape(loop: Loop) -> Optional[tuple[tuple, tuple]]:
    """The loop's shape in two parts, ``(outline, child shapes)`` (``_parts``); None where
    it would hold more than ``MAX_SHAPE_ENTRIES`` entries (the generator remembers shapes:
    a hostile claim of a million segments must not be one of them)."""
    return shape_within(loop, MAX_SHAPE_ENTRIES)


def py_shape_within(loop: Loop, budget: int) -> Optional[tuple[tuple, tuple]]:
    """``_parts`` of the loop, None where it holds more than ``budget`` entries."""
    try:
        return _parts(loop, [budget])
    except _TooLarge:
        return None


class _TooLarge(Exception):
    pass


def _parts(loop: Loop, budget: list[int]) -> tuple[tuple, tuple]:
    """A loop's shape in two parts, each checked on its own: its outline, which is
    ``_shape`` of its own segments with each child loop standing as its id (a str, where a
    segment stands as a tuple), a run of child loops of one id once, marked where the run is
    of more than one; and the ``_shape`` of each of its child loops, each distinct one once,
    in file order. The typed path writes each child loop from its own model and loop alone,
    so a loop whose outline and child shapes have each been written alike before is written
    alike, whatever their mix: an 835's services of a few layouts make hundreds of claim
    layouts, but few parts."""
    outline: list = [loop.id]
    children: list[tuple] = []
    _spend(loop, budget)
    for entry in loop.content:
        if entry.__class__ is Segment:
            outline.append(_segment_shape(entry))
            continue
        child = _shape(entry, budget)
        if child not in children:
            children.append(child)
        _add_run(outline, entry.id)
    return tuple(outline), tuple(children)


def _shape(loop: Loop, budget: list[int]) -> tuple:
    """What steers how the typed path writes a loop as read: per segment its id and its
    element 01 where that is a short code (NM1*82, REF*G1, CAS*CO), not for the numbers the
    writer gives; for a segment of composites (HI, SV1, SVC) how many elements and, where all
    are composites, each one's first component (HI qualifiers); per child loop, its shape,
    once for a run of child loops of one shape, marked where the run is of more than one (the
    typed path writes each line or service on its own, numbered by the writer, whatever
    their number; a loop a model holds one of is written once however often read). Names,
    amounts and element counts of other segments do not steer it, so claims of one layout
    share a shape."""
    found: list = [loop.id]
    _spend(loop, budget)
    for entry in loop.content:
        if entry.__class__ is Segment:
            found.append(_segment_shape(entry))
        else:
            _add_run(found, _shape(entry, budget))
    return tuple(found)


def _spend(loop: Loop, budget: list[int]) -> None:
    budget[0] -= len(loop.content)
    if budget[0] < 0:
        raise _TooLarge


def _add_run(found: list, entry) -> None:
    """Add a child loop's entry to a shape: once for a run of equal ones, then one mark
    however many more."""
    if entry == found[-1]:
        found.append(_REPEATED)
    elif not (found[-1] is _REPEATED and found[-2] == entry):
        found.append(entry)


def _segment_shape(seg: Segment) -> tuple:
    """A segment's entry in a shape (see ``_shape``)."""
    e = seg.elements
    first = e[1] if len(e) > 1 else ""
    component = seg.delimiters.component
    if component in first:
        if all(component in x for x in e[2:]):
            return e[0], tuple(x.partition(component)[0] for x in e[1:])
        return e[0], first.partition(component)[0], len(e)
    return e[0], first if len(first) <= CODE_SIZE and e[0] not in RENUMBERED else None


def py_as_written(loop: Loop, hl: Optional[dict] = None) -> list[Segment]:
    """The loop's segments as read, in file order, with ``hl`` ({position: text}) laid
    over its own HL, and the LX01 of each child loop its place among its parent's loops of
    its id (as the typed path numbers a line)."""
    out: list[Segment] = []
    _append(loop, (LEVEL_ID, hl) if hl is not None else None, out)
    return out


def _append(loop: Loop, numbers: Optional[tuple[str, dict]], out: list) -> None:
    """``numbers``: (segment id, {position: text}) to lay over the loop's first own
    segment of that id."""
    counts: dict[str, int] = {}
    for entry in loop.content:
        if entry.__class__ is Segment:
            if numbers is not None and entry.elements[0] == numbers[0]:
                entry, numbers = _numbered(entry, numbers[1]), None
            out.append(entry)
        else:
            n = counts[entry.id] = counts.get(entry.id, 0) + 1
            _append(entry, (LINE_ID, {1: str(n)}), out)


def _numbered(seg: Segment, numbers: dict) -> Segment:
    """``seg`` with ``numbers`` set, as ``draft.finish`` lays a drafted HL or LX over it."""
    elements = list(seg.elements)
    changed = False
    for position, value in numbers.items():
        if position >= len(elements):
            elements += [""] * (position + 1 - len(elements))
        if elements[position] != value:
            elements[position] = value
            changed = True
    return settled_over(elements, seg, seg.delimiters) if changed else seg


try:  # the same, in C (x12kit/_as_read.c), where built
    from x12kit._as_read import as_written, bind, shape_within
except ImportError:  # pragma: no cover - a build without a C compiler
    shape_within, as_written = py_shape_within, py_as_written
else:
    bind(Segment, _REPEATED, RENUMBERED, _numbered, LEVEL_ID, LINE_ID, CODE_SIZE)
