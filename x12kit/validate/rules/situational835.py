"""SNIP 4 situational rules of the 835.

* ``PaymentMethod``, from the BPR code notes as X12 RFI 2228 (005010X221) reads them: BPR01 H
  (notification only) is for a zero payment (BPR02 = 0); BPR04 NON is used when, and only
  when, BPR01 is H; a zero BPR02 that is not a prenotification (BPR01 P) must be H.
* ``Reversals``: X221A1 section 1.10.2.8 reverses a payment with CLP02 22 where "all original
  charge, payment, and adjustment amounts are negated" (X12 RFI 1733), claim and service lines
  alike: a reversal's CLP03/CLP04 and SVC02/SVC03 cannot be positive.
* ``SubmittedProcedure``: SVC06 is "required when the adjudicated procedure code provided in
  SVC01 is different from the submitted procedure code from the original claim" (X12 RFI
  1000; modifiers count); an SVC06 identical to SVC01 says nothing and should not be sent
  (a warning, IK403 I13).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from x12kit.validate.rules.common import WARNING, SegmentRule, amount, element, finding
from x12kit.walk.walker import Placed

SNIP = 4
_RELATION = "I12"
_NOT_USED_ELEMENT = "I13"   # IK403: implementation dependent "not used" data element present
ZERO = Decimal(0)


class PaymentMethod(SegmentRule):
    snip = SNIP
    ON = {"BPR": "_bpr"}

    @staticmethod
    def _bpr(placed: Placed) -> list:
        els = placed.segment.elements
        handling, method = element(els, 1), element(els, 4)
        paid = amount(element(els, 2))
        found = []
        if handling == "H" and paid is not None and paid != ZERO:
            found.append(finding(placed, "notification-with-payment", "BPR01 H (notification "
                                 "only) is for a zero BPR02", SNIP, _RELATION, "BPR02",
                                 element(els, 2)))
        if paid == ZERO and handling not in ("H", "P"):
            found.append(finding(placed, "zero-payment-handling", "a zero BPR02 needs BPR01 H "
                                 "(or P for a prenotification)", SNIP, _RELATION, "BPR01",
                                 handling))
        if method and (handling == "H") != (method == "NON"):
            found.append(finding(placed, "non-payment-method", "BPR04 NON goes with BPR01 H, "
                                 "and BPR01 H with BPR04 NON", SNIP, _RELATION, "BPR04", method))
        return found


class Reversals(SegmentRule):
    snip = SNIP
    ON = {"CLP": "_clp", "SVC": "_svc"}

    def __init__(self) -> None:
        super().__init__()
        self._reversal = False

    def _clp(self, placed: Placed) -> Optional[list]:
        self._reversal = element(placed.segment.elements, 2) == "22"
        return self._positive(placed, (3, 4)) if self._reversal else None

    def _svc(self, placed: Placed) -> Optional[list]:
        return self._positive(placed, (2, 3)) if self._reversal else None

    @staticmethod
    def _positive(placed: Placed, positions: tuple) -> list:
        """The amounts at ``positions`` of a reversal's segment that are positive."""
        els = placed.segment.elements
        found = []
        for n in positions:
            value = amount(element(els, n))
            if value is not None and value > ZERO:
                ref = f"{els[0]}{n:02d}"
                found.append(finding(placed, "reversal-amount-positive", f"{ref} of a reversal "
                                     "(CLP02 22) must negate the original amount", SNIP,
                                     _RELATION, ref, els[n]))
        return found


class SubmittedProcedure(SegmentRule):
    snip = SNIP
    ON = {"SVC": "_svc"}

    @staticmethod
    def _svc(placed: Placed) -> Optional[list]:
        els = placed.segment.elements
        if len(els) <= 6 or not els[6]:  # the usual case: no SVC06
            return None
        submitted = els[6]
        comp = placed.segment.delimiters.component
        if submitted.rstrip(comp) != els[1].rstrip(comp):
            return None
        return [finding(placed, "submitted-procedure-unchanged", "SVC06 repeats SVC01; it is "
                        "sent only when the adjudicated procedure differs", SNIP,
                        _NOT_USED_ELEMENT, "SVC06", submitted, severity=WARNING)]
