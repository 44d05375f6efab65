"""``x12kit normalize`` on hostile input: refused as validation refuses it, and no partial
output file left behind."""
from __future__ import annotations

from click.testing import CliRunner

from x12kit import read_segments
from x12kit.cli import main

from .conftest import CORPUS

REAL = (CORPUS / "837P/lfhx12__demo.837").read_bytes()
ISA11 = b"*^*00501*"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def repetition_is_terminator() -> bytes:
    assert REAL.count(ISA11) == 1
    return REAL.replace(ISA11, b"*~*00501*")


def test_a_repetition_separator_equal_to_the_terminator_is_refused_as_validate_does(tmp_path):
    source = tmp_path / "in.x12"
    source.write_bytes(repetition_is_terminator())
    out = tmp_path / "out.x12"
    result = run("normalize", str(source), "-o", str(out))
    assert result.exit_code == 1
    assert result.output.startswith(f"{source}:1:1: error: seg #1 ISA: the segment terminator")
    assert "ISA11" in result.output and "Traceback" not in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == [source]
    validated = run("validate", "--jobs", "1", str(source))
    assert validated.exit_code == 1 and "isa-element-count" in validated.output


def test_a_failure_half_way_leaves_an_earlier_output_untouched(tmp_path):
    source = tmp_path / "in.x12"
    second = REAL.replace(b":~", b"~~", 1)  # an interchange with unusable separators
    source.write_bytes(REAL + second)
    out = tmp_path / "out.x12"
    out.write_bytes(b"earlier result")
    result = run("normalize", str(source), "-o", str(out))
    line = REAL.count(b"\n") + 1  # where the second interchange starts: FILE:LINE:COL
    assert result.exit_code == 1 and f"{source}:{line}:1: error: " in result.output
    assert out.read_bytes() == b"earlier result"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.x12", "out.x12"]


def test_success_replaces_the_output_whole(tmp_path):
    out = tmp_path / "out.x12"
    out.write_bytes(b"earlier result")
    assert run("normalize", str(CORPUS / "837P/lfhx12__demo.837"), "-o", str(out)).exit_code == 0
    assert [s.elements for s in read_segments(out)] == [s.elements for s in read_segments(REAL)]
    assert [p.name for p in tmp_path.iterdir()] == ["out.x12"]
