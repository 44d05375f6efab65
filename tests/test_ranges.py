"""x12kit.ranges: the ST scan and the pieces of a file, checked against reading it whole."""
from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from x12kit import X12ReadError
from x12kit.ranges import plan_pieces, read_piece, set_starts
from x12kit.reader import read_segments

from .conftest import corpus_files, corpus_id

CORPUS = corpus_files()


def _whole(path) -> list:
    """The segments of ``path`` as reading it whole gives them (up to a fault, if any)."""
    segments = []
    try:
        segments.extend(read_segments(path))
    except X12ReadError:
        pass
    return segments


def _position(segment) -> tuple:
    return segment.elements, segment.offset, segment.number, segment.set_position


def _readable(paths) -> list[Path]:
    return [p for p in paths if _whole(p) and _read_whole_without_fault(p)]


def _read_whole_without_fault(path) -> bool:
    try:
        for _ in read_segments(path):
            pass
    except X12ReadError:
        return False
    return True


def _envelope_at_each_st(path) -> list[tuple]:
    """Each ST's place with the ISA and GS it stands under, from the tokenizer; an ISA that
    does not follow an IEA (or start the file) is no header, nor is one inside a set that
    no SE closed (a piece cut under it would read it outside the set)."""
    found, isa, gs, previous = [], None, None, "IEA"
    for segment in _whole(path):
        place = (segment.offset, segment.number)
        header = place if segment.set_position == 0 else None
        if segment.id == "ISA":
            isa, gs = header if previous == "IEA" else None, None
        elif segment.id == "GS":
            gs = header
        elif segment.id == "GE":
            gs = None
        elif segment.id == "IEA":
            isa = gs = None
        elif segment.id == "ST":
            found.append((place, isa, gs, segment.delimiters))
        previous = segment.id
    return found


@pytest.mark.parametrize("path", CORPUS, ids=corpus_id)
def test_the_scan_finds_each_st_the_tokenizer_reads(path):
    scanned = [((s.st.offset, s.st.number), s.isa and s.isa[1:], s.gs and s.gs[1:],
                s.delimiters) for s in set_starts(path)]
    assert scanned == _envelope_at_each_st(path)


@pytest.mark.parametrize("path", CORPUS, ids=corpus_id)
def test_the_scan_finds_the_same_sts_whatever_its_block_size(path):
    """Block ends fall inside ids, separators, runs of blank lines and ISAs alike."""
    blocks = (1, 2, 3, 5, 7, 64, 1000) if path.stat().st_size < 20_000 else (7, 1000)
    whole = list(set_starts(path))
    for block_bytes in blocks:
        assert list(set_starts(path, block_bytes=block_bytes)) == whole, block_bytes


READABLE = _readable(corpus_files("837P") + corpus_files("837I") + corpus_files("835")
                     + corpus_files("mixed") + corpus_files("270"))


def _pieces_read(pieces) -> tuple[list, list]:
    """The segments of each piece beyond its header, and its header segments."""
    own, headers = [], []
    for piece in pieces:
        segments = list(read_piece(piece))
        headers += [s for s in segments if s.offset < piece.start]
        own += [s for s in segments if s.offset >= piece.start]
    return own, headers


@settings(max_examples=30, deadline=None)
@given(files=st.lists(st.sampled_from(READABLE), min_size=2, max_size=8),
       split_bytes=st.integers(min_value=200, max_value=20_000))
def test_pieces_cover_every_segment_once_as_the_whole_file_gives_it(tmp_path_factory, files,
                                                                     split_bytes):
    path = tmp_path_factory.mktemp("ranges") / "joined.x12"
    path.write_bytes(b"".join(f.read_bytes() for f in files))
    whole = list(read_segments(path))
    pieces = plan_pieces(path, split_bytes)
    own, headers = _pieces_read(pieces)
    assert [_position(s) for s in own] == [_position(s) for s in whole]
    by_offset = {s.offset: _position(s) for s in whole}
    assert all(_position(h) == by_offset[h.offset] for h in headers)
    assert all(piece.start == 0 or by_offset[piece.start][0][0] == "ST" for piece in pieces)
    # a piece runs to the first ST at least split_bytes past its start, and no further
    # (an ST under a stray ISA is no place to cut: see x12kit.ranges)
    cuttable = {s.st.offset for s in set_starts(path) if s.isa is not None}
    for piece in pieces:
        inside = [offset for offset in cuttable if piece.start < offset
                  and (piece.end is None or offset < piece.end)]
        assert all(offset < piece.start + split_bytes for offset in inside)


def test_a_large_file_is_cut_at_an_st_after_every_split(tmp_path):
    path = tmp_path / "many.x12"
    path.write_bytes(b"".join(f.read_bytes() for f in READABLE[:30]) * 4)
    pieces = plan_pieces(path, 20_000)
    starts = [p.start for p in pieces]
    assert starts[0] == 0 and starts == sorted(starts) and len(pieces) >= 5
    assert all(a.end == b.start for a, b in zip(pieces, pieces[1:])) and pieces[-1].end is None
    assert all(b.start - a.start >= 20_000 for a, b in zip(pieces, pieces[1:]))


def test_small_and_gzip_files_are_one_piece(tmp_path):
    source = READABLE[0]
    packed = tmp_path / "packed.x12.gz"
    packed.write_bytes(gzip.compress(source.read_bytes() * 50))
    assert plan_pieces(source, 1 << 20) == plan_pieces(source, source.stat().st_size)
    assert [p.start for p in plan_pieces(source, 1 << 20)] == [0]
    assert [(p.start, p.end) for p in plan_pieces(packed, 10)] == [(0, None)]
    assert [_position(s) for s in read_piece(plan_pieces(packed, 10)[0])] == [
        _position(s) for s in read_segments(packed)]


def test_input_without_an_isa_has_no_sets_and_is_one_piece(tmp_path):
    path = tmp_path / "not-x12.txt"
    path.write_bytes(b"hello~ST*837*0001~SE*2*0001~" * 100)
    assert list(set_starts(path)) == []
    (piece,) = plan_pieces(path, 100)
    with pytest.raises(X12ReadError, match="no ISA"):
        list(read_piece(piece))
