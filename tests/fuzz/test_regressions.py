"""Every input the fuzzers broke x12kit with (crashers/, each named after what it broke) and
every hand-made hostile seed (seeds/) goes through every fuzz target: only x12kit's own
errors may come out."""
from __future__ import annotations

from pathlib import Path

import pytest

from x12kit import X12ReadError
from x12kit.tokenizer import Tokenizer

from .targets import TARGETS

HERE = Path(__file__).parent
KEPT = sorted(p for p in (HERE / "crashers").iterdir() if p.suffix != ".md") + \
    sorted((HERE / "seeds").iterdir())


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("path", KEPT, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_only_x12kit_errors_come_out(path, target):
    TARGETS[target](path.read_bytes())


def test_crashers_are_named_after_what_they_broke():
    assert not [p.name for p in KEPT if p.name.startswith(("crash-", "leak-", "timeout-",
                                                           "oom-", "slow-unit-"))]


def test_blanks_before_an_isa_are_capped_like_a_segment():
    """Blanks before a header were held until an ISA came, rescanned at every chunk: memory
    and time grew without bound on a stream of blanks (a gzip of them is 1000:1)."""
    tokenizer = Tokenizer(max_segment_bytes=1000)
    fed = 0
    with pytest.raises(X12ReadError, match="no ISA interchange header within 1000 bytes"):
        while fed < 10_000:
            list(tokenizer.feed(b" \r\n" * 200))
            fed += 600
    assert fed < 1000
