"""Matching what comes back to the claims that were sent (DOMAIN.md, "Matching and posting").

Claim key: billing provider NPI + PCN. Once the payer's claim number is known (277CA
REF*1K, 835 CLP07) it is a second key. A payer that truncated CLP01 is matched on the
prefix only when payer, charge and service dates agree and exactly one claim fits. Two
candidates are never settled by picking one: the payment waits in the unmatched list.
Service lines: REF*6R first, else procedure with modifiers, date and charge.
"""
from __future__ import annotations

from typing import Iterable, NamedTuple, Optional

from x12kit.tracker.records import ClaimAnswer, ClaimLine, Remit, RemitLine, StoredClaim

BY_PAYER_CLAIM_NUMBER, BY_PCN, BY_PREFIX = "payer_claim_number", "pcn", "pcn_prefix"
UNKNOWN, AMBIGUOUS = "unknown", "ambiguous"


class Match(NamedTuple):
    claim: Optional[StoredClaim]
    how: str                    # one of the names above


def match_remit(remit: Remit, candidates: Iterable[StoredClaim],
                numbered: Iterable[StoredClaim] = ()) -> Match:
    """The one claim ``remit`` pays. ``candidates``: claims whose PCN is CLP01 or starts
    with it; ``numbered``: claims already known by the payer claim number CLP07."""
    same_provider = _of_provider(remit.payee_npi)
    numbered = _distinct(c for c in numbered if same_provider(c))
    if len(numbered) > 1:
        numbered = [c for c in numbered if c.sent.pcn == remit.pcn]
    if len(numbered) == 1:
        return Match(numbered[0], BY_PAYER_CLAIM_NUMBER)
    if len(numbered) > 1:
        return Match(None, AMBIGUOUS)
    candidates = _distinct(c for c in candidates if same_provider(c))
    exact = [c for c in candidates if c.sent.pcn == remit.pcn]
    if exact:
        one = _one_of_same_pcn(remit, exact)
        if one is not None:
            return Match(one, BY_PCN)
        return Match(None, AMBIGUOUS if len(exact) > 1 else UNKNOWN)
    fits = [c for c in candidates
            if c.sent.pcn.startswith(remit.pcn) and _agrees(remit, c) and remit.pcn]
    if len(fits) == 1:
        return Match(fits[0], BY_PREFIX)
    return Match(None, AMBIGUOUS if fits else UNKNOWN)


def _one_of_same_pcn(remit: Remit, claims: list[StoredClaim]) -> Optional[StoredClaim]:
    """Of claims that share a PCN (an original and its replacement), the one a payment is
    for. Never the replacement of the claim the payment names (its REF*F8 is CLP07); then,
    where several are left, the one not superseded, then the one of the frequency CLP09
    says. None unless exactly one is left."""
    claims = [c for c in claims if not remit.payer_claim_number
              or c.sent.replaces != remit.payer_claim_number]
    for keep in (lambda c: c.superseded_by is None,
                 lambda c: c.sent.frequency == remit.frequency):
        if len(claims) > 1:
            claims = [c for c in claims if keep(c)] or claims
    return claims[0] if len(claims) == 1 else None


def match_answer(answer: ClaimAnswer, candidates: Iterable[StoredClaim],
                 numbered: Iterable[StoredClaim] = ()) -> Optional[StoredClaim]:
    """The one claim a 277CA or 277 answers: by the payer claim number, else by NPI and
    PCN (the PCN is echoed whole: no prefix)."""
    same_provider = _of_provider(answer.billing_npi)
    numbered = _distinct(c for c in numbered if same_provider(c))
    if len(numbered) == 1:
        return numbered[0]
    exact = _distinct(c for c in candidates if same_provider(c) and c.sent.pcn == answer.pcn)
    current = [c for c in exact if c.superseded_by is None] or exact
    return current[0] if len(current) == 1 else None


def _of_provider(npi: Optional[str]):
    return (lambda claim: claim.sent.billing_npi == npi) if npi else (lambda claim: True)


def _distinct(claims: Iterable[StoredClaim]) -> list[StoredClaim]:
    return list({c.id: c for c in claims}.values())


def _agrees(remit: Remit, claim: StoredClaim) -> bool:
    """Payer, charge and service dates agree (each compared where both sides have it)."""
    sent = claim.sent
    if remit.payer_id and sent.payer_id and remit.payer_id != sent.payer_id:
        return False
    if abs(remit.charge) != sent.charge:
        return False
    return _same(remit.service_start, sent.service_start) and _same(remit.service_end,
                                                                    sent.service_end)


def _same(a, b) -> bool:
    return a is None or b is None or a == b


def match_lines(paid: Iterable[RemitLine], sent: Iterable[ClaimLine]) -> list[Optional[int]]:
    """For each service payment, the number of the claim line it pays (None: no single
    line fits). A claim line is matched once."""
    sent = list(sent)
    taken: set[int] = set()
    found = []
    for line in paid:
        fits = [s for s in sent if s.number not in taken and _line_fits(line, s)]
        number = fits[0].number if len(fits) == 1 else None
        if number is not None:
            taken.add(number)
        found.append(number)
    return found


def _line_fits(paid: RemitLine, sent: ClaimLine) -> bool:
    if paid.control_number and sent.control_number:
        return paid.control_number == sent.control_number
    return (paid.procedure == sent.procedure and abs(paid.charge) == sent.charge
            and _same(paid.service_date, sent.service_date))
