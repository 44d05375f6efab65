"""``x12kit convert``: documents to stdout, a file or a folder; unreadable input is one line
with its place and exit 1, never a traceback."""
from __future__ import annotations

import gzip
import json
import subprocess
import sys

from click.testing import CliRunner
from lxml import etree

from tests.conftest import CORPUS, ROOT, corpus_files
from x12kit.cli import main
from x12kit.commands.convert import WRITERS
from x12kit.convert import segments_from_document
from x12kit.reader import read_segments

DEMO = str(CORPUS / "837P/lfhx12__demo.837")
NO_ISA = str(CORPUS / "835/pbx12__example835NoISA.txt")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_json_to_stdout_gives_the_segments_back():
    result = run("convert", DEMO, "--to", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert [s.elements for s in segments_from_document(document)] == \
        [s.elements for s in read_segments(DEMO)]


def test_xml_to_a_file_and_gzip_input(tmp_path):
    packed = tmp_path / "demo.837.gz"
    packed.write_bytes(gzip.compress(open(DEMO, "rb").read()))
    out = tmp_path / "demo.xml"
    result = run("convert", str(packed), "--to", "xml", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert len(etree.parse(str(out)).findall(".//ST")) == \
        sum(s.id == "ST" for s in read_segments(DEMO))


def test_several_files_go_to_a_folder_one_document_each(tmp_path):
    files = [str(p) for p in corpus_files("835") if b"ISA" in p.read_bytes()[:3]][:3]
    result = run("convert", *files, "--to", "json", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(p.rsplit("/", 1)[1] + ".json" for p in files)


def test_several_files_need_a_folder_and_distinct_names(tmp_path):
    assert run("convert", DEMO, NO_ISA, "--to", "json").exit_code == 2
    assert run("convert", DEMO, DEMO, "--to", "json", "-o", str(tmp_path)).exit_code == 2


def test_unreadable_input_is_one_line_with_its_place_and_exit_1(tmp_path):
    result = run("convert", NO_ISA, str(tmp_path / "missing.x12"), "--to", "json",
                 "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{NO_ISA}:0: error: no ISA")
    assert lines[1] == f"{tmp_path / 'missing.x12'}:0: error: cannot read or write: " \
                       "No such file or directory"
    assert not (tmp_path / "out" / "missing.x12.json").exists()  # nothing made for it
    assert "error" in json.loads((tmp_path / "out" / (NO_ISA.rsplit("/", 1)[1] + ".json"))
                                 .read_text())


def test_every_format_has_its_writer_and_no_other_is_offered():
    assert set(WRITERS) == {"json", "ndjson", "xml"}
    result = run("convert", DEMO, "--to", "ndjson")
    assert result.exit_code == 0 and json.loads(result.stdout.splitlines()[0])["type"] == "Claim"
    result = run("convert", DEMO, "--to", "yaml")
    assert result.exit_code == 2


def test_a_closed_pipe_ends_quietly():
    big = str(max(corpus_files("837P"), key=lambda p: p.stat().st_size))
    command = f"{sys.executable} cli.py convert {big} --to json | head -c 10 > /dev/null"
    done = subprocess.run(["bash", "-c", command + "; echo ${PIPESTATUS[0]}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.stderr == "" and done.stdout.strip() == "1"
