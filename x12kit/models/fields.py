"""Reading a loop's segments into typed fields by plan: the builders' inner loops, one call
each.

A builder asks three things of a loop, again and again: its own segments sorted by id
(``sort_content``), a segment's elements read as text, amounts, dates or procedure
composites (``read_fields`` with a plan, ``read_each`` over a list), and the adjustments of
CAS segments (``adjustments``, whose specification is ``values.adjustments``). A plan is a
tuple of ``(element, kind)`` pairs, read in order; the kinds are the constants below.

These functions are the specification: where ``x12kit/_values.c`` was built it does the same
work without the interpreter's per-field overhead. It also reads the party of an NM1 loop
(``party_of``, in ``_parties.h``; ``values.party_of`` is its specification) and builds the
835's claim payments (``_remittance.h``) and the 837's claims and lines (``_claims.h``)
whole, with the Python builders of remittance.py and claims.py as their specification;
tests/test_models_fields.py holds both ways to the same models on every corpus file.
Amounts, dates and composites read the same text to the same immutable value, so both ways
remember the readings (``values.MEMO_SIZE`` distinct texts per kind).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from x12kit.models.tree import Loop
from x12kit.models.values import (
    MEMO_SIZE, NM1_ELEMENTS, Address, Adjustment, Party, Reference, _procedure, day, money,
    new_model, number,
)
from x12kit.models.values import party_of as py_party_of  # of NM1 loops: the specification
from x12kit.models.values import adjustments as py_adjustments  # the specification
from x12kit.segment import Segment

# What an element is read as (the C code numbers them the same way)
TEXT = 0        # as written, "" where absent
MONEY = 1       # Decimal, None where empty or not a number
UNITS = 2       # Decimal, 1 where empty (SVC05, SV306: the guides' default)
AMOUNT = 3      # Decimal, 0 where empty or not a number (CAS, AMT amounts)
DATE = 4        # datetime.date (D8), None where not a date
PROCEDURE = 5   # values.Procedure of the composite's first repetition, None where empty

ZERO = Decimal(0)
ONE = Decimal(1)

REFERENCE = ((1, TEXT), (2, TEXT))  # a REF as a ``values.Reference``: qualifier, value


def py_sort_content(content: tuple, slots: dict[str, int], size: int) -> list[list]:
    """``size`` lists: in list ``slots[id]`` the loop's own segments of that id, in the last
    list its child loops, each in file order; segments of other ids are left out."""
    found: list[list] = [[] for _ in range(size)]
    children = found[-1]
    for entry in content:
        if entry.__class__ is Segment:
            slot = slots.get(entry.elements[0])
            if slot is not None:
                found[slot].append(entry)
        else:
            children.append(entry)
    return found


def _read(text: str, kind: int, seg: Segment):
    if kind == TEXT:
        return text
    if kind == MONEY:
        return money(text)
    if kind == UNITS:
        return number(text) if text else ONE
    if kind == AMOUNT:
        return money(text) or ZERO
    if kind == DATE:
        return day(text)
    if kind == PROCEDURE:
        d = seg.delimiters
        return _procedure(text, d.component, d.repetition) if text else None
    raise ValueError(f"no such field kind: {kind}")


def py_read_fields(seg: Segment, plan: tuple[tuple[int, int], ...]) -> tuple:
    """The elements the plan names, each read as its kind, in plan order."""
    e = seg.elements
    written = len(e)
    return tuple([_read(e[n] if n < written else "", kind, seg) for n, kind in plan])


def py_read_each(segments: list[Segment], plan: tuple[tuple[int, int], ...],
                 model: Optional[type]) -> tuple:
    """``read_fields`` of each segment, as a ``model`` (a NamedTuple of those fields) or,
    where ``model`` is None, as a plain tuple."""
    if model is None:
        return tuple([py_read_fields(s, plan) for s in segments])
    return tuple([new_model(model, py_read_fields(s, plan)) for s in segments])


NM1_PLAN = tuple((n, TEXT) for n in NM1_ELEMENTS)  # Party's fields an NM1 gives

try:  # the same, in C (x12kit/_values.c), where built
    from x12kit._values import (
        adjustments, bind, bind_parties, party_of, read_each, read_fields, sort_content,
    )
except ImportError:  # pragma: no cover - a build without a C compiler
    sort_content, read_fields, read_each, adjustments, party_of = (
        py_sort_content, py_read_fields, py_read_each, py_adjustments, py_party_of)
else:
    bind(Segment, Loop, Adjustment, Reference, REFERENCE, money, day, _procedure, ZERO, ONE,
         MEMO_SIZE, Decimal)
    bind_parties(Party, NM1_PLAN, Address)
