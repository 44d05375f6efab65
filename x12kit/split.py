"""Cut a stream into complete interchanges, one per interchange, group or transaction set.

Each piece is streamed to its own file as it is read: it gets a copy of the enclosing ISA
and GS where it needs them, and when it ends (or is cut short) the trailers of whatever is
still open in it are written. The writer recomputes SE01, GE01 and IEA01 and copies the
control numbers into the trailers, so every piece is a well-formed interchange."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from .segment import Segment, make_segment
from .writer import Writer

HEADERS = ("ISA", "GS", "ST")
TRAILER_OF = {"ISA": "IEA", "GS": "GE", "ST": "SE"}
DEPTHS = {"interchange": 1, "group": 2, "transaction": 3}


class _Piece:
    def __init__(self, out: BinaryIO, line_end: bytes) -> None:
        self.out = out
        self.writer = Writer(out, layout="lines", fill=True, line_end=line_end)
        self.open: list[str] = []  # headers written and not yet closed

    def write(self, seg: Segment) -> None:
        seg_id = seg.elements[0]
        if seg_id in TRAILER_OF:
            self.open.append(seg_id)
        elif self.open and seg_id == TRAILER_OF[self.open[-1]]:
            self.open.pop()
        self.writer.write(seg)

    def close(self) -> None:
        while self.open:
            self.writer.write(make_segment(TRAILER_OF[self.open.pop()], "", ""))
        self.out.close()


def split_segments(segments: Iterable[Segment], by: str,
                   open_piece: Callable[[int], BinaryIO], line_end: bytes = b"\n") -> int:
    """Write the pieces to ``open_piece(1)``, ``open_piece(2)``, ...; return their count."""
    depth = DEPTHS[by]
    header_id = HEADERS[depth - 1]
    enclosing: dict[str, Segment] = {}
    piece: _Piece | None = None
    count = 0
    for seg in segments:
        seg_id = seg.elements[0]
        if seg_id == header_id:
            if piece is not None:
                piece.close()
            count += 1
            piece = _Piece(open_piece(count), line_end)
            for outer in HEADERS[:depth - 1]:
                if outer in enclosing:
                    piece.write(enclosing[outer])
        elif seg_id in HEADERS:
            enclosing[seg_id] = seg
        if piece is None:
            continue
        piece.write(seg)
        if len(piece.open) < depth:  # the level this piece was cut at has closed
            piece.close()
            piece = None
    if piece is not None:
        piece.close()
    return count


def split_file(segments: Iterable[Segment], by: str, out_dir: Path, stem: str,
               suffix: str, line_end: bytes = b"\n") -> list[Path]:
    """Split into ``out_dir/stem.0001suffix``, ...; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []

    def open_piece(n: int) -> BinaryIO:
        paths.append(out_dir / f"{stem}.{n:04d}{suffix}")
        return open(paths[-1], "wb")

    split_segments(segments, by, open_piece, line_end)
    return paths
