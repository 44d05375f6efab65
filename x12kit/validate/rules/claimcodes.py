"""SNIP 5 external code sets of the 837 claims (on top of NPIs and addresses, ``codesets``).

* ICD-10-CM diagnoses in HI composites qualified ABK (principal), ABF (other), ABJ
  (admitting), ABN (external cause) and APR (patient's reason for visit): the code exists in
  the ICD-10-CM release x12kit carries and is billable; it is written without the decimal
  point (the guides' HI note: the decimal is implied). ICD-9 qualifiers (BK, BF, ...) and
  ICD-10-PCS procedures (BBR, BBQ) are not checked here.
* Procedure codes of the qualifier's shape: SV101-2 (HC), SV202-2 (HC), SV301-2 (AD), and the
  2410 drug LIN03 (N4, an 11-digit NDC).
* Place of service: CLM05-1 when CLM05-2 is B (837P, 837D), SV105 (837P), SV303 (837D).
* Auto accident state or province CLM11-4, by the country CLM11-5 (as N402 by N404).
* CARC in 2320/2430 CAS and RARC in 2320 MOA/MIA exist. Deactivation is not judged: an 837 to
  a later payer repeats an earlier payer's adjudication, which may predate the deactivation.
"""
from __future__ import annotations

from typing import Optional

from x12kit.codes import icd10cm
from x12kit.diagnostics import Diagnostic
from x12kit.validate.rules import codelists
from x12kit.validate.rules.codesets import (
    FINE_LIMIT, PATTERN, CodeSetRule, code_finding, ndc_ok, procedure_finding, ref_of,
    region_findings, remark_findings, remember, schema_rejects, status_finding,
)
from x12kit.validate.rules.common import element, part
from x12kit.walk.walker import Placed

ICD10CM_QUALIFIERS = frozenset(("ABK", "ABF", "ABJ", "ABN", "APR"))
MOA_REMARKS = (3, 4, 5, 6, 7)
MIA_REMARKS = (5, 20, 21, 22, 23)
_PROCEDURE_AT = {"SV1": 1, "SV2": 2, "SV3": 1}
_POS_AT = {"SV1": 5, "SV3": 3}


class ClaimCodes(CodeSetRule):
    ON = {**CodeSetRule.ON, "HI": "_hi", "CLM": "_clm", "SV1": "_line", "SV2": "_line",
          "SV3": "_line", "LIN": "_lin", "CAS": "_cas", "MOA": "_moa", "MIA": "_mia"}

    def __init__(self) -> None:
        super().__init__()
        self._pos: Optional[frozenset] = None   # place of service codes, read on first use
        # HI composites of this set found fine (as _fine_procedures): an ICD-10-CM code
        # that is billable, or a qualifier this rule does not check
        self._fine_diagnoses: set[str] = set()

    # HI, CLM and the service lines come once per claim or line: their usual case (codes
    # that are fine) is answered with the components split once and no helper calls
    def _hi(self, placed: Placed) -> Optional[list]:
        seg = placed.segment
        comp = seg.delimiters.component
        fine = self._fine_diagnoses
        table = None  # read on the first ICD-10-CM code
        found = None
        for n in range(1, len(seg.elements)):
            composite = seg.elements[n]
            if composite in fine:
                continue
            qualifier, _, rest = composite.partition(comp)
            code = rest.partition(comp)[0]
            if qualifier not in ICD10CM_QUALIFIERS or not code:
                remember(fine, composite, FINE_LIMIT)
                continue
            if table is None:
                table = icd10cm.table()
                if table is None:  # no ICD-10-CM release installed: nothing to check
                    return None
            if table.status(code) == icd10cm.BILLABLE:
                remember(fine, composite, FINE_LIMIT)
                continue
            found = found or []
            found.append(_diagnosis_finding(placed, table, n, code))
        return found

    def _clm(self, placed: Placed) -> Optional[list]:
        els = placed.segment.elements
        comp = placed.segment.delimiters.component
        found = None
        if len(els) > 11:  # CLM11-4 auto accident state, by CLM11-5 country
            accident = els[11].split(comp)
            found = region_findings(placed, 11, 4, part(accident, 4), part(accident, 5))
        if len(els) > 5:  # CLM05-1 place of service, when CLM05-2 is B
            facility = els[5].split(comp)
            if len(facility) > 1 and facility[1] == "B":
                pos = self._place_of_service(placed, 5, 1, facility[0])
                if pos:
                    found = (found or []) + pos
        return found

    def _line(self, placed: Placed) -> Optional[list]:
        els = placed.segment.elements
        n = _PROCEDURE_AT[els[0]]
        found = None
        if n < len(els) and els[n] not in self._fine_procedures:
            procedure = procedure_finding(placed, n, self._fine_procedures)
            if procedure is not None:
                found = [procedure]
        n = _POS_AT.get(els[0])
        if n is None or n >= len(els) or not els[n]:
            return found
        codes = self._pos
        if codes is None:
            codes = self._pos = codelists.place_of_service()
        if els[n] not in codes:  # the usual code is listed: no further call
            pos = self._place_of_service(placed, n, 0, els[n])
            if pos:
                found = (found or []) + pos
        return found

    def _lin(self, placed: Placed) -> Optional[list]:
        els = placed.segment.elements
        code = element(els, 3)
        if element(els, 2) != "N4" or not code or ndc_ok(code) \
                or schema_rejects(placed, 3, 0, code):
            return None
        return [code_finding(placed, "procedure-code-format", "LIN03 is not an 11-digit NDC",
                             3, 0, code, PATTERN)]

    def _cas(self, placed: Placed) -> Optional[list]:
        carc = codelists.carc()
        els = placed.segment.elements
        found = []
        for n in range(2, min(len(els), 18), 3):  # CAS02, 05, 08, 11, 14, 17
            code = els[n]
            if code and code not in carc and not schema_rejects(placed, n, 0, code):
                found.append(status_finding(placed, "carc", "claim adjustment reason code",
                                             carc.status(code), n, code))
        return found

    def _moa(self, placed: Placed) -> Optional[list]:
        return remark_findings(placed, MOA_REMARKS)

    def _mia(self, placed: Placed) -> Optional[list]:
        return remark_findings(placed, MIA_REMARKS)

    def _place_of_service(self, placed: Placed, n: int, c: int, value: str) -> list:
        codes = self._pos
        if codes is None:
            codes = self._pos = codelists.place_of_service()
        if not value or value in codes or schema_rejects(placed, n, c, value):
            return []
        return [code_finding(placed, "place-of-service-unknown", f"{ref_of(placed, n, c)} is "
                             "not a place of service code", n, c, value)]


def _diagnosis_finding(placed: Placed, table: icd10cm.CodeTable, n: int,
                       code: str) -> Diagnostic:
    """The finding on a diagnosis code ``table`` does not hold as billable."""
    ref = ref_of(placed, n, 2)
    if "." in code:
        return code_finding(placed, "icd10cm-decimal-point", f"{ref} carries a decimal point "
                            "(ICD codes are sent without it)", n, 2, code, PATTERN)
    if table.status(code) == icd10cm.HEADER:
        return code_finding(placed, "icd10cm-not-billable", f"{ref} is an ICD-10-CM header "
                            "code, not a billable code", n, 2, code)
    return code_finding(placed, "icd10cm-unknown", f"{ref} is not an ICD-10-CM code (release "
                        f"{table.release})", n, 2, code)
