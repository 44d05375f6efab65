"""SNIP 4 rules of the HL hierarchy.

* ``ChildCodes`` (every transaction with HL levels: 837, 270/271, 276/277, 277CA): HL04 says
  whether subordinate HL segments follow (1) or not (0). Levels come depth first, so a level
  has children exactly when the next HL names it in HL02. A 271 echoes its 270's levels, and
  answers a request it rejects at the source or receiver level (AAA) without the levels below:
  the X279A1 guide's own examples (3.1.3, 3.2.2) keep HL04 1 there, so in a 271 only an HL04
  0 with a child is a fault (``echoes_request``).
* ``PatientLevel`` (837): the 2000C patient level is used only when the patient is not the
  subscriber. X222A1/X223A2/X224A2: SBR02 (18, self) is "required when the subscriber is the
  same person as the patient", and 2000C is "required when the patient is a different person
  than the subscriber"; so a 2000C under a subscriber with SBR02 18 should not be there (IK304
  I9 at that HL), and a subscriber without SBR02 must have a 2000C (else SBR02 is missing,
  IK403 I9, judged as its 2000B loop ends).
"""
from __future__ import annotations

from typing import Optional

from x12kit.validate.rules.common import NOTHING, SegmentRule, element, finding
from x12kit.walk.walker import Placed

SNIP = 4
_NOT_USED_SEGMENT = "I9"   # IK304: implementation dependent "not used" segment present
_MISSING_ELEMENT = "I9"    # IK403: implementation dependent data element missing
_RELATION = "I12"          # IK403: a value the guide's relational rules do not allow


class ChildCodes(SegmentRule):
    snip = SNIP
    ON = {"HL": "_hl"}

    def __init__(self, echoes_request: bool = False) -> None:
        super().__init__()
        self._open: Optional[Placed] = None   # the previous HL, waiting to learn its children
        self._echoes_request = echoes_request  # a 271: HL04 1 without children is allowed

    def _hl(self, placed: Placed) -> Optional[list]:
        els = placed.segment.elements
        found = self._judge(els[2] if len(els) > 2 else "") if self._open is not None else None
        self._open = placed
        return found

    def _judge(self, next_parent: str) -> Optional[list]:
        if self._open is None:
            return None
        els = self._open.segment.elements
        code, has_children = element(els, 4), next_parent != "" and next_parent == element(els, 1)
        if code == "1" and not has_children and not self._echoes_request:
            message = "HL04 says subordinate levels follow, but none does"
        elif code == "0" and has_children:
            message = "HL04 says no subordinate level follows, but the next HL is its child"
        else:
            return None
        return [finding(self._open, "hl-child-code-mismatch", message, SNIP, _RELATION, "HL04",
                        code)]

    def finish(self):
        return self._judge("") or NOTHING


class PatientLevel(SegmentRule):
    snip = SNIP
    ON = {"HL": "_hl", "SBR": "_sbr"}
    CLOSES = {"2000B": "_close"}

    def __init__(self) -> None:
        super().__init__()
        self._subscriber = ""                  # HL01 of the open 2000B
        self._sbr: Optional[Placed] = None     # its SBR
        self._patients = 0                     # 2000C levels under it

    def _hl(self, placed: Placed) -> Optional[list]:
        els = placed.segment.elements
        level = els[3] if len(els) > 3 else ""
        if level == "23":
            return self._patient(placed, element(els, 2))
        if level == "22":
            self._subscriber = element(els, 1)
        return None

    def _sbr(self, placed: Placed) -> None:
        if placed.loop_id == "2000B":
            self._sbr = placed

    def _patient(self, placed: Placed, parent: str) -> Optional[list]:
        if not self._subscriber or parent != self._subscriber:
            return None
        self._patients += 1
        if self._sbr is None or element(self._sbr.segment.elements, 2) != "18":
            return None
        return [finding(placed, "patient-level-not-used", "patient level 2000C present although "
                        "SBR02 says the subscriber is the patient", SNIP, _NOT_USED_SEGMENT)]

    def _close(self) -> Optional[list]:
        sbr, patients = self._sbr, self._patients
        self._subscriber, self._sbr, self._patients = "", None, 0
        if sbr is None or patients or element(sbr.segment.elements, 2):
            return None
        return [finding(sbr, "subscriber-relationship-missing", "SBR02 is required: no patient "
                        "level 2000C follows, so the subscriber is the patient", SNIP,
                        _MISSING_ELEMENT, "SBR02")]
