"""The command line, as a person and a script use it: outputs, exit codes, no tracebacks."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime

from click.testing import CliRunner

from x12kit import read_segments
from x12kit.acks.ta1 import interchange_findings, ta1_interchange
from x12kit.cli import main

from .conftest import CORPUS, ROOT

DEMO = str(CORPUS / "837P/lfhx12__demo.837")
BROKEN = str(CORPUS / "837I/pyx12__trailer_errors.txt")
NO_ISA = str(CORPUS / "835/pbx12__example835NoISA.txt")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_info_text_names_sets_and_counts():
    result = run("info", DEMO)
    assert result.exit_code == 0
    assert "ST 837 0021 005010X222A2 segments=41 claims=1" in result.output
    assert "HL20=1 HL22=1 HL23=1" in result.output


def test_info_json_is_a_document_per_file():
    result = run("info", "--format", "json", DEMO, str(CORPUS / "835/lfhx12__demo.835"))
    docs = json.loads(result.output)
    assert [d["interchanges"][0]["groups"][0]["transactions"][0]["id"] for d in docs] == \
        ["837", "835"]
    assert docs[1]["interchanges"][0]["groups"][0]["transactions"][0]["claim_payments"] >= 1


def test_bad_input_is_one_line_per_finding_and_exit_1():
    result = run("info", BROKEN)
    assert result.exit_code == 1
    lines = [l for l in result.output.splitlines() if "trailer" in l or "control" in l]
    assert any(":" in l and "seg #" in l and "SE01 [IK502 4]" in l for l in lines)
    assert "Traceback" not in result.output


def test_unreadable_input_exit_1_without_traceback():
    for path, place in ((NO_ISA, ":1:1: error: no ISA"),
                        ("/nonexistent/file.x12", ": error: cannot read: No such file")):
        result = run("info", path)
        assert result.exit_code == 1
        assert result.output.startswith(f"{path}{place}")


def test_usage_error_exits_2():
    assert run("split", DEMO).exit_code == 2
    assert run("normalize", DEMO, "--delimiters", "**^~").exit_code == 2


def test_normalize_keeps_separators_and_drops_layout(tmp_path):
    source = CORPUS / "837I/vscodeedi__X223-837I-two-claims-for-the-same-provider.edi"  # wrapped
    out = tmp_path / "n.x12"
    assert run("normalize", str(source), "-o", str(out)).exit_code == 0
    text = out.read_bytes()
    assert [s.elements for s in read_segments(text)] == [s.elements for s in read_segments(source)]
    assert all(line.endswith(b"~") for line in text.splitlines())


def test_split_writes_pieces(tmp_path):
    result = run("split", str(CORPUS / "837P/imsweb__x12_multiple_st.txt"), "--by",
                 "transaction", "-o", str(tmp_path), "--fix-counts")
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == \
        ["imsweb__x12_multiple_st.0001.txt", "imsweb__x12_multiple_st.0002.txt"]
    assert run("info", str(tmp_path / "imsweb__x12_multiple_st.0002.txt")).exit_code == 0


def test_ack_ta1_rejects_a_bad_interchange():
    result = CliRunner().invoke(main, ["ack", "--ta1", BROKEN])
    assert result.exit_code == 1
    ta1 = [s for s in read_segments(result.stdout_bytes) if s.id == "TA1"]
    assert [(s.element(4), s.element(5)) for s in ta1] == [("R", "021")]


def test_ta1_answers_each_interchange_with_swapped_parties():
    source = CORPUS / "837P/imsweb__x12_multiple_isa.txt"
    answers = [ta1_interchange(isa, found, n, datetime(2024, 5, 6, 7, 8))
               for n, (isa, found) in enumerate(interchange_findings(read_segments(source)), 1)]
    assert len(answers) == 2
    isa, ta1, iea = answers[0]
    assert isa.element(6).strip() == "RECEIVERS.ID" and isa.element(8).strip() == "SUBMITTERS.ID"
    assert (isa.element(9), isa.element(13)) == ("240506", "000000001")
    assert ta1.elements[1:4] == ("000000905", "030101", "1253")
    assert iea.elements == ("IEA", "0", "000000001")


def _second_isa_broken(data: bytes, isa13: bytes, first_iea: bool = True) -> bytes:
    """The file with its second ISA's ISA13 set to ``isa13`` (and, unless ``first_iea``,
    without the first interchange's IEA)."""
    second = data.index(b"ISA", 1)
    separator = data[second + 3:second + 4]
    fields = data[second:second + 106].split(separator)  # an ISA is 106 bytes, terminator too
    fields[13] = isa13
    head = data[:second]
    if not first_iea:
        head = head[:head.rindex(b"IEA")]
    return head + separator.join(fields) + data[second + 106:]


def test_ta1_files_each_fault_under_the_interchange_it_belongs_to():
    data = (CORPUS / "837P/imsweb__x12_multiple_isa.txt").read_bytes()

    def codes(source: bytes):
        return [(isa.element(13), sorted({d.code for d in found}))
                for isa, found in interchange_findings(read_segments(source))]
    first, second = codes(_second_isa_broken(data, b"00000000X"))
    # (both ISAs carry a "U" in ISA11, the 4010 way: a warning of their own)
    assert first == ("000000905", ["isa-repetition-separator"])  # not the second ISA's fault
    assert second[0] == "00000000X" and "isa-field-invalid" in second[1]
    first, second = codes(_second_isa_broken(data, b"000000906", first_iea=False))
    assert "trailer-missing" in first[1]   # its IEA is missing, found at the next ISA
    assert "trailer-missing" not in second[1]


def test_cli_py_shim_runs_the_same_command():
    shim = subprocess.run([sys.executable, str(ROOT / "cli.py"), "info", "--format", "json",
                           DEMO], capture_output=True, text=True)
    assert shim.returncode == 0
    assert json.loads(shim.stdout)[0]["interchanges"][0]["control_number"] == "000000907"


def test_stdin_and_gzip_inputs(tmp_path):
    import gzip
    data = (CORPUS / "837P/lfhx12__demo.837").read_bytes()
    from_stdin = CliRunner().invoke(main, ["info", "--format", "json", "-"], input=data)
    assert from_stdin.exit_code == 0
    assert json.loads(from_stdin.output)[0]["file"] == "<stdin>"
    packed = tmp_path / "demo.837.gz"
    packed.write_bytes(gzip.compress(data))
    from_gzip = json.loads(run("info", "--format", "json", str(packed)).output)[0]
    assert from_gzip["interchanges"] == json.loads(from_stdin.output)[0]["interchanges"]

