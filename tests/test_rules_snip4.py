"""SNIP 4 situational rules (x12kit.validate.rules): inline sets, valid and broken."""
from __future__ import annotations

from x12kit import Level, Severity
from tests.test_rules_snip3 import P837, R835, check, where

# A dependant's claim: the subscriber level (no SBR02) has a patient level 2000C below it.
DEPENDANT = (P837.replace("HL*2*1*22*0~", "HL*2*1*22*1~").replace("SBR*P*18*", "SBR*P**")
             .replace("NM1*PR*2*PAYER*****PI*87726~", """NM1*PR*2*PAYER*****PI*87726~
HL*3*2*23*0~
PAT*19~
NM1*QC*1*DOE*JIM~
N3*2 ELM ST~
N4*PHOENIX*AZ*85004~
DMG*D8*20100101*M~"""))
ELIGIBILITY = """
BHT*0022*11*TRACE1*20240105*1200~
HL*1**20*1~
NM1*PR*2*PAYER*****PI*87726~
HL*2*1*21*1~
NM1*1P*2*CLINIC*****XX*1234567893~
HL*3*2*22*0~
TRN*2*TRACE1*9877281234~
NM1*IL*1*DOE*JANE****MI*X123~
DMG*D8*19740612~
DTP*291*D8*20240105~
EB*1*IND*30~
EB*A*IND*98***27**0.2~
EB*B*IND*98***27*25~
"""


def test_clean_dependant_claim():
    assert check(DEPENDANT, "837P", snip=4) == []


# -- the HL hierarchy -----------------------------------------------------------------------------
def test_hl04_must_match_the_levels_that_follow():
    found = check(P837.replace("HL*2*1*22*0~", "HL*2*1*22*1~"), "837P", snip=4)
    assert where(found) == [("hl-child-code-mismatch", "HL04", "2000B", 11)]
    assert (found[0].ack_code, found[0].value, found[0].level) == ("I12", "1", Level.ELEMENT)
    found = check(DEPENDANT.replace("HL*2*1*22*1~", "HL*2*1*22*0~"), "837P", snip=4)
    assert where(found) == [("hl-child-code-mismatch", "HL04", "2000B", 11)]


def test_hl04_in_an_eligibility_response():
    assert check(ELIGIBILITY, "271", snip=4) == []
    found = check(ELIGIBILITY.replace("HL*2*1*21*1~", "HL*2*1*21*0~"), "271", snip=4)
    assert where(found) == [("hl-child-code-mismatch", "HL04", "2000B", 5)]


def test_patient_level_only_when_the_patient_is_not_the_subscriber():
    found = check(DEPENDANT.replace("SBR*P**", "SBR*P*18*"), "837P", snip=4)
    assert where(found) == [("patient-level-not-used", "", "2000C", 18)]
    assert (found[0].level, found[0].ack_code, found[0].segment_id) == (
        Level.SEGMENT, "I9", "HL")


def test_subscriber_without_patient_level_needs_sbr02():
    found = check(P837.replace("SBR*P*18*", "SBR*P**"), "837P", snip=4)
    assert where(found) == [("subscriber-relationship-missing", "SBR02", "2000B", 12)]
    assert found[0].ack_code == "I9"


# -- 837 claim rules ------------------------------------------------------------------------------
def test_replacement_claim_needs_the_payer_claim_number():
    replaced = P837.replace("11:B:1", "11:B:7")
    found = check(replaced, "837P", snip=4)
    assert where(found) == [("payer-claim-number-missing", "", "2300", 18)]
    d = found[0]
    assert (d.segment_id, d.level, d.ack_code) == ("REF", Level.SEGMENT, "I6")
    with_ref = replaced.replace("HI*ABK", "REF*F8*ICN0001~\nHI*ABK")
    assert check(with_ref, "837P", snip=4) == []
    voided = P837.replace("11:B:1", "11:B:8")
    assert [d.code for d in check(voided, "837P", snip=4)] == ["payer-claim-number-missing"]


def test_diagnosis_pointers_point_into_hi():
    found = check(P837.replace("***1:2~", "***1:3:0~"), "837P", snip=4)
    assert where(found) == [("diagnosis-pointer-unresolved", "SV107-2", "2400", 21),
                            ("diagnosis-pointer-unresolved", "SV107-3", "2400", 21)]
    assert [d.value for d in found] == ["3", "0"]


def test_a_pointer_of_other_digits_is_left_to_the_element_checks():
    # "²" is a digit to str.isdigit() but not to int(): no crash, no SNIP 4 finding (the
    # element checks report the N0 pointer that is not a number)
    assert check(P837.replace("***1:2~", "***1:\u00b2~"), "837P", snip=4) == []


def test_dental_pointers_use_sv311():
    dental = (P837.replace("SV1*HC:99213*60*UN*1***1:2~", "SV3*AD:D0120*60****1*****1:3~")
              .replace("SV1*HC:36415*40*UN*1***1~", "SV3*AD:D1110*40****1~"))
    assert where(check(dental, "837D", snip=4)) == [
        ("diagnosis-pointer-unresolved", "SV311-2", "2400", 21)]


# -- 835 ------------------------------------------------------------------------------------------
def test_notification_only_payments():
    zero = R835.replace("BPR*I*70*C*CHK", "BPR*H*0*C*NON").replace("CLP*PCN1*1*100*70*20",
                                                                  "CLP*PCN1*4*100*0*0")
    assert check(zero, "835", snip=4) == []
    found = check(R835.replace("BPR*I*70*C*CHK", "BPR*H*70*C*CHK"), "835", snip=4)
    assert where(found) == [("notification-with-payment", "BPR02", "HEADER", 2),
                            ("non-payment-method", "BPR04", "HEADER", 2)]
    found = check(zero.replace("BPR*H*0*C*NON", "BPR*I*0*C*ACH"), "835", snip=4)
    assert [(d.code, d.element_ref) for d in found] == [("zero-payment-handling", "BPR01")]


def test_reversal_amounts_are_negated():
    reversal = "LX*2~\nCLP*PCN0*22*100*-70*-20*12*ICN0~\nSVC*HC:99213*-60*40~\n"
    found = check(R835 + reversal, "835", snip=4)
    assert where(found) == [("reversal-amount-positive", "CLP03", "2100", 19),
                            ("reversal-amount-positive", "SVC03", "2110", 20)]
    ok = "LX*2~\nCLP*PCN0*22*-100*-70*-20*12*ICN0~\nSVC*HC:99213*-60*-40~\n"
    assert check(R835 + ok, "835", snip=4) == []


def test_svc06_only_when_the_procedure_changed():
    changed = R835.replace("SVC*HC:99213*60*40~", "SVC*HC:99213*60*40**1*HC:99214~")
    assert check(changed, "835", snip=4) == []
    same = R835.replace("SVC*HC:99213*60*40~", "SVC*HC:99213*60*40**1*HC:99213~")
    found = check(same, "835", snip=4)
    assert where(found) == [("submitted-procedure-unchanged", "SVC06", "2110", 13)]
    assert (found[0].severity, found[0].ack_code) == (Severity.WARNING, "I13")


# -- 271 ------------------------------------------------------------------------------------------
def test_coinsurance_is_a_percent_and_copay_an_amount():
    found = check(ELIGIBILITY.replace("*27**0.2~", "*27~").replace("*27*25~", "*27*25*0.1~"),
                  "271", snip=4)
    assert where(found) == [("coinsurance-percent-missing", "EB08", "2110C", 13),
                            ("benefit-percent-not-used", "EB08", "2110C", 14)]
    assert [d.ack_code for d in found] == ["I9", "I13"]


def test_issue9_the_x279a1_guide_examples_raise_no_hl_finding():
    """Examples 3.1.3 and 3.2.2 of the 270/271 guide answer a rejected request with HL04 1
    and no level below; the HL rules must agree with the guide's own examples."""
    from tests.conftest import CORPUS
    from x12kit.validate.pipeline import validate
    for name in ("oopfactory__Example_3_1_3.txt", "oopfactory__Example_3_2_2.txt"):
        found = [d for r in validate(CORPUS / "271" / name, 5) for d in r.findings()]
        assert found and not [d for d in found if d.code.startswith("hl-")], name
