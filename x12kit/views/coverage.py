"""A 271 as coverage: is the member covered, by which plan, and what they pay (co-payment,
coinsurance, deductible, out-of-pocket, with what remains) per service type."""
from __future__ import annotations

from x12kit.models.eligibility import (
    Benefit, EligibilityInquiry, EligibilityRejection, EligibilityResponse, Rejection,
)
from x12kit.views.text import box, identified, money, name, table, when, words

ACTIVE = frozenset("12345")       # EB01: active coverage (1), or active in a limited way
INACTIVE = frozenset("678")       # EB01: inactive, inactive pending ...
COST_SHARES = {"A": "coinsurance", "B": "co-payment", "C": "deductible", "G": "out of pocket"}
REMAINING = "29"                  # EB06: the amount still to be met


def _covered(benefits: tuple[Benefit, ...]) -> str:
    codes = {b.information for b in benefits}
    if codes & ACTIVE:
        return "active"
    return "inactive" if codes & INACTIVE else "not stated"


def _share(benefit: Benefit) -> str:
    if benefit.percent is not None:
        return f"{benefit.percent * 100:g}%"
    return money(benefit.amount)


def _rejections(rejections: tuple[Rejection, ...]) -> list[str]:
    return [box(f"Rejected at {r.loop_id}", f"{r.reason or '-'} follow-up {r.follow_up or '-'}")
            for r in rejections]


def response(answer: EligibilityResponse) -> list[str]:
    person = answer.dependent or answer.subscriber
    plans = sorted({b.plan or b.insurance_type for b in answer.benefits
                    if b.information in ACTIVE and (b.plan or b.insurance_type)})
    out = [f"Eligibility: {name(person)} — coverage {_covered(answer.benefits)}",
           box("Payer", identified(answer.source)),
           box("Member ID", answer.subscriber.id if answer.subscriber else "-"),
           box("Plan", "; ".join(plans) or "-")]
    out += _rejections(answer.rejections)
    shares = [b for b in answer.benefits if b.information in COST_SHARES]
    if shares:
        out.append(box("What the member pays", ""))
        out += table(((COST_SHARES[b.information],
                       ", ".join(words("service_type", t) for t in b.service_types) or "all",
                       b.coverage_level or "-",
                       ("remaining " if b.time_period == REMAINING else "") + _share(b),
                       {"Y": "in network", "N": "out of network"}.get(b.in_network, "-"))
                      for b in shares),
                     ("what", "service types", "level", "amount", "network"))
    others = [b for b in answer.benefits if b.information not in COST_SHARES]
    for b in others:
        out.append(box(words("eb_information", b.information),
                       ", ".join(words("service_type", t) for t in b.service_types) or "-"))
    return out


def inquiry(question: EligibilityInquiry) -> list[str]:
    person = question.dependent or question.subscriber
    asked = [t for q in question.inquiries for t in q.service_types]
    return [f"Eligibility inquiry: {name(person)}",
            box("Asked of", identified(question.source)),
            box("Asked by", identified(question.receiver)),
            box("Service types", ", ".join(words("service_type", t) for t in asked) or "-"),
            box("Dates", ", ".join(when(d.dates) for d in question.dates) or "-")]


def rejection(rejected: EligibilityRejection) -> list[str]:
    return [f"Eligibility request rejected at the {rejected.level} level",
            box("Source", identified(rejected.source)),
            *_rejections(rejected.rejections)]
