"""Byte ranges of whole transaction sets: where a large file may be cut so that several
readers (Spark tasks, worker processes) each read a part of it, standalone.

Theory of operation. A cheap first scan finds the envelope edges of a file (ISA, GS, ST, SE,
GE, IEA) without tokenizing: per interchange, the ISA gives the separators, and a regular
expression finds the segment terminator (plus any layout: line breaks, blanks) followed by
one of those ids and the element separator; counting terminators between the edges gives
each edge's segment number. The scan reads the file forward in blocks (``_Window``), local
or in object storage (``Files``): a 5 GB file costs it no more memory than a small one, and
no more time than a memory map of it did. Every ST is a place where the file may be cut.
``plan_pieces`` cuts a file larger than ``split_bytes`` at the first ST past every
``split_bytes``; each ``Piece`` after the first starts at its ST and carries where its
interchange's ISA and its group's GS stand, so that ``read_piece`` gives those header
segments and then the piece's own segments, each with the offset and number that reading the
whole file gives. A piece reads on past group and interchange ends to the next cut (a new
ISA's separators are read by the tokenizer as ever); it stops before the next piece's first
segment, and a fault that lies beyond it is the next piece's to report.

The scan can miss an edge only in a file whose segment ids are broken across line wraps; a
missed ST is no cut point, so its set stays in the piece before (the pieces still cover every
set once). Nor is an ST outside an interchange, or after an ISA that stands where no IEA
ended the interchange before (the tokenizer reads it as any segment): no header to give. Gzip input, and input whose first ISA cannot be read, is one piece: reading it
whole gives the diagnostic.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from itertools import chain, takewhile
from typing import BinaryIO, NamedTuple, Optional

from .diagnostics import X12ReadError
from .inputs import LOCAL_FILES, Files
from .reader import GZIP_MAGIC, read_segments, read_segments_at
from .segment import Delimiters, Segment
from .tokenizer import BOM, LAYOUT_BYTES, MAX_ISA_BYTES, Tokenizer

DEFAULT_SPLIT_BYTES = 64 << 20
SCAN_BLOCK_BYTES = 8 << 20
_SCANNED_IDS = (b"IEA", b"GS", b"GE", b"ST", b"SE")   # and ISA, which may bring other separators
_FIRST_ISA_WITHIN = 1 << 16   # layout allowed before the first ISA


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


def plan_pieces(path: str, split_bytes: int = DEFAULT_SPLIT_BYTES,
                files: Files = LOCAL_FILES) -> list[Piece]:
    """The pieces of ``path``: the whole file where it is at most ``split_bytes`` long or
    compressed, else ranges of whole sets of about ``split_bytes`` each."""
    path = os.fspath(path)
    if files.size(path) <= split_bytes:
        return [Piece(path)]
    with files.open(path) as raw:
        if raw.read(len(GZIP_MAGIC)) == GZIP_MAGIC:
            return [Piece(path)]
        raw.seek(0)
        cuts = _cuts(scan_set_starts(raw), split_bytes)
    ends = [cut.st.offset for cut in cuts] + [None]
    pieces = [Piece(path, end=ends[0])]
    for cut, end in zip(cuts, ends[1:]):
        pieces.append(Piece(path, cut.st.offset, end, cut.st.number, cut.delimiters,
                            cut.isa, cut.gs))
    return pieces


def _cuts(starts: Iterator[SetStart], split_bytes: int) -> list[SetStart]:
    """The first ST (under an ISA) past every ``split_bytes``."""
    cuts: list[SetStart] = []
    next_cut = split_bytes
    for start in starts:
        if start.st.offset >= next_cut and start.isa is not None:
            cuts.append(start)
            next_cut = start.st.offset + split_bytes
    return cuts


def read_piece(piece: Piece, files: Files = LOCAL_FILES) -> Iterator[Segment]:
    """The segments of ``piece``: for a piece after the first, its ISA and GS, then its own
    segments; positions as in the whole file. A piece after the first is read from its
    start (a ranged read), not from the top of the file."""
    segments = _segments_of(piece, files)
    if piece.end is None:
        return segments
    end = piece.end
    return takewhile(lambda segment: segment.offset < end, segments)


def _segments_of(piece: Piece, files: Files) -> Iterator[Segment]:
    with files.open(piece.path) as raw:
        if piece.start == 0:
            yield from read_segments(raw)
            return
        headers = [_segment_at(raw, piece, edge) for edge in (piece.isa, piece.gs) if edge]
        yield from chain(headers, read_segments_at(raw, piece.start, piece.number,
                                                   piece.delimiters))  # type: ignore[arg-type]


def _segment_at(raw: BinaryIO, piece: Piece, edge: Edge) -> Segment:
    """The one segment that starts at ``edge``."""
    return next(iter(read_segments_at(raw, edge.offset, edge.number,
                                      piece.delimiters,  # type: ignore[arg-type]
                                      chunk_size=MAX_ISA_BYTES * 2)))


def set_starts(path: str, files: Files = LOCAL_FILES,
               block_bytes: int = SCAN_BLOCK_BYTES) -> Iterator[SetStart]:
    """Every ST the scan finds in the (uncompressed) file ``path``, in file order."""
    with files.open(path) as raw:
        yield from scan_set_starts(raw, block_bytes)


def scan_set_starts(raw: BinaryIO, block_bytes: int = SCAN_BLOCK_BYTES
                    ) -> Iterator[SetStart]:
    """Every ST the scan finds in the (uncompressed) binary file ``raw``, read from its
    start in blocks of ``block_bytes``."""
    window = _Window(raw, block_bytes)
    isa_offset = _first_isa(window)
    counted = 0   # segments before the current interchange's ISA
    in_set = False   # an ST read and no SE since
    while isa_offset is not None:
        isa_offset, counted, in_set = yield from _interchange_starts(window, isa_offset,
                                                                     counted, in_set)


class _Window:
    """The bytes of a file read forward in blocks: ``data`` holds them from the offset
    ``start`` on. The scan asks for more and lets go of what it has passed, so it holds
    about a block (more only while one segment, or one run of blank lines, goes on)."""

    def __init__(self, raw: BinaryIO, block_bytes: int) -> None:
        self.raw, self.block_bytes = raw, block_bytes
        self.data, self.start = b"", 0

    def more(self) -> bool:
        """Read the next block; False at the end of the file."""
        block = self.raw.read(self.block_bytes)
        self.data += block
        return bool(block)

    def bytes_at(self, offset: int, size: int) -> bytes:
        """The ``size`` bytes from ``offset`` (fewer at the end of the file)."""
        while self.start + len(self.data) < offset + size and self.more():
            pass
        return self.data[offset - self.start:offset - self.start + size]

    def let_go(self, offset: int) -> None:
        """Forget the bytes before ``offset``."""
        self.data = self.data[offset - self.start:]
        self.start = offset


def _interchange_starts(window: _Window, isa_offset: int, counted: int, in_set: bool):
    """The STs from the ISA at ``isa_offset`` on, until the next interchange's ISA (one right
    after an IEA: elsewhere the tokenizer reads "ISA" as any segment); returns where that ISA
    stands (None at the end of the file), the segments before it, and whether a set is open
    there. A header inside a set that no SE closed is no header to cut under: reading the
    whole file counts it in the set (its ``set_position``), reading a piece would not."""
    delimiters = _separators_at(window, isa_offset)
    if delimiters is None:
        return None, counted, in_set
    terminator = delimiters.segment.encode("latin-1")
    separator = delimiters.element.encode("latin-1")
    pattern = _edge_pattern(terminator, separator)
    segments_in = _segment_counter(terminator)
    isa = None if in_set else Edge("ISA", isa_offset, counted + 1)
    gs = iea = None
    counted_to = searched = isa_offset   # segments are counted, and edges found, up to here
    while True:
        data, start = window.data, window.start
        for match in pattern.finditer(data, searched - start):
            offset = start + match.start(1)
            counted += segments_in(data, counted_to - start, offset - start)
            counted_to, searched = offset, start + match.end()
            edge = Edge(match.group(1).decode("ascii"), offset, counted + 1)
            if edge.id == "ISA" and iea and iea.number + 1 == edge.number:
                return offset, counted, in_set  # a header right after an IEA, read as one
            iea = edge if edge.id == "IEA" else None
            if edge.id == "ISA":
                isa = gs = None   # a stray header, inside the last interchange: no cut after it
            elif edge.id == "ST":
                yield SetStart(edge, delimiters, isa, gs)
                in_set = True
            elif edge.id == "SE":
                in_set = False
            elif edge.id == "GS":
                gs = None if in_set else edge
            elif edge.id == "GE":
                gs = None
            elif edge.id == "IEA":
                isa = gs = None
        passed = start + _passed(data, searched - start, terminator)
        counted += segments_in(data, counted_to - start, passed - start)
        counted_to = searched = passed
        window.let_go(passed)
        if not window.more():
            return None, counted, in_set


def _passed(data: bytes, searched: int, terminator: bytes) -> int:
    """How far the scan of ``data`` is done with: an edge that the end of the block cut off
    starts at a terminator, so up to the layout before the last one (a run of blank lines
    after a terminator is then counted in one piece)."""
    last = data.rfind(terminator, searched)
    if last < 0:
        return len(data)
    return searched + len(data[searched:last].rstrip(LAYOUT_BYTES))


def _edge_pattern(terminator: bytes, separator: bytes) -> re.Pattern[bytes]:
    """A terminator, layout, then an envelope id (group 1): ISA alone, since a new
    interchange may use another element separator; the others followed by this one's.
    One pass of the regular expression engine over the file: it stops only at terminators."""
    followed = b"(?=" + re.escape(separator) + b")"
    ids = b"|".join(re.escape(id_) + followed for id_ in _SCANNED_IDS)
    return re.compile(re.escape(terminator) + rb"[ \t\r\n]*(ISA|" + ids + b")")


def _segment_counter(terminator: bytes) -> Callable[[bytes, int, int], int]:
    """How many segments end in ``data[start:end]``, a stretch that starts at a segment:
    its terminators, where a terminator that is itself a layout byte (a line feed) ends one
    segment however many blank lines follow it."""
    if terminator not in LAYOUT_BYTES:
        return lambda data, start, end: data.count(terminator, start, end)
    ends = re.compile(re.escape(terminator) + rb"[ \t\r\n]*")
    return lambda data, start, end: len(ends.findall(data, start, end))


def _first_isa(window: _Window) -> Optional[int]:
    """Where the first ISA stands, after a byte-order mark and layout; None without one."""
    data = window.bytes_at(0, len(BOM) + _FIRST_ISA_WITHIN + len(b"ISA"))
    start = len(BOM) if data[:len(BOM)] == BOM else 0
    head = data[start:start + _FIRST_ISA_WITHIN]
    offset = start + len(head) - len(head.lstrip(LAYOUT_BYTES))
    return offset if data[offset:offset + 3] == b"ISA" else None


def _separators_at(window: _Window, offset: int) -> Optional[Delimiters]:
    """The separators of the ISA at ``offset``; None where the header cannot be read."""
    tokenizer = Tokenizer()
    head = window.bytes_at(offset, MAX_ISA_BYTES * 2)
    try:
        isa = next(iter(tokenizer.feed(head)), None) or next(iter(tokenizer.close()), None)
    except X12ReadError:
        return None
    return isa.delimiters if isa is not None and isa.id == "ISA" else None
