"""276/277 claim status (005010X212) and 277CA claim acknowledgment (005010X214) as models.

Loops: 2000A information source (2100A payer; 2200A in a 277CA: TRN, receipt and process
dates); 2000B information receiver (2100B; 2200B: TRN, STC, and in a 277CA QTY and AMT, the
batch's accepted and rejected counts and totals); 2000C service or billing provider (2100C;
2200C the same for that provider's claims); 2000D subscriber in a 276/277, patient in a 277CA
(2100D; 2200D one claim: TRN, STC, REF, AMT, DTP; 2210D (276) or 2220D (277) its lines: SVC,
STC, REF*FJ, DTP); 2000E dependent (2100E; 2200E, 2210E/2220E), 276/277 only.

Keys (DOMAIN.md): a 276 asks by its own trace (TRN02), the payer's claim number (REF*1K) and
the patient account number (REF*EJ, the PCN). A 277 echoes the 276's trace in TRN02 and gives
the PCN in REF*EJ; a 277CA gives the claim's PCN in TRN02. 277 and 277CA share ST01 277 and
are told apart by their implementation (ST03, else GS08).
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple, Optional

from x12kit.models.tree import Item, Loop
from x12kit.schema.registry import transaction_kind
from x12kit.models.values import (
    DatedEvent, Party, Procedure, Reference, codes_only, day, dtp, find_ref, money, number,
    party_of, procedure, ref,
)

ACCEPTED = frozenset(("A1", "A2"))                    # 277CA categories: in adjudication
REJECTED = frozenset(("A3", "A4", "A6", "A7", "A8"))  # returned, not found, rejected
_CLAIM_LOOPS = frozenset(("2200D", "2200E"))


@codes_only("category", "status", "entity")
class StatusCode(NamedTuple):
    """A health care claim status composite (STC01, STC10, STC11)."""

    category: str                      # -1: A acknowledgement, P pending, F finalized, R, E ...
    status: str                        # -2: the claim status code (what happened)
    entity: str                        # -3: whom it concerns (85 billing provider, QC patient ...)
    ncpdp_code: str = ""               # -4: NCPDP reject or payment code (pharmacy)


@codes_only("code", "effective", "charge", "paid", "additional")
class Status(NamedTuple):
    """One STC: a status of a claim, line, provider or batch, with the amounts it names."""

    code: StatusCode                   # STC01
    effective: Optional[date]          # STC02: the status's effective date
    action: str                        # STC03 (277CA: WQ accepted, U rejected)
    charge: Optional[Decimal]          # STC04: total claim (or line) charge
    paid: Optional[Decimal]            # STC05: claim payment amount
    adjudicated: Optional[date]        # STC06: adjudication or payment date
    payment_method: str                # STC07: ACH, CHK, BOP, NON
    payment_date: Optional[date]       # STC08: check issue or EFT effective date
    check_number: str                  # STC09: check or EFT trace number
    additional: tuple[StatusCode, ...]  # STC10, STC11: further statuses of the same date
    message: str                       # STC12: free text

    @property
    def codes(self) -> tuple[StatusCode, ...]:
        return (self.code,) + self.additional


@codes_only("procedure", "charge", "paid", "statuses")
class StatusLine(NamedTuple):
    """2210D/E (276) or 2220D/E (277, 277CA): one service line asked about or answered."""

    procedure: Optional[Procedure]     # SVC01
    charge: Optional[Decimal]          # SVC02
    paid: Optional[Decimal]            # SVC03 (277)
    revenue_code: str                  # SVC04
    units: Optional[Decimal]           # SVC07
    control_number: Optional[str]      # REF*FJ: the line item control number (837 REF*6R)
    dates: tuple[DatedEvent, ...]      # DTP*472
    statuses: tuple[Status, ...]       # STC (none in a 276)
    references: tuple[Reference, ...]
    loop: Loop


class _Claim(NamedTuple):
    """What every claim model of these guides reads the same way: its fields open each
    claim model, in this order (a 277CA's TRN02 is the claim's PCN, so its ``pcn``)."""

    trace: str                         # TRN02
    payer_claim_number: Optional[str]  # REF*1K
    bill_type: Optional[str]           # REF*BLT (institutional)
    dates: tuple[DatedEvent, ...]      # DTP*472 service dates
    references: tuple[Reference, ...]
    lines: tuple[StatusLine, ...]
    payer: Optional[Party]             # 2100A
    receiver: Optional[Party]          # 2100B
    provider: Optional[Party]          # 2100C


@codes_only("trace", "charge")
class ClaimStatusRequest(NamedTuple):
    """A 276 question about one claim (2200D, or 2200E for a dependent)."""

    trace: str                         # TRN02: the asker's trace, echoed by the 277
    payer_claim_number: Optional[str]  # REF*1K
    bill_type: Optional[str]           # REF*BLT
    dates: tuple[DatedEvent, ...]      # DTP*472
    references: tuple[Reference, ...]
    lines: tuple[StatusLine, ...]      # 2210D/2210E
    payer: Optional[Party]             # 2100A
    receiver: Optional[Party]          # 2100B: who asks
    provider: Optional[Party]          # 2100C: the service provider
    pcn: Optional[str]                 # REF*EJ: the patient account number (CLM01)
    charge: Optional[Decimal]          # AMT*T3: the claim's total charge
    subscriber: Optional[Party]        # 2100D
    dependent: Optional[Party]         # 2100E, where the patient is a dependent
    birth_date: Optional[date]         # DMG of the patient (2000D or 2000E)
    gender: str
    loop: Loop
    context: tuple[Loop, ...]
    findings: tuple = ()


@codes_only("trace", "statuses")
class ClaimStatus(NamedTuple):
    """A 277 answer about one claim (2200D, or 2200E for a dependent)."""

    trace: str                         # TRN02: the 276's trace it answers
    payer_claim_number: Optional[str]  # REF*1K
    bill_type: Optional[str]           # REF*BLT
    dates: tuple[DatedEvent, ...]      # DTP*472
    references: tuple[Reference, ...]
    lines: tuple[StatusLine, ...]      # 2220D/2220E
    payer: Optional[Party]             # 2100A
    receiver: Optional[Party]          # 2100B
    provider: Optional[Party]          # 2100C
    pcn: Optional[str]                 # REF*EJ: the patient account number (CLM01)
    statuses: tuple[Status, ...]       # the claim's STC
    subscriber: Optional[Party]        # 2100D
    dependent: Optional[Party]         # 2100E
    loop: Loop
    context: tuple[Loop, ...]
    findings: tuple = ()


@codes_only("pcn", "statuses")
class ClaimAcknowledgment(NamedTuple):
    """A 277CA answer about one claim (2200D): accepted into adjudication or rejected."""

    pcn: str                           # TRN02: the claim's patient control number (CLM01)
    payer_claim_number: Optional[str]  # REF*1K: assigned at acceptance
    bill_type: Optional[str]           # REF*BLT
    dates: tuple[DatedEvent, ...]      # DTP*472
    references: tuple[Reference, ...]  # REF*1K, D9 clearinghouse trace, BLT
    lines: tuple[StatusLine, ...]      # 2220D: line-level statuses
    payer: Optional[Party]             # 2100A: the information source
    receiver: Optional[Party]          # 2100B: the submitter answered
    billing_provider: Optional[Party]  # 2100C NM1*85: the provider the claim stands under
    statuses: tuple[Status, ...]       # the claim's STC
    patient: Optional[Party]           # 2100D NM1*QC
    loop: Loop
    context: tuple[Loop, ...]
    findings: tuple = ()

    @property
    def categories(self) -> tuple[str, ...]:
        """Every status category of the claim, STC10 and STC11 included."""
        return tuple(c.category for s in self.statuses for c in s.codes)

    @property
    def rejected(self) -> bool:
        """A3, A4, A6, A7 or A8 in any of its statuses: the claim will not be adjudicated."""
        return any(c in REJECTED for c in self.categories)

    @property
    def accepted(self) -> bool:
        """A1 or A2, and no rejection."""
        return not self.rejected and any(c in ACCEPTED for c in self.categories)


@codes_only("level", "statuses", "quantities", "amounts")
class LevelStatus(NamedTuple):
    """2200B or 2200C of a 277 or 277CA: the statuses of a whole receiver's batch or of a
    provider's claims, with (277CA) the accepted and rejected counts and totals."""

    level: str                         # 2200B receiver, 2200C provider
    trace: str                         # TRN02 (2200B of a 277CA: the 837's BHT03 or batch id)
    statuses: tuple[Status, ...]
    quantities: tuple[tuple[str, Decimal], ...]  # QTY: 90 accepted, AA rejected
    amounts: tuple[tuple[str, Decimal], ...]     # AMT: YU accepted, YY rejected
    party: Optional[Party]             # 2100B receiver or 2100C provider
    payer: Optional[Party]             # 2100A
    references: tuple[Reference, ...]
    loop: Loop
    context: tuple[Loop, ...]
    findings: tuple = ()


def status_code(parts: list[str]) -> StatusCode:
    parts = parts + [""] * (4 - len(parts))
    return StatusCode(parts[0], parts[1], parts[2], parts[3])


def status(seg) -> Status:
    e = seg.element
    additional = tuple(status_code(seg.components(n)) for n in (10, 11) if e(n))
    return Status(status_code(seg.components(1)), day(e(2)), e(3), money(e(4)), money(e(5)),
                  day(e(6)), e(7), day(e(8)), e(9), additional, e(12))


def _statuses(loop: Loop) -> tuple[Status, ...]:
    return tuple(status(s) for s in loop.segments("STC"))


def _pairs(loop: Loop, segment_id: str) -> tuple[tuple[str, Decimal], ...]:
    return tuple((s.element(1), number(s.element(2)) or Decimal(0))
                 for s in loop.segments(segment_id))


def status_line(loop: Loop) -> StatusLine:
    svc = loop.segment("SVC")
    e = svc.element if svc is not None else (lambda _n: "")
    refs = tuple(ref(s) for s in loop.segments("REF"))
    return StatusLine(
        procedure(svc, 1) if svc is not None else None, money(e(2)), money(e(3)), e(4),
        number(e(7)), find_ref(refs, "FJ"), tuple(dtp(s) for s in loop.segments("DTP")),
        _statuses(loop), refs, loop)


def _name(item: Item, level: str) -> Optional[Party]:
    """The party of the name loop (2100x) of the enclosing level 2000x."""
    around = item.around("2000" + level)
    return party_of(around.loop("2100" + level)) if around is not None else None


def _claim(item: Item) -> _Claim:
    loop = item.loop
    trace = loop.segment("TRN")
    refs = tuple(ref(s) for s in loop.segments("REF"))
    return _Claim(
        trace.element(2) if trace is not None else "", find_ref(refs, "1K"),
        find_ref(refs, "BLT"), tuple(dtp(s) for s in loop.segments("DTP")), refs,
        tuple(status_line(c) for c in loop.loops() if c.id[:3] in ("221", "222")),
        _name(item, "A"), _name(item, "B"), _name(item, "C"))


def _patient_dmg(item: Item) -> tuple[Optional[date], str]:
    """The DMG of the 276's patient: on the dependent's 2000E, else the subscriber's 2000D."""
    level = item.around("2000E") or item.around("2000D")
    dmg = level.segment("DMG") if level is not None else None
    return (day(dmg.element(2)), dmg.element(3)) if dmg is not None else (None, "")


def is_claim_acknowledgment(item: Item) -> bool:
    st, gs = item.envelope.header, item.envelope.group
    implementation = (st.element(3) if st is not None else "") or (
        gs.element(8) if gs is not None else "")
    return transaction_kind("277", implementation) == "277CA"


class StatusBuilder:
    """Typed models from the items of 276, 277 and 277CA sets."""

    def build(self, item: Item) -> list:
        loop = item.loop
        st = item.envelope.header
        if loop.id not in _CLAIM_LOOPS:
            return [self._level(item)]
        claim = _claim(item)
        if st is not None and st.element(1) == "276":
            charge = loop.segment("AMT", "T3")
            born, gender = _patient_dmg(item)
            return [ClaimStatusRequest(
                *claim, find_ref(claim.references, "EJ"),
                money(charge.element(2)) if charge is not None else None,
                _name(item, "D"), _name(item, "E"), born, gender,
                loop, item.context, item.findings)]
        if is_claim_acknowledgment(item):
            return [ClaimAcknowledgment(*claim, _statuses(loop), _name(item, "D"), loop,
                                        item.context, item.findings)]
        return [ClaimStatus(*claim, find_ref(claim.references, "EJ"), _statuses(loop),
                            _name(item, "D"), _name(item, "E"), loop, item.context,
                            item.findings)]

    @staticmethod
    def _level(item: Item) -> LevelStatus:
        loop = item.loop
        trace = loop.segment("TRN")
        return LevelStatus(
            loop.id, trace.element(2) if trace is not None else "", _statuses(loop),
            _pairs(loop, "QTY"), _pairs(loop, "AMT"), _name(item, loop.id[-1]),
            _name(item, "A"), tuple(ref(s) for s in loop.segments("REF")), loop, item.context,
            item.findings)
