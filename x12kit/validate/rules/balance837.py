"""SNIP 3 balancing of 837 claims (professional, institutional, dental).

1. CLM02 = the sum of the claim's line charges (SV102, SV203, SV302): the CLM02 notes of
   X222A1, X223A2 and X224A2; X12 RFI 1294 names it the first of two balancing calculations.
2. Coordination of benefits (TR3 section 1.4.4.1 as quoted and answered in X12 RFI 1294), for
   each other payer (2320) that reports its paid amount (AMT*D):
   CLM02 = AMT02 + that payer's claim adjustments (2320 CAS) + its line adjustments (2430 CAS
   under the SVD that names it); and, when 2430 lines report that payer,
   AMT02 = the sum of its SVD02 - its 2320 CAS.
   SVD01 names a payer by the NM109 of its 2330B. When an SVD01 matches no payer, or two
   payers share an identifier, the amounts cannot be attributed: the COB checks of that claim
   are skipped rather than guessed.

Findings sit on the total that fails to equal its parts (CLM02, AMT02), with IK403 code I12:
the 999 has no code for an unbalanced amount, and I12 (implementation pattern match failure)
is what payers' 999s use for a value an implementation rule rejects.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from x12kit.validate.rules.common import (
    NOTHING, ZERO, SegmentRule, adjustments, amount, element, finding,
)
from x12kit.walk.walker import Placed

SNIP = 3
ACK = "I12"
LINE_CHARGE = {"837P": ("SV1", 2), "837I": ("SV2", 3), "837D": ("SV3", 2)}
_LINE_TOTAL = "claim-charge-unbalanced"
_COB_TOTAL = "cob-claim-unbalanced"
_COB_PAID = "cob-payer-paid-unbalanced"


class _Payer:
    """One 2320 other payer of the open claim."""

    __slots__ = ("ident", "paid", "amt", "cas")

    def __init__(self) -> None:
        self.ident = ""
        self.paid: Optional[Decimal] = None
        self.amt: Optional[Placed] = None   # the AMT*D segment, where findings go
        self.cas: Optional[Decimal] = ZERO


class _Claim:
    __slots__ = ("clm", "total", "lines", "payers", "svd_paid", "line_cas", "svd_payer")

    def __init__(self, clm: Placed):
        els = clm.segment.elements
        self.clm = clm
        self.total = amount(els[2]) if len(els) > 2 else None
        self.lines: Optional[Decimal] = ZERO
        self.payers: list[_Payer] = []
        self.svd_paid: dict[str, Optional[Decimal]] = {}
        self.line_cas: dict[str, Optional[Decimal]] = {}
        self.svd_payer = ""


def _add(total: Optional[Decimal], part: Optional[Decimal]) -> Optional[Decimal]:
    return None if total is None or part is None else total + part


class ClaimBalance(SegmentRule):
    """Balances each claim as its 2300 loop ends. A CLM the walker could not place opens no
    loop, so no loop end closes the claim it begins: the next claim or the set's end does."""

    snip = SNIP
    ON = {"CLM": "_clm", "SBR": "_sbr", "AMT": "_amt", "NM1": "_nm1", "CAS": "_cas",
          "SVD": "_svd"}
    CLOSES = {"2300": "_close"}

    def __init__(self, transaction: str):
        super().__init__()
        self._line_id, self._charge_at = LINE_CHARGE[transaction]
        self._handlers[self._line_id] = self._line
        self._claim: Optional[_Claim] = None

    def _clm(self, placed: Placed) -> Optional[list]:
        found = self._close() if self._claim is not None else None  # one no loop held
        self._claim = _Claim(placed)
        return found

    def _line(self, placed: Placed) -> None:
        claim = self._claim
        if claim is not None and placed.loop_id == "2400":
            els, at = placed.segment.elements, self._charge_at
            charge = amount(els[at]) if at < len(els) else None
            # _add inlined: every service line comes here
            claim.lines = None if claim.lines is None or charge is None else claim.lines + charge

    def _sbr(self, placed: Placed) -> None:
        if self._claim is not None and placed.loop_id == "2320":
            self._claim.payers.append(_Payer())

    def _amt(self, placed: Placed) -> None:
        if placed.loop_id != "2320":  # the usual case, answered without a call
            return
        els = placed.segment.elements
        payer = self._payer(placed, "2320")
        if payer is not None and element(els, 1) == "D":
            payer.paid, payer.amt = amount(element(els, 2)), placed

    def _nm1(self, placed: Placed) -> None:
        if placed.loop_id != "2330B":  # the usual case, answered without a call
            return
        payer = self._payer(placed, "2330B")
        if payer is not None and element(placed.segment.elements, 1) == "PR":
            payer.ident = element(placed.segment.elements, 9)

    def _cas(self, placed: Placed) -> None:
        claim = self._claim
        if claim is None:
            return
        if placed.loop_id == "2320" and claim.payers:
            claim.payers[-1].cas = _add(claim.payers[-1].cas, adjustments(placed.segment.elements))
        elif placed.loop_id == "2430":
            ident = claim.svd_payer
            claim.line_cas[ident] = _add(claim.line_cas.get(ident, ZERO),
                                         adjustments(placed.segment.elements))

    def _svd(self, placed: Placed) -> None:
        claim = self._claim
        if claim is not None and placed.loop_id == "2430":
            els = placed.segment.elements
            claim.svd_payer = ident = element(els, 1)
            claim.svd_paid[ident] = _add(claim.svd_paid.get(ident, ZERO),
                                         amount(element(els, 2)))

    def _payer(self, placed: Placed, loop_id: str) -> Optional[_Payer]:
        claim = self._claim
        if claim is None or placed.loop_id != loop_id or not claim.payers:
            return None
        return claim.payers[-1]

    def _close(self) -> Optional[list]:
        claim, self._claim = self._claim, None
        if claim is None or claim.total is None:
            return None
        found = []
        if claim.lines is not None and claim.lines != claim.total:
            found.append(finding(
                claim.clm, _LINE_TOTAL, f"CLM02 does not equal the sum of the claim's "
                f"{self._line_id}0{self._charge_at} line charges", SNIP, ACK, "CLM02",
                element(claim.clm.segment.elements, 2)))
        if claim.payers:  # without other payers there is no COB balance to judge
            found.extend(_cob(claim))
        return found

    def finish(self):
        return self._close() or NOTHING  # a claim no loop held (see the class)


def _cob(claim: _Claim) -> list:
    """The COB balances of each paying 2320 payer, when every 2430 names exactly one."""
    idents = [p.ident for p in claim.payers]
    if any(idents.count(i) != 1 for i in claim.svd_paid) or len(set(idents)) < len(idents):
        return []
    found = []
    for payer in claim.payers:
        if payer.paid is None or payer.cas is None:
            continue
        line_cas = claim.line_cas.get(payer.ident, ZERO)
        if line_cas is not None and payer.paid + payer.cas + line_cas != claim.total:
            found.append(finding(
                payer.amt, _COB_TOTAL, "2320 payer paid amount plus that payer's claim and line "
                "adjustments does not equal CLM02", SNIP, ACK, "AMT02",
                element(payer.amt.segment.elements, 2)))
        paid_lines = claim.svd_paid.get(payer.ident)
        if paid_lines is not None and payer.paid != paid_lines - payer.cas:
            found.append(finding(
                payer.amt, _COB_PAID, "2320 payer paid amount does not equal the sum of that "
                "payer's 2430 SVD02 less its 2320 adjustments", SNIP, ACK, "AMT02",
                element(payer.amt.segment.elements, 2)))
    return found
