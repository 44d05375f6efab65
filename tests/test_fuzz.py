"""Mutated real files: reading, validating and acknowledging either works or raises the
library's own ``X12ReadError``, never anything else (so the CLI never shows a traceback)."""
from __future__ import annotations

import io
from datetime import datetime

from hypothesis import HealthCheck, given, settings, strategies as st

from x12kit import X12ReadError, write_segments
from x12kit.acks.ack999 import ack_999
from x12kit.validate.pipeline import validate

from .conftest import CORPUS, FIXTURES

SEEDS = [(FIXTURES / "claims-837p.x12").read_bytes(), (FIXTURES / "remittance-835.x12").read_bytes(),
         (CORPUS / "271/lfhx12__demo.271").read_bytes(),
         (CORPUS / "837I/vscodeedi__X223-837I-two-claims-for-the-same-provider.edi").read_bytes()]
NOISE = st.sampled_from(list(b"*:^~\n\r ABZ09-.\x00\xff") + [0xC3])


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["replace", "insert", "delete", "cut"]))
        if action == "replace":
            data[at] = draw(NOISE)
        elif action == "insert":
            data.insert(at, draw(NOISE))
        elif action == "delete":
            del data[at]
        else:
            del data[at:]
        if not data:
            break
    return bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_input_validates_or_raises_only_x12_read_error(data):
    try:
        reports = list(validate(data, snip=5))
    except X12ReadError:
        return
    for report in reports:
        if report.header.elements[0] == "ISA" and report.groups:
            write_segments(ack_999(report, datetime(2024, 1, 1)), io.BytesIO(), layout="lines")
