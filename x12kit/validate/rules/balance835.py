"""SNIP 3 balancing of the 835 remittance (X221A1 section 1.10.2.1, Balancing).

* Service line (2110): SVC02 - SVC03 = the sum of the line's CAS amounts.
* Claim (2100): CLP03 - CLP04 = the sum of the claim's CAS amounts and of its lines' CAS.
* Transaction: BPR02 = the sum of CLP04 - the sum of the PLB amounts (PLB04, 06 ... 14);
  a positive PLB amount reduces the payment.

A reversal (CLP02 22) negates every original amount, so it balances by the same equations.
Amounts are exact Decimals; a balance with an unreadable amount is not judged (the element
checks report the amount). Findings sit on the total (SVC03, CLP04, BPR02) with IK403 I12,
as for the 837 (see ``balance837``).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from x12kit.validate.rules.common import (
    NOTHING, SegmentRule, adjustments, amount, element, finding,
)
from x12kit.validate.walker import Placed

SNIP = 3
ACK = "I12"
PLB_AMOUNTS = (4, 6, 8, 10, 12, 14)


def _add(total: Optional[Decimal], part: Optional[Decimal]) -> Optional[Decimal]:
    return None if total is None or part is None else total + part


class _Part:
    """An open claim (CLP) or service line (SVC): its charge, paid amount and adjustments."""

    __slots__ = ("placed", "charge", "paid", "adjusted")

    def __init__(self, placed: Placed, charge_at: int):
        els = placed.segment.elements
        self.placed = placed
        self.charge = amount(element(els, charge_at))
        self.paid = amount(element(els, charge_at + 1))
        self.adjusted: Optional[Decimal] = Decimal(0)

    def unbalanced(self) -> bool:
        if self.charge is None or self.paid is None or self.adjusted is None:
            return False
        return self.charge - self.paid != self.adjusted


class RemittanceBalance(SegmentRule):
    snip = SNIP
    ON = {"BPR": "_bpr", "CLP": "_clp", "SVC": "_svc", "CAS": "_cas", "LX": "_close",
          "PLB": "_plb"}

    def __init__(self) -> None:
        super().__init__()
        self._bpr: Optional[Placed] = None
        self._paid: Optional[Decimal] = Decimal(0)   # sum of CLP04
        self._plb: Optional[Decimal] = Decimal(0)    # sum of PLB amounts
        self._claim: Optional[_Part] = None
        self._line: Optional[_Part] = None

    def _bpr(self, placed: Placed) -> None:
        self._bpr = placed

    def _clp(self, placed: Placed) -> Optional[list]:
        found = self._close(placed)
        self._claim = _Part(placed, 3)
        self._paid = _add(self._paid, self._claim.paid)
        return found

    def _svc(self, placed: Placed) -> Optional[list]:
        found = self._close_line()
        if self._claim is not None and placed.loop_id == "2110":
            self._line = _Part(placed, 2)
        return found

    def _cas(self, placed: Placed) -> None:
        claim = self._claim
        if claim is None:
            return
        value = adjustments(placed.segment.elements)
        claim.adjusted = _add(claim.adjusted, value)
        if self._line is not None and placed.loop_id == "2110":
            self._line.adjusted = _add(self._line.adjusted, value)

    def _plb(self, placed: Placed) -> Optional[list]:
        els = placed.segment.elements
        for n in PLB_AMOUNTS:
            if element(els, n):
                self._plb = _add(self._plb, amount(els[n]))
        return self._close(placed)

    def _close_line(self) -> Optional[list]:
        line, self._line = self._line, None
        if line is None or not line.unbalanced():
            return None
        return [finding(line.placed, "service-line-unbalanced", "SVC02 less SVC03 does not "
                        "equal the sum of the line's CAS adjustments", SNIP, ACK, "SVC03",
                        element(line.placed.segment.elements, 3))]

    def _close(self, placed: Optional[Placed] = None) -> Optional[list]:
        found = self._close_line() or []
        claim, self._claim = self._claim, None
        if claim is not None and claim.unbalanced():
            found.append(finding(claim.placed, "claim-payment-unbalanced", "CLP03 less CLP04 "
                                 "does not equal the sum of the claim and line CAS adjustments",
                                 SNIP, ACK, "CLP04", element(claim.placed.segment.elements, 4)))
        return found

    def finish(self):
        found = self._close()
        bpr = self._bpr
        if bpr is None or self._paid is None or self._plb is None:
            return found or NOTHING
        total = amount(element(bpr.segment.elements, 2))
        if total is not None and total != self._paid - self._plb:
            found.append(finding(bpr, "transaction-payment-unbalanced", "BPR02 does not equal "
                                 "the sum of CLP04 less the sum of PLB adjustments", SNIP, ACK,
                                 "BPR02", element(bpr.segment.elements, 2)))
        return found
