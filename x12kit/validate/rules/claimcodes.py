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

from x12kit.diagnostics import Diagnostic
from x12kit.validate.rules import codelists, icd10cm
from x12kit.validate.rules.codesets import (
    PATTERN, CodeSetRule, code_finding, ndc_ok, procedure_finding, ref_of, region_findings,
    remark_findings, schema_rejects, status_finding,
)
from x12kit.validate.rules.common import element, part, parts
from x12kit.validate.walker import Placed

ICD10CM_QUALIFIERS = frozenset(("ABK", "ABF", "ABJ", "ABN", "APR"))
MOA_REMARKS = (3, 4, 5, 6, 7)
MIA_REMARKS = (5, 20, 21, 22, 23)
_PROCEDURE_AT = {"SV1": 1, "SV2": 2, "SV3": 1}
_POS_AT = {"SV1": 5, "SV3": 3}


class ClaimCodes(CodeSetRule):
    ON = {**CodeSetRule.ON, "HI": "_hi", "CLM": "_clm", "SV1": "_line", "SV2": "_line",
          "SV3": "_line", "LIN": "_lin", "CAS": "_cas", "MOA": "_moa", "MIA": "_mia"}

    def _hi(self, placed: Placed) -> Optional[list]:
        seg = placed.segment
        comp = seg.delimiters.component
        found = []
        for n in range(1, len(seg.elements)):
            components = seg.elements[n].split(comp)
            if components[0] in ICD10CM_QUALIFIERS:
                diagnosis = _diagnosis_finding(placed, n, part(components, 2))
                if diagnosis is not None:
                    found.append(diagnosis)
        return found

    def _clm(self, placed: Placed) -> Optional[list]:
        facility, accident = parts(placed, 5), parts(placed, 11)
        found = region_findings(placed, 11, 4, part(accident, 4), part(accident, 5))
        if part(facility, 2) == "B":
            found += _place_of_service(placed, 5, 1, facility[0])
        return found

    def _line(self, placed: Placed) -> Optional[list]:
        els = placed.segment.elements
        procedure = procedure_finding(placed, _PROCEDURE_AT[els[0]])
        found = [procedure] if procedure is not None else []
        n = _POS_AT.get(els[0])
        if n is not None:
            found.extend(_place_of_service(placed, n, 0, element(els, n)))
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


def _diagnosis_finding(placed: Placed, n: int, code: str) -> Optional[Diagnostic]:
    table = icd10cm.table()
    if table is None or not code:
        return None
    status = table.status(code)
    if status == icd10cm.BILLABLE:
        return None
    ref = ref_of(placed, n, 2)
    if "." in code:
        return code_finding(placed, "icd10cm-decimal-point", f"{ref} carries a decimal point "
                            "(ICD codes are sent without it)", n, 2, code, PATTERN)
    if status == icd10cm.HEADER:
        return code_finding(placed, "icd10cm-not-billable", f"{ref} is an ICD-10-CM header "
                            "code, not a billable code", n, 2, code)
    return code_finding(placed, "icd10cm-unknown", f"{ref} is not an ICD-10-CM code (release "
                        f"{table.release})", n, 2, code)


def _place_of_service(placed: Placed, n: int, c: int, value: str) -> list:
    if not value or value in codelists.place_of_service() or schema_rejects(placed, n, c, value):
        return []
    return [code_finding(placed, "place-of-service-unknown", f"{ref_of(placed, n, c)} is not a "
                         "place of service code", n, c, value)]
