"""Typed models of the transactions, one business item at a time (see ``reading``).

Values are frozen and slotted (NamedTuple): ``Decimal`` money, ``datetime.date`` dates, a
``DateRange`` for periods, codes as the strings the file carries. Every segment a model does
not type stays reachable from it (``.loop``, and ``.context`` for the loops around a claim).
Reprs show codes and amounts only, never names, ids, birth dates or addresses.
``to_json`` turns any model into a JSON-ready dict.
"""
from x12kit.models.acks import (
    AcknowledgedGroup, ElementError, ErrorContext, GroupAcknowledgment,
    InterchangeAcknowledgment, SegmentError, SetResponse,
)
from x12kit.models.claims import (
    Claim, HealthCode, LineAdjudication, OtherPayer, Patient, Provider, ServiceLine, Subscriber,
)
from x12kit.models.eligibility import (
    Benefit, EligibilityInquiry, EligibilityRejection, EligibilityResponse, Rejection,
    ServiceInquiry,
)
from x12kit.models.jsonify import to_json
from x12kit.models.reading import (
    read, read_acknowledgments, read_claims, read_eligibility, read_items, read_remittances,
    read_statuses,
)
from x12kit.models.remittance import ClaimPayment, PaymentHeader, ProviderAdjustment, ServicePayment
from x12kit.models.status import (
    ClaimAcknowledgment, ClaimStatus, ClaimStatusRequest, LevelStatus, Status, StatusCode,
    StatusLine,
)
from x12kit.models.tree import Item, Loop
from x12kit.models.values import (
    Address, Adjustment, DatedEvent, DateRange, Party, Procedure, Reference, Trace,
)

__all__ = [
    "AcknowledgedGroup", "Address", "Adjustment", "Benefit", "Claim", "ClaimAcknowledgment",
    "ClaimPayment", "ClaimStatus", "ClaimStatusRequest", "DateRange", "DatedEvent",
    "EligibilityInquiry", "EligibilityRejection", "EligibilityResponse", "ElementError",
    "ErrorContext", "GroupAcknowledgment", "HealthCode", "InterchangeAcknowledgment", "Item",
    "LevelStatus", "LineAdjudication", "Loop", "OtherPayer", "Party", "Patient",
    "PaymentHeader", "Procedure", "Provider", "ProviderAdjustment", "Reference", "Rejection",
    "SegmentError", "ServiceInquiry", "ServiceLine", "ServicePayment", "SetResponse",
    "Status", "StatusCode", "StatusLine", "Subscriber", "Trace", "read",
    "read_acknowledgments", "read_claims", "read_eligibility", "read_items",
    "read_remittances", "read_statuses", "to_json",
]
