"""``x12kit build``: typed records to one X12 file, from the command line."""
from __future__ import annotations

import io
import json

from click.testing import CliRunner

from x12kit.cli import main
from x12kit.convert.ndjson import write_ndjson
from x12kit.reader import read_segments

from .conftest import FIXTURES
from .generate_helpers import set_bodies, x12kit_findings


def run(*args: str):
    return CliRunner().invoke(main, ["build", *args], catch_exceptions=False)


def _records(tmp_path, name="claims-837p.x12", edit=None):
    out = io.BytesIO()
    write_ndjson(FIXTURES / name, out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    if edit:
        edit(lines)
    path = tmp_path / f"{name}.ndjson"
    path.write_text("".join(json.dumps(r) + "\n" for r in lines))
    return path


def test_build_gives_back_the_file_with_its_parties(tmp_path):
    result = run(str(_records(tmp_path)), "-o", str(tmp_path / "out.x12"))
    assert result.exit_code == 0, result.output
    out = (tmp_path / "out.x12").read_bytes()
    assert set_bodies(out) == set_bodies(FIXTURES / "claims-837p.x12")
    assert x12kit_findings(out) == []
    before = next(iter(read_segments(FIXTURES / "claims-837p.x12")))
    after = next(iter(read_segments(out)))
    assert after.elements[5:9] == before.elements[5:9]


def test_options_name_the_parties_and_usage(tmp_path):
    result = run(str(_records(tmp_path)), "-o", str(tmp_path / "out.x12"),
                 "--sender", "ZZ:SUBMITTER01", "--receiver", "30:123456789", "--usage", "T",
                 "--delimiters", "|>!~", "--no-line-breaks")
    assert result.exit_code == 0, result.output
    out = (tmp_path / "out.x12").read_bytes()
    isa, gs = list(read_segments(out))[:2]
    assert [isa.element(n).strip() for n in (5, 6, 7, 8, 15)] == [
        "ZZ", "SUBMITTER01", "30", "123456789", "T"]
    assert (gs.element(2), gs.element(3)) == ("SUBMITTER01", "123456789")
    assert b"\n" not in out and out.startswith(b"ISA|")
    assert x12kit_findings(out) == []


def test_control_numbers_differ_from_build_to_build(tmp_path):
    source = str(_records(tmp_path))
    for name in ("a.x12", "b.x12"):
        assert run(source, "-o", str(tmp_path / name)).exit_code == 0
    first, second = (next(iter(read_segments(tmp_path / n))).element(13)
                     for n in ("a.x12", "b.x12"))
    assert first != second
    assert (tmp_path / ".x12kit-control-number").exists()


def _unbalanced(lines):
    lines[1]["charge"] = "1.00"


def test_bad_input_is_listed_with_its_place_and_nothing_is_written(tmp_path):
    result = run(str(_records(tmp_path, edit=_unbalanced)), "-o", str(tmp_path / "out.x12"))
    assert result.exit_code == 1
    assert "claims-837p.x12.ndjson:2: /charge: CLM02 Total Claim Charge Amount: unbalanced" \
        in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.x12").exists()


def test_lenient_writes_with_warnings(tmp_path):
    result = run(str(_records(tmp_path, edit=_unbalanced)), "-o", str(tmp_path / "out.x12"),
                 "--lenient")
    assert result.exit_code == 0
    assert "warning:" in result.output and (tmp_path / "out.x12").exists()


def test_an_input_that_cannot_be_read_is_one_line(tmp_path):
    result = run(str(tmp_path / "missing.ndjson"), "-o", str(tmp_path / "out.x12"))
    assert result.exit_code == 1
    assert result.output.strip().endswith("missing.ndjson: No such file or directory")


def test_a_bad_option_is_a_usage_error(tmp_path):
    result = run(str(_records(tmp_path)), "-o", str(tmp_path / "o.x12"), "--sender", "NOID")
    assert result.exit_code == 2


def test_convert_to_ndjson_then_build_gives_back_the_file(tmp_path):
    for name in ("claims-837p.x12", "remittance-835.x12"):
        records = tmp_path / f"{name}.ndjson"
        converted = CliRunner().invoke(main, ["convert", str(FIXTURES / name), "--to", "ndjson",
                                              "-o", str(records)], catch_exceptions=False)
        assert converted.exit_code == 0, converted.output
        result = run(str(records), "-o", str(tmp_path / name))
        assert result.exit_code == 0, result.output
        assert set_bodies(tmp_path / name) == set_bodies(FIXTURES / name)
        assert x12kit_findings((tmp_path / name).read_bytes()) == []


def test_a_lossless_document_builds_the_same_segments(tmp_path):
    for name in ("claims-837p.x12", "remittance-835.x12"):
        document = tmp_path / f"{name}.json"
        converted = CliRunner().invoke(main, ["convert", str(FIXTURES / name), "--to", "json",
                                              "-o", str(document)], catch_exceptions=False)
        assert converted.exit_code == 0, converted.output
        result = run(str(document), "-o", str(tmp_path / name), "--usage", "T")
        assert result.exit_code == 0, result.output
        assert set_bodies(tmp_path / name) == set_bodies(FIXTURES / name)
        assert next(iter(read_segments(tmp_path / name))).element(15) == "T"


def test_a_broken_document_is_one_problem_and_nothing_is_written(tmp_path):
    document = tmp_path / "broken.json"
    document.write_text('{"format": "x12kit-document", "version": 1, "content": [\n')
    result = run(str(document), "-o", str(tmp_path / "out.x12"))
    assert result.exit_code == 1
    assert "broken.json: /: document: bad-document" in result.output
    assert not (tmp_path / "out.x12").exists()
