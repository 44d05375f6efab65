"""SNIP 4 situational rules of the 271 eligibility response.

``BenefitPercent``: X279A1 EB08 (percent) is "required when EB01=A. Do not use if EB01=B, C,
G, J or Y" (quoted in X12 RFI 1727): co-insurance is a percentage, co-payment, deductible,
out-of-pocket, cost containment and spend down are amounts.
"""
from __future__ import annotations

from typing import Optional

from x12kit.validate.rules.common import SegmentRule, element, finding
from x12kit.walk.walker import Placed

SNIP = 4
AMOUNT_BENEFITS = frozenset("BCGJY")


class BenefitPercent(SegmentRule):
    snip = SNIP
    ON = {"EB": "_eb"}

    @staticmethod
    def _eb(placed: Placed) -> Optional[list]:
        els = placed.segment.elements
        benefit, percent = element(els, 1), element(els, 8)
        if benefit == "A" and not percent:
            return [finding(placed, "coinsurance-percent-missing", "EB08 is required when EB01 "
                            "is A (co-insurance)", SNIP, "I9", "EB08")]
        if benefit in AMOUNT_BENEFITS and percent:
            return [finding(placed, "benefit-percent-not-used", "EB08 is not used when EB01 is "
                            "B, C, G, J or Y", SNIP, "I13", "EB08", percent)]
        return None
