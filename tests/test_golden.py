"""Golden files: invalid inputs with their expected findings and expected 999.

Each ``tests/golden/NAME.x12`` has ``NAME.findings`` (one finding line each, as the CLI
prints them) and ``NAME.999`` (the acknowledgment, dated 2024-01-01 12:00). After a deliberate
change of behaviour, rewrite them with ``X12KIT_UPDATE_GOLDEN=1 python -m pytest
tests/test_golden.py`` and review the diff.
"""
from __future__ import annotations

import io
import logging
import os
from datetime import datetime

import pytest

from x12kit import write_segments
from x12kit.acks.ack999 import ack_999
from x12kit.render import Renderer
from x12kit.validate.pipeline import validate

from .conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
CASES = sorted(p.stem for p in GOLDEN.glob("*.x12"))
WHEN = datetime(2024, 1, 1, 12, 0)
UPDATE = os.environ.get("X12KIT_UPDATE_GOLDEN") == "1"
SNIP = 5


def run_case(name: str) -> tuple[str, bytes]:
    lines, acks = [], io.BytesIO()
    source = GOLDEN / f"{name}.x12"
    renderer = Renderer(source, name="input")
    for n, report in enumerate(validate(source, SNIP), start=1):
        lines += renderer.finding_lines(report)
        write_segments(ack_999(report, WHEN, n), acks, layout="lines")
    return "".join(f"{line}\n" for line in lines), acks.getvalue()


@pytest.mark.parametrize("name", CASES)
def test_findings_and_999_match_the_golden_files(name):
    findings, ack = run_case(name)
    if UPDATE:
        (GOLDEN / f"{name}.findings").write_text(findings)
        (GOLDEN / f"{name}.999").write_bytes(ack)
    assert findings == (GOLDEN / f"{name}.findings").read_text()
    assert ack == (GOLDEN / f"{name}.999").read_bytes()


@pytest.mark.parametrize("name", CASES)
def test_our_999_is_clean_by_the_999_guide(name):
    ack = (GOLDEN / f"{name}.999").read_bytes()
    reports = list(validate(ack, SNIP))
    assert [s.status for r in reports for s in r.sets] == ["accepted"]
    assert [d for r in reports for d in r.findings()] == []


@pytest.mark.parametrize("name", CASES)
def test_pyx12_accepts_our_999(name, tmp_path, caplog):
    """Differential check: pyx12 validates our 999 with its own X231 map."""
    import pyx12.params
    import pyx12.x12n_document
    path = tmp_path / f"{name}.999"
    path.write_bytes((GOLDEN / f"{name}.999").read_bytes())
    with caplog.at_level(logging.ERROR, logger="pyx12"):
        ok = pyx12.x12n_document.x12n_document(pyx12.params.params(), str(path), None, None)
    assert ok and not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_the_cases_cover_each_verdict():
    verdicts = {(GOLDEN / f"{name}.999").read_bytes().split(b"AK9*")[1][:1] for name in CASES}
    assert verdicts == {b"A", b"P", b"R"}
