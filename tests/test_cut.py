"""The tokenizer's C fast path (x12kit/_cut.c) against its pure-Python specification.

Every check here reads the same bytes twice, once with the extension and once with it
switched off, and wants the same segments: elements, byte offsets, numbers, set positions,
separators and layout. CI sets X12KIT_REQUIRE_C=1 so that a build that silently skipped the
extension fails instead of passing on the slow path.
"""
from __future__ import annotations

import os
import sys

import pytest
from hypothesis import given, settings, strategies as st

import x12kit.tokenizer as tokenizer_module
from x12kit import read_segments
from x12kit.tokenizer import Tokenizer

from .conftest import corpus_files, corpus_id
from .test_tokenizer import NO_ISA, SIMPLE, feed_in_pieces

built = tokenizer_module.Cutter is not None
needs_cut = pytest.mark.skipif(not built, reason="x12kit._cut was not built here")
READABLE = [f for f in corpus_files() if corpus_id(f) not in NO_ISA]


def test_the_extension_is_built_where_required():
    if os.environ.get("X12KIT_REQUIRE_C") == "1":
        assert built, "x12kit._cut is missing: the C compiler or the build failed"


def full(segments) -> list[tuple]:
    return [tuple(s) for s in segments]


def read_both(data: bytes, chunk_size: int, monkeypatch) -> tuple[list, list]:
    fast = full(read_segments(data, chunk_size=chunk_size))
    with monkeypatch.context() as m:
        m.setattr(tokenizer_module, "Cutter", None)
        m.setattr(tokenizer_module, "scan", None)
        slow = full(read_segments(data, chunk_size=chunk_size))
    return fast, slow


@needs_cut
@pytest.mark.parametrize("path", READABLE, ids=corpus_id)
def test_every_corpus_file_gives_the_same_segments(path, monkeypatch):
    data = path.read_bytes()
    for chunk_size in (97, 4096, 1 << 20):
        fast, slow = read_both(data, chunk_size, monkeypatch)
        assert fast == slow, chunk_size


@needs_cut
def test_a_generated_claim_file_gives_the_same_segments(monkeypatch):
    from bench.generate import generate_837p
    data = b"".join(generate_837p(60))
    fast, slow = read_both(data, 8192, monkeypatch)
    assert fast == slow
    assert len(fast) > 1000


# segments of a regular file and every kind of irregularity the fast path must hand over to
# the general path (or handle exactly as it would): bare edge segments, indentation, empty
# segments, stray line breaks, a second interchange with other separators, non-ASCII data
PIECES = [b"ST*837*0001", b"SE*3*0001", b"NM1*IL*1*DOE", b"REF*6R*1", b"HL*1**20*1",
          b"ST", b"SE", b"IEA", b"  DTP*472*D8*20240101", b"", b"\tN3*MAIN", b"CLM*1*10\n",
          b"N4*CITY\r*NC", b"NTE*caf\xc3\xa9", b"GE*1*1", b"IEA*1*000000001",
          # as many elements as the C pass notes the ends of (32), and past it
          b"K3" + b"*A" * 31, b"K3" + b"*AB" * 32, b"CAS*CO" + b"*1" * 38]
ENDINGS = [b"~", b"~\n", b"~\r\n"]


@needs_cut
@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.sampled_from(ENDINGS),
       st.lists(st.integers(min_value=0, max_value=2000), max_size=12),
       st.booleans())
def test_any_segments_and_chunking_give_the_same_segments(pieces, ending, cuts, again):
    body = b"".join(p + ending for p in pieces)
    second = (SIMPLE.replace(b"*", b"|").replace(b"|^|", b"|!|") if again else b"")
    data = SIMPLE[:SIMPLE.index(b"GS*")] + body + SIMPLE[SIMPLE.index(b"GS*"):] + second
    fast, fast_trailing = feed_in_pieces(data, cuts)
    tokenizer_module.Cutter, cutter = None, tokenizer_module.Cutter
    tokenizer_module.scan, scan = None, tokenizer_module.scan
    try:
        slow, slow_trailing = feed_in_pieces(data, cuts)
    finally:
        tokenizer_module.Cutter, tokenizer_module.scan = cutter, scan
    assert full(fast) == full(slow)
    assert fast_trailing == slow_trailing


@needs_cut
def test_a_long_set_counts_its_positions_past_the_shared_ints(monkeypatch):
    """Set positions below 16384 are ints the C path shares; past them it makes its own."""
    body = b"".join(b"NTE*ADD*%d~" % n for n in range(17000))  # regular, as SIMPLE: C cuts it
    data = SIMPLE.replace(b"BHT*", body + b"BHT*")
    fast, slow = read_both(data, 1 << 16, monkeypatch)
    assert fast == slow
    assert max(s[3] for s in fast) > 17000  # (elements, offset, number, set_position ...)


@needs_cut
def test_positions_and_interned_ids():
    data = SIMPLE.replace(b"~", b"~\n")
    tokenizer = Tokenizer()
    segments = list(tokenizer.feed(data)) + list(tokenizer.close())
    ids = [s.elements[0] for s in segments]
    assert ids == ["ISA", "GS", "ST", "BHT", "SE", "GE", "IEA"]
    assert [s.set_position for s in segments[:7]] == [0, 0, 1, 2, 3, 0, 0]
    assert [s.number for s in segments[:7]] == [1, 2, 3, 4, 5, 6, 7]
    assert [data[s.offset:s.offset + 3] for s in segments[:7]] == [
        b"ISA", b"GS*", b"ST*", b"BHT", b"SE*", b"GE*", b"IEA"]
    # the ids made by the C path are the interned strings, as literals in the code are
    assert all(s.elements[0] is sys.intern(s.elements[0]) for s in segments[1:7])


@needs_cut
def test_the_cutter_refuses_what_it_cannot_read():
    from x12kit._cut import Cutter, scan
    from x12kit.segment import Delimiters, Layout, Segment
    with pytest.raises(ValueError):
        Cutter("caf\xe9~", "~", "*", 1, 0, 0, 0, Delimiters(), Layout(), Layout(), Segment)
    with pytest.raises(TypeError):
        Cutter("A~", "~", "*", 1, 0, 0, 0, Delimiters(), Layout(), Layout(), dict)
    with pytest.raises(RuntimeError):  # counted two, holds one
        list(Cutter("A*1~", "~", "*", 2, 0, 0, 0, Delimiters(), Layout(), Layout(), Segment))
    assert scan("A*1~\nB~\n", "~\n", "*") == (2, [])
    assert scan("A*1~\n B~\n", "~\n", "*") is None        # indentation
    assert scan("A*1~\nB\n~\n", "~\n", "*") is None       # a line break inside a segment
    assert scan("ST*1~\nSE~\nC~", "~\n", "*") == (2, [(0, "ST", 0), (1, "SE", 6)])
