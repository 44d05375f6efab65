"""The 999 and TA1 validation writes go through ``x12kit.generate`` (issue 10): the bytes are
those the hand-built writer wrote before, for every corpus file and fixture, and the 999
reads back as the very models made from validation's reports.

``tests/golden/acks-corpus.sha256`` holds the digest of each file's 999 (without and with
values) and TA1, as ``acknowledge`` makes them, written by the hand-built writer the
generator replaced. After a deliberate change of the acknowledgments, rewrite it with
``X12KIT_UPDATE_GOLDEN=1 python -m pytest tests/test_acks_generated.py`` and review why
each digest changed.
"""
from __future__ import annotations

import hashlib
import io
import os
from datetime import datetime

import pytest

from x12kit import X12ReadError, write_segments
from x12kit.acks.ack999 import acknowledged_group, ack_999, group_acknowledgment, set_response
from x12kit.acks.numbers import ControlNumbers
from x12kit.acks.ta1 import interchange_acknowledgment, ta1_interchange
from x12kit.generate import EnvelopeOptions
from x12kit.generate.writing import Generator
from x12kit.models import read, to_json
from x12kit.reader import read_segments
from x12kit.validate.pipeline import validate
from x12kit.validate.reports import GroupEnd, GroupStart, SetReport, events_of

from .conftest import CORPUS, FIXTURES, ROOT, corpus_files

WHEN = datetime(2024, 1, 1, 12, 0)
MANIFEST = ROOT / "tests" / "golden" / "acks-corpus.sha256"
UPDATE = os.environ.get("X12KIT_UPDATE_GOLDEN") == "1"
FILES = corpus_files() + sorted(p for p in FIXTURES.rglob("*") if p.is_file())
KINDS = ("999", "999-values", "ta1")


def _name(path) -> str:
    return str(path.relative_to(CORPUS if CORPUS in path.parents else ROOT))


def acknowledge(path) -> dict[str, bytes]:
    """The 999 (without and with values) and TA1 of each interchange of ``path``, numbered
    by interchange from 1, as far as the file reads."""
    out = {kind: io.BytesIO() for kind in KINDS}
    try:
        for n, report in enumerate(validate(path, snip=5), start=1):
            write_segments(ack_999(report, WHEN, n), out["999"], layout="lines")
            write_segments(ack_999(report, WHEN, n, show_values=True), out["999-values"],
                           layout="lines")
            write_segments(ta1_interchange(report.header, report.diagnostics, n, WHEN),
                           out["ta1"], layout="lines")
    except X12ReadError:
        pass
    return {kind: data.getvalue() for kind, data in out.items()}


def _digests() -> dict[str, str]:
    found = {}
    for line in MANIFEST.read_text().splitlines():
        digest, name = line.split("  ", 1)
        found[name] = digest
    return found


def test_every_file_gets_the_bytes_it_got_before():
    made = {f"{_name(path)} {kind}": hashlib.sha256(data).hexdigest()
            for path in FILES for kind, data in acknowledge(path).items()}
    if UPDATE:
        MANIFEST.write_text("".join(f"{digest}  {name}\n" for name, digest in made.items()))
    expected = _digests()
    assert sorted(made) == sorted(expected)
    assert [name for name in made if made[name] != expected[name]] == []


def test_the_comparison_covers_answers_of_each_kind():
    made = [acknowledge(path) for path in FILES]
    assert sum(b"IK4" in m["999"] for m in made) >= 10          # element errors
    assert sum(b"CTX*SITUATIONAL" in m["999"] for m in made) >= 3  # situational triggers
    assert sum(m["999"] != m["999-values"] for m in made) >= 10  # IK404 copies
    assert sum(b"GS*FA" in m["999"] and m["999"].count(b"GS*") > 1 for m in made) >= 3
    assert {d.component for m in made for d in _separators(m["ta1"])} >= {":", ">", "^"}
    assert any(b"*R*014" in m["ta1"] for m in made)  # an invalid ISA09, echoed


def _separators(data: bytes):
    return [s.delimiters for s in read_segments(data) if s.id == "ISA"] if data else []


def _made(path, show_values: bool) -> list:
    """The models validation's reports of ``path`` make: TA1, then per group the set
    responses and the group acknowledgment."""
    made = []
    for report in validate(path, snip=5):
        group = None
        for event in events_of(report):
            kind = type(event)
            if kind is GroupStart:
                group = acknowledged_group(event.header)
            elif group is not None and kind is SetReport:
                made.append(set_response(event, group, show_values))
            elif group is not None and kind is GroupEnd:
                made.append(group_acknowledgment(event, group))
        made.append(interchange_acknowledgment(report.header, report.diagnostics))
    return made


def _fields(model) -> dict:
    found = to_json(model)
    found.pop("findings", None)  # the walker's, about the acknowledgment read
    return found


@pytest.mark.parametrize("path", corpus_files("837P") + corpus_files("835") + corpus_files(
    "TA1"), ids=_name)
def test_the_999_and_ta1_read_back_as_the_models_made_from_the_reports(path):
    try:
        made = _made(path, show_values=True)
    except X12ReadError:
        pytest.skip("unreadable: no acknowledgment")
    written = acknowledge(path)
    acks = [m for m in read(written["999-values"])] if written["999-values"] else []
    ta1s = [m for m in read(written["ta1"])]
    read_back = iter(acks)
    expected_acks = [m for m in made if type(m).__name__ != "InterchangeAcknowledgment"]
    assert [_fields(m) for m in read_back] == [_fields(m) for m in expected_acks]
    expected_ta1s = [m for m in made if type(m).__name__ == "InterchangeAcknowledgment"]
    assert [_fields(m) for m in ta1s] == [_fields(m) for m in expected_ta1s]


@pytest.mark.parametrize("path", corpus_files("837P") + corpus_files("837I"), ids=_name)
def test_made_unchecked_the_models_are_written_as_drafted_and_checked(path):
    """Unchecked, a made set response goes straight from its models to segments
    (``draft.made``); checked, through drafts and ``finish``: the same bytes."""
    try:
        made = [m for m in _made(path, show_values=True)
                if type(m).__name__ != "InterchangeAcknowledgment"]
    except X12ReadError:
        pytest.skip("unreadable: no acknowledgment")
    written = []
    for checked in (False, True):
        out = io.BytesIO()
        generator = Generator(out, EnvelopeOptions(when=WHEN), ControlNumbers(1),
                              checked=checked)
        for model in made:
            generator.add(model)
        generator.close(lenient=True)
        written.append(out.getvalue())
    assert written[0] == written[1]


def test_each_group_is_answered_from_its_receiver_back_to_its_sender():
    path = CORPUS / "837P" / "imsweb__x12_multiple_gs.txt"
    received = [s for s in read_segments(path) if s.id == "GS"]
    [report] = validate(path, snip=5)
    answered = [s for s in ack_999(report, WHEN) if s.id == "GS"]
    assert len(answered) == len(received) > 1
    assert [(s.element(2), s.element(3)) for s in answered] == [
        (s.element(3), s.element(2)) for s in received]
    assert [s.element(6) for s in answered] == [str(n) for n in range(1, len(received) + 1)]
