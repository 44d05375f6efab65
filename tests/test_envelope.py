"""Envelope checks (SNIP 1) on malformed inputs, and on the real corpus."""
from __future__ import annotations

import pytest

from x12kit import Level, Severity, read_segments
from x12kit.envelope import check_envelope

from .conftest import CORPUS

GOOD = (b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*^"
        b"*00501*000000001*0*T*:~\nGS*HC*S*R*20240101*1200*1*X*005010X222A1~\n"
        b"ST*837*0001*005010X222A1~\nBHT*0019*00*1*20240101*1200*CH~\nSE*3*0001~\n"
        b"GE*1*1~\nIEA*1*000000001~\n")


def findings(data: bytes):
    return [(d.code, d.element_ref, d.ack_code, d.segment_id)
            for d in check_envelope(read_segments(data)) if d.severity is Severity.ERROR]


def test_a_well_formed_interchange_has_no_findings():
    assert list(check_envelope(read_segments(GOOD))) == []


@pytest.mark.parametrize("old, new, expected", [
    (b"SE*3*", b"SE*4*", [("trailer-count-mismatch", "SE01", "4", "SE")]),
    (b"SE*3*0001", b"SE*3*0002", [("control-number-mismatch", "SE02", "3", "SE")]),
    (b"GE*1*1", b"GE*2*1", [("trailer-count-mismatch", "GE01", "5", "GE")]),
    (b"GE*1*1", b"GE*1*7", [("control-number-mismatch", "GE02", "4", "GE")]),
    (b"IEA*1*", b"IEA*2*", [("trailer-count-mismatch", "IEA01", "021", "IEA")]),
    (b"IEA*1*000000001", b"IEA*1*000000009", [("control-number-mismatch", "IEA02", "001", "IEA")]),
    (b"*240101*1200*^", b"*241301*1200*^", [("isa-field-invalid", "ISA09", "014", "ISA")]),
    (b"*0*T*:", b"*0*X*:", [("isa-field-invalid", "ISA15", "020", "ISA")]),
    (b"*000000001*0*T", b"*00000001A*0*T", [("isa-field-invalid", "ISA13", "018", "ISA"),
                                            ("control-number-mismatch", "IEA02", "001", "IEA")]),
    (b"ST*837*0001*005010X222A1", b"ST*837*0001*005010X223A2",
     [("st-implementation-mismatch", "ST03", "19", "ST")]),
    (b"ST*837*0001*", b"ST*835*0001*", [("st-identifier-invalid", "ST01", "6", "ST")]),
    (b"ST*837*0001*", b"ST*837*01*", [("st-control-number-invalid", "ST02", "7", "ST"),
                                      ("control-number-mismatch", "SE02", "3", "SE")]),
    (b"GS*HC*", b"GS*XX*", [("gs-field-invalid", "GS01", "024", "GS"),
                            ("st-identifier-invalid", "ST01", "6", "ST")]),
    (b"GS*HC*S*R*20240101*1200*1*X*", b"GS*HC*S*R*2024011*1200*1*X*",
     [("gs-field-invalid", "GS04", "024", "GS")]),
])
def test_each_envelope_fault_gives_its_finding_and_ack_code(old, new, expected):
    assert findings(GOOD.replace(old, new, 1)) == expected


def test_missing_trailers_are_reported_where_the_input_ends():
    cut = GOOD[:GOOD.index(b"SE*")]
    got = findings(cut)
    assert [g[:3] for g in got] == [("trailer-missing", "SE01", "2"),
                                    ("trailer-missing", "GE01", "3"),
                                    ("trailer-missing", "IEA01", "023")]


def test_a_missing_se_is_found_at_the_next_st():
    data = GOOD.replace(b"SE*3*0001~\n", b"").replace(
        b"GE*1*1", b"ST*837*0002*005010X222A1~\nSE*2*0002~\nGE*2*1")
    assert ("trailer-missing", "SE01", "2", "ST") in findings(data)


def test_extra_trailer_and_segment_outside_a_set():
    data = GOOD.replace(b"GE*1*1~\n", b"GE*1*1~\nSE*1*0001~\nNM1*XX~\n")
    got = findings(data)
    assert ("trailer-without-header", "", "2", "SE") in got
    assert ("segment-outside-set", "", "024", "NM1") in got


def test_duplicate_control_numbers():
    two_sets = GOOD.replace(b"GE*1*1", b"ST*837*0001*005010X222A1~\nSE*2*0001~\nGE*2*1")
    assert ("control-number-repeated", "ST02", "23", "ST") in findings(two_sets)


def test_a_file_cut_inside_a_segment():
    got = findings(GOOD[:GOOD.index(b"~\nSE")])
    assert ("segment-unterminated", "", "023", "BHT") in got


def test_findings_carry_positions_but_no_values():
    bad = GOOD.replace(b"IEA*1*000000001", b"IEA*1*999999999")
    (finding,) = check_envelope(read_segments(bad))
    assert finding.offset == bad.index(b"IEA")
    assert finding.segment_number == 7 and finding.level is Level.INTERCHANGE
    assert "999999999" not in finding.message and finding.value == "999999999"


def test_ta1_only_interchange_is_well_nested():
    data = (CORPUS / "TA1/oopfactory__TechnicalAcknowledgment_SampleFromJeffN825.txt").read_bytes()
    assert not [d for d in check_envelope(read_segments(data)) if d.code == "segment-outside-set"]


@pytest.mark.parametrize("name, expected", [
    ("837P/imsweb__x12_valid.txt", {("trailer-count-mismatch", "SE01")}),   # SE01 says 25 of 34
    ("837I/pyx12__trailer_errors.txt", {("trailer-count-mismatch", "SE01"),
                                         ("control-number-mismatch", "GE02"),
                                         ("trailer-count-mismatch", "IEA01"),
                                         ("control-number-mismatch", "IEA02")}),
    ("837P/pyx12__fail_no_IEA.txt", {("trailer-count-mismatch", "SE01"),
                                      ("trailer-missing", "IEA01")}),
    ("837P/lfhx12__demo.837", set()),
    ("835/lfhx12__demo.835", set()),
])
def test_real_files(name, expected):
    got = {(d.code, d.element_ref) for d in check_envelope(read_segments(CORPUS / name))
           if d.is_error}
    assert got == expected
