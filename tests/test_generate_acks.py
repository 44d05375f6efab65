"""999 and TA1 from their models: the acknowledgments x12kit writes for real files, read
into models and generated again, give the same segments and validate clean (999: pyx12 too)."""
from __future__ import annotations

import io
from datetime import datetime

import pytest

from x12kit import X12ReadError, write_segments
from x12kit.acks.ack999 import ack_999
from x12kit.acks.ta1 import ta1_interchange
from x12kit.models import read
from x12kit.validate.pipeline import validate

from .conftest import corpus_files, corpus_id
from .generate_helpers import generated, pyx12_accepts, set_bodies, x12kit_findings

WHEN = datetime(2024, 1, 1, 12, 0)
SOURCES = corpus_files("835")[:4] + corpus_files("837P")[:4]


def _acks(path) -> tuple[bytes, bytes]:
    acks, ta1s = io.BytesIO(), io.BytesIO()
    for n, report in enumerate(validate(path, snip=5), start=1):
        write_segments(ack_999(report, WHEN, n), acks, layout="lines")
        write_segments(ta1_interchange(report.header, report.diagnostics, n, WHEN), ta1s,
                       layout="lines")
    return acks.getvalue(), ta1s.getvalue()


@pytest.mark.parametrize("path", SOURCES, ids=corpus_id)
def test_acknowledgments_come_back_from_their_models(path, tmp_path, caplog):
    try:
        acks, ta1s = _acks(path)
    except X12ReadError:
        pytest.skip("unreadable: no acknowledgment to build")
    for data in (acks, ta1s):
        if b"ISA" not in data:
            continue
        end = data.index(b"\n", data.index(b"IEA*")) + 1
        first = data[:end]  # the first interchange
        out, problems = generated(read(first))
        assert problems == []
        assert set_bodies(out) == set_bodies(first)
        assert x12kit_findings(out) == []
        if b"ST*999" in first:
            assert pyx12_accepts(out, tmp_path, caplog)
