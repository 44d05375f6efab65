"""270/271 eligibility (005010X279A1) as models: an inquiry or a response per person asked
about, and the rejections a 271 gives the information source or receiver level.

Loops (the walk nests them so): 2000A information source (HL*20, AAA; 2100A NM1*PR, AAA);
2000B receiver (HL*21; 2100B NM1*1P, REF, AAA); 2000C subscriber (HL*22, TRN; 2100C NM1*IL,
REF, N3/N4, AAA, DMG, INS, DTP, and inside it the 2110C loops: EQ with DTP and REF in a 270;
EB with HSD, REF, DTP, AAA, MSG, 2115C III and 2120C benefit related entities in a 271);
2000D dependent (HL*23), the same with D.

A loop closes after the loops inside it, so the walk hands out a subscriber after its
dependents. A subscriber whose own loop neither asks nor answers anything (the question was
about a dependent) yields no model of its own; nor does a source or receiver level without
an AAA.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Iterator, NamedTuple, Optional

from x12kit.models.tree import Item, Loop
from x12kit.models.values import (
    DatedEvent, Party, Procedure, Reference, Trace, codes_only, day, dtp, money, number,
    party_of, procedure, ref, trn,
)

SUBSCRIBER, DEPENDENT = "2000C", "2000D"
_NAME_LOOP = {"2000A": "2100A", "2000B": "2100B", SUBSCRIBER: "2100C", DEPENDENT: "2100D"}
_BENEFIT_LOOP = {SUBSCRIBER: "2110C", DEPENDENT: "2110D"}


@codes_only("loop_id", "valid", "reason", "follow_up")
class Rejection(NamedTuple):
    """An AAA: the request could not be answered at this level, and why."""

    loop_id: str                       # where it stands: 2000A, 2100A, 2100B, 2100C, 2110C ...
    valid: str                         # AAA01: Y the request was valid, N it was not
    reason: str                        # AAA03: 72 invalid member id, 75 subscriber not found ...
    follow_up: str                     # AAA04: C correct and resubmit, N do not resubmit ...


@codes_only("service_types", "coverage_level")
class ServiceInquiry(NamedTuple):
    """2110C/2110D of a 270: one EQ, what is asked."""

    service_types: tuple[str, ...]     # EQ01, repeating: 30 plan coverage, 1 medical care ...
    procedure: Optional[Procedure]     # EQ02
    coverage_level: str                # EQ03: IND, FAM ...
    dates: tuple[DatedEvent, ...]      # DTP*291: the date asked about
    references: tuple[Reference, ...]
    loop: Loop


@codes_only("information", "coverage_level", "service_types", "insurance_type",
            "time_period", "amount", "percent", "quantity", "in_network")
class Benefit(NamedTuple):
    """2110C/2110D of a 271: one EB with its dates, references, messages and related
    entities (2120C/2120D). Its AAA are in the response's ``rejections``."""

    information: str                   # EB01: 1 active, 6 inactive, A coinsurance, B co-payment,
    #                                    C deductible, G out of pocket, L primary care provider ...
    coverage_level: str                # EB02: IND, FAM, ESP, EMP ...
    service_types: tuple[str, ...]     # EB03, repeating: 30 plan coverage, 1 medical care ...
    insurance_type: str                # EB04: HM HMO, MB Medicare part B, C1 commercial ...
    plan: str                          # EB05: the plan's description
    time_period: str                   # EB06: 23 calendar year, 29 remaining, 27 visit ...
    amount: Optional[Decimal]          # EB07
    percent: Optional[Decimal]         # EB08: 0.2 for 20%
    quantity_qualifier: str            # EB09: VS visits, DY days ...
    quantity: Optional[Decimal]        # EB10
    authorization_required: str        # EB11: Y, N, U unknown
    in_network: str                    # EB12: Y, N, U unknown, W not applicable
    procedure: Optional[Procedure]     # EB13
    dates: tuple[DatedEvent, ...]      # DTP: 291 plan, 348 benefit begin, 346 plan begin ...
    references: tuple[Reference, ...]  # REF: 18 plan number, 6P group number ...
    messages: tuple[str, ...]          # MSG01, free text
    related: tuple[Party, ...]         # 2120C/2120D: primary care provider, other payer ...
    loop: Loop


@codes_only("level", "service_types")
class EligibilityInquiry(NamedTuple):
    """A 270 question about one subscriber (2000C) or dependent (2000D)."""

    level: str                         # 2000C subscriber, 2000D dependent
    traces: tuple[Trace, ...]          # TRN of the level: the provider's trace of the question
    source: Optional[Party]            # 2100A: the payer asked
    receiver: Optional[Party]          # 2100B: the provider asking
    subscriber: Optional[Party]        # 2100C
    dependent: Optional[Party]         # 2100D, where the patient is a dependent
    birth_date: Optional[date]         # DMG of the person asked about
    gender: str
    dates: tuple[DatedEvent, ...]      # DTP of the name loop (291 plan date ...)
    inquiries: tuple[ServiceInquiry, ...]
    loop: Loop
    context: tuple[Loop, ...]
    findings: tuple = ()

    @property
    def service_types(self) -> tuple[str, ...]:
        """Every service type asked, in file order."""
        return tuple(t for q in self.inquiries for t in q.service_types)


@codes_only("level", "benefits", "rejections")
class EligibilityResponse(NamedTuple):
    """A 271 answer about one subscriber (2000C) or dependent (2000D): the benefits, or the
    rejections of the request at that person's levels (2000C/2100C/2110C, or D)."""

    level: str                         # 2000C subscriber, 2000D dependent
    traces: tuple[Trace, ...]          # TRN: 2 the provider's trace echoed, 1 the payer's own
    source: Optional[Party]            # 2100A: the payer answering
    receiver: Optional[Party]          # 2100B: the provider asking
    subscriber: Optional[Party]        # 2100C, with its REFs (18 plan, 6P group number ...)
    dependent: Optional[Party]         # 2100D, where the patient is a dependent
    birth_date: Optional[date]         # DMG of the person answered about
    gender: str
    dates: tuple[DatedEvent, ...]      # DTP of the name loop (346 plan begin, 356 eligibility ...)
    benefits: tuple[Benefit, ...]
    rejections: tuple[Rejection, ...]
    loop: Loop
    context: tuple[Loop, ...]
    findings: tuple = ()

    @property
    def patient(self) -> Optional[Party]:
        return self.dependent or self.subscriber

    @property
    def is_rejected(self) -> bool:
        return bool(self.rejections)


@codes_only("level", "rejections")
class EligibilityRejection(NamedTuple):
    """The AAA of a 271's information source (2000A/2100A) or receiver (2000B/2100B) level:
    the payer could not answer requests at that level."""

    level: str                         # 2000A information source, 2000B receiver
    source: Optional[Party]            # 2100A
    receiver: Optional[Party]          # 2100B (None on the source level)
    rejections: tuple[Rejection, ...]
    loop: Loop
    context: tuple[Loop, ...]
    findings: tuple = ()


def _placed(loop: Loop, segment_id: str) -> Iterator:
    """(loop id, segment) for every ``segment_id`` in the loop and the loops inside it."""
    for entry in loop.content:
        if entry.__class__ is Loop:
            yield from _placed(entry, segment_id)
        elif entry.elements[0] == segment_id:
            yield loop.id, entry


def rejections(loop: Loop) -> tuple[Rejection, ...]:
    """Every AAA of a level as read (an item's loop holds no item below it: a subscriber's
    2000C holds no 2000D)."""
    return tuple(Rejection(where, s.element(1), s.element(3), s.element(4))
                 for where, s in _placed(loop, "AAA"))


def _name(level: Optional[Loop]) -> Optional[Loop]:
    return level.loop(_NAME_LOOP.get(level.id, "")) if level is not None else None


def _party(level: Optional[Loop]) -> Optional[Party]:
    return party_of(_name(level))


def benefit(loop: Loop) -> Benefit:
    eb = loop.segment("EB")
    e = eb.element
    related = tuple(p for p in (party_of(c) for c in loop.loops() if c.id.startswith("2120"))
                    if p is not None)
    return Benefit(
        e(1), e(2), _codes(eb, 3), e(4), e(5), e(6), money(e(7)), number(e(8)), e(9),
        number(e(10)), e(11), e(12), procedure(eb, 13), _all(loop, "DTP", dtp),
        _all(loop, "REF", ref), tuple(s.element(1) for s in loop.segments("MSG")), related,
        loop)


def service_inquiry(loop: Loop) -> ServiceInquiry:
    eq = loop.segment("EQ")
    return ServiceInquiry(_codes(eq, 1), procedure(eq, 2), eq.element(3),
                          _all(loop, "DTP", dtp), _all(loop, "REF", ref), loop)


def _codes(seg, n: int) -> tuple[str, ...]:
    return tuple(c for c in seg.repetitions(n) if c)


def _all(loop: Optional[Loop], segment_id: str, read) -> tuple:
    return tuple(read(s) for s in loop.segments(segment_id)) if loop is not None else ()


class _Person(NamedTuple):
    """The fields every model of a subscriber or dependent level opens with, in this order."""

    traces: tuple[Trace, ...]
    source: Optional[Party]
    receiver: Optional[Party]
    subscriber: Optional[Party]
    dependent: Optional[Party]
    birth_date: Optional[date]
    gender: str
    dates: tuple[DatedEvent, ...]


def _person(item: Item, name: Loop) -> _Person:
    """Who is asked about: ``name`` is the level's 2100C or 2100D."""
    dmg = name.segment("DMG")
    is_dependent = item.loop.id == DEPENDENT
    return _Person(
        _all(item.loop, "TRN", trn), _party(item.around("2000A")),
        _party(item.around("2000B")),
        _party(item.around(SUBSCRIBER)) if is_dependent else party_of(name),
        party_of(name) if is_dependent else None,
        day(dmg.element(2)) if dmg is not None else None,
        dmg.element(3) if dmg is not None else "", _all(name, "DTP", dtp))


class EligibilityBuilder:
    """Typed models from the items of 270 and 271 sets."""

    def __init__(self) -> None:
        self._dependents = 0  # dependents handed out since the last subscriber

    def build(self, item: Item) -> list:
        level = item.loop.id
        if level not in _BENEFIT_LOOP:
            return self._upper_level(item)
        name = _name(item.loop) or Loop(_NAME_LOOP[level], ())
        asks = name.loops(_BENEFIT_LOOP[level])
        if level == DEPENDENT:
            self._dependents += 1
            for_dependents = False
        else:
            for_dependents, self._dependents = self._dependents > 0, 0
        st = item.envelope.header
        if st is not None and st.element(1) == "271":
            found = rejections(item.loop)
            if for_dependents and not asks and not found:
                return []
            return [EligibilityResponse(
                level, *_person(item, name), tuple(benefit(b) for b in asks), found,
                item.loop, item.context, item.findings)]
        if for_dependents and not asks:
            return []
        return [EligibilityInquiry(
            level, *_person(item, name), tuple(service_inquiry(q) for q in asks),
            item.loop, item.context, item.findings)]

    @staticmethod
    def _upper_level(item: Item) -> list:
        """2000A or 2000B of a 271: a model only where it rejects."""
        found = rejections(item.loop)
        if not found:
            return []
        source = item.loop if item.loop.id == "2000A" else item.around("2000A")
        receiver = item.loop if item.loop.id == "2000B" else None
        return [EligibilityRejection(item.loop.id, _party(source), _party(receiver), found,
                                     item.loop, item.context, item.findings)]
