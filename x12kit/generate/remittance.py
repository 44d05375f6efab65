"""835 remittances as loop trees: the tables from ``PaymentHeader``, ``ClaimPayment``,
``ServicePayment`` and ``ProviderAdjustment`` to segments.

The header (BPR, TRN, REF, DTM*405, 1000A payer, 1000B payee) comes from the payment every
claim payment of a set shares; a 2000 (LX) groups claim payments as the file grouped them
(its TS3/TS2 carried from the loop as read); the footer packs the provider adjustments into
PLB segments, six reasons to a segment, per provider and fiscal period.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from x12kit.generate.claims import cas_drafts, procedure_rows
from x12kit.generate.draft import Draft, Fixed, Spec, draft, text, unless_default
from x12kit.generate.parties import DTM, N1, NM1, dated, party_node, references
from x12kit.generate.tree import Node
from x12kit.models.remittance import (
    ClaimPayment, PaymentHeader, ProviderAdjustment, ServicePayment,
)
from x12kit.models.tree import Loop

BPR = Spec("BPR", (("BPR01", "handling"), ("BPR02", "amount"), ("BPR03", "credit_debit"),
                   ("BPR04", "method"), ("BPR05", "payment_format"),
                   ("BPR16", "payment_date")))
TRN = Spec("TRN", (("TRN01", "trace_type"), ("TRN02", "trace_number"),
                   ("TRN03", "originator")))
PRODUCTION = Spec("DTM", (("DTM01", Fixed("405")), ("DTM02", "production_date")))
CLP = Spec("CLP", (("CLP01", "pcn"), ("CLP02", "status"), ("CLP03", "charge"),
                   ("CLP04", "paid"), ("CLP05", "patient_responsibility"),
                   ("CLP06", "filing_indicator"), ("CLP07", "payer_claim_number"),
                   ("CLP08", "facility_code"), ("CLP09", "frequency"), ("CLP11", "drg")))
SVC = Spec("SVC", procedure_rows("SVC01", "procedure") + (
    ("SVC02", "charge"), ("SVC03", "paid"), ("SVC04", "revenue_code"),
    ("SVC05", unless_default("units", Decimal(1)))) +
    procedure_rows("SVC06", "submitted_procedure") + (("SVC07", "submitted_units"),))
CLAIM_NAMES = (("QC", "patient"), ("IL", "insured"), ("74", "corrected_patient"),
               ("82", "rendering_provider"), ("TT", "crossover_carrier"))
CLAIM_TYPED = frozenset(("CLP", "CAS", "MIA", "MOA", "REF", "DTM", "AMT")) | {
    ("NM1", code) for code, _ in CLAIM_NAMES}
SERVICE_TYPED = frozenset(("SVC", "DTM", "CAS", "REF", ("AMT", "B6"), ("LQ", "HE")))
PLB_SIZE = 6  # reason and amount pairs per PLB segment


def header(payment: PaymentHeader) -> Node:
    where = "/payment"
    drafts = [draft(BPR, payment, where), draft(TRN, payment, where)] + references(
        payment.references, f"{where}/references")
    if payment.production_date is not None:
        drafts.append(draft(PRODUCTION, payment, where))
    raw = payment.loop
    children = [n for n in (
        party_node("1000A", payment.payer, f"{where}/payer", _loop(raw, "1000A"), name=N1),
        party_node("1000B", payment.payee, f"{where}/payee", _loop(raw, "1000B"), name=N1))
        if n]
    return Node("HEADER", drafts, children, raw,
                frozenset(("BPR", "TRN", "REF", ("DTM", "405"))))


def claim_group(raw: Optional[Loop]) -> Node:
    """2000: LX (numbered by the emitter), with what the file had around it (TS3, TS2)."""
    return Node("2000", [Draft("LX", {}, {}, "", frozenset((1,)))], raw=raw,  # LX01 kept
                later=frozenset(("2100",)))


def claim_payment(claim: ClaimPayment) -> Node:
    """2100: CLP, CAS, NM1s, MIA, MOA, REF, DTM, AMT; its 2110 service payments."""
    drafts = [draft(CLP, claim, "")] + cas_drafts(claim.adjustments, "/adjustments")
    for code, field in CLAIM_NAMES:
        party = getattr(claim, field)
        if party is not None:
            drafts.append(draft(NM1, party, f"/{field}"))
    for name, values in (("MIA", claim.inpatient), ("MOA", claim.outpatient)):
        if values:
            drafts.append(Draft(name, dict(enumerate(values, 1)), {}, f"/{name.lower()}",
                                whole=True))
    drafts += references(claim.references, "/references") + dated(claim.dates, "/dates", DTM)
    drafts += [Draft("AMT", {1: qualifier, 2: text(amount)}, {"AMT02": f"/amounts/{n}"},
                     f"/amounts/{n}") for n, (qualifier, amount) in enumerate(claim.amounts)]
    children = [service(s, f"/services/{n}") for n, s in enumerate(claim.services)]
    return Node("2100", drafts, children, claim.loop, CLAIM_TYPED)


def service(line: ServicePayment, where: str) -> Node:
    drafts = [draft(SVC, line, where)] + dated(line.dates, f"{where}/dates", DTM)
    drafts += cas_drafts(line.adjustments, f"{where}/adjustments")
    drafts += references(line.references, f"{where}/references")
    if line.allowed is not None:
        drafts.append(Draft("AMT", {1: "B6", 2: text(line.allowed)},
                            {"AMT02": f"{where}/allowed"}, where))
    drafts += [Draft("LQ", {1: "HE", 2: code}, {"LQ02": f"{where}/remarks/{n}"}, where)
               for n, code in enumerate(line.remarks)]
    return Node("2110", drafts, raw=line.loop, typed=SERVICE_TYPED)


def adjustments_footer(found: list[tuple[ProviderAdjustment, str]]) -> Node:
    """FOOTER: PLB segments, consecutive reasons of one provider and period packed six to
    a segment."""
    drafts: list[Draft] = []
    for adjustment, where in found:
        last = drafts[-1] if drafts else None
        key = (adjustment.provider_id, text(adjustment.fiscal_period_end))
        if last is None or (last.values[1], last.values[2]) != key or len(
                last.values) >= 2 + 2 * PLB_SIZE:
            last = Draft("PLB", {1: key[0], 2: key[1]}, {"PLB01": f"{where}/provider_id",
                                                         "PLB02": f"{where}/fiscal_period_end"},
                         where, whole=True)
            drafts.append(last)
        at = 1 + len(last.values)
        reason = {1: adjustment.reason}
        if adjustment.reference:
            reason[2] = adjustment.reference
        last.values.update({at: reason, at + 1: text(adjustment.amount)})
        last.pointers.update({f"PLB{at:02d}-1": f"{where}/reason",
                              f"PLB{at + 1:02d}": f"{where}/amount"})
    return Node("FOOTER", drafts)


def _loop(raw: Optional[Loop], loop_id: str) -> Optional[Loop]:
    return raw.loop(loop_id) if raw is not None else None
