"""The biller's view (x12kit.views, ``x12kit show``): every model of the corpus has one, the
figures on it are the file's, and codes appear with their words."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from tests.conftest import CORPUS, FIXTURES, corpus_files, corpus_id
from tests.test_schema_maps_x212_x224 import DENTAL, interchange
from x12kit import X12ReadError, codes
from x12kit.cli import main
from x12kit.models import read
from x12kit.models.status import REJECTED
from x12kit.schema.registry import default_registry
from x12kit.views import VIEWS, lines

KINDS = ("837P", "837I", "835", "270", "271", "276", "277", "277CA", "999", "TA1")


def _models(path):
    try:
        return list(read(path))
    except X12ReadError:
        return []


@pytest.mark.parametrize("path", [f for k in KINDS for f in corpus_files(k)], ids=corpus_id)
def test_every_corpus_model_has_a_view(path):
    for model in _models(path):
        text = lines(model)
        assert text and all(isinstance(line, str) for line in text)


def test_every_model_type_has_a_view():
    from x12kit.models.reading import MODEL_TYPES
    assert set(VIEWS) == set(MODEL_TYPES)


def _view(path, index=0):
    return "\n".join(lines(list(read(path))[index]))


def test_a_professional_claim_reads_like_the_cms1500():
    text = _view(FIXTURES / "claims-837p.x12")
    assert "26 Patient's account no.       A010000000001" in text
    assert "28 Total charge                306.00" in text
    assert "R519 (Headache, unspecified) [ABK]" in text
    assert "2024-10-07  11     99203        25         1,2        245.00" in text
    assert "33a NPI, taxonomy              2718567292 261QP2300X" in text


def test_a_claim_payment_shows_billed_allowed_paid_and_reasons():
    text = _view(FIXTURES / "remittance-835.x12")
    for expected in ("Billed                         306.00",
                     "Allowed                        166.11",   # 124.77 + 41.34 (AMT*B6)
                     "Paid                           132.85",
                     "Patient responsibility         33.26",
                     "line 1L1 CO (Contractual Obligations) 120.23",
                     "1 (Processed as Primary)"):
        assert expected in text


def test_an_institutional_claim_reads_like_the_ub04():
    text = _view(CORPUS / "837I" / "imsweb__x223-test.txt")
    assert text.startswith("UB-04 claim A37YH556")
    assert "0300     81099" in text and "47 Total charges               500.00" in text


def test_a_dental_claim_reads_like_the_ada_form():
    claim = next(read(interchange(DENTAL).encode()))
    text = "\n".join(lines(claim))
    assert text.startswith("ADA dental claim PCN0001")
    assert "D0120" in text and "32 Total fee" in text


def test_a_271_reads_as_coverage_with_what_remains():
    text = _view(CORPUS / "271" / "tigersharkz__5010-271-example-1.txt")
    assert "coverage active" in text
    assert "out of pocket  30 (Health Benefit Plan Coverage)             IND    remaining 2,100.00" in text


def test_a_rejected_277ca_claim_says_so_in_words():
    found = [m for m in read(CORPUS / "277CA" / "imsweb__x12_277CA_rejected.txt")
             if type(m).__name__ == "ClaimAcknowledgment"]
    text = "\n".join(lines(found[0]))
    assert ": rejected" in text.splitlines()[0]
    for status in found[0].statuses:  # A7:562 Entity's National Provider Identifier (NPI) ...
        category, code = status.code.category, status.code.status
        said = codes.describe("claim_status", code).split(" Usage:")[0].rstrip(".")
        assert category in REJECTED and f"{category}:{code} {said}" in text
        assert f"; {category} = Acknowledgement/Rejected" in text


def test_999_and_ta1_read_as_verdicts_with_errors_in_words():
    assert "A (Accepted)" in _view(CORPUS / "999" / "oopfactory__DHS_Wisconsin_Sample.txt")
    ta1 = next(p for p in corpus_files("TA1") if _models(p))
    assert _view(ta1).startswith("TA1: interchange")


@pytest.mark.parametrize("list_name, segment, position", [
    ("ik304", "IK3", 4), ("ik403", "IK4", 3), ("ik502", "IK5", 2), ("ak905", "AK9", 5)])
def test_acknowledgment_code_lists_are_the_guides(list_name, segment, position):
    schema, _ = default_registry().resolve("999", "005010X231A1", "005010X231A1")
    guide = next(s.elements[position].codes for s in _segments(schema.top) if s.id == segment)
    assert set(codes.entries(list_name)) == set(guide)


def _segments(loop):
    for child in loop.children:
        yield from (_segments(child) if hasattr(child, "children") else (child,))


def test_show_command_text_json_and_errors(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["show", str(FIXTURES / "remittance-835.x12")])
    assert result.exit_code == 0 and "Claim payment A010000000001" in result.output
    result = runner.invoke(main, ["show", "--format", "json", str(FIXTURES / "claims-837p.x12")])
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["pcn"] for r in records] == [c.pcn for c in read(FIXTURES / "claims-837p.x12")]
    broken = tmp_path / "cut.x12"
    broken.write_bytes(b"ISA*00*bad")
    result = runner.invoke(main, ["show", str(broken)])
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_show_into_a_closed_pipe_ends_quietly():
    proc = subprocess.run(f"{sys.executable} -m x12kit.cli show {FIXTURES} | head -1",
                          shell=True, capture_output=True, text=True)
    assert proc.stderr == ""
