"""Typed models of the transactions, one business item at a time (see ``reading``).

Values are frozen and slotted (NamedTuple): ``Decimal`` money, ``datetime.date`` dates, a
``DateRange`` for periods, codes as the strings the file carries. Every segment a model does
not type stays reachable from it (``.loop``, and ``.context`` for the loops around a claim).
Reprs show codes and amounts only, never names, ids, birth dates or addresses.
"""
from x12kit.models.claims import (
    Claim, HealthCode, LineAdjudication, OtherPayer, Patient, Provider, ServiceLine, Subscriber,
)
from x12kit.models.reading import read, read_claims, read_items, read_remittances
from x12kit.models.remittance import ClaimPayment, PaymentHeader, ProviderAdjustment, ServicePayment
from x12kit.models.tree import Item, Loop
from x12kit.models.values import (
    Address, Adjustment, DatedEvent, DateRange, Party, Procedure, Reference,
)

__all__ = [
    "Address", "Adjustment", "Claim", "ClaimPayment", "DateRange", "DatedEvent", "HealthCode",
    "Item", "LineAdjudication", "Loop", "OtherPayer", "Party", "Patient", "PaymentHeader",
    "Procedure", "Provider", "ProviderAdjustment", "Reference", "ServiceLine",
    "ServicePayment", "Subscriber", "read", "read_claims", "read_items", "read_remittances",
]
