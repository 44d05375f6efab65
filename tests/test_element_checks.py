"""SNIP 2 element checks: one test per 999 IK403 code, on definitions of the 837P guide."""
from __future__ import annotations

import pytest

from x12kit.schema import load_schema
from x12kit.segment import Delimiters, Segment
from x12kit.validate import check_segment, data_element


@pytest.fixture(scope="module")
def p837():
    return load_schema("837P")


def seg(text: str, delimiters: Delimiters = Delimiters()) -> Segment:
    return Segment(tuple(text.split(delimiters.element)), 100, 7, 5, delimiters)


def codes(found) -> list[tuple[str, str]]:
    return [(d.ack_code, d.element_ref) for d in found]


CASES = [
    # (loop, segment id, qualifier, segment text, expected (IK403, element ref))
    ("2300", "CLM", None, "CLM**100***11:B:1*Y*A*Y*Y", ("1", "CLM01")),
    ("2300", "CLM", None, "CLM*PCN1*100***11::1*Y*A*Y*Y", ("1", "CLM05-2")),
    ("2010AA", "NM1", "85", "NM1*85*2*CLINIC*****XX", ("2", "NM109")),        # P0809
    ("2320", "CAS", None, "CAS*CO*45*10**97", ("2", "CAS06")),               # L050607
    ("2010AA", "REF", "EI", "REF*EI*123456789***X", ("3", "REF05")),
    ("2010AA", "NM1", "85", "NM1*85*2*CLINIC*****XX*1", ("4", "NM109")),
    ("2300", "CLM", None, "CLM*" + "P" * 39 + "*100***11:B:1*Y*A*Y*Y", ("5", "CLM01")),
    ("2010AA", "NM1", "85", "NM1*85*2*CLINIQUÉ*****XX*1234567893", ("6", "NM103")),
    ("2300", "CLM", None, "CLM*PCN1*1O0***11:B:1*Y*A*Y*Y", ("6", "CLM02")),  # letter O in R
    ("2300", "CLM", None, "CLM*PCN1*100***11:X:1*Y*A*Y*Y", ("7", "CLM05-2")),
    ("2400", "DTP", "472", "DTP*472*D8*20240230", ("8", "DTP03")),
    ("2400", "DTP", "472", "DTP*472*RD8*20240101-20241301", ("8", "DTP03")),
    ("2010BA", "DMG", None, "DMG*D8*19991340*F", ("8", "DMG02")),
    ("HEADER", "BHT", None, "BHT*0019*00*1*20240101*2561*CH", ("9", "BHT05")),
    ("2010AA", "N4", None, "N4*TOWN*MD*20705*US***ON", ("10", "N407")),     # E0207
    ("2010AA", "NM1", "85", "NM1*85*2*A^B*****XX*1234567893", ("12", "NM103")),
    ("2300", "CLM", None, "CLM*PCN1*100***11:B:1:9*Y*A*Y*Y", ("13", "CLM05")),
    ("2010AA", "NM1", "85", "NM1*85*2*A:B*****XX*1234567893", ("13", "NM103")),
    ("2000A", "HL", None, "HL*1*5*20*1", ("I10", "HL02")),
    ("2010BA", "REF", "SY", "REF*SY*12345", ("I12", "REF02")),               # 9-digit SSN
]


@pytest.mark.parametrize("loop, sid, code, text, expected", CASES,
                         ids=[f"IK403-{c[4][0]}-{c[4][1]}" for c in CASES])
def test_ik403_codes(p837, loop, sid, code, text, expected):
    definition = p837.segment(loop, sid, code)
    found = check_segment(seg(text), definition, loop)
    assert expected in codes(found)
    diag = next(d for d in found if (d.ack_code, d.element_ref) == expected)
    assert diag.snip == 2 and diag.level.value == "element" and diag.loop_id == loop
    assert (diag.offset, diag.segment_number, diag.set_position, diag.segment_id) == (
        100, 7, 5, sid)


@pytest.mark.parametrize("loop, sid, code, text, expected", CASES,
                         ids=[f"no-phi-{c[4][0]}-{c[4][1]}" for c in CASES])
def test_values_stay_out_of_messages(p837, loop, sid, code, text, expected):
    for diag in check_segment(seg(text), p837.segment(loop, sid, code), loop):
        if len(diag.value) > 2:  # a one- or two-character value also occurs in refs/numbers
            assert diag.value not in diag.message


def test_value_is_kept_apart(p837):
    found = check_segment(seg("CLM*PCN1*100***11:X:1*Y*A*Y*Y"), p837.segment("2300", "CLM"))
    assert [(d.element_ref, d.value) for d in found] == [("CLM05-2", "X")]
    assert "value" not in found[0].as_dict()


@pytest.mark.parametrize("loop, sid, code, text", [
    ("2300", "CLM", None, "CLM*PCN1*100***11:B:1*Y*A*Y*Y"),
    ("2010AA", "NM1", "85", "NM1*85*2*CLINIC*****XX*1234567893"),
    ("2010AA", "N4", None, "N4*TOWN*MD*207051234"),
    ("2400", "DTP", "472", "DTP*472*RD8*20240101-20240131"),
    ("2400", "SV1", None, "SV1*HC:99213:25*60.5*UN*1***1:2"),
    ("2010BA", "DMG", None, "DMG*D8*19991231*F"),
    ("HEADER", "BHT", None, "BHT*0019*00*1*20240101*120059*CH"),
    ("2300", "CLM", None, "CLM*PCN1*-10.25***11:B:8*Y*A*Y*Y"),
])
def test_clean_segments_have_no_findings(p837, loop, sid, code, text):
    assert check_segment(seg(text), p837.segment(loop, sid, code), loop) == []


def test_other_separators(p837):
    delims = Delimiters("|", ">", "`", "\n")
    definition = p837.segment("2300", "CLM")
    assert check_segment(seg("CLM|PCN1|100|||11>B>1|Y|A|Y|Y", delims), definition) == []
    found = check_segment(seg("CLM|PCN1|100|||11>X>1|Y|A|Y|Y", delims), definition)
    assert codes(found) == [("7", "CLM05-2")]


def test_isa_separators_are_data(p837):
    isa = ("ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200"
           "*^*00501*000000001*0*P*:")
    assert check_segment(seg(isa), p837.envelope["ISA"]) == []


def test_missing_trailing_required_elements(p837):
    found = check_segment(seg("CLM*PCN1*100"), p837.segment("2300", "CLM"))
    assert {ref for _, ref in codes(found)} >= {"CLM05", "CLM06", "CLM07", "CLM08", "CLM09"}
    assert {ack for ack, _ in codes(found)} == {"1"}


def test_data_element_numbers_for_ik402(p837):
    clm = p837.segment("2300", "CLM")
    assert data_element(clm, "CLM05-2") == "1332"
    assert data_element(clm, "CLM05") == "C023"
    assert data_element(clm, "CLM01") == "1028"
    assert p837.data_elements["NM109"] == "67"
