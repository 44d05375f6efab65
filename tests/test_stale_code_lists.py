"""Faults of pyx12's external code lists (its map/codes.xml, a snapshot of about 2014) that made
x12kit's SNIP 2 element checks reject current codes: schemas/codes.xml adds the missing codes,
and the SNIP 5 rules, with their own lists in schemas/codes/, judge what the looser SNIP 2
lists let through. Each test is named after the fault it covers."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tests.test_rules_snip3 import COB837, P837, R835, interchange
from x12kit import codes, read_segments
from x12kit.schema import load_schema
from x12kit.schema.model import CompositeDef, SegmentDef
from x12kit.schema.registry import default_registry, repo_schema_dir
from x12kit.validate.pipeline import validate_segments
from x12kit.validate.rules import codelists

SCHEMAS = ("837P", "837I", "837D", "835", "837:005010X222A2", "837:005010X223A3")


def findings(body: str, transaction: str) -> list[tuple]:
    """(code, element ref, loop, SNIP level) of every error or warning, the whole pipeline."""
    found = []
    for report in validate_segments(read_segments(interchange(body, transaction)), 5):
        found += [(d.code, d.element_ref, d.loop_id, d.snip) for d in report.findings()
                  if d.severity.value != "info"]
    return found


def coded_elements(key: str):
    """Every element (or component) of a compiled schema that has a code list."""
    for loop in load_schema(key).loops():
        for child in loop.children:
            if not isinstance(child, SegmentDef):
                continue
            for d in child.elements:
                parts = d.components if isinstance(d, CompositeDef) else (d,)
                yield from (p for p in parts if p is not None and p.codes)


def code_sets(path) -> dict[str, set]:
    return {c.findtext("id"): {x.text for x in c.iter("code")}
            for c in ET.parse(path).getroot().iter("codeset")}


@pytest.mark.parametrize("key", SCHEMAS)
def test_stale_lists_snip2_holds_every_snip5_code(key):
    # data element 156 is the state or province code (N402, CLM11-04; PRV04 and PS103 are not
    # used in 5010); "N734", the last RARC pyx12 knew, marks its 'remark_code' list
    regions = codelists.us_states() | codelists.ca_provinces()
    rarc = set(codes.entries("rarc"))
    elements = list(coded_elements(key))
    states = [d for d in elements if d.data_ele == "156" and d.usage != "N"]
    remarks = [d for d in elements if "N734" in d.codes]
    assert states and all(regions <= d.codes for d in states)
    assert remarks and all(rarc <= d.codes for d in remarks)


def test_stale_rarc_list_additions_are_rarc_tsv():
    """codes.xml adds to pyx12's list exactly the codes of codes/rarc.tsv it lacks, so the two
    remark code lists cannot drift apart."""
    pyx12 = code_sets(default_registry().pyx12_dir / "codes.xml")["remark_code"]
    ours = code_sets(repo_schema_dir() / "codes.xml")["remark_code"]
    rarc = set(codes.entries("rarc"))
    assert ours == rarc - pyx12 and "N800" in ours


# -- fault stale-rarc-list -----------------------------------------------------------------------
def test_stale_rarc_list_current_remark_code_in_835_moa_is_valid():
    moa = R835.replace("NM1*QC*1*DOE*JANE~", "NM1*QC*1*DOE*JANE~\nMOA***N800*MA130~")
    assert findings(moa, "835") == []
    assert findings(moa.replace("N800", "Q1"), "835") == [
        ("element-invalid-code", "MOA03", "2100", 2)]


def test_stale_rarc_list_current_ma_code_pyx12_lacks_is_valid():
    # MA91 (an appeal's result) is current, but missing from pyx12's list below N734 too
    moa = R835.replace("NM1*QC*1*DOE*JANE~", "NM1*QC*1*DOE*JANE~\nMOA***MA91*MA130~")
    assert findings(moa, "835") == []


def test_stale_rarc_list_current_remark_code_in_835_mia_is_valid():
    mia = R835.replace("NM1*QC*1*DOE*JANE~", "NM1*QC*1*DOE*JANE~\nMIA*0****N801~")
    assert findings(mia, "835") == []


def test_stale_rarc_list_current_remark_code_in_837_cob_moa_is_valid():
    moa = COB837.replace("OI***Y*P**Y~", "OI***Y*P**Y~\nMOA***N800~")
    assert findings(moa, "837P") == []


# -- fault stale-state-list ----------------------------------------------------------------------
def test_stale_state_list_palau_is_a_us_state_code():
    assert findings(P837.replace("N4*PHOENIX*AZ*85004", "N4*KOROR*PW*96940"), "837P") == []
    assert findings(R835.replace("N4*ALBANY*NY*12207", "N4*KOROR*PW*96940"), "835") == []


def test_stale_state_list_current_canadian_codes_with_n404_ca():
    quebec = P837.replace("N4*PHOENIX*AZ*85004", "N4*QUEBEC*QC*G1R4P5*CA")
    assert findings(quebec, "837P") == []
    assert findings(quebec.replace("*QC*", "*NU*"), "837P") == []
    # the retired code pyx12 still lists, and a US state in Canada, are not provinces (SNIP 5)
    assert findings(quebec.replace("*QC*", "*PQ*"), "837P") == [
        ("state-code-invalid", "N402", "2010BA", 5)]
    assert findings(quebec.replace("*QC*", "*NY*"), "837P") == [
        ("state-code-invalid", "N402", "2010BA", 5)]


def test_stale_state_list_province_without_n404_is_not_a_state():
    toronto = P837.replace("N4*PHOENIX*AZ*85004", "N4*TORONTO*ON*85004")
    assert findings(toronto, "837P") == [("state-code-invalid", "N402", "2010BA", 5)]


def test_stale_state_list_auto_accident_state_or_province():
    def accident(value: str) -> str:
        return P837.replace("CLM*PCN1*100***11:B:1*Y*A*Y*Y~",
                            f"CLM*PCN1*100***11:B:1*Y*A*Y*Y**AA:::{value}~")
    assert findings(accident("PW"), "837P") == []
    assert findings(accident("QC:CA"), "837P") == []
    assert findings(accident("ON"), "837P") == [("state-code-invalid", "CLM11-4", "2300", 5)]
    assert findings(accident("NY:CA"), "837P") == [("state-code-invalid", "CLM11-4", "2300", 5)]


# -- fault stale-country-list --------------------------------------------------------------------
def test_stale_country_list_serbia_and_south_sudan_are_countries():
    for country in ("RS", "SS", "CW"):
        abroad = P837.replace("N4*PHOENIX*AZ*85004", f"N4*CAPITAL**11000*{country}")
        assert findings(abroad, "837P") == [], country
    unknown = P837.replace("N4*PHOENIX*AZ*85004", "N4*CAPITAL**11000*QQ")
    assert findings(unknown, "837P") == [("element-invalid-code", "N404", "2010BA", 2)]


# -- places of service: pyx12's list was already current ----------------------------------------
def test_pos_19_and_27_are_valid():
    for pos in ("19", "27"):
        assert findings(P837.replace("11:B:1", f"{pos}:B:1"), "837P") == [], pos
        line = P837.replace("SV1*HC:36415*40*UN*1***1~", f"SV1*HC:36415*40*UN*1*{pos}**1~")
        assert findings(line, "837P") == [], pos
