"""The biller's view: each model as a person reads it, codes with their meaning in words.

``lines(model)`` gives the text of one model: a claim laid out like its paper form (CMS-1500
for an 837P, UB-04 for an 837I, the ADA form for an 837D), a claim payment with what was
billed, allowed, paid and left to the patient and every adjustment's reason, coverage per
service type for a 271, statuses in words for a 277 or 277CA, and the verdict with each
error in words for a 999 or TA1. The views show the file's values (names, ids, dates): that
is what a biller asks ``x12kit show`` for; they are never logged.
"""
from __future__ import annotations

from typing import Callable

from x12kit.models import claims, eligibility, remittance, status
from x12kit.models import acks as ack_models
from x12kit.views import acknowledgments, claim_forms, coverage, payments, statuses

# model class -> the function that lays it out
VIEWS: dict[type, Callable[[object], list[str]]] = {
    claims.Claim: claim_forms.claim_form,
    remittance.ClaimPayment: payments.claim_payment,
    remittance.ProviderAdjustment: payments.provider_adjustment,
    eligibility.EligibilityResponse: coverage.response,
    eligibility.EligibilityInquiry: coverage.inquiry,
    eligibility.EligibilityRejection: coverage.rejection,
    status.ClaimStatus: statuses.claim_status,
    status.ClaimAcknowledgment: statuses.claim_acknowledgment,
    status.ClaimStatusRequest: statuses.status_request,
    status.LevelStatus: statuses.level_status,
    ack_models.SetResponse: acknowledgments.set_response,
    ack_models.GroupAcknowledgment: acknowledgments.group,
    ack_models.InterchangeAcknowledgment: acknowledgments.interchange,
}


def lines(model) -> list[str]:
    """The view of one model, as lines of text."""
    return VIEWS[type(model)](model)
