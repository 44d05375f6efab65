"""Byte ranges of whole transaction sets: where a large file may be cut so that several
readers (Spark tasks, worker processes) each read a part of it, standalone.

Theory of operation. A cheap first scan finds the envelope edges of a file (ISA, GS, ST, GE,
IEA) without tokenizing: per interchange, the ISA gives the separators, and a regular
expression finds the segment terminator (plus any layout: line breaks, blanks) followed by
one of those ids and the element separator; counting terminators between the edges gives
each edge's segment number. Every ST is a place where the file may be cut. ``plan_pieces``
cuts a file larger than ``split_bytes`` at the first ST past every ``split_bytes``; each
``Piece`` after the first starts at its ST and carries where its interchange's ISA and its
group's GS stand, so that ``read_piece`` gives those header segments and then the piece's own
segments, each with the offset and number that reading the whole file gives. A piece reads
on past group and interchange ends to the next cut (a new ISA's separators are read by the
tokenizer as ever); it stops before the next piece's first segment, and a fault that lies
beyond it is the next piece's to report.

The scan can miss an edge only in a file whose segment ids are broken across line wraps; a
missed ST is no cut point, so its set stays in the piece before (the pieces still cover every
set once). Nor is an ST outside an interchange, or after an ISA that stands where no IEA
ended the interchange before (the tokenizer reads it as any segment): no header to give. Gzip input, and input whose first ISA cannot be read, is one piece: reading it
whole gives the diagnostic.
"""
from __future__ import annotations

import mmap
import os
import re
from collections.abc import Callable, Iterator
from itertools import chain, takewhile
from typing import NamedTuple, Optional

from .diagnostics import X12ReadError
from .reader import GZIP_MAGIC, read_segments, read_segments_at
from .segment import Delimiters, Segment
from .tokenizer import BOM, LAYOUT_BYTES, MAX_ISA_BYTES, Tokenizer

DEFAULT_SPLIT_BYTES = 64 << 20
_SCANNED_IDS = (b"IEA", b"GS", b"GE", b"ST")   # and ISA, which may bring other separators


class Edge(NamedTuple):
    """An envelope segment found by the scan: its id, byte offset and segment number."""

    id: str
    offset: int
    number: int


class SetStart(NamedTuple):
    """An ST, with the separators in force and the ISA and GS it stands under (None where
    it stands outside one)."""

    st: Edge
    delimiters: Delimiters
    isa: Optional[Edge]
    gs: Optional[Edge]


class Piece(NamedTuple):
    """Part of a file that can be read standalone: from byte ``start`` (0, or an ST at
    segment number ``number``) to byte ``end`` (None: the end of the file)."""

    path: str
    start: int = 0
    end: Optional[int] = None
    number: int = 1
    delimiters: Optional[Delimiters] = None
    isa: Optional[Edge] = None
    gs: Optional[Edge] = None


def plan_pieces(path: str, split_bytes: int = DEFAULT_SPLIT_BYTES) -> list[Piece]:
    """The pieces of ``path``: the whole file where it is at most ``split_bytes`` long or
    compressed, else ranges of whole sets of about ``split_bytes`` each."""
    path = os.fspath(path)
    if os.path.getsize(path) <= split_bytes or _is_gzip(path):
        return [Piece(path)]
    cuts: list[SetStart] = []
    next_cut = split_bytes
    for start in set_starts(path):
        if start.st.offset >= next_cut and start.isa is not None:
            cuts.append(start)
            next_cut = start.st.offset + split_bytes
    ends = [cut.st.offset for cut in cuts] + [None]
    pieces = [Piece(path, end=ends[0])]
    for cut, end in zip(cuts, ends[1:]):
        pieces.append(Piece(path, cut.st.offset, end, cut.st.number, cut.delimiters,
                            cut.isa, cut.gs))
    return pieces


def read_piece(piece: Piece) -> Iterator[Segment]:
    """The segments of ``piece``: for a piece after the first, its ISA and GS, then its own
    segments; positions as in the whole file."""
    if piece.start == 0:
        segments: Iterator[Segment] = iter(read_segments(piece.path))
    else:
        headers = [_segment_at(piece, edge) for edge in (piece.isa, piece.gs) if edge]
        segments = chain(headers, read_segments_at(piece.path, piece.start, piece.number,
                                                   piece.delimiters))  # type: ignore[arg-type]
    if piece.end is None:
        return segments
    end = piece.end
    return takewhile(lambda segment: segment.offset < end, segments)


def _segment_at(piece: Piece, edge: Edge) -> Segment:
    """The one segment that starts at ``edge``."""
    return next(iter(read_segments_at(piece.path, edge.offset, edge.number,
                                      piece.delimiters, chunk_size=MAX_ISA_BYTES * 2)))


def set_starts(path: str) -> Iterator[SetStart]:
    """Every ST the scan finds in the (uncompressed) file ``path``, in file order."""
    if not os.path.getsize(path):
        return
    with open(path, "rb") as raw, mmap.mmap(raw.fileno(), 0, access=mmap.ACCESS_READ) as data:
        isa_offset = _first_isa(data)
        counted = 0   # segments before the current interchange's ISA
        while isa_offset is not None:
            isa_offset, counted = yield from _interchange_starts(data, isa_offset, counted)


def _interchange_starts(data: mmap.mmap, isa_offset: int, counted: int):
    """The STs from the ISA at ``isa_offset`` on, until the next interchange's ISA (one right
    after an IEA: elsewhere the tokenizer reads "ISA" as any segment); returns where that ISA
    stands (None at the end of the file) and the segments before it."""
    delimiters = _separators_at(data, isa_offset)
    if delimiters is None:
        return None, counted
    terminator = delimiters.segment.encode("latin-1")
    separator = delimiters.element.encode("latin-1")
    segments_in = _segment_counter(terminator)
    isa, gs, iea = Edge("ISA", isa_offset, counted + 1), None, None
    counted_to = isa_offset
    for match in _edge_pattern(terminator, separator).finditer(data, isa_offset):
        offset = match.start(1)
        counted += segments_in(data[counted_to:offset])
        counted_to = offset
        edge = Edge(match.group(1).decode("ascii"), offset, counted + 1)
        if edge.id == "ISA" and iea and iea.number + 1 == edge.number:
            return offset, counted  # a header right after an IEA, read as a header
        iea = edge if edge.id == "IEA" else None
        if edge.id == "ISA":
            isa = gs = None   # a stray header, inside the last interchange: no cut after it
        elif edge.id == "ST":
            yield SetStart(edge, delimiters, isa, gs)
        elif edge.id == "GS":
            gs = edge
        elif edge.id == "GE":
            gs = None
        elif edge.id == "IEA":
            isa = gs = None
    return None, counted


def _edge_pattern(terminator: bytes, separator: bytes) -> re.Pattern[bytes]:
    """A terminator, layout, then an envelope id (group 1): ISA alone, since a new
    interchange may use another element separator; the others followed by this one's.
    One pass of the regular expression engine over the file: it stops only at terminators."""
    followed = b"(?=" + re.escape(separator) + b")"
    ids = b"|".join(re.escape(id_) + followed for id_ in _SCANNED_IDS)
    return re.compile(re.escape(terminator) + rb"[ \t\r\n]*(ISA|" + ids + b")")


def _segment_counter(terminator: bytes) -> Callable[[bytes], int]:
    """How many segments end in a stretch of the file that starts at a segment: its
    terminators, where a terminator that is itself a layout byte (a line feed) ends one
    segment however many blank lines follow it."""
    if terminator not in LAYOUT_BYTES:
        return lambda stretch: stretch.count(terminator)
    ends = re.compile(re.escape(terminator) + rb"[ \t\r\n]*")
    return lambda stretch: len(ends.findall(stretch))


def _first_isa(data: mmap.mmap) -> Optional[int]:
    """Where the first ISA stands, after a byte-order mark and layout; None without one."""
    start = len(BOM) if data[:len(BOM)] == BOM else 0
    head = data[start:start + (1 << 16)]
    offset = start + len(head) - len(head.lstrip(LAYOUT_BYTES))
    return offset if data[offset:offset + 3] == b"ISA" else None


def _separators_at(data: mmap.mmap, offset: int) -> Optional[Delimiters]:
    """The separators of the ISA at ``offset``; None where the header cannot be read."""
    tokenizer = Tokenizer()
    head = data[offset:offset + MAX_ISA_BYTES * 2]
    try:
        isa = next(iter(tokenizer.feed(head)), None) or next(iter(tokenizer.close()), None)
    except X12ReadError:
        return None
    return isa.delimiters if isa is not None and isa.id == "ISA" else None


def _is_gzip(path: str) -> bool:
    with open(path, "rb") as raw:
        return raw.read(2) == GZIP_MAGIC
