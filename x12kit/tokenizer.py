"""A sans-IO X12 tokenizer: feed it bytes, get segments with their positions.

Theory of operation. The tokenizer never reads a file; callers ``feed()`` chunks and ``close()``
at the end, and each call returns the segments completed so far. Before each interchange it is
in the *header* state: it skips layout (blanks, a UTF-8 byte-order mark), reads the ISA header
to learn the separators, and switches to the *body* state, where the buffer is cut on the
segment terminator and each piece on the element separator. An IEA sends it back to the header
state, since the next interchange may use other separators.

Two paths cut the body. Most chunks are regular: ASCII, one line ending after every
terminator, nothing else that is layout. Those take the fast path, whose per-byte and
per-segment work is done in C: by ``x12kit/_cut.c`` where it was built (one scan of the chunk,
then a lazy iterator making each ``Segment``), else by C-level string methods, ``map`` and
``zip``. Any other chunk takes the general path, a loop over ``bytes.split`` pieces that
handles every layout. All of them give the same segments (tests/test_cut.py).

CR, LF, blanks and tabs after a terminator are layout; CR and LF inside a segment (files
wrapped at a fixed width) are layout too. Both are kept in ``Segment.layout`` so that the
writer can give back the input byte for byte.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import accumulate, chain, repeat
from operator import add

from .diagnostics import X12ReadError
from .segment import Delimiters, Layout, NO_LAYOUT, Segment

BOM = b"\xef\xbb\xbf"
LAYOUT_BYTES = b" \t\r\n"
_LINE_BREAKS = re.compile(rb"[\r\n]+")
ISA_SEPARATORS = 16          # element separators in an ISA, the last one before ISA16
MAX_ISA_BYTES = 512          # an ISA that long without 16 separators is not an ISA
DEFAULT_MAX_SEGMENT = 1 << 20
_EDGE_IDS = ("ST", "SE", "IEA")   # the segments the fast path looks at one by one

try:  # the fast path's per-byte and per-segment work in C (x12kit/_cut.c), where built
    from ._cut import Cutter, scan
except ImportError:  # pragma: no cover - a build without a C compiler
    Cutter = scan = None


class Tokenizer:
    """Turns a stream of byte chunks into ``Segment`` values; see the module docstring."""

    def __init__(self, max_segment_bytes: int = DEFAULT_MAX_SEGMENT) -> None:
        self.max_segment_bytes = max_segment_bytes
        self.delimiters: Delimiters | None = None
        self.trailing = b""          # layout after the last segment, known after close()
        self._buf = b""              # bytes fed but not yet turned into segments
        self._base = 0               # stream offset of _buf[0]
        self._lead = b""             # layout already consumed that belongs to the next segment
        self._in_header = True
        self._number = 0
        self._set_position = 0
        self._layouts: dict[bytes, Layout] = {b"": NO_LAYOUT}
        self._codec = "utf-8"
        self._suffix: str | None = None  # the line ending after terminators, once seen
        self._after_iea = False          # the last segment cut was an IEA

    @classmethod
    def resume(cls, delimiters: Delimiters, offset: int, number: int) -> "Tokenizer":
        """A tokenizer that starts inside an interchange whose separators are known, at the
        byte ``offset`` of a segment numbered ``number`` (to re-read part of a stream, as a
        worker checking one transaction set does)."""
        tokenizer = cls()
        tokenizer.delimiters, tokenizer._codec = delimiters, delimiters.codec
        tokenizer._in_header = False
        tokenizer._base, tokenizer._number = offset, number - 1
        return tokenizer

    def feed(self, data: bytes) -> Iterator[Segment]:
        """Take a chunk; return the segments it completed. All state is updated before this
        returns; the segments themselves are made as they are iterated, so that a consumer
        that drops each one keeps memory and garbage-collector work small. A fault that
        stops reading raises ``X12ReadError`` from that iteration, after the segments
        before it."""
        self._buf = self._buf + data if self._buf else bytes(data)
        return self._drain(final=False)

    def close(self) -> Iterator[Segment]:
        """Signal the end of input; return the last segments."""
        return self._drain(final=True)

    @property
    def segments_read(self) -> int:
        return self._number

    @property
    def bytes_read(self) -> int:
        return self._base

    # -- states -------------------------------------------------------------------------

    def _drain(self, final: bool) -> Iterator[Segment]:
        """The segments the buffer completes. Input that cannot be read on raises its
        ``X12ReadError`` only once the segments before it have been given: a reader of
        the whole stream loses nothing read before the fault, and one that stops early
        (a worker reading one transaction set) never meets a fault that lies beyond."""
        out: list[Iterable[Segment]] = []
        try:
            while True:
                if self._in_header and not self._read_header(final):
                    break
                if not self._in_header and not self._read_body(out, final):
                    break
            if final:
                self._finish(out)
        except X12ReadError as error:
            out.append(_raise(error))
        return chain.from_iterable(out)

    def _read_header(self, final: bool) -> bool:
        """Find the next ISA and learn its separators; False when more data is needed."""
        buf = self._buf
        start = len(BOM) if buf.startswith(BOM) and self._base == 0 else 0
        while start < len(buf) and buf[start] in LAYOUT_BYTES:
            start += 1
        if start > self.max_segment_bytes:  # held until an ISA comes: capped like a segment
            raise X12ReadError(f"no ISA interchange header within {self.max_segment_bytes}"
                               " bytes of blanks", self._base)
        if len(buf) - start < 4 and not final:
            return False
        if len(buf) - start < 4 and buf[start:].strip():
            raise X12ReadError("input ends inside its ISA header", self._base + start, "023")
        if buf[start:start + 3] != b"ISA":
            if self.delimiters is None:
                if not buf.strip(BOM + LAYOUT_BYTES) and final:
                    raise X12ReadError("empty input: no ISA interchange header", 0)
                raise X12ReadError(
                    "no ISA interchange header: the input does not start with 'ISA'",
                    self._base + start)
            self._in_header = False   # data after an IEA: tokenise it with the old separators
            return True
        delimiters = self._parse_isa(buf, start, final)
        if delimiters is None:
            return False
        self._lead += buf[:start]
        self._consume(start)
        self.delimiters = delimiters
        self._codec = delimiters.codec
        self._in_header, self._suffix = False, None
        return True

    def _parse_isa(self, buf: bytes, start: int, final: bool) -> Delimiters | None:
        """Separators from an ISA header at ``start``: element at offset 3, ISA16 after the
        16th element separator, the terminator right after it, ISA11 the repetition
        separator in 5010. Counting separators rather than trusting fixed offsets also reads
        headers whose fields are not padded, and wrapped ones (CR/LF skipped)."""
        sep = buf[start + 3]
        seen, i, end = 1, start + 4, min(len(buf), start + MAX_ISA_BYTES)
        fields, field_start = [], i
        while i < end and seen < ISA_SEPARATORS:
            if buf[i] == sep:
                seen += 1
                fields.append(buf[field_start:i])
                field_start = i + 1
            i += 1
        while i < len(buf) and buf[i] in b"\r\n":
            i += 1  # a wrap right before ISA16
        if seen < ISA_SEPARATORS or i + 1 >= len(buf):
            if final or len(buf) - start >= MAX_ISA_BYTES:
                raise X12ReadError("unreadable ISA header: fewer than 16 element separators"
                                   " before the end of the header", self._base + start, "022")
            return None
        codec = "latin-1"  # one byte, one character: the header's own separators may be any byte
        component, terminator = chr(buf[i]), chr(buf[i + 1])
        isa11 = fields[10].replace(b"\r", b"").replace(b"\n", b"").decode(codec)
        version = fields[11].decode(codec)
        delimiters = _separators(chr(sep), isa11, version, component, terminator)
        clash = delimiters.clash()
        if clash or any(_is_alnum(c) for c in (chr(sep), component, terminator)):
            code = "027" if component in (chr(sep), terminator) or _is_alnum(component) else "026"
            raise X12ReadError(f"unusable separators in ISA: {clash or 'a letter or digit'}",
                               self._base + start, code)
        return delimiters

    def _read_body(self, out: list[Iterable[Segment]], final: bool) -> bool:
        """Cut complete segments off the buffer; True when an IEA sends us back to a header.

        Most chunks are ASCII with one regular line ending after every terminator: those are
        cut as text on terminator + line ending with no per-segment layout checks (the fast
        path). Anything else (other bytes, wrapping, indentation, mixed endings) takes the
        general path, which gives the same segments."""
        buf = self._buf
        if not final and buf.isascii():
            text = buf.decode("latin-1")
            separator = self._separator(text)
            found = self._scan(text, separator) if separator else None
            if found is not None:
                return self._after_cut(self._cut_regular(text, separator, *found, out))
        return self._after_cut(self._cut_any(out))

    def _scan(self, text: str, separator: str) -> tuple[int, list[tuple[int, str, int]]] | None:
        """For a regular chunk (see ``_regular``), the number of complete segments and their
        edges (see ``_edges``); None for any other. One pass in C where it was built."""
        element = self.delimiters.element  # type: ignore[union-attr]
        if scan is not None and element.isascii():  # the C scan takes ASCII separators only
            return scan(text, separator, element)
        if not self._regular(text, separator):
            return None
        count = text.count(separator)
        return count, self._edges(text, separator, count)

    def _separator(self, text: str) -> str:
        """Terminator + the line ending that follows the terminators of this interchange."""
        term = self.delimiters.segment  # type: ignore[union-attr]
        if self._suffix is None:
            at = text.find(term)
            if at < 0 or at + 3 > len(text):
                return ""
            self._suffix = re.match(r"(\r\n|\n|\r|)", text[at + 1:]).group()
        return term + self._suffix

    def _regular(self, text: str, separator: str) -> bool:
        """Whether every terminator in ``text`` is followed by the one line ending, with no
        other line break, and no segment starts with a blank or tab (indentation), is empty,
        or is a bare ST, SE or IEA (the edges are found by id and element separator): then
        the text between separators is the segments. Every check is a C-level scan."""
        term, cuts = separator[0], text.count(separator)
        cut_short = len(separator) > 1 and text.endswith(term)  # ending comes next chunk
        if text.count(term) != cuts + (cut_short and term not in separator[1:]):
            return False
        for char in "\r\n":
            if text.count(char) != cuts * separator.count(char) + (cut_short and term == char):
                return False
        starts = (" ", "\t", separator) + tuple(sid + separator for sid in _EDGE_IDS)
        return not text.startswith(starts) and not any(separator + s in text for s in starts)

    def _cut_regular(self, text: str, separator: str, count: int,
                     edges: list[tuple[int, str, int]], out: list[Iterable[Segment]]) -> bool:
        """The fast path (see ``_read_body``); True when an IEA sends us back to a header.

        The segments are made as the consumer iterates (``_emit``). Python only visits the
        few ST, SE and IEA segments, found with ``str.find``, to count set positions and to
        check the header that follows each IEA."""
        back = False
        if self._after_iea and count:
            edges.insert(0, (-1, "IEA", -1))  # the previous chunk ended with an IEA
        for index, seg_id, at in edges:
            if seg_id == "IEA" and index + 1 < count:
                start = text.find(separator, at) + len(separator) if at >= 0 else 0
                header = text[start:text.find(separator, start)]
                if not self._same_header(tuple(header.split(self.delimiters.element))):  # type: ignore
                    count, back = index + 1, True
                    break
        if count:
            edges = [e for e in edges if 0 <= e[0] < count]
            self._after_iea = bool(edges) and edges[-1][:2] == (count - 1, "IEA")
            if back:  # up to the end of the IEA
                size = text.find(separator, edges[-1][2]) + len(separator)
            else:  # up to the unfinished tail
                size = text.rfind(separator) + len(separator)
            self._emit(text, count, edges, separator, out)
            self._lead = separator[1:].encode("latin-1")
            self._consume(size)
        return back

    def _edges(self, text: str, separator: str, count: int) -> list[tuple[int, str, int]]:
        """(segment index, id, index in ``text``) of the ST, SE and IEA segments among the
        first ``count``, in order. A segment's index is the number of separators before it."""
        elem = self.delimiters.element  # type: ignore[union-attr]
        found: list[tuple[int, str]] = []
        for seg_id in _EDGE_IDS:
            if text.startswith(seg_id + elem):
                found.append((0, seg_id))
            needle = separator + seg_id + elem
            at = text.find(needle)
            while at >= 0:
                found.append((at + len(separator), seg_id))
                at = text.find(needle, at + 1)
        found.sort()
        edges, index, last = [], 0, 0
        for at, seg_id in found:
            index += text.count(separator, last, at)
            last = at
            if index < count:
                edges.append((index, seg_id, at))
        return edges

    def _emit(self, text: str, count: int, edges: list[tuple[int, str, int]], separator: str,
              out: list[Iterable[Segment]]) -> None:
        """Queue the first ``count`` segments of ``text``, with set positions counted at the
        edges. They are made lazily: by the C ``Cutter`` where it was built, else by C-level
        ``map``, ``accumulate`` and ``zip`` over the pieces."""
        delimiters, step = self.delimiters, len(separator)
        number, set_pos = start = self._number, self._set_position
        runs: list[Iterable[int]] = []
        done = 0
        for index, seg_id, _ in edges:
            set_pos = self._run(runs, set_pos, index - done)
            set_pos = 1 if seg_id == "ST" else (set_pos + 1 if set_pos else 0)
            runs.append((set_pos,))
            if seg_id == "SE":
                set_pos = 0
            done = index + 1
        self._set_position = self._run(runs, set_pos, count - done)
        self._number = number + count
        first = self._layout_for(self._lead)
        regular = self._layout_for(self._suffix.encode("latin-1"))  # type: ignore[union-attr]
        if Cutter is not None and delimiters.element.isascii():  # type: ignore[union-attr]
            # the C cutter takes ASCII separators only (an ASCII chunk of an interchange
            # whose element separator is not ASCII holds no element separator at all)
            out.append(Cutter(text, separator, delimiters.element, count,  # type: ignore
                              self._base, number, start[1], delimiters, first, regular,
                              Segment))
            return
        pieces = text.split(separator, count)[:count]
        layouts = chain((first,), repeat(regular, count - 1))
        offsets = accumulate(map(add, map(len, pieces), repeat(step)), initial=self._base)
        out.append(map(tuple.__new__, repeat(Segment), zip(
            map(tuple, map(str.split, pieces, repeat(delimiters.element))), offsets,  # type: ignore
            range(number + 1, number + count + 1), chain.from_iterable(runs),
            repeat(delimiters), layouts)))

    @staticmethod
    def _run(runs: list[Iterable[int]], set_pos: int, length: int) -> int:
        """Set positions of ``length`` ordinary segments after one at ``set_pos``."""
        runs.append(range(set_pos + 1, set_pos + 1 + length) if set_pos else repeat(0, length))
        return set_pos + length if set_pos else 0

    def _cut_any(self, out: list[Iterable[Segment]]) -> bool:
        """The general path (see ``_read_body``); True when an IEA sends us back to a header."""
        delimiters = self.delimiters
        assert delimiters is not None
        pieces = self._buf.split(delimiters.segment.encode("latin-1"))
        pieces.pop()  # the unfinished tail
        elem, codec, base = delimiters.element, self._codec, self._base
        pos, number, set_pos, lead = 0, self._number, self._set_position, self._lead
        after_iea, new = self._after_iea, tuple.__new__
        back, segments = False, []
        out.append(segments)
        for piece in pieces:
            data = piece.lstrip(LAYOUT_BYTES)
            if b"\n" in data or b"\r" in data:
                layout, text = _unwrap(lead + piece[:len(piece) - len(data)], data)
            else:
                layout = self._layout_for(lead + piece[:len(piece) - len(data)])
                text = data
            elements = tuple(text.decode(codec, "surrogateescape").split(elem))
            if after_iea:
                if not self._same_header(elements):
                    back = True
                    break
                after_iea = False
            seg_id = elements[0]
            number += 1
            if seg_id == "ST":
                set_pos = 1
            elif set_pos:
                set_pos += 1
            segments.append(new(Segment, (elements, base + pos + len(piece) - len(data), number,
                                          set_pos, delimiters, layout)))
            pos += len(piece) + 1
            lead = b""
            if seg_id == "SE":
                set_pos = 0
            elif seg_id == "IEA":
                after_iea = True
        self._number, self._set_position, self._lead = number, set_pos, lead
        self._after_iea = after_iea
        self._consume(pos)
        return back

    def _after_cut(self, back_to_header: bool) -> bool:
        if self._after_iea and self._buf.lstrip(LAYOUT_BYTES)[:3] == b"ISA":
            back_to_header = True  # the next header is not cut yet: read it as a header
        if back_to_header:
            self._in_header, self._after_iea = True, False
        elif len(self._buf) > self.max_segment_bytes:
            raise X12ReadError(f"no segment terminator within {self.max_segment_bytes} bytes",
                               self._base)
        return back_to_header

    def _same_header(self, elements: tuple[str, ...]) -> bool:
        """Whether the segment after an IEA is an ISA with the separators in use, so that
        cutting can go on without going back to the header state. A header too long for
        the header state to read (``MAX_ISA_BYTES``) is left to it, to refuse there: the
        same input must not be read or refused depending on where a chunk ends."""
        if elements[0] != "ISA" or len(elements) != 17:
            return False
        d = self.delimiters
        text = d.element.join(elements).encode(self._codec, "surrogateescape")  # type: ignore
        if len(text) > MAX_ISA_BYTES + 1:  # its 16th separator lies past MAX_ISA_BYTES
            return False
        return _separators(d.element, elements[11], elements[12], elements[16],  # type: ignore
                           d.segment) == d  # type: ignore[union-attr]

    # -- helpers ------------------------------------------------------------------------

    def _consume(self, n: int) -> None:
        self._buf = self._buf[n:]
        self._base += n

    def _layout_for(self, lead: bytes) -> Layout:
        layout = self._layouts.get(lead)
        if layout is not None:
            return layout
        layout = Layout(lead)
        if len(self._layouts) < 64:  # the few leads a file uses ("\n", "\r\n", "  ") are shared
            self._layouts[lead] = layout
        return layout

    def _finish(self, out: list[Iterable[Segment]]) -> None:
        """At close: what is left is trailing layout or a segment cut off by the file's end."""
        rest = self._buf
        data = rest.lstrip(LAYOUT_BYTES)
        if not data:
            self.trailing = self._lead + rest
        else:
            body = data.rstrip(LAYOUT_BYTES)
            layout, body = _unwrap(self._lead + rest[:len(rest) - len(data)], body)
            delimiters = self.delimiters or Delimiters()
            elements = tuple(body.decode(self._codec, "surrogateescape").split(delimiters.element))
            self._number += 1
            set_pos = self._set_position + 1 if self._set_position else 0
            out.append([Segment(elements, self._base + len(rest) - len(data), self._number,
                                set_pos, delimiters, layout._replace(terminated=False))])
            self.trailing = data[len(data.rstrip(LAYOUT_BYTES)):]
        self._consume(len(rest))
        self._lead = b""


def _raise(error: X12ReadError) -> Iterator[Segment]:
    raise error
    yield  # a generator: raises when the consumer gets this far, not when made


def _separators(element: str, isa11: str, version: str, component: str,
                terminator: str) -> Delimiters:
    """The separators an ISA declares. ISA11 is the repetition separator from 00501 on;
    real files reuse '^' as both component and repetition separator, so one that clashes or
    is a letter is dropped (read without repetitions) and the envelope check reports ISA11."""
    repetition = isa11 if version >= "00501" and len(isa11) == 1 else ""
    if repetition and (_is_alnum(repetition) or repetition in (element, component, terminator)):
        repetition = ""
    return Delimiters(element, component, repetition, terminator)


def _is_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _unwrap(lead: bytes, data: bytes) -> tuple[Layout, bytes]:
    """Take the line breaks out of a wrapped segment, remembering where they stood."""
    breaks, kept, removed = [], [], 0
    last = 0
    for match in _LINE_BREAKS.finditer(data):
        kept.append(data[last:match.start()])
        breaks.append((match.start() - removed, match.group()))
        removed += match.end() - match.start()
        last = match.end()
    kept.append(data[last:])
    return Layout(lead, tuple(breaks)), b"".join(kept)
