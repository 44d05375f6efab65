"""A claim as ``track claims --format json`` shows it: the contract other tools read.

Every figure is a sum of the claim's ledger entries (balances are never stored): ``charge``
the charges, ``paid`` the payments, ``adjustments`` each CAS group's claim and line
amounts (a crossover transfer counts in PR), ``balance`` = charge - paid - all adjustments.
Amounts are decimal strings with two places.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Iterable

from x12kit.tracker.records import ZERO, Entry, Event, StoredClaim

CENT = Decimal("0.01")


def amount_text(amount: Decimal) -> str:
    """"125.00", "-40.10"; never "-0.00"."""
    return str((amount + ZERO).quantize(CENT)) if amount else "0.00"


class Totals:
    """The sums of one claim's ledger entries."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.charge = self.paid = ZERO
        self.adjustments: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for e in entries:
            if e.kind == "charge":
                self.charge += e.amount
            elif e.kind == "payment":
                self.paid += e.amount
            elif e.kind in ("adjustment", "transfer"):
                self.adjustments[e.group] += e.amount

    @property
    def patient_responsibility(self) -> Decimal:
        return self.adjustments.get("PR", ZERO)

    @property
    def balance(self) -> Decimal:
        return self.charge - self.paid - sum(self.adjustments.values(), ZERO)


def claim_summary(claim: StoredClaim, entries: Iterable[Entry],
                  history: Iterable[tuple[Event, str]],
                  superseded_by_pcn: str | None = None) -> dict:
    totals = Totals(entries)
    sent = claim.sent
    return {
        "pcn": sent.pcn,
        "billing_npi": sent.billing_npi,
        "payer_claim_number": claim.payer_claim_number,
        "state": claim.state,
        "kind": sent.kind,
        "payer_id": sent.payer_id,
        "payer_name": sent.payer_name,
        "claim_date": sent.claim_date.isoformat() if sent.claim_date else None,
        "frequency": sent.frequency,
        "superseded_by": superseded_by_pcn,
        "charge": amount_text(totals.charge),
        "paid": amount_text(totals.paid),
        "adjustments": {group: amount_text(amount)
                        for group, amount in sorted(totals.adjustments.items())},
        "patient_responsibility": amount_text(totals.patient_responsibility),
        "balance": amount_text(totals.balance),
        "history": [{"source": source, "kind": event.kind, "event": event.event,
                     "code": event.code,
                     "date": event.written.isoformat() if event.written else None}
                    for event, source in history],
    }


def ledger_rows(entries: Iterable[Entry], sources: dict[int, str]) -> list[dict]:
    """A claim's ledger entries as rows for ``track claim``."""
    return [{"source": sources.get(e.document_id, ""), "kind": e.kind, "group": e.group,
             "reason": e.reason, "line": e.line_number, "amount": amount_text(e.amount)}
            for e in entries]
