"""SNIP 5 external code sets every transaction shares, and the checks the 837 and 835 reuse.

* NPI (National Provider Identifier): 10 digits whose last is the Luhn check digit of the
  other nine prefixed by 80840 (the CMS NPI standard), wherever a guide qualifies an id as an
  NPI: NM108 XX (NM109), N103 XX (835 payee N104), REF01 HPI (REF02).
* US addresses (N404 absent or US): N402 a USPS state code, N403 a 5 or 9 digit ZIP code;
  Canadian addresses (N404 CA): N402 a province or territory code. The maps' SNIP 2 list
  (pyx12's 'states' plus schemas/codes.xml) holds both and the retired NF and PQ, so the
  country decides here.
* Code shapes used by the claim rules: CPT/HCPCS (qualifier HC) and CDT (AD) procedure codes,
  NDC (N4) drug codes.

ack codes (999 IK403): 7 (invalid code value) for a code not in its list, I12 (pattern match
failure) for a value of the wrong shape or check digit. A value the element checks (SNIP 2)
already reject from the schema's own code list or pattern is not reported twice.
"""
from __future__ import annotations

import re
from typing import Optional

from x12kit.diagnostics import Diagnostic, Severity
from x12kit.schema.model import CompositeDef, ElementDef
from x12kit.validate.rules import codelists
from x12kit.validate.rules.common import (
    ERROR, WARNING, SegmentRule, element, finding,
)
from x12kit.walk.walker import Placed

SNIP = 5
INVALID_CODE, PATTERN = "7", "I12"
_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)  # digit sum of twice each digit
_NPI_PREFIX_SUM = 24  # Luhn sum of the 80840 prefix the NPI check digit is computed with
_CPT_SUFFIXES = frozenset("FMTU")  # category II, MAAA, category III, PLA codes: 4 digits + letter


def npi_ok(value: str) -> bool:
    """Ten digits, the last the Luhn check digit of 80840 + the first nine."""
    if len(value) != 10 or not (value.isascii() and value.isdigit()):
        return False
    total = _NPI_PREFIX_SUM
    for i, ch in enumerate(reversed(value[:9])):
        digit = ord(ch) - 48
        total += _DOUBLED[digit] if i % 2 == 0 else digit
    return (10 - total % 10) % 10 == ord(value[9]) - 48


def hcpcs_ok(code: str) -> bool:
    """CPT (5 digits, or 4 digits + F, M, T or U) or HCPCS level II (a letter + 4 digits)."""
    if len(code) != 5 or not code.isascii():
        return False
    if code[:4].isdigit():
        return code[4].isdigit() or code[4] in _CPT_SUFFIXES
    return code[0].isupper() and code[1:].isdigit()


def cdt_ok(code: str) -> bool:
    """ADA CDT dental procedure codes: D + 4 digits."""
    return len(code) == 5 and code[0] == "D" and code[1:].isascii() and code[1:].isdigit()


def ndc_ok(code: str) -> bool:
    """The 11-digit 5-4-2 NDC, without hyphens, the 837 and 835 guides ask for."""
    return len(code) == 11 and code.isascii() and code.isdigit()


def zip_ok(code: str) -> bool:
    """A US ZIP code: 5 digits, or ZIP+4 written as 9 digits."""
    return len(code) in (5, 9) and code.isascii() and code.isdigit()


PROCEDURE_SHAPES = {"HC": hcpcs_ok, "AD": cdt_ok, "N4": ndc_ok}
_SHAPE_NAMES = {"HC": "a CPT/HCPCS code", "AD": "a CDT code", "N4": "an 11-digit NDC"}
# Values already found well-formed, per check: the same NPIs and procedure codes recur all
# through a large file, and a set lookup is cheaper than the check. Bounded by _GOOD_LIMIT.
_good: dict[str, set] = {"NPI": set(), "HC": set(), "AD": set(), "N4": set()}
_GOOD_LIMIT = 100_000
FINE_LIMIT = 4096  # composites a rule remembers (see CodeSetRule)


def _remember(kind: str, value: str) -> None:
    remember(_good[kind], value)


def remember(good: set, value: str, limit: int = _GOOD_LIMIT) -> None:
    """Add ``value`` to a set of values found good, emptying it first when full."""
    if len(good) >= limit:
        good.clear()
    good.add(value)


def schema_rejects(placed: Placed, n: int, c: int, value: str) -> bool:
    """Do the element checks already reject this value, from the schema's code list or
    pattern for element ``n`` (component ``c``, 0 for a simple element)?"""
    definition = placed.definition
    if definition is None or n >= len(definition.elements):
        return False
    d = definition.elements[n]
    if c and isinstance(d, CompositeDef):
        d = d.components[c] if c < len(d.components) else None
    if not isinstance(d, ElementDef):
        return False
    if d.codes is not None and value not in d.codes:
        return True
    return d.regex is not None and re.search(d.regex, value) is None


def ref_of(placed: Placed, n: int, c: int = 0) -> str:
    return f"{placed.segment.elements[0]}{n:02d}" + (f"-{c}" if c else "")


def code_finding(placed: Placed, code: str, message: str, n: int, c: int, value: str,
                 ack: str = INVALID_CODE, severity: Severity = ERROR) -> Diagnostic:
    return finding(placed, code, message, SNIP, ack, ref_of(placed, n, c), value, severity)


def procedure_finding(placed: Placed, n: int,
                      fine: Optional[set] = None) -> Optional[Diagnostic]:
    """The procedure composite at element ``n``: its code has the shape its qualifier names.
    ``fine``, where given, collects the composites found well-formed (see CodeSetRule)."""
    els = placed.segment.elements
    if n >= len(els):
        return None
    fault = _procedure_fault(els[n], placed.segment.delimiters.component)
    if fault is None:
        if fine is not None:
            remember(fine, els[n], FINE_LIMIT)
        return None
    qualifier, code = fault
    if schema_rejects(placed, n, 2, code):
        return None
    return code_finding(placed, "procedure-code-format", f"{ref_of(placed, n, 2)} is not "
                        f"{_SHAPE_NAMES[qualifier]}", n, 2, code, PATTERN)


def _procedure_fault(composite: str, separator: str) -> Optional[tuple[str, str]]:
    """(qualifier, code) of a procedure composite whose code has not the shape its qualifier
    names; None when it has, or when the qualifier names no shape to check."""
    components = composite.split(separator, 2)
    shape = PROCEDURE_SHAPES.get(components[0])
    if shape is None or len(components) < 2:
        return None
    qualifier, code = components[0], components[1]
    if not code or code in _good[qualifier]:
        return None
    if shape(code):
        _remember(qualifier, code)
        return None
    return qualifier, code


def remark_findings(placed: Placed, positions: tuple, stop_matters: bool = False) -> list:
    """RARCs at the given element positions (MOA03-07, MIA05/20-23, LQ02)."""
    found = []
    rarc = codelists.rarc()
    els = placed.segment.elements
    for n in positions:
        value = element(els, n)
        if not value:
            continue
        status = rarc.status(value)
        if status.kind == "known" and not (stop_matters and status.stop):
            continue
        if schema_rejects(placed, n, 0, value):
            continue
        found.append(status_finding(placed, "rarc", "remittance advice remark code", status,
                                     n, value))
    return found


def status_finding(placed: Placed, kind: str, noun: str, status: codelists.Status, n: int,
                   value: str, c: int = 0) -> Diagnostic:
    """A code its list does not hold as active: newer than the list (warning), deactivated on
    a date we do not know (warning), or unknown (error)."""
    ref = ref_of(placed, n, c)
    if status.kind == "newer":
        return code_finding(placed, f"{kind}-unrecognized", f"{ref} is not in x12kit's {noun} "
                            "list; it may be newer than the list", n, c, value, severity=WARNING)
    if status.kind == "known":
        return code_finding(placed, f"{kind}-deactivated", f"{ref} is a deactivated {noun} "
                            "(deactivation date not known to x12kit)", n, c, value,
                            severity=WARNING)
    return code_finding(placed, f"{kind}-unknown", f"{ref} is not a {noun}", n, c, value)


class CodeSetRule(SegmentRule):
    """NPIs and US addresses: the SNIP 5 checks of every transaction."""

    snip = SNIP
    ON = {"NM1": "_nm1", "N1": "_n1", "REF": "_ref", "N4": "_n4"}

    def __init__(self) -> None:
        super().__init__()
        # Procedure composites (SV101, SVC01, ...) of this set found well-formed: a large set
        # repeats the same procedures, modifiers and all, and a set lookup is cheaper than
        # splitting one again. Per set, so under the one component separator of its
        # interchange; whether one is well-formed depends on nothing else.
        self._fine_procedures: set[str] = set()

    # NM1 and REF are among the commonest segments: the usual answer (not an NPI, or an NPI
    # already found good) is given here, without the call to _npi
    def _nm1(self, placed: Placed) -> Optional[list]:
        els = placed.segment.elements
        if len(els) <= 9 or els[8] != "XX" or els[9] in _good["NPI"]:
            return None
        return self._npi(placed, 9)

    def _n1(self, placed: Placed) -> Optional[list]:
        els = placed.segment.elements
        if len(els) <= 4 or els[3] != "XX" or els[4] in _good["NPI"]:
            return None
        return self._npi(placed, 4)

    def _ref(self, placed: Placed) -> Optional[list]:
        els = placed.segment.elements
        if len(els) <= 2 or els[1] != "HPI" or els[2] in _good["NPI"]:
            return None
        return self._npi(placed, 2)

    @staticmethod
    def _npi(placed: Placed, n: int) -> Optional[list]:
        """Element ``n``, qualified as an NPI and not yet known good."""
        value = placed.segment.elements[n]
        if npi_ok(value):
            _remember("NPI", value)
            return None
        if not value or schema_rejects(placed, n, 0, value):
            return None
        return [code_finding(placed, "npi-check-digit", f"{ref_of(placed, n)} is not a valid "
                             "NPI (10 digits with a Luhn check digit)", n, 0, value, PATTERN)]

    @staticmethod
    def _n4(placed: Placed) -> Optional[list]:
        els = placed.segment.elements
        count = len(els)
        country = els[4] if count > 4 else ""
        if country not in ("", "US", "CA"):
            return None
        state = els[2] if count > 2 else ""
        zip_code = els[3] if count > 3 else ""
        # the usual address, a listed US state with a well-formed ZIP code, without more calls
        if country != "CA" and (not state or state in codelists.us_states()) \
                and (not zip_code or zip_ok(zip_code)):
            return None
        found = region_findings(placed, 2, 0, state, country)
        if country != "CA" and zip_code and not zip_ok(zip_code) \
                and not schema_rejects(placed, 3, 0, zip_code):
            found.append(code_finding(placed, "zip-code-format", "N403 is not a 5 or 9 digit US "
                                      "ZIP code", 3, 0, zip_code, PATTERN))
        return found


def region_findings(placed: Placed, n: int, c: int, code: str, country: str) -> list:
    """A state (country absent or US) or Canadian province (country CA) code at element ``n``
    (component ``c``); other countries' subdivisions are not checked."""
    if not code or country not in ("", "US", "CA"):
        return []
    canada = country == "CA"
    # the list first: a listed code needs no look at the schema (either way, no finding)
    if code in (codelists.ca_provinces() if canada else codelists.us_states()) \
            or schema_rejects(placed, n, c, code):
        return []
    noun = "a Canadian province or territory" if canada else "a US state"
    return [code_finding(placed, "state-code-invalid", f"{ref_of(placed, n, c)} is not {noun} "
                         "code", n, c, code)]
