"""The small typed values every model shares, and how they are read from elements.

Money is ``Decimal`` (never float), dates are ``datetime.date``, a date range (RD8) is a
``DateRange``. An element that is absent reads as None; an element that is present but
malformed (a date 20241399, an amount "1O.00") also reads as None: the models describe what
the file says where it can be read, and validation (``x12kit.validate``) says what is wrong.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple, Optional

from x12kit.segment import Segment

# Distinct texts whose reading is remembered, per kind (amounts, dates, procedure composites,
# dated events): files repeat them, and the values read are immutable, so one reading serves
# every repeat. A bound keeps memory flat on files that never repeat.
MEMO_SIZE = 4096

# A model from all its fields, in order: what ``Model(...)`` makes, without the Python-level
# ``__new__`` a NamedTuple has (one interpreter frame per value, in the builders' hot loops).
# Every field must be given; defaults do not apply.
new_model = tuple.__new__


def codes_only(*shown: str):
    """Class decorator: a repr that shows only the fields named (codes, amounts, counts).
    Models hold names, member ids, birth dates and addresses (PHI), which a repr must not
    print where it may land in a log; the values stay in the fields for who asks."""
    def decorate(cls):
        def __repr__(self) -> str:
            fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
            return f"{cls.__name__}({fields})"
        cls.__repr__ = __repr__
        return cls
    return decorate


def padded(seg: Segment, n: int) -> tuple[str, ...]:
    """The elements of ``seg`` with "" up to element ``n``: ``e = padded(seg, 9)``, then
    ``e[9]`` is element 9 whether the segment wrote it or not."""
    elements = seg.elements
    return elements if len(elements) > n else elements + ("",) * (n + 1 - len(elements))


@lru_cache(maxsize=MEMO_SIZE)
def money(text: str) -> Optional[Decimal]:
    """An X12 amount (R type) as Decimal; None where empty or not a number."""
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


number = money  # a quantity (units, percent) reads as an amount does


@lru_cache(maxsize=MEMO_SIZE)
def day(text: str) -> Optional[date]:
    """A CCYYMMDD date (D8), or YYMMDD as ISA09 writes it; None where not a date."""
    if len(text) == 6:
        text = "20" + text
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


class DateRange(NamedTuple):
    """A period: start and end (the same day for a D8 date)."""

    start: Optional[date]
    end: Optional[date]


def period(qualifier: str, text: str) -> Optional[DateRange]:
    """A date as DTP/DTM write it: ``D8`` one day, ``RD8`` CCYYMMDD-CCYYMMDD; DT (date and
    time) keeps the day."""
    if qualifier == "RD8" or (not qualifier and "-" in text):
        start, _, end = text.partition("-")
        found = DateRange(day(start), day(end))
        return found if found.start or found.end else None
    if qualifier == "DT":
        text = text[:8]
    one = day(text)
    return DateRange(one, one) if one else None


@codes_only("qualifier")
class DatedEvent(NamedTuple):
    """A qualified date of a claim, line or payment (DTP, DTM): ``qualifier`` says which
    (472 service, 434 statement, 050 received, ...)."""

    qualifier: str
    dates: Optional[DateRange]


def dtp(seg: Segment) -> DatedEvent:
    """DTP*472*D8*20241007: qualifier, format, value."""
    return _dtp(seg.elements)


@lru_cache(maxsize=MEMO_SIZE)
def _dtp(elements: tuple[str, ...]) -> DatedEvent:
    e = elements + ("",) * (4 - len(elements)) if len(elements) < 4 else elements
    return DatedEvent(e[1], period(e[2], e[3]))


def dtm(seg: Segment) -> DatedEvent:
    """DTM*405*20241120: qualifier, date (DTM05/06 carry a period where used)."""
    return _dtm(seg.elements)


@lru_cache(maxsize=MEMO_SIZE)
def _dtm(elements: tuple[str, ...]) -> DatedEvent:
    e = elements + ("",) * (7 - len(elements)) if len(elements) < 7 else elements
    if e[5]:
        return DatedEvent(e[1], period(e[5], e[6]))
    return DatedEvent(e[1], period("D8", e[2]))


@codes_only("qualifier")
class Reference(NamedTuple):
    """A REF: qualifier (REF01) and identifier (REF02)."""

    qualifier: str
    value: str


def ref(seg: Segment) -> Reference:
    e = seg.elements
    n = len(e)
    return new_model(Reference, (e[1] if n > 1 else "", e[2] if n > 2 else ""))


def find_ref(refs: tuple[Reference, ...], qualifier: str) -> Optional[str]:
    for r in refs:
        if r.qualifier == qualifier:
            return r.value
    return None


@codes_only("trace_type")
class Trace(NamedTuple):
    """A TRN: trace type (TRN01: 1 current transaction, 2 referenced transaction), the trace
    number (TRN02), who assigned it (TRN03) and a supplemental id (TRN04). 270/271, 276/277
    and 277CA carry their keys here."""

    trace_type: str
    number: str
    originator: str = ""
    supplemental: str = ""


def trn(seg: Segment) -> Trace:
    return Trace(seg.element(1), seg.element(2), seg.element(3), seg.element(4))


@codes_only()
class Address(NamedTuple):
    """N3 and N4: street lines, city, state or province, postal code, country."""

    line1: str = ""
    line2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""


def address(n3: Optional[Segment], n4: Optional[Segment]) -> Optional[Address]:
    if n3 is None and n4 is None:
        return None
    n3 = n3 or Segment(("N3",))
    n4 = n4 or Segment(("N4",))
    return Address(n3.element(1), n3.element(2), n4.element(1), n4.element(2) or n4.element(8),
                   n4.element(3), n4.element(4))


@codes_only("entity", "entity_type", "id_qualifier")
class Party(NamedTuple):
    """A person or organisation named by an NM1 (or N1): entity code (NM101), type (1
    person, 2 organisation), names, and its identifier with its qualifier (NM108/NM109:
    XX NPI, MI member id, PI payer id, FI tax id...)."""

    entity: str
    entity_type: str = ""
    name: str = ""            # last name, or the organisation's name
    first_name: str = ""
    middle_name: str = ""
    suffix: str = ""
    id_qualifier: str = ""
    id: str = ""
    address: Optional[Address] = None
    references: tuple[Reference, ...] = ()

    @property
    def npi(self) -> Optional[str]:
        return self.id if self.id_qualifier == "XX" else None


# the NM1 elements a Party keeps, in its field order before address and references: NM101
# to NM105, then NM107 (suffix) to NM109; NM106, a name prefix, is not kept
NM1_ELEMENTS = (1, 2, 3, 4, 5, 7, 8, 9)
_nm1_fields = itemgetter(*NM1_ELEMENTS)


def nm1(seg: Segment, address_: Optional[Address] = None,
        references: tuple[Reference, ...] = ()) -> Party:
    return new_model(Party, _nm1_fields(padded(seg, NM1_ELEMENTS[-1])) + (address_,
                                                                          references))


def n1(seg: Segment, address_: Optional[Address] = None,
       references: tuple[Reference, ...] = ()) -> Party:
    """N1*PR*NAME*XV*ID (835 payer and payee): entity, name, id qualifier and id."""
    e = seg.element
    return Party(e(1), "2", e(2), "", "", "", e(3), e(4), address_, references)


def party_of(loop, name_id: str = "NM1") -> Optional[Party]:
    """The party a name loop (2010AA, 1000A ...) describes: its NM1 or N1 with N3/N4 and
    REFs."""
    if loop is None:
        return None
    first = loop.segment(name_id)
    if first is None:
        return None
    place = address(loop.segment("N3"), loop.segment("N4"))
    refs = tuple(ref(s) for s in loop.segments("REF"))
    return (nm1 if name_id == "NM1" else n1)(first, place, refs)


class Adjustment(NamedTuple):
    """One CAS triple: group (CO, PR, OA, PI, CR), reason (CARC), amount, quantity."""

    group: str
    reason: str
    amount: Decimal
    quantity: Optional[Decimal] = None


def adjustments(cas_segments) -> tuple[Adjustment, ...]:
    """The triples of CAS segments: CAS02-04, 05-07, ... 17-19 (up to six per segment)."""
    found = []
    for seg in cas_segments:
        written = len(seg.elements)  # past it there is nothing to read
        e = padded(seg, 19)
        for n in range(2, min(written, 20), 3):
            if e[n]:
                found.append(new_model(Adjustment, (e[1], e[n], money(e[n + 1]) or _ZERO,
                                                    number(e[n + 2]))))
    return tuple(found)


_ZERO = Decimal(0)


class Procedure(NamedTuple):
    """A procedure composite (SV101, SVC01 ...): qualifier (HC, AD, NU, ER, N4...), code,
    up to four modifiers, and the description the file carries (SV101-7)."""

    qualifier: str
    code: str
    modifiers: tuple[str, ...] = ()
    description: str = ""


def procedure(seg: Segment, n: int) -> Optional[Procedure]:
    """The procedure composite in element ``n``: qualifier:code:mod1..mod4:description."""
    elements = seg.elements
    value = elements[n] if n < len(elements) else ""
    if not value:
        return None
    d = seg.delimiters
    return _procedure(value, d.component, d.repetition)


@lru_cache(maxsize=MEMO_SIZE)
def _procedure(value: str, component: str, repetition: str) -> Procedure:
    """The composite of its first repetition (as ``Segment.components`` reads it)."""
    if repetition and repetition in value:
        value = value.split(repetition, 1)[0]
    parts = value.split(component)
    parts += [""] * (7 - len(parts))
    return Procedure(parts[0], parts[1], tuple(m for m in parts[2:6] if m), parts[6])
