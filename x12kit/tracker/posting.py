"""Posting: what a claim payment adds to the ledger, as values (beancount's way).

The ledger is append-only: each entry names its source document, a reversal (CLP02 22)
posts its negative amounts as they are, and nothing is overwritten. Balances are sums of
entries (charge - payments - adjustments), never stored.

A crossover payment (CLP02 2 or 3: a secondary or tertiary payer) restates the earlier
payers' part as OA-23 ("impact of prior payer adjudication"). Those amounts are in the
ledger already, as the earlier payer's own entries, or not yet (its 835 may come later), so
OA-23 is kept as a ``prior_payer`` entry that no balance counts. The patient responsibility
the earlier payers left passes to the crossover payer: ``transfer_entry`` keeps a PR
``transfer`` that takes it back, whichever of the 835s came first, and the crossover
payer's own PR says what the patient owes now.
"""
from __future__ import annotations

from typing import NamedTuple, Optional

from x12kit.tracker.matching import match_lines
from x12kit.tracker.records import (
    ZERO, ClaimLine, Entry, ProviderLevelAdjustment, Remit, SentClaim,
)

CROSSOVER_STATUSES = frozenset(("2", "3"))
new_entry = tuple.__new__  # an Entry from all its fields, without NamedTuple's Python-level __new__
PRIOR_PAYER = ("OA", "23")


class Finding(NamedTuple):
    """Something a person should know about a posting: a code and where, no values."""

    code: str
    message: str
    position: int


def charge_entries(claim_id: int, sent: SentClaim, document_id: int) -> list[Entry]:
    """The charges of a claim sent, one per line (the claim's own charge where it has
    none). A void (frequency 8) charges nothing: it takes back the claim it names."""
    if sent.frequency == "8":
        return []
    if not sent.lines:
        return [Entry(claim_id, document_id, "charge", "", "", sent.charge)]
    return [Entry(claim_id, document_id, "charge", "", "", line.charge, line.number)
            for line in sent.lines]


def payment_entries(claim_id: int, remit: Remit, lines: tuple[ClaimLine, ...],
                    document_id: int) -> tuple[list[Entry], list[Finding]]:
    """The entries a claim payment posts to its claim, and findings about it."""
    findings: list[Finding] = []
    status = remit.status
    crossover = status in CROSSOVER_STATUSES

    def payment(amount, line_number) -> Entry:
        return new_entry(Entry, (claim_id, document_id, "payment", "", "", amount,
                                 line_number, None, None, status))

    def adjustments(found, line_number) -> list[Entry]:
        return [new_entry(Entry, (
            claim_id, document_id,
            "prior_payer" if crossover and (adj.group, adj.reason) == PRIOR_PAYER
            else "adjustment", adj.group, adj.reason, adj.amount, line_number, None, None,
            status)) for adj in found]

    entries = adjustments(remit.adjustments, None)
    numbers = match_lines(remit.lines, lines)
    line_paid = sum((line.paid for line in remit.lines), ZERO)
    by_line = bool(remit.lines) and line_paid == remit.paid
    if not by_line:
        entries.append(payment(remit.paid, None))
    for line, number in zip(remit.lines, numbers):
        if number is None and lines:
            findings.append(Finding("line-unmatched", "a service payment matches no single "
                                    "line of its claim: posted at claim level", remit.position))
        if by_line:
            entries.append(payment(line.paid, number))
        entries += adjustments(line.adjustments, number)
    return entries, findings


def transfer_entry(claim_id: int, document_id: int, entries: list[Entry]) -> Optional[Entry]:
    """The PR transfer that brings a claim with a crossover payment to what it should
    have: the earlier payers' PR taken back. None when it has that already."""
    if not any(e.kind == "payment" and e.status in CROSSOVER_STATUSES for e in entries):
        return None
    earlier = sum((e.amount for e in entries if e.kind == "adjustment" and e.group == "PR"
                   and e.status not in CROSSOVER_STATUSES), ZERO)
    done = sum((e.amount for e in entries if e.kind == "transfer"), ZERO)
    if -earlier == done:
        return None
    return Entry(claim_id, document_id, "transfer", "PR", "", -earlier - done)


def provider_entries(adjustment: ProviderLevelAdjustment, document_id: int) -> Entry:
    return Entry(None, document_id, "provider", "", adjustment.reason, adjustment.amount,
                 None, adjustment.provider_id, adjustment.reference)
