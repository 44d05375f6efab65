"""Segments back to bytes.

``Writer`` has two layouts: ``keep`` writes each segment with its own separators and layout
(line breaks, wrapping, byte-order mark), so reading then writing gives the input back byte
for byte; ``lines`` writes one segment per line with chosen separators. With ``fill=True`` it
also owns the envelope arithmetic: SE01, GE01 and IEA01 counts, the trailers' control numbers,
and control numbers left empty in ISA13, GS06 and ST02.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

from .errors import X12WriteError
from .segment import FRAME_IDS, Delimiters, Segment


class Writer:
    def __init__(self, out: BinaryIO, delimiters: Delimiters | None = None,
                 layout: str = "keep", fill: bool = False, line_end: bytes = b"\n",
                 first_control_number: int = 1) -> None:
        if layout not in ("keep", "lines"):
            raise ValueError(f"layout must be 'keep' or 'lines', not {layout!r}")
        if delimiters and delimiters.clash():
            raise X12WriteError(delimiters.clash())
        self.out = out
        self.delimiters = delimiters
        self.keep_layout = layout == "keep"
        self.line_end = line_end
        self.fill = fill
        self._counter = _EnvelopeCounter(first_control_number) if fill else None
        # what ends each segment in ``write_many``, as text: its encoding is the same in
        # any codec (ASCII), so segments and ends are encoded at once (None: not so)
        end = (delimiters.segment if delimiters.segment in "\r\n" else
               delimiters.segment + line_end.decode("latin-1")) if delimiters else ""
        self._end = end if delimiters and not self.keep_layout and end.isascii() else None

    def write(self, segment: Segment) -> None:
        if self._counter:
            segment = self._counter.fill(segment)
        target = self.delimiters or segment.delimiters
        text = _join(segment, target)
        data = text.encode(segment.delimiters.codec, "surrogateescape")
        layout = segment.layout
        if self.keep_layout:
            if layout.breaks:
                data = _rewrap(data, layout.breaks)
            end = target.segment.encode("latin-1") if layout.terminated else b""
            self.out.write(layout.lead + data + end)
        elif target.segment in "\r\n":  # the terminator already ends the line
            self.out.write(data + target.segment.encode("latin-1"))
        else:
            self.out.write(data + target.segment.encode("latin-1") + self.line_end)

    def write_many(self, segments: list[Segment]) -> None:
        """What ``write`` does to each segment, with one encoding and one write per run of
        segments read with the same separators (layout ``lines``, which writes no segment's
        own layout): for a generator writing a loop's segments as they were read."""
        if self._end is None:
            for segment in segments:
                self.write(segment)
            return
        counter, target = self._counter, self.delimiters
        if not segments:
            return
        text = joined(segments, target, self._end, FRAME_IDS)
        if text is not None:  # the common case: all read with the separators written
            if counter:
                counter.segments += len(segments)
            self.out.write(text.encode(target.codec, "surrogateescape"))
            return
        texts: list[str] = []
        source = same = None
        for segment in segments:
            if counter:
                if segment.elements[0] in FRAME_IDS:
                    segment = counter.fill(segment)
                else:
                    counter.segments += 1
            if segment.delimiters != source:
                self._write_texts(texts, source)
                texts, source = [], segment.delimiters
                same = source == target
            # a segment read with the separators written is its elements joined
            texts.append(target.element.join(segment.elements) if same
                         else _join(segment, target))
        self._write_texts(texts, source)

    def _write_texts(self, texts: list[str], source: Delimiters | None) -> None:
        if texts:
            end = self._end
            self.out.write((end.join(texts) + end).encode(source.codec, "surrogateescape"))

    def write_all(self, segments: Iterable[Segment], trailing: bytes | None = None) -> None:
        """Write every segment, then (layout ``keep``) the layout bytes after the last one:
        ``trailing``, or by default what the reader of ``segments`` found there (a
        ``SegmentReader``'s ``trailing``, e.g. the file's final newline)."""
        for segment in segments:
            self.write(segment)
        if trailing is None:
            trailing = getattr(segments, "trailing", b"")
        if self.keep_layout and trailing:
            self.out.write(trailing)


def py_joined(segments: list[Segment], target: Delimiters, end: str,
              kept_out: frozenset[str]) -> str | None:
    """What ``write_many`` writes for ``segments`` where each was read with the ``target``
    separators and none has an id of ``kept_out`` (envelope segments, whose numbers the
    writer may fill): each one's elements joined, each ended by ``end``; None otherwise."""
    join = target.element.join
    texts = []
    for segment in segments:
        if segment.delimiters != target or segment.elements[0] in kept_out:
            return None
        texts.append(join(segment.elements))
    return end.join(texts) + end


try:  # the same, in C (x12kit/_as_read.c), where built
    from x12kit._as_read import joined
except ImportError:  # pragma: no cover - a build without a C compiler
    joined = py_joined


def write_segments(segments: Iterable[Segment], out: BinaryIO, *,
                   trailing: bytes | None = None, **options) -> None:
    """Write ``segments`` to ``out``; options as for ``Writer``. With the defaults,
    ``write_segments(read_segments(path), out)`` gives the file back byte for byte;
    ``trailing`` replaces the bytes written after the last segment."""
    Writer(out, **options).write_all(segments, trailing)


def _join(segment: Segment, target: Delimiters) -> str:
    """The segment's text with ``target`` separators; raises where data holds one of them."""
    source = segment.delimiters
    elements = segment.elements
    if segment.id == "ISA" and target != source and len(elements) == 17:
        elements = elements[:11] + ((target.repetition or elements[11]),) + elements[12:16] \
            + (target.component,)
    elif target[1:3] != source[1:3]:
        table = {ord(source.component): target.component}
        if source.repetition:
            table[ord(source.repetition)] = target.repetition or source.repetition
        elements = tuple(e.translate(table) for e in elements)
    text = target.element.join(elements)
    if target != source and (text.count(target.element) != len(elements) - 1
                             or target.segment in text):
        raise X12WriteError(f"segment #{segment.number} {segment.id}: its data contains one of"
                            " the chosen separators")
    return text


def _rewrap(data: bytes, breaks: tuple[tuple[int, bytes], ...]) -> bytes:
    parts, last = [], 0
    for at, brk in breaks:
        parts += (data[last:at], brk)
        last = at
    parts.append(data[last:])
    return b"".join(parts)


class _EnvelopeCounter:
    """Counts segments, sets and groups as they are written, and fills the trailers."""

    def __init__(self, first_control_number: int) -> None:
        self.next_number = first_control_number
        self.isa13 = self.gs06 = self.st02 = ""
        self.groups = self.sets = self.segments = 0

    def _number(self, width: int) -> str:
        value, self.next_number = self.next_number, self.next_number + 1
        return str(value).zfill(width)

    def fill(self, seg: Segment) -> Segment:
        sid = seg.id
        if sid not in FRAME_IDS:  # the body (and a TA1): counted, written as it is
            self.segments += 1
            return seg
        e = list(seg.elements)
        if sid == "ISA":
            e += [""] * (17 - len(e))
            self.isa13 = e[13] = e[13] or self._number(9)
            self.groups = 0
        elif sid == "GS":
            e += [""] * (9 - len(e))
            self.gs06 = e[6] = e[6] or str(self._number(1))
            self.groups, self.sets = self.groups + 1, 0
        elif sid == "ST":
            e += [""] * (3 - len(e))
            self.st02 = e[2] = e[2] or self._number(4)
            self.sets, self.segments = self.sets + 1, 1
        elif sid == "SE":
            self.segments += 1
            e[1:] = [str(self.segments), self.st02]
        elif sid == "GE":
            e[1:] = [str(self.sets), self.gs06]
        else:
            e[1:] = [str(self.groups), self.isa13]
        return seg._replace(elements=tuple(e))

