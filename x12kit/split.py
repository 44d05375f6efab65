"""Cut a stream into interchanges, one per interchange, group or transaction set.

Theory of operation. ``EnvelopeChecker`` follows the envelope as the segments stream by; the
splitter reads the frames each segment opens and closes (``EnvelopeChecker.moved``). A header at the depth
cut at starts a piece, which gets copies of the enclosing ISA (and GS) first; the segments
inside follow as they were; the trailer at that depth ends it. The enclosing envelopes are
*divided*: each piece waits, as a closed file, for their trailers (GE, IEA), which are
appended once the original ones have been read.

Counts are never repaired silently. By default a piece keeps the original's SE01, GE01 and
IEA01, and so its errors: a trailer of a divided envelope counts what the piece holds plus
the original's error (GE01 said 5 of a group of 3 sets: each one-set piece says 3), and a
trailer missing from the original is missing from the piece. ``fix_counts=True`` writes the
counts the pieces hold, and missing trailers. Either way every count the original got wrong
and every missing trailer is reported: the envelope check's finding, saying what the pieces
carry. Control numbers are copied as they are."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

from .diagnostics import Diagnostic, Level, Severity
from .envelope import TRAILERS, EnvelopeChecker
from .frames import CLOSES, OPENS, Frame
from .output import AllOrNothing
from .segment import Segment, shown_id
from .writer import Writer

DEPTHS = {"interchange": 1, "group": 2, "transaction": 3}
CONTROL_NUMBER = {1: 13, 2: 6, 3: 2}  # the header element a trailer's 02 repeats
REPORTED = ("trailer-count-mismatch", "trailer-missing")


class SplitResult(NamedTuple):
    paths: list[Path]
    findings: list[Diagnostic]  # the original's count errors and what the pieces carry


class _Piece:
    """One output file: written while it is the current piece, then closed and waiting for
    the trailers of the envelopes the split divided."""

    def __init__(self, path: Path, line_end: bytes) -> None:
        self.path, self.line_end = path, line_end
        self.file = open(path, "xb")
        self.writer = Writer(self.file, layout="lines", line_end=line_end)
        self.trailers: list[Segment] = []  # of divided envelopes, innermost first

    def end(self) -> None:
        self.file.close()

    def append_trailers(self) -> None:
        with open(self.path, "ab") as out:
            Writer(out, layout="lines", line_end=self.line_end).write_all(self.trailers)


class _Splitter:
    def __init__(self, by: str, path_for: Callable[[int], Path], fix_counts: bool,
                 line_end: bytes) -> None:
        self.by, self.depth = by, DEPTHS[by]
        self.path_for, self.fix_counts, self.line_end = path_for, fix_counts, line_end
        self.checker = EnvelopeChecker()
        self.piece: _Piece | None = None
        self.pieces = 0
        # pieces waiting for the trailer of a divided envelope, by its header's number
        self.waiting: dict[int, list[_Piece]] = {}
        self.findings: list[Diagnostic] = []

    def take(self, seg: Segment) -> None:
        opens = OPENS.get(seg.id)
        if opens is None and seg.id not in CLOSES:  # most segments: counted, written
            self.checker.check(seg)
            self._write(seg)
            return
        before = list(self.checker.frames)
        self._after(seg, before, self.checker.check(seg))
        if opens == self.depth:
            self._start(seg)
        elif opens is not None and opens > self.depth:
            self._write(seg)  # a header inside the piece
        # a header outside the depth cut at is copied into each piece it encloses

    def finish(self) -> None:
        before = list(self.checker.frames)
        self._after(None, before, self.checker.finish())

    def _after(self, seg: Segment | None, before: list[Frame], found) -> None:
        """Deal with the frames ``seg`` closed, innermost first: the one its trailer closes
        (if it is a trailer) and any it closed for lack of theirs."""
        reported = {(d.code, d.element_ref): d for d in found if d.code in REPORTED}
        moved = self.checker.moved
        closed = moved.closed if moved is not None else ()
        for frame in closed:
            trailer_id = TRAILERS[frame.depth]
            trailer = seg if seg is not None and seg.id == trailer_id and frame is closed[-1] \
                else None
            finding = reported.get(("trailer-count-mismatch" if trailer else "trailer-missing",
                                    f"{trailer_id}01"))
            index = next(i for i, f in enumerate(before) if f is frame)
            parent = before[index - 1] if index else None
            if frame.depth >= self.depth:
                self._close_own(frame, parent, trailer, finding)
            else:
                self._close_divided(frame, parent, trailer, finding)
        if seg is not None and seg.id in CLOSES and not closed:
            self._write(seg)  # a trailer with no open header: kept where it stands

    def _close_own(self, frame: Frame, parent: Frame | None, trailer: Segment | None,
                   finding: Diagnostic | None) -> None:
        """A frame inside the current piece: its trailer is written as it was, or with the
        count it holds when asked; at the depth cut at, the piece ends."""
        written = self._trailer(frame, trailer, str(frame.count))
        self._report(finding, written)
        if written is not None:
            self._write(written)
        if frame.depth == self.depth and self.piece is not None:
            self.piece.end()
            self._wait_for(parent, [self.piece])
            self.piece = None

    def _close_divided(self, frame: Frame, parent: Frame | None, trailer: Segment | None,
                       finding: Diagnostic | None) -> None:
        """An envelope the split divided: each of its pieces holds one of its children."""
        pieces = self.waiting.pop(frame.header.number, [])
        if trailer is not None and trailer.element(1).isdigit():
            # the original's error carried over: what it said, less the children left out
            kept = str(int(trailer.element(1)) - frame.count + 1)
            trailer = trailer._replace(elements=(trailer.id, kept, *trailer.elements[2:]))
        written = self._trailer(frame, trailer, "1")
        if pieces:
            self._report(finding, written)
        for piece in pieces:
            if written is not None:
                piece.trailers.append(written)
        self._wait_for(parent, pieces)

    def _wait_for(self, envelope: Frame | None, pieces: list[_Piece]) -> None:
        """Pieces go on waiting for the trailer of the divided ``envelope``; with none left
        to wait for, they get the trailers they have collected."""
        if envelope is not None:
            self.waiting.setdefault(envelope.header.number, []).extend(pieces)
            return
        for piece in pieces:
            if piece.trailers:
                piece.append_trailers()

    def _trailer(self, frame: Frame, trailer: Segment | None, count: str) -> Segment | None:
        """The trailer as it stands (None when missing), or, with ``fix_counts``, one that
        says ``count``, made from the header (its control number) where it was missing."""
        if not self.fix_counts:
            return trailer
        header = frame.header
        rest = (trailer.elements[2:] if trailer is not None
                else (header.element(CONTROL_NUMBER[frame.depth]),))
        return (trailer or header)._replace(elements=(TRAILERS[frame.depth], count, *rest))

    def _report(self, finding: Diagnostic | None, written: Segment | None) -> None:
        """The envelope's finding, saying what the pieces carry."""
        if finding is None:
            return
        if self.fix_counts and written is not None:
            self.findings.append(finding._replace(
                severity=Severity.WARNING,
                message=f"{finding.message}; fixed: the pieces say {written.element(1)}"))
            return
        carried = ("the pieces lack it too (--fix-counts adds it)" if written is None else
                   f"kept: the pieces say {written.element(1)} (--fix-counts repairs it)")
        self.findings.append(finding._replace(message=f"{finding.message}; {carried}"))

    def _start(self, header: Segment) -> None:
        self.pieces += 1
        self.piece = _Piece(self.path_for(self.pieces), self.line_end)
        for frame in self.checker.frames[:-1]:
            self.piece.writer.write(frame.header)
        self.piece.writer.write(header)

    def _write(self, seg: Segment) -> None:
        if self.piece is not None:
            self.piece.writer.write(seg)
            return
        shown = shown_id(seg.id)
        self.findings.append(Diagnostic(
            "segment-left-out", Severity.ERROR, f"{shown} outside any {self.by}: in no piece",
            Level.INTERCHANGE, offset=seg.offset, segment_number=seg.number, segment_id=shown))


def split_segments(segments: Iterable[Segment], by: str, path_for: Callable[[int], Path],
                   fix_counts: bool = False, line_end: bytes = b"\n") -> list[Diagnostic]:
    """Write the pieces to ``path_for(1)``, ``path_for(2)``, ...; return the findings about
    counts (see the module docstring)."""
    splitter = _Splitter(by, path_for, fix_counts, line_end)
    try:
        for seg in segments:
            splitter.take(seg)
        splitter.finish()
    finally:
        if splitter.piece is not None:
            splitter.piece.end()
    return splitter.findings


def split_file(segments: Iterable[Segment], by: str, out_dir: Path, stem: str, suffix: str,
               fix_counts: bool = False, line_end: bytes = b"\n") -> SplitResult:
    """Split into ``out_dir/stem.0001suffix``, ...: all of them, or (on an error) none."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    with AllOrNothing() as files:
        def path_for(n: int) -> Path:
            paths.append(out_dir / f"{stem}.{n:04d}{suffix}")
            return files.temporary_for(paths[-1])

        findings = split_segments(segments, by, path_for, fix_counts, line_end)
    return SplitResult(paths, findings)
