"""SNIP 4 situational rules of the 837 claim (2300 and 2400).

* ``ReplacedClaimReference``: 2300 REF*F8 (payer claim control number) is "required when
  CLM05-3 (claim frequency type code) indicates this claim is a replacement or void to a
  previously adjudicated claim" (X222A1, X223A2, X224A2): frequency 7 or 8. Reported as the
  missing REF (IK304 I6) at the position of the CLM that requires it.
* ``DiagnosisPointers`` (837P SV107, 837D SV311): each of the up to four pointers names a
  diagnosis of the claim's 2300 HI by its position (1 to 12, the first the primary one); a
  pointer of 0 or beyond the diagnoses present points at nothing (IK403 I12).
"""
from __future__ import annotations

from typing import Optional

from x12kit.validate.rules.common import NOTHING, SegmentRule, element, finding, part, parts
from x12kit.validate.walker import Placed

SNIP = 4
REPLACEMENT_FREQUENCIES = frozenset(("7", "8"))
DIAGNOSIS_QUALIFIERS = frozenset(("ABK", "ABF", "BK", "BF"))
POINTERS = {"837P": ("SV1", 7), "837D": ("SV3", 11)}


class ReplacedClaimReference(SegmentRule):
    snip = SNIP
    ON = {"CLM": "_clm", "REF": "_ref", "HL": "_close"}

    def __init__(self) -> None:
        super().__init__()
        self._clm: Optional[Placed] = None   # an open replacement/void claim without REF*F8

    def _clm(self, placed: Placed) -> Optional[list]:
        found = self._close()
        if part(parts(placed, 5), 3) in REPLACEMENT_FREQUENCIES:
            self._clm = placed
        return found

    def _ref(self, placed: Placed) -> None:
        if placed.loop_id == "2300" and element(placed.segment.elements, 1) == "F8":
            self._clm = None

    def _close(self, placed: Optional[Placed] = None) -> Optional[list]:
        clm, self._clm = self._clm, None
        if clm is None:
            return None
        return [finding(clm, "payer-claim-number-missing", "REF*F8 (payer claim control "
                        "number) is required when CLM05-3 is 7 (replacement) or 8 (void)",
                        SNIP, "I6", segment_id="REF", loop_id="2300")]

    def finish(self):
        return self._close() or NOTHING


class DiagnosisPointers(SegmentRule):
    snip = SNIP
    ON = {"CLM": "_clm", "HI": "_hi"}

    def __init__(self, transaction: str):
        super().__init__()
        line_id, self._at = POINTERS[transaction]
        self._handlers[line_id] = self._line
        self._diagnoses = 0

    def _clm(self, placed: Placed) -> None:
        self._diagnoses = 0

    def _hi(self, placed: Placed) -> None:
        if placed.loop_id == "2300":
            els, comp = placed.segment.elements, placed.segment.delimiters.component
            self._diagnoses += sum(els[n].split(comp, 1)[0] in DIAGNOSIS_QUALIFIERS
                                   for n in range(1, len(els)))

    def _line(self, placed: Placed) -> Optional[list]:
        n = self._at
        if placed.loop_id != "2400" or not element(placed.segment.elements, n):
            return None
        found = []
        for c, pointer in enumerate(parts(placed, n)[:4], 1):
            if pointer.isdigit() and not 0 < int(pointer) <= self._diagnoses:
                ref = f"{placed.segment.elements[0]}{n:02d}-{c}"
                found.append(finding(placed, "diagnosis-pointer-unresolved", f"{ref} points "
                                     "at no diagnosis in the claim's HI", SNIP, "I12", ref,
                                     pointer))
        return found
