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
    ZERO, SegmentRule, adjustments, amount, element, finding,
)
from x12kit.walk.walker import Placed

SNIP = 3
ACK = "I12"
PLB_AMOUNTS = (4, 6, 8, 10, 12, 14)


def _add(total: Optional[Decimal], part: Optional[Decimal]) -> Optional[Decimal]:
    return None if total is None or part is None else total + part


def _unbalanced(charge: Optional[Decimal], paid: Optional[Decimal],
                adjusted: Optional[Decimal]) -> bool:
    if charge is None or paid is None or adjusted is None:
        return False
    return charge - paid != adjusted


class RemittanceBalance(SegmentRule):
    """Balances each claim payment as its 2100 loop ends, each service line as its 2110 loop
    ends (where the next line opens, or with its claim), and the transaction at the set's
    end. A CLP the walker could not place (a set without its LX loop) opens no loop, so no
    loop end closes the claim it begins: the next claim or the set's end does. Every CLP,
    SVC and CAS of a remittance comes here, so the open claim and line are kept as plain
    attributes (segment, charge, paid amount, sum of adjustments), not objects."""

    snip = SNIP
    ON = {"BPR": "_bpr", "CLP": "_clp", "SVC": "_svc", "CAS": "_cas", "PLB": "_plb"}
    CLOSES = {"2100": "_close_claim"}

    def __init__(self) -> None:
        super().__init__()
        self._bpr: Optional[Placed] = None
        self._paid: Optional[Decimal] = ZERO   # sum of CLP04
        self._plb: Optional[Decimal] = ZERO    # sum of PLB amounts
        self._claim: Optional[Placed] = None   # the open CLP
        self._claim_charge = self._claim_paid = self._claim_adjusted = None
        self._line: Optional[Placed] = None    # the open SVC
        self._line_charge = self._line_paid = self._line_adjusted = None

    def _bpr(self, placed: Placed) -> None:
        self._bpr = placed

    def _clp(self, placed: Placed) -> Optional[list]:
        found = self._close_claim() if self._claim is not None else None  # one no loop held
        els = placed.segment.elements
        self._claim = placed
        self._claim_charge = amount(els[3]) if len(els) > 3 else None
        self._claim_paid = paid = amount(els[4]) if len(els) > 4 else None
        self._claim_adjusted = ZERO
        self._paid = _add(self._paid, paid)
        return found

    def _svc(self, placed: Placed) -> Optional[list]:
        # a line ends where the next opens (this SVC opened a 2110: the walk's ``entered``)
        # or with its claim (``_close_claim``); read here, not through a loop-end listener,
        # which every line of an 835 would call once more
        found = self._close_line() if self._line is not None and placed.entered else None
        if self._claim is not None and placed.loop_id == "2110":
            els = placed.segment.elements
            self._line = placed
            self._line_charge = amount(els[2]) if len(els) > 2 else None
            self._line_paid = amount(els[3]) if len(els) > 3 else None
            self._line_adjusted = ZERO
        return found

    def _cas(self, placed: Placed) -> None:
        if self._claim is None:
            return
        value = adjustments(placed.segment.elements)
        # _add inlined: every CAS comes here
        total = self._claim_adjusted
        self._claim_adjusted = None if total is None or value is None else total + value
        if self._line is not None and placed.loop_id == "2110":
            total = self._line_adjusted
            self._line_adjusted = None if total is None or value is None else total + value

    def _plb(self, placed: Placed) -> None:
        els = placed.segment.elements
        for n in PLB_AMOUNTS:
            if element(els, n):
                self._plb = _add(self._plb, amount(els[n]))

    def _close_line(self) -> Optional[list]:
        line, self._line = self._line, None
        if line is None or not _unbalanced(self._line_charge, self._line_paid,
                                           self._line_adjusted):
            return None
        return [finding(line, "service-line-unbalanced", "SVC02 less SVC03 does not "
                        "equal the sum of the line's CAS adjustments", SNIP, ACK, "SVC03",
                        element(line.segment.elements, 3))]

    def _close_claim(self) -> Optional[list]:
        """The findings of the open line and claim, the line's first."""
        found = self._close_line() if self._line is not None else None
        claim, self._claim = self._claim, None
        if claim is not None and _unbalanced(self._claim_charge, self._claim_paid,
                                             self._claim_adjusted):
            found = found or []
            found.append(finding(claim, "claim-payment-unbalanced", "CLP03 less CLP04 "
                                 "does not equal the sum of the claim and line CAS adjustments",
                                 SNIP, ACK, "CLP04", element(claim.segment.elements, 4)))
        return found

    def finish(self):
        found = self._close_claim() or []  # a claim no loop held (see the class)
        bpr = self._bpr
        if bpr is None or self._paid is None or self._plb is None:
            return found
        total = amount(element(bpr.segment.elements, 2))
        if total is not None and total != self._paid - self._plb:
            found.append(finding(bpr, "transaction-payment-unbalanced", "BPR02 does not equal "
                                 "the sum of CLP04 less the sum of PLB adjustments", SNIP, ACK,
                                 "BPR02", element(bpr.segment.elements, 2)))
        return found
