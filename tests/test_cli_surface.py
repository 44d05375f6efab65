"""One command-line surface: every command takes --format, -o and stdin; validate and info
take folders and close with totals; acks are written as due, never over another, with
control numbers unique across files and runs; a closed pipe ends a command quietly."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from x12kit import read_segments
from x12kit.cli import COUNTER_FILE, main
from x12kit.schema.registry import load_schema
from x12kit.validate.pipeline import validate

from .conftest import CORPUS, ROOT

DEMO = CORPUS / "837P/lfhx12__demo.837"
BROKEN = CORPUS / "837I/pyx12__trailer_errors.txt"          # interchange faults: TA1 due
REMIT = CORPUS / "835/edi835__emedny_sample.txt"
MANY_FINDINGS = CORPUS / "837P/imsweb__x12_many_claims.txt"


def run(*args, input: bytes | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input,
                              catch_exceptions=False)


def acks_of(data: bytes) -> list[str]:
    """The kind of each acknowledgment interchange: "999" or "TA1"."""
    kinds, current = [], ""
    for seg in read_segments(data):
        if seg.id in ("ST", "TA1"):
            current = seg.element(1) if seg.id == "ST" else "TA1"
        elif seg.id == "IEA":
            kinds.append(current)
    return kinds


def control_numbers(data: bytes) -> list[str]:
    return [seg.element({"ISA": 13, "GS": 6, "ST": 2}[seg.id])
            for seg in read_segments(data) if seg.id in ("ISA", "GS", "ST")]


@pytest.mark.parametrize("command", [["info"], ["validate"], ["ack"], ["normalize"]])
def test_every_command_reads_stdin_and_writes_to_output(command, tmp_path):
    out = tmp_path / "out"
    result = run(*command, "-", "--format", "json", "-o", out, input=DEMO.read_bytes())
    assert result.exit_code == 0, result.output
    written = out.read_bytes()
    if command[0] in ("info", "validate"):
        assert json.loads(written)[0]["file"] == "<stdin>"
    else:  # X12 out, whatever --format says of findings
        assert next(iter(read_segments(written))).id == "ISA"


def test_split_reads_stdin_into_the_output_folder(tmp_path):
    result = run("split", "-", "--by", "transaction", "--output", tmp_path, "--format", "json",
                 input=DEMO.read_bytes())
    assert result.exit_code == 0
    assert [p.rsplit("/", 1)[-1] for p in json.loads(result.output)["pieces"]] == \
        ["stdin.0001.x12"]


def test_folders_are_searched_for_x12_files_and_totals_close_the_run(tmp_path):
    (tmp_path / "sub").mkdir()
    shutil.copy(DEMO, tmp_path / "claims.837")
    shutil.copy(REMIT, tmp_path / "sub" / "remit.txt")
    (tmp_path / "notes.txt").write_text("not X12")
    shutil.copy(CORPUS / "SOURCES.md", tmp_path / "sub" / "SOURCES.md")
    reports = [r for path in (DEMO, REMIT) for r in validate(path)]
    sets = [s for r in reports for s in r.sets]
    result = run("validate", tmp_path)
    assert result.exit_code == (0 if all(r.accepted for r in reports) else 1)
    assert result.output.splitlines()[-1].startswith(
        f"totals: 2 file(s), {len(reports)} interchange(s), {len(sets)} set(s) "
        f"({sum(s.status != 'rejected' for s in sets)} accepted, ")
    info = run("info", "--format", "json", tmp_path)
    assert sorted(doc["file"].rsplit("/", 1)[-1] for doc in json.loads(info.output)) == \
        ["claims.837", "remit.txt"]
    assert run("info", tmp_path).output.splitlines()[-1].startswith("totals: 2 file(s)")


def test_ack_writes_the_999_and_a_ta1_where_one_is_due():
    for source in (BROKEN, DEMO):
        result = CliRunner().invoke(main, ["ack", str(source)])
        (report,) = validate(source)
        ta1_due = bool(report.diagnostics) or report.header.element(14) == "1"
        assert acks_of(result.stdout_bytes) == ["999"] + ["TA1"] * ta1_due
        assert result.exit_code == (0 if report.accepted else 1)


def test_ack_dir_never_overwrites_and_control_numbers_never_repeat(tmp_path):
    for folder, source in (("a", BROKEN), ("b", DEMO)):
        (tmp_path / folder).mkdir()
        shutil.copy(source, tmp_path / folder / "claims.x12")
    acks = tmp_path / "acks"
    for _ in range(2):  # two runs, each over two inputs of the same name
        run("validate", "--ack-dir", acks, tmp_path / "a", tmp_path / "b")
    written = sorted(p.name for p in acks.glob("claims*"))
    assert [n for n in written if n.endswith(".999")] == \
        ["claims.x12-2.999", "claims.x12-3.999", "claims.x12-4.999", "claims.x12.999"]
    numbers = [n for p in acks.glob("claims*") for n in control_numbers(p.read_bytes())]
    assert len(numbers) == len({int(n) for n in numbers})
    assert int((acks / COUNTER_FILE).read_text()) == max(int(n) for n in numbers) + 1


def test_control_number_option_sets_the_first_number(tmp_path):
    counter = tmp_path / "counter"
    first = CliRunner().invoke(main, ["ack", str(BROKEN), "--control-number", "500",
                                      "--counter", str(counter)])
    assert control_numbers(first.stdout_bytes)[0] == "000000500"
    later = CliRunner().invoke(main, ["ack", str(BROKEN), "--counter", str(counter)])
    assert int(control_numbers(later.stdout_bytes)[0]) == \
        max(int(n) for n in control_numbers(first.stdout_bytes)) + 1
    assert run("ack", BROKEN, "--control-number", "0").exit_code == 2


def test_ta1_flag_still_answers_every_interchange_with_a_ta1_only():
    result = CliRunner().invoke(main, ["ack", "--ta1", str(DEMO)])
    assert acks_of(result.stdout_bytes) == ["TA1"]


def test_a_closed_pipe_ends_the_command_quietly():
    command = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "validate", "--jobs", "1",
                                str(MANY_FINDINGS)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert command.stdout.readline()
    command.stdout.close()
    assert command.wait(timeout=120) == 141
    assert command.stderr.read() == b""


def test_findings_give_line_column_and_the_guide_name_of_the_element():
    data = MANY_FINDINGS.read_bytes()
    (document,) = json.loads(run("validate", "--format", "json", MANY_FINDINGS).output)
    found = [d for isa in document["interchanges"] for g in isa["groups"]
             for st in g["transactions"] for d in st["diagnostics"]]
    assert found
    schema = load_schema("837P")
    for d in found:
        offset = d["offset"]
        assert d["line"] == data.count(b"\n", 0, offset) + 1
        assert d["column"] == offset - data.rfind(b"\n", 0, offset)
        if d["loop_id"] == "2010AA" and d["element_ref"] == "NM109":
            expected = schema.segment("2010AA", "NM1", "85").elements[9].name
            assert d["element_name"] == expected
    first = found[0]
    (line,) = [line for line in run("validate", MANY_FINDINGS).output.splitlines()
               if f" seg #{first['segment_number']} " in line]
    assert line.startswith(f"{MANY_FINDINGS}:{first['line']}:{first['column']}: ")
    assert f"{first['element_ref']} {first['element_name']} " in line


def test_stdin_findings_are_placed_by_byte():
    result = run("validate", "-", input=MANY_FINDINGS.read_bytes())
    assert result.output.splitlines()[0].startswith("<stdin>: byte ")
