"""The generator: valid X12 from models, bad models refused with the field and the guide's
element named, envelope options and control numbers."""
from __future__ import annotations

from decimal import Decimal

import pytest

from x12kit import X12ReadError
from x12kit.acks.numbers import ControlNumbers
from x12kit.generate import GenerateError, generate_file
from x12kit.models import read
from x12kit.reader import read_segments
from x12kit.segment import Delimiters

from .conftest import FIXTURES, corpus_files, corpus_id, sources_table
from .generate_helpers import WHEN, generated, pyx12_accepts, x12kit_findings

CLEAN = [FIXTURES / "claims-837p.x12", FIXTURES / "remittance-835.x12"]


def _claims():
    return list(read(FIXTURES / "claims-837p.x12"))


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.name)
def test_generated_files_validate_clean_with_x12kit_and_pyx12(path, tmp_path, caplog):
    out, problems = generated(read(path))
    assert problems == []
    assert x12kit_findings(out) == []
    assert pyx12_accepts(out, tmp_path, caplog)


def _accepted(path) -> bool:
    try:
        return x12kit_findings(path.read_bytes()) == []
    except X12ReadError:  # unreadable input is not a model source
        return False


SOURCES = sources_table()
KINDS = ("837P", "837I", "837D", "835", "270", "271", "276", "277", "277CA")
ACCEPTED = [f for kind in KINDS for f in corpus_files(kind)
            if SOURCES.get(corpus_id(f), {}).get("version", "").startswith("00501")
            and _accepted(f)]


@pytest.mark.parametrize("path", ACCEPTED, ids=corpus_id)
def test_a_corpus_file_that_validates_clean_is_generated_clean(path):
    out, problems = generated(read(path), delimiters=next(iter(read_segments(path))).delimiters)
    assert problems == []
    assert x12kit_findings(out) == []


def test_some_corpus_files_validate_clean():
    assert len(ACCEPTED) >= 5


def _problems(claims) -> list:
    with pytest.raises(GenerateError) as raised:
        generated(claims)
    return raised.value.problems


def _first_changed(**changes):
    claims = _claims()
    return [claims[0]._replace(**changes)] + claims[1:]


def test_a_missing_required_field_is_named_with_the_guides_element():
    (problem,) = _problems(_first_changed(pcn=""))
    assert (problem.code, problem.pointer, problem.element) == (
        "missing-required", "/pcn", "CLM01 Patient Control Number")


def test_an_unknown_code_is_refused():
    (problem,) = _problems(_first_changed(assignment="Q"))
    assert (problem.code, problem.pointer, problem.element) == (
        "unknown-code", "/assignment", "CLM07 Assignment or Plan Participation Code")


def test_a_bad_value_is_a_problem_each_time_it_comes():
    # values are checked once per distinct text: a repeat must still be reported on its own
    claims = [c._replace(assignment="Q") for c in _claims()]
    found = [(p.code, p.pointer) for p in _problems(claims)]
    assert len(claims) > 1 and found == [("unknown-code", "/assignment")] * len(claims)


def test_a_value_is_checked_against_the_separators_of_its_interchange():
    claims = _first_changed(pcn="A!1")
    _, problems = generated(claims)  # "!" separates nothing in the default separators
    assert problems == []
    _, problems = generated(claims, lenient=True, delimiters=Delimiters("|", ">", "!", "\n"))
    assert [(p.code, p.pointer) for p in problems] == [("separator-in-value", "/pcn")]


def test_a_value_too_long_is_refused():
    (problem,) = _problems(_first_changed(pcn="A" * 39))
    assert (problem.code, problem.pointer) == ("too-long", "/pcn")
    assert "38" in problem.message


def test_an_amount_with_three_decimals_is_refused():
    claim = _claims()[0]
    line = claim.lines[0]._replace(charge=claim.lines[0].charge + Decimal("0.001"))
    claim = claim._replace(lines=(line,) + claim.lines[1:],
                           charge=claim.charge + Decimal("0.001"))
    found = {(p.code, p.pointer, p.element) for p in _problems([claim])}
    assert found == {("decimals", "/lines/0/charge", "SV102 Line Item Charge Amount"),
                     ("decimals", "/charge", "CLM02 Total Claim Charge Amount")}


def test_a_claim_whose_lines_do_not_add_up_is_refused():
    (problem,) = _problems(_first_changed(charge=Decimal("1")))
    assert (problem.code, problem.pointer, problem.element) == (
        "unbalanced", "/charge", "CLM02 Total Claim Charge Amount")


def test_messages_name_places_not_values(tmp_path):
    secret = "SECRETPCN" * 5
    with pytest.raises(GenerateError) as raised:
        generate_file(_first_changed(pcn=secret), tmp_path / "out.x12")
    assert secret not in str(raised.value)
    assert not (tmp_path / "out.x12").exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left either


def test_lenient_writes_anyway_with_the_problems_as_warnings(tmp_path):
    found = generate_file(_first_changed(charge=Decimal("1")), tmp_path / "out.x12",
                          lenient=True)
    assert [p.code for p in found] == ["unbalanced"]
    assert (tmp_path / "out.x12").read_bytes().startswith(b"ISA*")


def test_control_numbers_come_from_the_persisted_counter(tmp_path):
    counter = tmp_path / "counter"
    numbers = []
    for name in ("a.x12", "b.x12"):
        generate_file(_claims(), tmp_path / name, numbers=ControlNumbers(path=counter))
        segs = {s.id: s for s in read_segments(tmp_path / name)}
        numbers.append((segs["ISA"].element(13), segs["GS"].element(6), segs["ST"].element(2)))
        assert segs["SE"].element(2) == segs["ST"].element(2)
        assert segs["IEA"].element(2) == segs["ISA"].element(13)
    first, second = numbers
    assert not set(first) & set(second)  # (int-wise: a number is used once)
    assert int(counter.read_text()) > max(int(n) for n in second)


def test_envelope_options_sender_receiver_usage_and_separators():
    options = dict(sender_qualifier="30", sender_id="123456789", receiver_qualifier="ZZ",
                   receiver_id="PAYER01", usage="T",
                   delimiters=Delimiters("|", ">", "!", "\n"))
    out, _ = generated(_claims(), **options)
    segs = list(read_segments(out))
    isa = segs[0]
    assert isa.delimiters == options["delimiters"]
    assert (isa.element(5), isa.element(6).strip(), isa.element(7), isa.element(8).strip(),
            isa.element(15), isa.element(9)) == ("30", "123456789", "ZZ", "PAYER01", "T",
                                                 WHEN.strftime("%y%m%d"))
    assert (segs[1].element(2), segs[1].element(3)) == ("123456789", "PAYER01")
    assert x12kit_findings(out) == []


def test_one_segment_per_line_or_none():
    lines, _ = generated(_claims())
    packed, _ = generated(_claims(), one_per_line=False)
    assert lines.count(b"\n") == lines.count(b"~") and b"\n" not in packed
    assert packed == lines.replace(b"\n", b"")


def test_hl_and_lx_are_numbered_by_the_writer():
    claims = _claims()
    lines = tuple(line._replace(number="") for line in claims[0].lines)
    out, _ = generated([claims[0]._replace(lines=lines)])
    segs = list(read_segments(out))
    hls = [s for s in segs if s.id == "HL"]
    assert [s.element(1) for s in hls] == [str(n) for n in range(1, len(hls) + 1)]
    assert [s.element(2) for s in hls] == ["", "1", "2"]
    assert [s.element(1) for s in segs if s.id == "LX"] == ["1", "2"]


def test_models_built_from_scratch_need_no_file():
    claim = _claims()[0]
    bare = claim._replace(loop=claim.loop._replace(content=()), context=(),
                          lines=tuple(line._replace(loop=line.loop._replace(content=()))
                                      for line in claim.lines))
    with pytest.raises(GenerateError) as raised:  # no submitter contact (PER) to carry
        generated([bare])
    assert {p.element for p in raised.value.problems} == {
        "PER Submitter EDI Contact Information"}



def test_a_claim_without_transaction_reference_gets_the_sets_control_number():
    claims = [c._replace(transaction_reference="", transaction_date=None) for c in _claims()]
    out, problems = generated(claims)
    assert problems == []
    segs = {s.id: s for s in read_segments(out)}
    assert segs["BHT"].element(3) == segs["ST"].element(2)
    assert segs["BHT"].element(4) == WHEN.strftime("%Y%m%d")
