"""Mutated real files through the fuzz targets (tests/fuzz/targets.py): reading, the
envelope, the walk, validating and acknowledging either work or raise x12kit's own errors,
never anything else (so the CLI never shows a traceback). A quick random pass for every
test run; ``python -m tests.fuzz.run`` is the coverage-guided one."""
from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from .conftest import CORPUS, FIXTURES
from .fuzz.targets import TARGETS

SEEDS = [(FIXTURES / "claims-837p.x12").read_bytes(), (FIXTURES / "remittance-835.x12").read_bytes(),
         (CORPUS / "271/lfhx12__demo.271").read_bytes(),
         (CORPUS / "837I/vscodeedi__X223-837I-two-claims-for-the-same-provider.edi").read_bytes(),
         *(path.read_bytes() for path in sorted((Path(__file__).parent / "fuzz/seeds").iterdir()))]
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
@given(mutated(), st.sampled_from(sorted(TARGETS)))
def test_mutated_input_gives_only_x12kit_errors(data, target):
    TARGETS[target](data)
