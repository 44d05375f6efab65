"""SNIP 5 external code sets (x12kit.validate.rules): inline sets, valid and broken; the code
list files and the ICD-10-CM table."""
from __future__ import annotations

import pytest

from tests.test_rules_snip3 import COB837, I837, P837, R835, check, where
from x12kit import Severity, make_segment
from x12kit.codes import icd10cm
from x12kit.validate.rules import codelists
from x12kit.walk import Placed
from x12kit.validate.rules.claimcodes import ClaimCodes
from x12kit.validate.rules.codesets import cdt_ok, hcpcs_ok, ndc_ok, npi_ok

needs_icd = pytest.mark.skipif(icd10cm.source_file() is None,
                               reason="simple-icd-10-cm is not installed")


# -- ICD-10-CM -----------------------------------------------------------------------------------
@needs_icd
def test_icd10cm_codes_exist_and_are_billable():
    found = check(P837.replace("HI*ABK:E119*ABF:I10", "HI*ABK:E11*ABF:I1O*ABF:E11.9"), "837P",
                  snip=5)
    assert where(found) == [("icd10cm-not-billable", "HI01-2", "2300", 19),
                            ("icd10cm-unknown", "HI02-2", "2300", 19),
                            ("icd10cm-decimal-point", "HI03-2", "2300", 19)]
    assert [d.ack_code for d in found] == ["7", "7", "I12"]
    assert all(d.value not in d.message for d in found)


@needs_icd
def test_icd9_qualifiers_are_not_checked_against_icd10():
    assert check(P837.replace("HI*ABK:E119*ABF:I10", "HI*BK:25000*BF:4019"), "837P",
                 snip=5) == []


@needs_icd
def test_institutional_diagnosis_qualifiers():
    found = check(I837.replace("HI*ABK:E119", "HI*ABK:E119*ABJ:R99*APR:Z999"), "837I", snip=5)
    assert where(found) == [("icd10cm-unknown", "HI03-2", "2300", 18)]


@needs_icd
def test_icd_table_reads_the_package_code_list(tmp_path):
    table = icd10cm.CodeTable(icd10cm.build_records("1\nA00-A09\nA00\nA000\nA001\nB20\nB20\n"), "t")
    assert [table.status(c) for c in ("A00", "A000", "A001", "B20", "A002", "")] == [
        icd10cm.HEADER, icd10cm.BILLABLE, icd10cm.BILLABLE, icd10cm.BILLABLE, icd10cm.UNKNOWN,
        icd10cm.UNKNOWN]
    source = icd10cm.source_file()
    built = icd10cm.cached_records(source, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [
        f"icd10cm-{source.stem}-{source.stat().st_size}.bin"]
    assert icd10cm.cached_records(source, tmp_path) == built == icd10cm.table().blob
    real = icd10cm.table()
    assert real.release and real.status("S72001A") == icd10cm.BILLABLE
    assert real.status("S72001") == icd10cm.HEADER and real.status("Z0000") == icd10cm.BILLABLE


# -- procedure codes, NPI, places of service, addresses ------------------------------------------
def test_code_shapes():
    assert all(map(hcpcs_ok, ("99213", "0001F", "0002M", "0042T", "0001U", "G0439", "J1030")))
    assert not any(map(hcpcs_ok, ("9921", "992134", "0001X", "g0439", "G043A")))
    assert cdt_ok("D0120") and not cdt_ok("99213")
    assert ndc_ok("00002143380") and not ndc_ok("0002-1433-80")
    assert npi_ok("1234567893") and not npi_ok("1234567890") and not npi_ok("123456789")


def test_procedure_code_shape_by_qualifier():
    found = check(P837.replace("SV1*HC:36415*", "SV1*HC:3641*"), "837P", snip=5)
    assert where(found) == [("procedure-code-format", "SV101-2", "2400", 24)]
    assert found[0].ack_code == "I12"
    svc = check(R835.replace("SVC*HC:36415*", "SVC*HC:ABCDE*"), "835", snip=5)
    assert where(svc) == [("procedure-code-format", "SVC01-2", "2110", 16)]
    # SVC06 echoes what the provider sent, valid or not (X12 RFI 2375): not checked
    assert check(R835.replace("SVC*HC:36415*40*30~", "SVC*HC:36415*40*30**1*HC:BAD~"), "835",
                 snip=5) == []


def test_npi_check_digit_wherever_the_guide_says_npi():
    found = check(P837.replace("XX*1234567893", "XX*1234567890"), "837P", snip=5)
    assert where(found) == [("npi-check-digit", "NM109", "2010AA", 7)]
    assert (found[0].ack_code, found[0].value) == ("I12", "1234567890")
    payee = check(R835.replace("N1*PE*CLINIC*XX*1234567893", "N1*PE*CLINIC*XX*1234567899"),
                  "835", snip=5)
    assert where(payee) == [("npi-check-digit", "N104", "1000B", 9)]
    assert check(P837.replace("MI*X123", "MI*1234567890"), "837P", snip=5) == []  # not an NPI


def test_place_of_service_list():
    pos = codelists.place_of_service()
    assert {"11", "02", "10", "19", "27", "58", "99"} <= pos and not pos & {"28", "59", "98"}
    # the element checks already reject an unassigned code from the schema's list: no twin
    assert check(P837.replace("11:B:1", "28:B:1"), "837P", snip=5) == []
    unplaced = Placed(make_segment("SV1", "HC:99213", "60", "UN", "1", "28"), "2400", (), None)
    found = list(ClaimCodes().place(unplaced))
    assert [(d.code, d.element_ref, d.value) for d in found] == [
        ("place-of-service-unknown", "SV105", "28")]


def test_us_state_and_zip():
    found = check(P837.replace("N4*PHOENIX*AZ*85004", "N4*TORONTO*ON*8500"), "837P", snip=5)
    assert where(found) == [("state-code-invalid", "N402", "2010BA", 15),
                            ("zip-code-format", "N403", "2010BA", 15)]
    assert [d.ack_code for d in found] == ["7", "I12"]
    canada = P837.replace("N4*PHOENIX*AZ*85004", "N4*TORONTO*ON*M5V2T6*CA")
    assert check(canada, "837P", snip=5) == []


# -- CARC and RARC --------------------------------------------------------------------------------
def test_carc_must_exist():
    found = check(R835.replace("CAS*PR*2*10", "CAS*PR*X9*10"), "835", snip=5)
    assert where(found) == [("carc-unknown", "CAS02", "2110", 15)]
    newer = check(R835.replace("CAS*PR*2*10", "CAS*PR*999*10"), "835", snip=5)
    assert [(d.code, d.severity) for d in newer] == [("carc-unrecognized", Severity.WARNING)]


def test_deactivated_carc_by_the_remittance_date():
    old_code = R835.replace("CAS*PR*2*10", "CAS*PR*A2*10")   # stopped 2008-01-01
    found = check(old_code, "835", snip=5)
    assert [(d.code, d.element_ref, d.severity) for d in found] == [
        ("carc-deactivated", "CAS02", Severity.ERROR)]
    before = old_code.replace("20240110", "20071201")
    assert check(before, "835", snip=5) == []
    reversal = old_code.replace("CLP*PCN1*1*", "CLP*PCN1*22*")
    assert check(reversal, "835", snip=5) == []
    unknown_stop = R835.replace("CAS*PR*2*10", "CAS*PR*15*10")  # stopped after 2016-03
    assert [(d.code, d.severity) for d in check(unknown_stop, "835", snip=5)] == [
        ("carc-deactivated", Severity.WARNING)]


def test_carc_in_cob_claims_is_checked_for_existence_only():
    assert check(COB837.replace("CAS*PR*1*10", "CAS*PR*A2*10"), "837P", snip=5) == []
    found = check(COB837.replace("CAS*PR*1*10", "CAS*PR*Z1*10"), "837P", snip=5)
    assert where(found) == [("carc-unknown", "CAS02", "2320", 21)]


def test_rarc_in_lq_moa_mia():
    with_remarks = R835.replace("CAS*CO*45*10~\nCAS*PR", "CAS*CO*45*10~\nLQ*HE*N130~\nCAS*PR")
    assert check(with_remarks, "835", snip=5) == []
    found = check(with_remarks.replace("LQ*HE*N130", "LQ*HE*Q1"), "835", snip=5)
    assert where(found) == [("rarc-unknown", "LQ02", "2110", 15)]
    newer = check(with_remarks.replace("LQ*HE*N130", "LQ*HE*N999"), "835", snip=5)
    assert [(d.code, d.severity) for d in newer] == [("rarc-unrecognized", Severity.WARNING)]


def test_code_lists_load_once():
    assert codelists.carc() is codelists.carc()
    carc = codelists.carc()
    assert carc.status("45").kind == "known" and carc.status("45").stop == ""
    assert carc.status("A2").stop == "20080101" and carc.status("15").stop == "?"
    assert carc.status("306").kind == "newer" and carc.status("XX").kind == "unknown"
    assert "N885" in codelists.rarc() and "AZ" in codelists.us_states()
