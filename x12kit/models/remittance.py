"""835 remittance advice (005010X221A1) as models: claim payments and provider adjustments,
each with the payment header of its transaction set.

Loops: the header (BPR, TRN, DTM*405, 1000A payer, 1000B payee); 2000 (LX) groups claim
payments; 2100 (CLP) a claim payment with its names, CAS, MIA/MOA, dates and amounts; 2110
(SVC) a service payment; the summary holds PLB, one provider adjustment per reason.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple, Optional

from x12kit.models.tree import Item, Loop
from x12kit.models.fields import (
    AMOUNT, MONEY, PROCEDURE, REFERENCE, TEXT, UNITS, adjustments, read_each, read_fields,
    sort_content,
)
from x12kit.models.values import (
    Adjustment, DatedEvent, Party, Procedure, Reference, _dtm, codes_only, day, dtm,
    find_ref, money, new_model, nm1, party_of, ref,
)


@codes_only("handling", "amount", "credit_debit", "method")
class PaymentHeader(NamedTuple):
    """BPR and TRN of one 835, with payer and payee."""

    handling: str                      # BPR01: C payment and advice, I advice only, H ...
    amount: Optional[Decimal]          # BPR02: total actual provider payment
    credit_debit: str                  # BPR03: C credit, D debit
    method: str                        # BPR04: ACH, CHK, NON, BOP, FWT
    payment_format: str                # BPR05: CCP, CTX
    payment_date: Optional[date]       # BPR16: check issue or EFT effective date
    trace_type: str                    # TRN01
    trace_number: str                  # TRN02: check or EFT trace number
    originator: str                    # TRN03: payer's company id
    production_date: Optional[date]    # DTM*405
    payer: Optional[Party]             # 1000A N1*PR
    payee: Optional[Party]             # 1000B N1*PE
    references: tuple[Reference, ...] = ()  # header REFs (EV receiver, F2 version)
    loop: Optional[Loop] = None        # the HEADER as read: every segment, typed or not


@codes_only("control_number", "charge", "paid")
class ServicePayment(NamedTuple):
    """2110: one service line as the payer adjudicated it."""

    procedure: Optional[Procedure]     # SVC01, as adjudicated
    charge: Optional[Decimal]          # SVC02
    paid: Optional[Decimal]            # SVC03
    revenue_code: str                  # SVC04
    units: Optional[Decimal]           # SVC05 (1 where absent, by the guide)
    submitted_procedure: Optional[Procedure]  # SVC06, where the payer changed the code
    submitted_units: Optional[Decimal]        # SVC07
    dates: tuple[DatedEvent, ...]      # DTM*472, 150, 151
    adjustments: tuple[Adjustment, ...]
    allowed: Optional[Decimal]         # AMT*B6
    control_number: Optional[str]      # REF*6R: the line item control number sent
    remarks: tuple[str, ...]           # LQ*HE remark codes (RARC)
    references: tuple[Reference, ...]
    loop: Loop                         # the 2110 as read

    @property
    def billed_procedure(self) -> Optional[Procedure]:
        """The procedure as the provider sent it: SVC06 where given, else SVC01."""
        return self.submitted_procedure or self.procedure


@codes_only("pcn", "status", "charge", "paid", "patient_responsibility")
class ClaimPayment(NamedTuple):
    """2100: one claim as the payer adjudicated it, with the payment it belongs to."""

    pcn: str                           # CLP01: the provider's patient control number
    status: str                        # CLP02: 1, 2, 3 processed; 4 denied; 22 reversal ...
    charge: Optional[Decimal]          # CLP03
    paid: Optional[Decimal]            # CLP04
    patient_responsibility: Optional[Decimal]  # CLP05
    filing_indicator: str              # CLP06
    payer_claim_number: str            # CLP07: the payer's claim control number (ICN)
    facility_code: str                 # CLP08
    frequency: str                     # CLP09
    drg: str                           # CLP11
    patient: Optional[Party]           # NM1*QC
    insured: Optional[Party]           # NM1*IL
    corrected_patient: Optional[Party]  # NM1*74
    rendering_provider: Optional[Party]  # NM1*82
    crossover_carrier: Optional[Party]   # NM1*TT
    adjustments: tuple[Adjustment, ...]  # claim-level CAS
    inpatient: tuple[str, ...]         # MIA elements, as written
    outpatient: tuple[str, ...]        # MOA elements, as written
    dates: tuple[DatedEvent, ...]      # DTM*232/233 statement, 050 received, 036 ...
    amounts: tuple[tuple[str, Decimal], ...]  # AMT (qualifier, amount)
    references: tuple[Reference, ...]
    services: tuple[ServicePayment, ...]
    payment: PaymentHeader
    loop: Loop                         # the 2100 as read: every segment, typed or not
    findings: tuple = ()               # the walker's findings inside it
    context: tuple[Loop, ...] = ()     # the loops around it as read (ST_LOOP, DETAIL, 2000)

    @property
    def is_reversal(self) -> bool:
        return self.status == "22"

    @property
    def remarks(self) -> tuple[str, ...]:
        """MOA03-07 remark codes (RARC) of the claim."""
        return tuple(code for code in self.outpatient[2:7] if code)

    def all_adjustments(self) -> tuple[Adjustment, ...]:
        """Claim CAS and every service line's CAS."""
        return self.adjustments + tuple(a for s in self.services for a in s.adjustments)


@codes_only("reason", "amount")
class ProviderAdjustment(NamedTuple):
    """One PLB reason: a provider-level adjustment not tied to a claim. A positive amount
    reduces the payment (DOMAIN.md)."""

    provider_id: str                   # PLB01
    fiscal_period_end: Optional[date]  # PLB02
    reason: str                        # PLB03-1 (WO, L6, FB, 72, CS ...)
    reference: str                     # PLB03-2
    amount: Optional[Decimal]          # PLB04
    payment: PaymentHeader


def payment_header(item: Item) -> PaymentHeader:
    """The header of the set an item stands in (built once per set by ``RemittanceBuilder``)."""
    set_loop = item.around("ST_LOOP")
    header = set_loop.loop("HEADER") if set_loop is not None else None
    header = header or Loop("HEADER", ())
    bpr = header.segment("BPR")
    trn = header.segment("TRN")
    e = bpr.element if bpr is not None else _absent
    t = trn.element if trn is not None else _absent
    production = header.segment("DTM", "405")
    return PaymentHeader(
        e(1), money(e(2)), e(3), e(4), e(5), day(e(16)), t(1), t(2), t(3),
        day(production.element(2)) if production is not None else None,
        party_of(header.loop("1000A"), "N1"), party_of(header.loop("1000B"), "N1"),
        tuple(ref(s) for s in header.segments("REF")), header)


def _absent(_n: int) -> str:
    return ""


# A 2110's segments by id (``fields.sort_content``), and how its SVC reads: SVC01-07 are
# the first seven fields of ServicePayment.
_SERVICE_SLOTS = {"SVC": 0, "DTM": 1, "CAS": 2, "REF": 3, "AMT": 4, "LQ": 5}
_SVC = ((1, PROCEDURE), (2, MONEY), (3, MONEY), (4, TEXT), (5, UNITS), (6, PROCEDURE),
        (7, MONEY))


def service_payment(loop: Loop) -> ServicePayment:
    svc, dtms, cas, refs, amts, lqs, _ = sort_content(loop.content, _SERVICE_SLOTS, 7)
    refs = read_each(refs, REFERENCE, Reference)
    allowed = next((a for a in amts if len(a.elements) > 1 and a.elements[1] == "B6"), None)
    return new_model(ServicePayment, read_fields(svc[0], _SVC) + (
        tuple([dtm(s) for s in dtms]), adjustments(cas),
        money(allowed.element(2)) if allowed is not None else None, find_ref(refs, "6R"),
        tuple([q.element(2) for q in lqs if q.element(1) == "HE"]), refs, loop))


def py_service_payments(loops: list[Loop]) -> tuple[ServicePayment, ...]:
    """The service payment of each 2110 among a claim payment's child loops."""
    return tuple([service_payment(c) for c in loops if c.id == "2110"])


try:  # the same, in C (x12kit/_values.c), where built
    from x12kit._values import bind_services, service_payments
except ImportError:  # pragma: no cover - a build without a C compiler
    service_payments = py_service_payments
else:
    bind_services(ServicePayment, _SVC, _SERVICE_SLOTS, _dtm)


# A 2100's segments by id, and how its CLP reads: CLP01-09 and 11 are ClaimPayment's
# first ten fields.
_CLAIM_SLOTS = {"CLP": 0, "NM1": 1, "CAS": 2, "DTM": 3, "AMT": 4, "REF": 5, "MIA": 6,
                "MOA": 7}
_CLP = ((1, TEXT), (2, TEXT), (3, MONEY), (4, MONEY), (5, MONEY), (6, TEXT), (7, TEXT),
        (8, TEXT), (9, TEXT), (11, TEXT))
_AMT = ((1, TEXT), (2, AMOUNT))  # (qualifier, amount)
_NAMES = ("QC", "IL", "74", "82", "TT")  # patient, insured, corrected patient, rendering,
# crossover carrier: ClaimPayment's fields after the CLP's


def py_claim_payment(item: Item, payment: PaymentHeader) -> ClaimPayment:
    """The claim payment of a 2100 item, its service payments included."""
    loop = item.loop
    clp, nm1s, cas, dtms, amts, refs, mia, moa, children = sort_content(
        loop.content, _CLAIM_SLOTS, 9)
    # the last NM1 of a code, as the guide allows one
    names = {seg.elements[1]: seg for seg in nm1s if len(seg.elements) > 1}
    return new_model(ClaimPayment, read_fields(clp[0], _CLP) + tuple(
        [nm1(names[code]) if code in names else None for code in _NAMES]) + (
        adjustments(cas), mia[0].elements[1:] if mia else (),
        moa[0].elements[1:] if moa else (), tuple([dtm(s) for s in dtms]),
        read_each(amts, _AMT, None), read_each(refs, REFERENCE, Reference),
        service_payments(children), payment, loop,
        item.findings, item.context))


try:  # the same, in C (x12kit/_values.c), where built
    from x12kit._values import bind_claims, claim_payment
except ImportError:  # pragma: no cover - a build without a C compiler
    claim_payment = py_claim_payment
else:
    bind_claims(Item, ClaimPayment, _CLP, _AMT, _CLAIM_SLOTS, _NAMES)


def provider_adjustments(item: Item, payment: PaymentHeader) -> list[ProviderAdjustment]:
    """One per PLB reason (PLB03/04 .. PLB13/14) of the summary."""
    found = []
    for plb in item.loop.segments("PLB"):
        for n in range(3, 15, 2):
            if not plb.element(n):
                continue
            reason = plb.components(n)
            found.append(ProviderAdjustment(
                plb.element(1), day(plb.element(2)), reason[0],
                reason[1] if len(reason) > 1 else "", money(plb.element(n + 1)), payment))
    return found


class RemittanceBuilder:
    """Typed models from the items of 835 sets; the payment header is read once per set."""

    def __init__(self) -> None:
        self._header_of: Optional[object] = None  # the ST the cached header belongs to
        self._header: Optional[PaymentHeader] = None

    def build(self, item: Item) -> list:
        st = item.envelope.header
        if st is not self._header_of:
            self._header_of, self._header = st, payment_header(item)
        if item.loop.id == "2100":  # else the FOOTER, with its PLBs
            return [claim_payment(item, self._header)]
        return provider_adjustments(item, self._header)
