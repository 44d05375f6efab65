"""``x12kit batch``: the per-input JSON contract, rejected files set aside with their
findings, re-runs, duplicates, a run killed at random moments, workers, dead workers, and
acknowledgment control numbers across runs. Real corpus files, copied into tmp folders."""
from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from x12kit import read_segments
from x12kit.batch import Settings, run_batch
from x12kit.batch.manifest import MANIFEST_FILE
from x12kit.batch.pool import WorkerLost
from x12kit.batch.staging import WORK_FOLDER
from x12kit.cli import main

from .conftest import CORPUS, ROOT
from .test_log import phi_values

CLEAN_837P = CORPUS / "837P" / "lfhx12__demo.837"
CLEAN_835 = CORPUS / "835" / "tastyx12__profee-multiple.edi"
ONE_BAD_SET = CORPUS / "270" / "x12edikit__batch_with_one_bad_transaction.x12"  # sets 1-3, 2 rejected
NO_ISA = CORPUS / "835" / "pbx12__example835NoISA.txt"
REJECTED_837P = CORPUS / "837P" / "imsweb__x12_multiple_st.txt"
OUTPUT_FOLDERS = ("converted", "acks", "rejected")


def inbox(tmp_path: Path, *files: Path, name: str = "in") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for file in files:
        shutil.copyfile(file, folder / file.name)
    return folder


def batch(*args: str) -> tuple[int, list[dict], str]:
    result = CliRunner().invoke(main, ["batch", "--format", "json", *args])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    return result.exit_code, lines, result.stderr


def by_name(lines: list[dict]) -> dict[str, dict]:
    return {Path(line["path"]).name: line for line in lines}


def files_under(out: Path) -> set[str]:
    return {str(p) for folder in OUTPUT_FOLDERS if (out / folder).is_dir()
            for p in (out / folder).iterdir()}


def manifest_rows(out: Path) -> list[dict]:
    db = sqlite3.connect(out / MANIFEST_FILE)
    db.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in db.execute("SELECT * FROM inputs")]
    finally:
        db.close()


def test_one_json_line_per_input_with_exactly_the_contract(tmp_path):
    folder = inbox(tmp_path, CLEAN_837P, CLEAN_835, NO_ISA)
    code, lines, _ = batch(str(folder), "-o", str(tmp_path / "out"), "--to", "json")
    assert code == 1   # one input could not be read
    assert len(lines) == 3
    for line in lines:
        assert list(line) == ["path", "sha256", "status", "outputs"]
        assert line["sha256"] == hashlib.sha256(Path(line["path"]).read_bytes()).hexdigest()
        assert all(Path(p).is_file() for p in line["outputs"])
    statuses = {name: line["status"] for name, line in by_name(lines).items()}
    assert statuses == {CLEAN_837P.name: "done", CLEAN_835.name: "done",
                        NO_ISA.name: "rejected"}
    converted = by_name(lines)[CLEAN_837P.name]["outputs"]
    assert [Path(p).parent.name for p in converted] == ["converted"]
    document = json.loads(Path(converted[0]).read_text())
    assert document["format"] == "x12kit-document"


def test_an_unreadable_file_goes_to_rejected_with_its_findings(tmp_path):
    folder = inbox(tmp_path, NO_ISA, REJECTED_837P)
    out = tmp_path / "out"
    code, lines, _ = batch(str(folder), "-o", str(out), "--to", "ndjson")
    assert code == 1
    for name, line in by_name(lines).items():
        assert line["status"] == "rejected"
        copy = next(p for p in line["outputs"] if p.endswith(line["sha256"][:12]))
        assert Path(copy).parent == out / "rejected"
        assert Path(copy).read_bytes() == (folder / name).read_bytes()
        findings_path = next(p for p in line["outputs"] if p.endswith(".findings.json"))
        [findings] = json.loads(Path(findings_path).read_text())
        if name == NO_ISA.name:   # cannot be read: an error with its place, nothing converted
            assert findings["error"]["offset"] >= 0 and "ISA" in findings["error"]["message"]
            assert not [p for p in line["outputs"] if "/converted/" in p]
        else:                     # read, and its sets rejected, each finding with its place
            sets = [s for isa in findings["interchanges"] for gs in isa["groups"]
                    for s in gs["transactions"]]
            assert sets and all(s["status"] == "rejected" for s in sets)
            assert all(d["offset"] >= 0 and d["segment_id"] for s in sets
                       for d in s["diagnostics"])
            text = Path(findings_path).read_text()
            assert not [value for value in phi_values(folder / name) if value in text]


def test_the_good_sets_of_a_rejected_file_are_still_converted(tmp_path):
    out = tmp_path / "out"
    code, [line], _ = batch(str(inbox(tmp_path, ONE_BAD_SET)), "-o", str(out), "--to", "ndjson")
    assert code == 1 and line["status"] == "rejected"
    [converted] = [p for p in line["outputs"] if "/converted/" in p]
    records = [json.loads(r) for r in Path(converted).read_text().splitlines()]
    [findings_path] = [p for p in line["outputs"] if p.endswith(".findings.json")]
    [findings] = json.loads(Path(findings_path).read_text())
    verdicts = {s["control_number"]: s["status"] for isa in findings["interchanges"]
                for gs in isa["groups"] for s in gs["transactions"]}
    accepted = {number for number, status in verdicts.items() if status != "rejected"}
    assert accepted and accepted != set(verdicts)
    assert {r["envelope"]["set"]["control_number"] for r in records} == accepted


def test_a_rerun_skips_what_is_done_with_the_same_outputs(tmp_path):
    folder = inbox(tmp_path, CLEAN_837P, REJECTED_837P)
    out = tmp_path / "out"
    _, first, _ = batch(str(folder), "-o", str(out), "--to", "json", "--acks")
    made = files_under(out)
    code, again, _ = batch(str(folder), "-o", str(out), "--to", "json", "--acks")
    assert code == 0
    assert [line["status"] for line in again] == ["skipped", "skipped"]
    assert by_name(again)[CLEAN_837P.name]["outputs"] == by_name(first)[CLEAN_837P.name]["outputs"]
    assert files_under(out) == made


def test_the_same_bytes_under_another_name_are_a_duplicate(tmp_path):
    folder = inbox(tmp_path, CLEAN_837P)
    shutil.copyfile(CLEAN_837P, folder / "renamed.x12")
    out = tmp_path / "out"
    code, lines, _ = batch(str(folder), "-o", str(out), "--to", "json")
    assert code == 0
    assert sorted(line["status"] for line in lines) == ["done", "duplicate"]
    assert [line["outputs"] for line in lines if line["status"] == "duplicate"] == [[]]
    later = inbox(tmp_path, CLEAN_837P, name="later")
    _, [line], _ = batch(str(later), "-o", str(out), "--to", "json")
    assert line["status"] == "duplicate"
    assert sorted(row["status"] for row in manifest_rows(out)) == ["done", "duplicate",
                                                                   "duplicate"]


def test_globs_are_inputs_and_a_pattern_matching_nothing_is_a_usage_error(tmp_path):
    folder = inbox(tmp_path, CLEAN_837P, CLEAN_835)
    code, lines, _ = batch(str(folder / "*.837"), "-o", str(tmp_path / "out"))
    assert code == 0 and [Path(line["path"]).name for line in lines] == [CLEAN_837P.name]
    result = CliRunner().invoke(main, ["batch", str(folder / "*.nothing"), "-o",
                                       str(tmp_path / "out")])
    assert result.exit_code == 2 and "matches no file" in result.stderr
    assert "Traceback" not in result.stderr


def test_without_a_terminal_one_log_line_per_input_without_values(tmp_path):
    folder = inbox(tmp_path, CLEAN_837P, REJECTED_837P, CLEAN_835)
    _, _, stderr = batch(str(folder), "-o", str(tmp_path / "out"))
    lines = [line for line in stderr.splitlines() if "batch.file" in line]
    assert len(lines) == 3
    values = set().union(*(phi_values(folder / name) for name in os.listdir(folder)))
    assert not [value for value in values if value in stderr]


def test_workers_one_and_two_give_the_same_outputs(tmp_path):
    files = [CLEAN_837P, CLEAN_835, ONE_BAD_SET, NO_ISA, REJECTED_837P]
    folder = inbox(tmp_path, *files)
    contents = []
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}"
        _, lines, _ = batch(str(folder), "-o", str(out), "--to", "ndjson", "--workers", workers)
        contents.append((sorted((Path(l["path"]).name, l["status"]) for l in lines),
                         {Path(p).relative_to(out).as_posix(): Path(p).read_bytes()
                          for p in files_under(out)}))
    assert contents[0] == contents[1]


def test_ack_control_numbers_never_repeat_across_runs(tmp_path):
    out = tmp_path / "out"
    batch(str(inbox(tmp_path, CLEAN_837P, REJECTED_837P, name="a")), "-o", str(out), "--acks")
    batch(str(inbox(tmp_path, CLEAN_835, ONE_BAD_SET, name="b")), "-o", str(out), "--acks")
    numbers = []
    for ack in (out / "acks").iterdir():
        numbers += [int(seg.element(13)) for seg in read_segments(ack) if seg.id == "ISA"]
    assert len(numbers) >= 4
    assert len(set(numbers)) == len(numbers)


def test_acks_answer_each_claim_of_a_claim_file_with_a_277ca(tmp_path):
    from x12kit.models import read
    from x12kit.models.claims import Claim
    out = tmp_path / "out"
    code, lines, _ = batch(str(inbox(tmp_path, ROOT / "fixtures" / "claims-837p.x12",
                                     CLEAN_835)), "-o", str(out), "--acks")
    assert code == 0 and {line["status"] for line in lines} == {"done"}
    answers = list((out / "acks").glob("*.277ca"))
    assert len(answers) == 1 and "claims-837p" in answers[0].name   # none for the 835
    claims = [m for m in read(ROOT / "fixtures" / "claims-837p.x12") if isinstance(m, Claim)]
    answered = [seg.element(2) for seg in read_segments(answers[0])
                if seg.id == "TRN" and seg.element(1) == "2"]
    assert claims and {c.pcn for c in claims} <= set(answered)


def _kill_one(path: str) -> str:
    """A worker's work that dies on one input (as a worker the kernel kills for memory)."""
    if path.endswith(NO_ISA.name):
        os.kill(os.getpid(), signal.SIGKILL)
    return path


def test_a_dead_worker_is_reported_naming_its_file_and_the_run_goes_on(tmp_path, monkeypatch):
    folder = inbox(tmp_path, CLEAN_837P, NO_ISA, CLEAN_835)
    import x12kit.batch.run as run_module
    real = run_module.process_file
    monkeypatch.setattr(run_module, "process_file",
                        lambda job, settings: real(job, settings) if _kill_one(job.path) else None)
    results = []
    run_batch([str(folder)], Settings(tmp_path / "out", "json", 5, False, tmp_path / "n"), 2,
              results.append)
    statuses = {Path(r.path).name: (r.status, r.error) for r in results}
    assert statuses[CLEAN_837P.name][0] == statuses[CLEAN_835.name][0] == "done"
    status, error = statuses[NO_ISA.name]
    assert status == "rejected"
    assert NO_ISA.name in error and WorkerLost(-signal.SIGKILL).reason() in error
    assert NO_ISA.name not in {Path(row["path"]).name for row in manifest_rows(tmp_path / "out")}


# -- killed at random moments -------------------------------------------------------------

KILL_KINDS = ("837P", "835", "270", "271", "837I")


def test_a_run_killed_at_random_moments_resumes_without_losing_or_repeating(tmp_path):
    files = [f for kind in KILL_KINDS for f in sorted((CORPUS / kind).iterdir())[:12]]
    folder = inbox(tmp_path, *files)
    out = tmp_path / "out"
    command = [sys.executable, str(ROOT / "cli.py"), "batch", str(folder), "-o", str(out),
               "--to", "json", "--acks", "--workers", "2", "--format", "json"]
    chance = random.Random(12)
    recorded_before = 0
    for _ in range(5):
        child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
        # killed mid-run, whatever the machine's speed: once a few more inputs are recorded,
        # then at a random moment of the next ones
        target = recorded_before + chance.randint(1, 8)
        while child.poll() is None and _recorded(out) < target:
            time.sleep(0.02)
        time.sleep(chance.uniform(0, 0.3))
        os.killpg(child.pid, signal.SIGKILL)   # the run and its workers, as a crash would
        child.wait()
        recorded_before = _recorded(out)
    assert recorded_before < len(files)    # the kills left work for the last run
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert "Traceback" not in finished.stderr
    lines = [json.loads(line) for line in finished.stdout.splitlines()]
    assert sorted(Path(line["path"]).name for line in lines) == sorted(f.name for f in files)

    rows = manifest_rows(out)
    assert sorted(Path(row["path"]).name for row in rows) == sorted(f.name for f in files)
    assert {row["status"] for row in rows} <= {"done", "rejected"}
    recorded = [str(out / p) for row in rows for p in json.loads(row["outputs"])]
    assert len(recorded) == len(set(recorded))
    assert set(recorded) == files_under(out)   # every output recorded once, nothing more
    for line in lines:   # and what the last run printed agrees with the manifest
        row = next(r for r in rows if Path(r["path"]).name == Path(line["path"]).name)
        assert sorted(line["outputs"]) == sorted(str(out / p) for p in json.loads(row["outputs"]))
    assert not (out / WORK_FOLDER).exists()
    leftovers = [p for p in out.rglob("*") if p.name.endswith((".tmp", ".part"))]
    assert leftovers == []
    for row in rows:     # each output complete: the JSON documents parse
        for p in json.loads(row["outputs"]):
            if p.endswith(".json"):
                json.loads((out / p).read_text())


def _recorded(out: Path) -> int:
    try:
        return len(manifest_rows(out))
    except sqlite3.OperationalError:   # not made yet, or being made
        return 0


def test_on_a_terminal_a_summary_table_counts_the_run(capsys):
    from decimal import Decimal

    from x12kit.batch import FileResult
    from x12kit.batch.progress import Progress
    progress = Progress(terminal=True)
    progress.start(3, 3000)
    progress.advance(FileResult("a.x12", "0" * 64, "done", size=1000, sets=2, accepted=2,
                                claims=5, dollars=Decimal("120.50")))
    progress.advance(FileResult("b.x12", "1" * 64, "rejected", size=1000, sets=3, accepted=1,
                                rejected=2, claims=7, dollars=Decimal("1000")))
    progress.advance(FileResult("c.x12", "0" * 64, "duplicate", size=1000))
    progress.close()
    table = capsys.readouterr().err
    rows = {line.strip("│ ").split("│")[0].strip(): line.split("│")[-2].strip()
            for line in table.splitlines() if line.count("│") == 3}
    assert rows["files"] == "3" and rows["duplicate"] == "1" and rows["rejected"] == "1"
    assert rows["sets"] == "5" and rows["sets rejected"] == "2" and rows["claims"] == "12"
    assert rows["dollars (billed)"] == "1,120.50"


def test_parquet_gives_each_input_its_tables_and_its_findings(tmp_path):
    import pyarrow.parquet as pq
    folder = inbox(tmp_path, CLEAN_837P, REJECTED_837P)
    _, lines, _ = batch(str(folder), "-o", str(tmp_path / "out"), "--to", "parquet")
    outputs = {name: {Path(p).name.split(".")[-2]: p for p in line["outputs"]
                      if p.endswith(".parquet")} for name, line in by_name(lines).items()}
    claims = pq.read_table(outputs[CLEAN_837P.name]["claims"])
    assert claims.num_rows == sum(seg.id == "CLM" for seg in read_segments(CLEAN_837P))
    assert set(claims.column("source").to_pylist()) == {str(folder / CLEAN_837P.name)}
    # every set rejected: nothing converted, but its findings are a table
    assert set(outputs[REJECTED_837P.name]) == {"findings"}
    [findings] = json.loads(Path(next(p for p in by_name(lines)[REJECTED_837P.name]["outputs"]
                                      if p.endswith(".findings.json"))).read_text())
    listed = sum(len(s["diagnostics"]) for isa in findings["interchanges"]
                 for gs in isa["groups"] for s in gs["transactions"]) \
        + sum(len(isa["diagnostics"]) + sum(len(gs["diagnostics"]) for gs in isa["groups"])
              for isa in findings["interchanges"])
    assert pq.read_table(outputs[REJECTED_837P.name]["findings"]).num_rows == listed
