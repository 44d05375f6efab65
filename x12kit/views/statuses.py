"""Claim statuses (277), claim acknowledgments (277CA) and status requests (276) in words:
each STC as its category, status and entity read out."""
from __future__ import annotations

from x12kit.models.status import (
    ClaimAcknowledgment, ClaimStatus, ClaimStatusRequest, LevelStatus, Status, StatusCode,
)
from x12kit.views.text import box, identified, money, name, when, words


def _code(code: StatusCode) -> str:
    parts = [words("claim_status_category", code.category), words("claim_status", code.status)]
    if code.entity:
        parts.append("concerning " + words("entity_identifier", code.entity))
    return "; ".join(parts)


def _statuses(statuses: tuple[Status, ...], label: str = "Status") -> list[str]:
    out = []
    for s in statuses:
        out.append(box(f"{label} {when(s.effective)}", _code(s.code)))
        out += [box("  and", _code(extra)) for extra in s.additional]
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
