"""SNIP 5 external code sets of the 835 (on top of NPIs and addresses, ``codesets``).

* CARC in CAS02/05/08/11/14/17 (2100, 2110): the code exists, and is not used after its stop
  date. X12's code-list rule: a deactivated code may not appear in an original business
  message dated after its stop date, but may in derivative ones such as a reversal (CLP02 22)
  of an earlier payment. The 835's date is BPR16, else the DTM*405 production date; a stop
  date we do not know ("?"), or an 835 without a date, gives a warning, not an error.
* RARC in LQ02 (LQ01 HE), MOA03-07 and MIA05, MIA20-23 exist.
* SVC01-2 has the shape of its qualifier (HC CPT/HCPCS, AD CDT, N4 NDC). SVC06, the procedure
  as submitted, is not checked: X12 RFI 2375 and 366 ask editors to relax its edits, since it
  echoes what the provider sent, valid or not.
"""
from __future__ import annotations

from typing import Optional

from x12kit.validate.rules import codelists
from x12kit.validate.rules.codesets import (
    CodeSetRule, code_finding, procedure_finding, ref_of, remark_findings, schema_rejects,
    status_finding,
)
from x12kit.validate.rules.common import ERROR, WARNING, element
from x12kit.walk.walker import Placed

MOA_REMARKS = (3, 4, 5, 6, 7)
MIA_REMARKS = (5, 20, 21, 22, 23)
UNKNOWN_STOP_AFTER = "20160307"  # "?" stop dates: deactivated after the 2016-03-07 list


def _date(value: str) -> str:
    return value if len(value) == 8 and value.isascii() and value.isdigit() else ""


class RemittanceCodes(CodeSetRule):
    ON = {**CodeSetRule.ON, "BPR": "_bpr", "DTM": "_dtm", "CLP": "_clp", "SVC": "_svc",
          "CAS": "_cas", "LQ": "_lq", "MOA": "_moa", "MIA": "_mia"}

    def __init__(self) -> None:
        super().__init__()
        self._date = ""          # the 835's date, CCYYMMDD
        self._reversal = False   # the open claim is a reversal (CLP02 22)
        self._active: Optional[frozenset] = None   # the CARCs in use, read on first use

    def _bpr(self, placed: Placed) -> None:
        self._date = _date(element(placed.segment.elements, 16)) or self._date

    def _dtm(self, placed: Placed) -> None:
        if self._date or placed.loop_id != "HEADER":  # every DTM of every claim comes here
            return
        els = placed.segment.elements
        if element(els, 1) == "405":
            self._date = _date(element(els, 2))

    def _clp(self, placed: Placed) -> None:
        self._reversal = element(placed.segment.elements, 2) == "22"

    def _svc(self, placed: Placed) -> Optional[list]:
        els = placed.segment.elements
        if len(els) < 2 or els[1] in self._fine_procedures:
            return None
        found = procedure_finding(placed, 1, self._fine_procedures)
        return [found] if found is not None else None

    def _cas(self, placed: Placed) -> Optional[list]:
        active = self._active
        if active is None:
            active = self._active = codelists.carc().active
        els = placed.segment.elements
        found = None
        n = 2
        for code in els[2:18:3]:  # CAS02, 05, 08, 11, 14, 17
            # an active code is fine (most are); the others go the long way
            if code and code not in active:
                more = self._carc_findings(placed, n, code)
                if more:
                    found = (found or []) + more
            n += 3
        return found

    def _carc_findings(self, placed: Placed, n: int, code: str) -> list:
        """The findings on a CARC that is not an active code of the list."""
        status = codelists.carc().status(code)
        if status.kind == "known" and (not status.stop or self._reversal) \
                or schema_rejects(placed, n, 0, code):
            return []
        if status.kind != "known":
            return [status_finding(placed, "carc", "claim adjustment reason code", status, n,
                                   code)]
        return self._deactivated(placed, n, code, status.stop)

    def _deactivated(self, placed: Placed, n: int, code: str, stop: str) -> list:
        date = self._date
        if stop == "?":
            if date and date <= UNKNOWN_STOP_AFTER:
                return []
            message, severity = "deactivated (stop date not known to x12kit)", WARNING
        elif not date:
            message, severity = "deactivated; the remittance has no date to judge it by", WARNING
        elif date > stop:
            message, severity = "deactivated before the remittance's date", ERROR
        else:
            return []
        return [code_finding(placed, "carc-deactivated", f"{ref_of(placed, n)} is a claim "
                             f"adjustment reason code {message}", n, 0, code, severity=severity)]

    def _lq(self, placed: Placed) -> Optional[list]:
        if element(placed.segment.elements, 1) != "HE":
            return None
        return remark_findings(placed, (2,), stop_matters=not self._reversal)

    def _moa(self, placed: Placed) -> Optional[list]:
        return remark_findings(placed, MOA_REMARKS, stop_matters=not self._reversal)

    def _mia(self, placed: Placed) -> Optional[list]:
        return remark_findings(placed, MIA_REMARKS, stop_matters=not self._reversal)
