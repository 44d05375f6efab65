"""x12kit.codes: the code lists with descriptions, below validation.

The corpus ledger ``tests/data/code_descriptions_missing.json`` pins, per list, the codes the
real corpus uses that the lists cannot describe (unknown codes, and codes listed without a
description); any code that joins or leaves it fails the test, which prints the new ledger."""
from __future__ import annotations

import datetime
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from tests.conftest import ROOT, corpus_files, corpus_id
from x12kit import X12ReadError, codes, read_segments
from x12kit.codes import icd10cm

LEDGER = Path(__file__).parent / "data" / "code_descriptions_missing.json"
needs_icd = pytest.mark.skipif(icd10cm.source_file() is None,
                               reason="simple-icd-10-cm is not installed")


@pytest.mark.parametrize("name", [n for n in codes.LISTS if n != "icd10cm"])
def test_every_list_loads_with_its_source_named(name):
    path = codes.codes_dir() / codes.FILES[name]
    assert path.read_text(encoding="utf-8").startswith("# ")  # the header names the source
    found = codes.entries(name)
    assert found
    for code, spans in found.items():
        assert spans[-1] == codes.lookup(name, code)
        assert codes.describe(name, code) == spans[-1].description


def test_unknown_code_and_unknown_list():
    assert codes.describe("carc", "X9") is None and codes.lookup("rarc", "Q1") is None
    with pytest.raises(ValueError, match="no code list named 'cars'"):
        codes.describe("cars", "45")


def test_describe_honours_start_and_stop_dates():
    # P2 was reworded effective 2008-07-01: one entry per wording
    before, after = codes.entries("claim_status_category")["P2"]
    assert before.stop == datetime.date(2008, 6, 30) and after.start == datetime.date(2008, 7, 1)
    assert codes.describe("claim_status_category", "P2", on=datetime.date(2008, 6, 30)) \
        == before.description != after.description
    assert codes.describe("claim_status_category", "P2", on=datetime.date(2008, 7, 1)) \
        == after.description == codes.describe("claim_status_category", "P2")
    # X0 was stopped 2003-10-16: described on that day, not after; nothing before 1995
    x0 = codes.lookup("claim_status_category", "X0")
    assert x0.deactivated and x0.stop == datetime.date(2003, 10, 16)
    assert codes.describe("claim_status_category", "X0", on=x0.stop) == x0.description
    assert codes.describe("claim_status_category", "X0", on=datetime.date(2003, 10, 17)) is None
    assert codes.describe("claim_status_category", "P1", on=datetime.date(1994, 12, 31)) is None


# Expected texts copied from the sources the TSV headers name (pablo-health/pablo carc.py and
# rarc.py), so the loader and the data are checked together.
@pytest.mark.parametrize("name, code, text", [
    ("carc", "1", "Deductible Amount"),
    ("carc", "2", "Coinsurance Amount"),
    ("carc", "3", "Co-payment Amount"),
    ("carc", "45", "Charge exceeds fee schedule/maximum allowable or contracted/legislated fee "
                   "arrangement. Usage: This adjustment amount cannot equal the total service or "
                   "claim charge amount; and must not duplicate provider adjustment amounts "
                   "(payments and contractual reductions) that have resulted from prior payer(s) "
                   "adjudication. (Use only with Group Codes PR or CO depending upon liability)"),
    ("carc", "42", "Charges exceed our fee schedule or maximum allowable amount. (Use CARC 45)"),
    ("rarc", "N130", "Consult plan benefit documents/guidelines for information about "
                     "restrictions for this service."),
    ("rarc", "M15", "Separately billed services/tests have been bundled as they are considered "
                    "components of the same procedure. Separate payment is not allowed."),
    ("rarc", "N14", "Payment based on a contractual amount or agreement, fee schedule, or maximum "
                    "allowable amount."),
])
def test_well_known_codes_read_as_their_source_words_them(name, code, text):
    assert codes.describe(name, code) == text


def test_a_deactivated_carc_keeps_its_description_and_its_stop():
    carc42 = codes.lookup("carc", "42")
    assert carc42.deactivated and carc42.stop == datetime.date(2007, 6, 1)
    assert codes.describe("carc", "42", on=carc42.stop) == carc42.description
    assert codes.describe("carc", "42", on=datetime.date(2007, 6, 2)) is None


@pytest.mark.parametrize("name, undescribed", [("carc", set()), ("rarc", {"N813", "N814"})])
def test_every_adjustment_and_remark_code_is_described(name, undescribed):
    """Only codes no cited source describes stay without words (see each TSV's header)."""
    assert {c for c, spans in codes.entries(name).items() if not spans[-1].description} \
        == undescribed


def test_deactivated_without_a_date():
    carc15 = codes.lookup("carc", "15")
    assert carc15.deactivated and carc15.stop is None
    assert carc15.in_force(datetime.date(2030, 1, 1))  # an unknown stop rules no day out


def test_a_malformed_list_names_its_line(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("# source\ncode\tdescription\tstop\n45\tCharge\t2020-01-01\n")
    with pytest.raises(codes.CodeListError, match=r"bad.tsv:3: a date is not YYYYMMDD"):
        codes.read_list(bad)
    bad.write_text("# source\ncode\tmeaning\n45\tCharge\n")
    with pytest.raises(codes.CodeListError, match=r"bad.tsv:2: the column line"):
        codes.read_list(bad)


def test_codes_imports_no_validation_and_reads_nothing_at_import():
    probe = ("import sys, x12kit.codes as c; loaded = dict(c._loaded); c.describe('carc', '45');"
             "print(sorted(m for m in sys.modules if m.startswith('x12kit.validate')), loaded)")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ["[]", "{}"]


@needs_icd
def test_icd10cm_descriptions_come_from_the_package():
    import simple_icd_10_cm
    assert codes.describe("icd10cm", "E119") == simple_icd_10_cm.get_description("E11.9")
    assert codes.describe("icd10cm", "E11.9") == codes.describe("icd10cm", "E119")
    assert codes.lookup("icd10cm", "E11").description  # a header code has one too
    assert codes.describe("icd10cm", "E1199") is None and codes.lookup("icd10cm", "ZZZ") is None


# -- the corpus ------------------------------------------------------------------------------------
def _repeats(value: str, repetition: str) -> list[str]:
    return [v for v in (value.split(repetition) if repetition else [value]) if v]


def _codes_in(seg) -> list[tuple[str, str]]:
    """(list name, code) of the coded elements of one segment that the lists describe."""
    els, comp, rep = seg.elements, seg.delimiters.component, seg.delimiters.repetition

    def at(n: int) -> str:
        return els[n] if n < len(els) else ""
    found: list[tuple[str, str]] = []
    sid = els[0]
    if sid == "CAS":
        found += [("cas_group", at(1))] + [("carc", at(n)) for n in range(2, 18, 3)]
    elif sid == "LQ" and at(1) == "HE":
        found.append(("rarc", at(2)))
    elif sid == "MOA":
        found += [("rarc", at(n)) for n in range(3, 8)]
    elif sid == "CLP":
        found.append(("claim_status_835", at(2)))
    elif sid == "PLB":
        found += [("plb_reason", at(n).split(comp)[0]) for n in range(3, 14, 2)]
    elif sid == "STC":
        for n in (1, 10, 11):
            parts = at(n).split(comp) + ["", "", "", ""]
            found.append(("claim_status_category", parts[0]))
            if parts[3] != "RX":  # an NCPDP reject code, not a claim status code
                found.append(("claim_status", parts[1]))
            found.append(("entity_identifier", parts[2]))
    elif sid == "EB":
        found += [("eb_information", at(1)), ("coverage_level", at(2))]
        found += [("service_type", c) for c in _repeats(at(3), rep)]
    elif sid == "EQ":
        found += [("service_type", c) for c in _repeats(at(1), rep)]
    elif sid in ("NM1", "N1"):
        found.append(("entity_identifier", at(1)))
    elif sid == "CLM":
        parts = at(5).split(comp) + ["", ""]
        found += [("facility_code_qualifier", parts[1]), ("claim_frequency", parts[2])]
    return [(name, code) for name, code in found if code]


def test_corpus_codes_have_descriptions_or_are_in_the_ledger():
    missing: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in corpus_files():
        seen = set()
        try:
            for seg in read_segments(path):
                seen.update(_codes_in(seg))
        except X12ReadError:
            pass  # the codes read before the fault still count
        for name, code in sorted(seen):
            if codes.describe(name, code) is None:
                missing[name][code].append(corpus_id(path))
    got = {name: {code: files for code, files in sorted(found.items())}
           for name, found in sorted(missing.items())}
    expected = json.loads(LEDGER.read_text(encoding="utf-8"))["missing"]
    assert got == expected, "ledger out of date; new 'missing':\n" + json.dumps(got, indent=1)
