"""Acknowledgments for every real 5010 file: a 999 per group that our validator and pyx12 both
accept, whatever the file's faults (pyx12's own 999 writer crashes on 835s without ST03)."""
from __future__ import annotations

import io
import logging
from datetime import datetime

import pytest

from x12kit import X12ReadError, write_segments
from x12kit.acks.ack999 import ack_999
from x12kit.acks.ta1 import ta1_interchange
from x12kit.validate.pipeline import validate

from .conftest import corpus_files, corpus_id, sources_table

WHEN = datetime(2024, 1, 1, 12, 0)
KINDS = ("837P", "837I", "837D", "835", "270", "271", "276", "277", "277CA", "999")
SOURCES = sources_table()
FILES = [f for kind in KINDS for f in corpus_files(kind)
         if SOURCES.get(corpus_id(f), {}).get("version", "").startswith("00501")]


def acknowledge(path) -> tuple[bytes, bytes]:
    """(the 999s, the TA1s) answering every interchange of ``path``."""
    acks, ta1s = io.BytesIO(), io.BytesIO()
    try:
        reports = list(validate(path, snip=5))
    except X12ReadError:
        return b"", b""
    for n, report in enumerate(reports, start=1):
        write_segments(ack_999(report, WHEN, n), acks, layout="lines")
        write_segments(ta1_interchange(report.header, report.diagnostics, n, WHEN), ta1s,
                       layout="lines")
    return acks.getvalue(), ta1s.getvalue()


def test_the_corpus_has_5010_files_of_each_kind():
    assert {f.parent.name for f in FILES} >= {"837P", "837I", "835", "270", "271", "276",
                                              "277", "277CA", "999"}


@pytest.mark.parametrize("path", FILES, ids=corpus_id)
def test_every_5010_file_gets_acknowledgments_that_validate_clean(path):
    acks, ta1s = acknowledge(path)
    reports = [r for stream in (acks, ta1s) if stream for r in validate(stream, snip=5)]
    for report in reports:
        assert report.findings() == []
        assert all(s.status == "accepted" and s.header.element(1) == "999" for s in report.sets)
    if path.parent.name == "999":  # a 999 is not answered with a 999, nor an empty ISA..IEA
        assert acks == b""


@pytest.mark.parametrize("path", [f for f in FILES if f.parent.name == "835"], ids=corpus_id)
def test_pyx12_accepts_our_999_for_real_835s(path, tmp_path, caplog):
    import pyx12.params
    import pyx12.x12n_document
    acks, _ = acknowledge(path)
    if b"ST*999" not in acks:
        pytest.skip("no functional group to acknowledge")
    target = tmp_path / "ack.999"
    target.write_bytes(acks.split(b"ISA*", 2)[1].join((b"ISA*", b"")))  # the first interchange
    with caplog.at_level(logging.ERROR, logger="pyx12"):
        ok = pyx12.x12n_document.x12n_document(pyx12.params.params(), str(target), None, None)
    assert ok and not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("path", FILES, ids=corpus_id)
def test_no_finding_message_carries_its_value(path):
    """PHI: the offending value is kept apart (shown only with --show-values)."""
    try:
        reports = list(validate(path, snip=5))
    except X12ReadError:
        return
    for finding in (d for r in reports for d in r.findings()):
        value = finding.value.strip()
        if len(value) >= 6 or (len(value) >= 4 and not value.isdigit()):  # not short counts
            assert value not in finding.message, finding
