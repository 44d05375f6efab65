"""Claim statuses (277), claim acknowledgments (277CA) and status requests (276) in words:
each STC as its category, status and entity read out."""
from __future__ import annotations

from datetime import date
from typing import Optional

from x12kit.models.status import (
    ClaimAcknowledgment, ClaimStatus, ClaimStatusRequest, LevelStatus, Status, StatusCode,
)
from x12kit.views.text import box, identified, meaning, money, name, when, words


# STC01-4 (C043-04) RX: the status code is an NCPDP reject/payment code, not one of list 508
NCPDP = "RX"


def status_words(code: StatusCode, on: Optional[date] = None) -> str:
    """``A7:562 Entity's National Provider Identifier (NPI), concerning 85 (Billing Provider);
    A7 = Acknowledgement/Rejected for Invalid Information- ...``: the status the way payers
    write it, what it says (in the wording in force ``on``, the status's date), whom it
    concerns, then what its category means."""
    pair = ":".join(c for c in (code.category, code.status) if c) or "-"
    said = ("NCPDP reject/payment code" if code.ncpdp_code == NCPDP
            else meaning("claim_status", code.status, on))
    text = f"{pair} {said.rstrip('.')}" if said else pair
    if code.entity:
        text += ", concerning " + words("entity_identifier", code.entity)
    category = meaning("claim_status_category", code.category, on)
    return f"{text}; {code.category} = {category}" if category else text


def _statuses(statuses: tuple[Status, ...], label: str = "Status") -> list[str]:
    out = []
    for s in statuses:
        out.append(box(f"{label} {when(s.effective)}", status_words(s.code, s.effective)))
        out += [box("  and", status_words(extra, s.effective)) for extra in s.additional]
        if s.paid is not None or s.check_number:
            out.append(box("  paid", f"{money(s.paid)} of {money(s.charge)} "
                                     f"{s.payment_method} {s.check_number} "
                                     f"{when(s.payment_date)}".strip()))
    return out


def claim_status(answer: ClaimStatus) -> list[str]:
    out = [f"Claim status {answer.pcn or '-'} (trace {answer.trace or '-'})",
           box("Payer", identified(answer.payer)),
           box("Patient", name(answer.dependent or answer.subscriber)),
           box("Payer claim number", answer.payer_claim_number or "-")]
    out += _statuses(answer.statuses)
    for line in answer.lines:
        out += _statuses(line.statuses, f"Line {line.control_number or '-'}")
    return out


def claim_acknowledgment(ack: ClaimAcknowledgment) -> list[str]:
    verdict = "accepted" if ack.accepted else "rejected" if ack.rejected else "not decided"
    out = [f"Claim acknowledgment {ack.pcn}: {verdict}",
           box("Payer", identified(ack.payer)),
           box("Billing provider", identified(ack.billing_provider)),
           box("Payer claim number", ack.payer_claim_number or "-")]
    out += _statuses(ack.statuses)
    for line in ack.lines:
        out += _statuses(line.statuses, f"Line {line.control_number or '-'}")
    return out


def status_request(request: ClaimStatusRequest) -> list[str]:
    return [f"Claim status request {request.pcn or '-'} (trace {request.trace or '-'})",
            box("Asked of", identified(request.payer)),
            box("Patient", name(request.dependent or request.subscriber)),
            box("Charge", money(request.charge)),
            box("Service dates", ", ".join(when(d.dates) for d in request.dates) or "-")]


def level_status(status: LevelStatus) -> list[str]:
    counts = ", ".join(f"{q} {n}" for q, n in status.quantities)
    return [f"Status of {identified(status.party)} ({status.level})",
            *_statuses(status.statuses),
            box("Counts", counts or "-")]
