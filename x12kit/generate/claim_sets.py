"""The set writers of 837 claims and 835 remittances: their HL trees and groups, streamed.

An 837 set is its header, then per billing provider (2000A) and subscriber (2000B) the HL
levels and claims; an 835 set is its payment header, the claim payments in their 2000
groups, then the provider adjustments. Each turns its models into nodes with the tables of
``claims`` and ``remittance`` and hands them to the generator as soon as their level is
complete.
"""
from __future__ import annotations

from typing import Optional

from x12kit.generate import remittance
from x12kit.generate.as_read import ClaimsAsRead, payment_unchanged
from x12kit.generate.claims import ClaimTables, check_balance
from x12kit.generate.tree import child_loop
from x12kit.models.claims import Claim
from x12kit.models.remittance import ProviderAdjustment
from x12kit.models.tree import Loop


def _same(a, b) -> bool:
    return a is b or a == b


def _around(model, loop_id: str) -> Optional[Loop]:
    return next((loop for loop in getattr(model, "context", ()) if loop.id == loop_id), None)


class ClaimSetWriter:
    """One 837 set: its header, then per billing provider (2000A) and subscriber (2000B)
    the HL levels and claims. A subscriber's claims are held until the next subscriber, to
    know whether its HL has patients below it (HL04)."""

    transaction = "837"

    def __init__(self, generator, first: Claim, schema) -> None:
        self.g = generator
        self.tables = ClaimTables(schema, generator.problems)
        root = schema.root
        detail = child_loop(root, "DETAIL")
        self.defs = {"HEADER": child_loop(root, "HEADER"),
                     "2000A": child_loop(detail, "2000A")}
        self.defs["2000B"] = child_loop(self.defs["2000A"], "2000B")
        self.defs["2000C"] = child_loop(self.defs["2000B"], "2000C")
        self.defs["2300B"] = child_loop(self.defs["2000B"], "2300")
        self.defs["2300C"] = child_loop(self.defs["2000C"], "2300")
        self.billing_key = None
        self.billing_hl = ""
        self.as_read = ClaimsAsRead()
        self.held: list[tuple[Claim, str, bool]] = []  # (claim, place, left as read)

    @staticmethod
    def set_key(claim: Claim) -> tuple:
        header = _around(claim, "ST_LOOP")
        return ("837", claim.implementation, claim.submitter, claim.receiver,
                claim.transaction_reference, claim.transaction_date,
                header.loop("HEADER") if header is not None else None)

    def start(self, first: Claim, place: str) -> None:
        header = _around(first, "ST_LOOP")
        with self.g.tagged(place):
            self.g.emit(self.tables.header(first, header.loop("HEADER") if header else None,
                                           self.g.when, self.g.st_number),
                        self.defs["HEADER"])

    def add(self, claim: Claim, place: str) -> None:
        billing_raw = _around(claim, "2000A")
        key = (claim.billing_provider, claim.pay_to_provider, billing_raw)
        as_read = self.as_read.unchanged(claim)
        if self.billing_key is None or not all(map(_same, key, self.billing_key)):
            self._flush()
            self.billing_key = key
            with self.g.tagged(place):
                self.billing_hl = self._level(
                    as_read, lambda: self.tables.billing(claim, billing_raw), billing_raw,
                    "2000A", "", ("20", "1"))
        elif self.held and not self._same_subscriber(self.held[-1][0], claim):
            self._flush()
        self.held.append((claim, place, as_read))

    def _level(self, as_read: bool, node_of, raw: Optional[Loop], loop_id: str,
               hl_parent: str, level: Optional[tuple[str, str]] = None) -> str:
        """Write a loop of the set: from ``raw`` where its claim is left as read, else
        the node ``node_of()`` makes. ``level``: HL03 and HL04 of an HL level."""
        definition = self.defs[loop_id]
        if as_read and raw is not None:
            return self.g.emit_as_read(node_of, raw, definition, hl_parent, level)
        return self.g.emit(node_of(), definition, hl_parent)

    def close(self) -> None:
        self._flush()

    @staticmethod
    def _same_subscriber(a: Claim, b: Claim) -> bool:
        return _same(a.subscriber, b.subscriber) and _same(_around(a, "2000B"),
                                                          _around(b, "2000B"))

    def _flush(self) -> None:
        """Write the held subscriber: 2000B, its own claims, then each patient's 2000C."""
        if not self.held:
            return
        first, place, as_read = self.held[0]
        g = self.g
        raw = _around(first, "2000B")
        has_patients = any(c.patient for c, _, _ in self.held)
        with g.tagged(place):
            subscriber_hl = self._level(
                as_read, lambda: self.tables.subscriber(first, raw, has_patients), raw,
                "2000B", self.billing_hl, ("22", "1" if has_patients else "0"))
        for claim, place, as_read in self.held:
            if claim.patient is None:
                with g.tagged(place):
                    self._claim(claim, as_read, "2300B", subscriber_hl)
        patient_key, patient_hl = None, ""
        for claim, place, as_read in self.held:
            if claim.patient is None:
                continue
            with g.tagged(place):
                key = (claim.patient, _around(claim, "2000C"))
                if patient_key is None or not all(map(_same, key, patient_key)):
                    patient_key = key
                    patient_hl = self._level(
                        as_read, lambda: self.tables.patient(claim, key[1]), key[1],
                        "2000C", subscriber_hl, ("23", "0"))
                self._claim(claim, as_read, "2300C", patient_hl)
        self.held = []

    def _claim(self, claim: Claim, as_read: bool, loop_id: str, hl_parent: str) -> None:
        check_balance(claim, self.g.problems)
        self._level(as_read, lambda: self.tables.claim(claim), claim.loop, loop_id, hl_parent)


class RemittanceSetWriter:
    """One 835 set: the payment header, claim payments in their 2000 groups, then the
    provider adjustments (PLB), held until the set ends."""

    transaction = "835"
    implementation = "005010X221A1"

    def __init__(self, generator, first, schema) -> None:
        self.g = generator
        root = schema.root
        self.defs = {"HEADER": child_loop(root, "HEADER"),
                     "2000": child_loop(child_loop(root, "DETAIL"), "2000"),
                     "FOOTER": child_loop(root, "FOOTER")}
        self.defs["2100"] = child_loop(self.defs["2000"], "2100")
        self.group_raw: object = self  # no group yet (None is a group without a raw loop)
        self.groups = 0
        self.adjustments: list[tuple[ProviderAdjustment, str]] = []

    @classmethod
    def set_key(cls, model) -> tuple:
        return ("835", cls.implementation, model.payment)

    def start(self, first, place: str) -> None:
        with self.g.tagged(place):
            self.g.emit(remittance.header(first.payment), self.defs["HEADER"])

    def add(self, model, place: str) -> None:
        if isinstance(model, ProviderAdjustment):
            self.adjustments.append((model, place))
            return
        raw = _around(model, "2000")
        with self.g.tagged(place):
            if self.groups == 0 or not _same(raw, self.group_raw):
                self.group_raw, self.groups = raw, self.groups + 1
                self.g.emit(remittance.claim_group(raw), self.defs["2000"], number=self.groups)
            if payment_unchanged(model):
                self.g.emit_as_read(lambda: remittance.claim_payment(model), model.loop,
                                    self.defs["2100"])
            else:
                self.g.emit(remittance.claim_payment(model), self.defs["2100"])

    def close(self) -> None:
        if self.adjustments:
            with self.g.tagged(self.adjustments[0][1]):
                self.g.emit(remittance.adjustments_footer(self.adjustments),
                            self.defs["FOOTER"])
