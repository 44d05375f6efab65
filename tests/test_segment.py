from x12kit import Delimiters, make_segment
from x12kit.segment import parse_ref

import pytest


def test_access_by_x12_reference():
    seg = make_segment("SV1", "HC:99214:25", "125.00", "UN", "1", "", "", "1:2")
    assert seg.get("SV102") == "125.00"
    assert seg.get("SV101-2") == "99214"
    assert seg.get("SV101-3") == "25"
    assert seg.get("SV101-5") == ""
    assert seg.get("SV107-2") == "2"
    assert seg.get("SV112") == ""
    with pytest.raises(KeyError):
        seg.get("CLP01")


def test_repetitions():
    seg = make_segment("HI", "ABK:E119^ABF:I10", delimiters=Delimiters("*", ":", "^", "~"))
    assert seg.repetitions(1) == ["ABK:E119", "ABF:I10"]
    assert seg.get("HI01-2", repetition=1) == "I10"
    assert seg.component(1, 1, repetition=1) == "ABF"


@pytest.mark.parametrize("ref, parsed", [("CLP04", ("CLP", 4, None)),
                                         ("SV101-2", ("SV1", 1, 2)), ("N301", ("N3", 1, None))])
def test_parse_ref(ref, parsed):
    assert parse_ref(ref) == parsed


def test_parse_ref_rejects_garbage():
    with pytest.raises(ValueError):
        parse_ref("CLP4x")
