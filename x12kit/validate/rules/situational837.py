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

from x12kit.validate.rules.common import NOTHING, SegmentRule, element, finding
from x12kit.walk.walker import Placed

SNIP = 4
REPLACEMENT_FREQUENCIES = frozenset(("7", "8"))
DIAGNOSIS_QUALIFIERS = frozenset(("ABK", "ABF", "BK", "BF"))
POINTERS = {"837P": ("SV1", 7), "837D": ("SV3", 11)}
MAX_POINTER = 12
# _RESOLVED[k]: the pointers "1" .. "k", each naming one of k (or more) diagnoses
_RESOLVED = tuple(frozenset(str(i) for i in range(1, k + 1)) for k in range(MAX_POINTER + 1))


class ReplacedClaimReference(SegmentRule):
    snip = SNIP
    ON = {"CLM": "_clm", "REF": "_ref"}
    CLOSES = {"2300": "_close"}

    def __init__(self) -> None:
        super().__init__()
        self._clm: Optional[Placed] = None   # an open replacement/void claim without REF*F8

    def _clm(self, placed: Placed) -> Optional[list]:
        # a claim still open here began at a CLM the walker could not place: no loop end
        # closed it (as in ``balance837.ClaimBalance``)
        found = self._close() if self._clm is not None else None
        els = placed.segment.elements
        if len(els) > 5:  # CLM05-3, the frequency
            facility = els[5].split(placed.segment.delimiters.component)
            if len(facility) > 2 and facility[2] in REPLACEMENT_FREQUENCIES:
                self._clm = placed
        return found

    def _ref(self, placed: Placed) -> None:
        # most REFs come while no replacement claim is open: nothing to look at
        if self._clm is not None and placed.loop_id == "2300" \
                and element(placed.segment.elements, 1) == "F8":
            self._clm = None

    def _close(self) -> Optional[list]:
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
        self._resolved = _RESOLVED[0]   # the pointers "1" .. "k" that surely resolve

    def _clm(self, placed: Placed) -> None:
        self._diagnoses = 0
        self._resolved = _RESOLVED[0]

    def _hi(self, placed: Placed) -> None:
        if placed.loop_id == "2300":
            comp = placed.segment.delimiters.component
            for value in placed.segment.elements[1:]:
                if value.partition(comp)[0] in DIAGNOSIS_QUALIFIERS:
                    self._diagnoses += 1
            self._resolved = _RESOLVED[min(self._diagnoses, MAX_POINTER)]

    def _line(self, placed: Placed) -> Optional[list]:
        n = self._at
        els = placed.segment.elements
        if n >= len(els) or not els[n] or placed.loop_id != "2400":
            return None
        # the usual pointers ("1", "2" ...) each name a diagnosis there is: a set lookup for
        # one pointer, one set operation for several
        if els[n] in self._resolved:
            return None
        pointers = els[n].split(placed.segment.delimiters.component)[:4]
        if self._resolved.issuperset(pointers):
            return None
        found = []
        for c, pointer in enumerate(pointers, 1):
            # ASCII digits only: int() refuses some characters isdigit() takes ("²"); the
            # element checks report a pointer that is not a number
            if pointer.isascii() and pointer.isdigit() \
                    and not 0 < int(pointer) <= self._diagnoses:
                ref = f"{els[0]}{n:02d}-{c}"
                found.append(finding(placed, "diagnosis-pointer-unresolved", f"{ref} points "
                                     "at no diagnosis in the claim's HI", SNIP, "I12", ref,
                                     pointer))
        return found
