"""Validation at scale: results stream per set, findings are capped, workers never lose.

``validate_events`` gives each set's report as the set ends and the group and interchange
ends with counts only; ``Ack999Writer`` answers from those events as they come; the CLI
prints (text or JSON) and acknowledges as they come. A set's findings past
``reports.MAX_KEPT_FINDINGS`` are counted in one ``findings-suppressed`` finding. A worker
process that dies is reported as ``WorkerLost``, naming the file.
"""
from __future__ import annotations

import io
import json
import os
import signal
from collections import Counter
from datetime import datetime

import pytest
from click.testing import CliRunner

from x12kit import X12ReadError, read_segments, write_segments
from x12kit.acks.ack999 import Ack999Writer, ack_999
from x12kit.acks.due import acks_due, write_ack
from x12kit.acks.numbers import ControlNumbers
from x12kit.cli import main
from x12kit.validate import parallel, reports, worker
from x12kit.validate.pipeline import segment_events, validate, validate_events
from x12kit.validate.reports import (GroupEnd, GroupStart, InterchangeEnd, InterchangeStart,
                                     SetCounts, SetReport)

from .conftest import CORPUS, corpus_files, corpus_id, validation_reports
from .test_acks_corpus import FILES as FILES_5010
from .test_unsupported_implementation import CLAIM, ISA

WHEN = datetime(2024, 1, 1, 12, 0)
LINE = "LX*{n}~SV1*HC:99213*60*UN*1***1~DTP*472*D8*20240102~"


def many_lines(lines: int, sets: int = 1, se01: str = "") -> bytes:
    """An 837P interchange of ``sets`` sets of one claim with ``lines`` service lines (the
    guide allows 50: each one past that is a loop over its maximum), its CLM02 unbalanced;
    ``se01`` for a wrong SE01 in each set."""
    body = CLAIM + "".join(LINE.format(n=n) for n in range(3, lines + 1))
    count = se01 or str(body.count("~") + 2)
    one = "ST*837*{n:04d}*005010X222A1~" + body + "SE*" + count + "*{n:04d}~"
    return (f"{ISA}GS*HC*SUBMITTER*RECEIVER*20240101*1200*1*X*005010X222A1~"
            + "".join(one.format(n=n) for n in range(1, sets + 1))
            + f"GE*{sets}*1~IEA*1*000000001~").encode()


# -- events ------------------------------------------------------------------------------------

def test_a_set_is_reported_as_it_ends_before_the_input_is_read_further():
    """The events of a three-set interchange come while its segments are read: each set's
    report when the segment after its SE is asked for, not at the end of the input."""
    segments = list(read_segments(many_lines(4, sets=3)))
    read = []

    def reading():
        for seg in segments:
            read.append(seg.id)
            yield seg
    seen = [(type(e).__name__, len(read)) for e in segment_events(reading())]
    ends = [n for n, seg in enumerate(segments, 1) if seg.id == "SE"]
    assert [name for name, _ in seen] == ["InterchangeStart", "GroupStart", "SetReport",
                                          "SetReport", "SetReport", "GroupEnd",
                                          "InterchangeEnd"]
    assert [at for name, at in seen if name == "SetReport"] == ends


@pytest.mark.parametrize("path", corpus_files("837P") + corpus_files("835"), ids=corpus_id)
def test_end_events_count_the_verdicts_of_their_sets(path):
    """Group and interchange ends hold counts, not sets: counts that agree with the sets
    given before them, and an interchange verdict that agrees with its whole report."""
    try:
        events = list(validate_events(path))
    except X12ReadError:
        return
    group = interchange = None
    for e in events:
        if isinstance(e, InterchangeStart):
            interchange = SetCounts()
        elif isinstance(e, GroupStart):
            group = SetCounts()
        elif isinstance(e, SetReport):
            interchange = interchange.plus(e.status)
            group = group.plus(e.status) if group is not None else None
        elif isinstance(e, GroupEnd):
            assert e.counts == group
            group = None
        elif isinstance(e, InterchangeEnd):
            assert e.counts == interchange
    ends = [e for e in events if isinstance(e, InterchangeEnd)]
    assert [e.accepted for e in ends] == [r.accepted for r in validate(path)]


# -- the cap on findings ------------------------------------------------------------------------

@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(reports, "MAX_KEPT_FINDINGS", 20)
    return 20


def only_set(data: bytes, cap: int | None = None) -> SetReport:
    if cap is None:
        return next(s for r in validate(data) for s in r.sets)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reports, "MAX_KEPT_FINDINGS", cap)
        return only_set(data)


def test_findings_past_the_cap_are_counted_by_code(small_cap):
    uncapped = only_set(many_lines(120), cap=10_000)
    capped = only_set(many_lines(120))
    *kept, summary = capped.diagnostics
    assert kept == uncapped.diagnostics[:small_cap]
    past = Counter(d.code for d in uncapped.diagnostics[small_cap:])
    assert past["loop-over-max"] >= 50
    assert summary.code == "findings-suppressed" and summary.is_error
    assert summary.message == (f"{sum(past.values())} more finding(s) not listed, past the "
                               f"first {small_cap}: "
                               + ", ".join(f"{c} {n}" for c, n in sorted(past.items())))
    assert summary.segment_number == max(d.segment_number for d in uncapped.diagnostics)
    assert capped.status == uncapped.status == "rejected"


def test_a_sets_own_findings_are_kept_past_the_cap(small_cap):
    """SE01 makes the 999's IK5 code: it is never one of those counted away."""
    capped = only_set(many_lines(120, se01="9"))
    assert len(capped.diagnostics) == small_cap + 2
    assert capped.diagnostics[-2].code == "trailer-count-mismatch"


def test_warnings_past_the_cap_leave_the_verdict_as_it_was(small_cap, monkeypatch):
    """The finding that counts the rest has their worst severity: warnings alone do not
    reject the set."""
    from x12kit.diagnostics import Severity
    warning = reports.Diagnostic("w", Severity.WARNING, "m", reports.Level.SEGMENT)
    found = SetReport(next(iter(read_segments(many_lines(3)))), "")
    found.add([warning] * (small_cap + 5))
    assert found.seal().status == "accepted_with_errors"
    assert found.diagnostics[-1].severity is Severity.WARNING


def test_the_999_of_a_capped_set_stays_within_the_cap_and_is_clean(small_cap):
    [report] = validate(many_lines(120))
    segments = ack_999(report, WHEN)
    assert 0 < sum(s.id == "IK3" for s in segments) <= small_cap
    out = io.BytesIO()
    write_segments(segments, out, layout="lines")
    [answer] = validate(out.getvalue())
    assert answer.findings() == [] and [s.status for s in answer.sets] == ["accepted"]


def test_workers_cap_as_a_serial_run_does(small_cap, tmp_path, split_everything):
    path = tmp_path / "lines.837"
    path.write_bytes(many_lines(80, sets=7, se01="3"))
    serial = validation_reports(path, jobs=1)
    assert any(d.code == "findings-suppressed" for r in serial for d in r[1])
    assert validation_reports(path, jobs=2) == serial
    assert len(split_everything) == 7


# -- the 999 as the events come -------------------------------------------------------------------

def streamed_999(path) -> bytes:
    """The 999s the events of ``path`` give, one writer per interchange, numbered from 1."""
    out, writer, numbers = io.BytesIO(), None, ControlNumbers(1)
    for e in validate_events(path):
        if isinstance(e, InterchangeStart):
            writer = Ack999Writer(e.header, WHEN, numbers, False, lambda: out)
        elif writer is not None and not isinstance(e, reports.Stray):
            writer.feed(e)
    return out.getvalue()


@pytest.mark.parametrize("path", FILES_5010, ids=corpus_id)
def test_the_999_written_as_events_come_is_the_999_of_the_whole_report(path):
    try:
        whole, numbers = io.BytesIO(), ControlNumbers(1)
        for report in validate(path):
            for kind, segments in acks_due(report, WHEN):
                if kind == "999":
                    write_ack(segments, whole, numbers)
    except X12ReadError:
        return
    assert streamed_999(path) == whole.getvalue()


# -- the command line ---------------------------------------------------------------------------

def old_document(path: str) -> dict:
    """The JSON document of whole reports (``Renderer.report_dict``), as ``x12kit validate``
    made it before it streamed."""
    from x12kit.render import Renderer
    renderer = Renderer(path)
    doc: dict = {"file": renderer.name, "interchanges": []}
    try:
        for r in validate(path):
            doc["interchanges"].append(renderer.report_dict(r))
    except X12ReadError as error:
        doc["error"] = renderer.error_dict(error)
    return doc


CLI_FILES = [CORPUS / "837P/imsweb__x12_multiple_isa.txt",
             CORPUS / "837I/pyx12__trailer_errors.txt", CORPUS / "835/lfhx12__demo.835",
             CORPUS / "835/pbx12__example835NoISA.txt"]


def test_streamed_json_is_the_document_of_the_whole_reports():
    paths = [str(p) for p in CLI_FILES]
    result = CliRunner().invoke(main, ["validate", "--format", "json", *paths],
                                catch_exceptions=False)
    assert result.exit_code == 1
    assert json.loads(result.output) == [old_document(p) for p in paths]


def test_text_prints_each_set_with_its_findings_then_the_levels_own():
    path = str(CORPUS / "837I/pyx12__trailer_errors.txt")
    result = CliRunner().invoke(main, ["validate", path], catch_exceptions=False)
    lines = result.output.splitlines()
    [report] = validate(path)
    assert len(lines) == len(report.findings()) + len(list(report.sets))
    verdicts = [n for n, line in enumerate(lines) if ": ST 837 " in line]
    assert len(verdicts) == 2 and "trailer-count-mismatch" in lines[verdicts[0] - 1]
    assert "IEA01" in lines[-2] and "IEA02" in lines[-1]   # the interchange's, at its end


def test_ack_dir_holds_the_999_of_each_interchange(tmp_path, monkeypatch):
    import x12kit.cli
    monkeypatch.setattr(x12kit.cli, "datetime", type("Fixed", (), {"now": lambda: WHEN}))
    path = CORPUS / "837P/imsweb__x12_multiple_isa.txt"
    result = CliRunner().invoke(main, ["validate", "--ack-dir", str(tmp_path), str(path)])
    assert result.exit_code in (0, 1)
    written = list(read_segments(tmp_path / f"{path.name}.999"))
    # the same 999s, but for the control numbers, which the ack folder's counter hands out
    # (each one once)
    assert unnumbered(written) == unnumbered(read_segments(streamed_999(path)))
    numbers = [int(s.element(n)) for s in written for i, n in HEADERS.items() if s.id == i]
    assert len(set(numbers)) == len(numbers)


HEADERS = {"ISA": 13, "GS": 6, "ST": 2}
NUMBERED = {**HEADERS, "SE": 2, "GE": 2, "IEA": 2}  # trailers repeat their header's number


def unnumbered(segments) -> list:
    return [tuple(e if (s.id, n) not in NUMBERED.items() else "" for n, e in
                  enumerate(s.elements)) for s in segments]


def test_an_unreadable_tail_leaves_no_partial_999(tmp_path):
    """The 999 of an interchange the input breaks off inside is taken back: the ones before
    it stay whole."""
    from x12kit.tokenizer import DEFAULT_MAX_SEGMENT
    broken_off = many_lines(3, sets=2).replace(b"GE*2*1~IEA*1*000000001~", b"")
    path = tmp_path / "cut.837"
    path.write_bytes(many_lines(3) + broken_off + b"NTE*" + b"X" * DEFAULT_MAX_SEGMENT)
    result = CliRunner().invoke(main, ["validate", "--ack-dir", str(tmp_path / "acks"),
                                       str(path)])
    assert result.exit_code == 1
    acks = list(read_segments(tmp_path / "acks" / "cut.837.999"))
    assert [s.id for s in acks].count("ISA") == 1 and acks[-1].id == "IEA"


# -- workers ------------------------------------------------------------------------------------

def test_many_small_sets_go_to_workers_in_batches(tmp_path, monkeypatch):
    from bench.generate import generate_837p
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "BATCH_BYTES", 1 << 14)
    sent = []
    real = parallel.SetPool.send

    def send(self, offset):
        sent.append(len(self.gathering))
        return real(self, offset)
    monkeypatch.setattr(parallel.SetPool, "send", send)
    path = tmp_path / "one-claim-sets.837"
    path.write_bytes(b"".join(generate_837p(150, claims_per_st=1)))
    serial = validation_reports(path, jobs=1)
    assert validation_reports(path, jobs=2) == serial
    assert sum(sent) == 150 and 1 < len([n for n in sent if n]) < 20


def _dies_in_a_worker(parent: int):
    real = worker._check_set

    def check(*args):
        if os.getpid() != parent:   # the parent's warm-up runs it too: only workers die
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args)
    return check


def test_a_worker_that_dies_is_reported_naming_the_file(tmp_path, monkeypatch):
    from bench.generate import generate_835
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(worker, "_check_set", _dies_in_a_worker(os.getpid()))
    path = tmp_path / "remits.835"
    path.write_bytes(b"".join(generate_835(40, claims_per_st=6)))
    with pytest.raises(parallel.WorkerLost, match="remits.835") as lost:
        list(validate(path, jobs=2))
    assert isinstance(lost.value, X12ReadError) and lost.value.offset > 0
    result = CliRunner().invoke(main, ["validate", "--jobs", "2", str(path)])
    assert result.exit_code == 1 and result.exception is not None  # SystemExit, nothing else
    assert isinstance(result.exception, SystemExit)
    last = result.output.splitlines()[-1]
    assert last.startswith(f"{path}:") and "worker process" in last
    assert "Traceback" not in result.output
