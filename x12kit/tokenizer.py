"""A sans-IO X12 tokenizer: feed it bytes, get segments with their positions.

Theory of operation. The tokenizer never reads a file; callers ``feed()`` chunks and ``close()``
at the end, and each call returns the segments completed so far. Before each interchange it is
in the *header* state: it skips layout (blanks, a UTF-8 byte-order mark), reads the ISA header
to learn the separators, and switches to the *body* state, where the buffer is cut with
``bytes.split`` on the segment terminator and each piece on the element separator (the C
routines do the per-byte work). An IEA sends it back to the header state, since the next
interchange may use other separators.

CR, LF, blanks and tabs after a terminator are layout; CR and LF inside a segment (files
wrapped at a fixed width) are layout too. Both are kept in ``Segment.layout`` so that the
writer can give back the input byte for byte.
"""
from __future__ import annotations

import re

from .diagnostics import X12ReadError
from .segment import Delimiters, Layout, NO_LAYOUT, Segment

BOM = b"\xef\xbb\xbf"
LAYOUT_BYTES = b" \t\r\n"
_LINE_BREAKS = re.compile(rb"[\r\n]+")
ISA_SEPARATORS = 16          # element separators in an ISA, the last one before ISA16
MAX_ISA_BYTES = 512          # an ISA that long without 16 separators is not an ISA
DEFAULT_MAX_SEGMENT = 1 << 20


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

    def feed(self, data: bytes) -> list[Segment]:
        self._buf = self._buf + data if self._buf else bytes(data)
        return self._drain(final=False)

    def close(self) -> list[Segment]:
        return self._drain(final=True)

    # -- states -------------------------------------------------------------------------

    def _drain(self, final: bool) -> list[Segment]:
        out: list[Segment] = []
        while True:
            if self._in_header and not self._read_header(final):
                break
            if not self._in_header and not self._read_body(out, final):
                break
        if final:
            self._finish(out)
        return out

    def _read_header(self, final: bool) -> bool:
        """Find the next ISA and learn its separators; False when more data is needed."""
        buf = self._buf
        start = len(BOM) if buf.startswith(BOM) and self._base == 0 else 0
        while start < len(buf) and buf[start] in LAYOUT_BYTES:
            start += 1
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
        self._in_header = False
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
        repetition = isa11 if version >= "00501" and len(isa11) == 1 else ""
        delimiters = Delimiters(chr(sep), component, repetition, terminator)
        if repetition and (_is_alnum(repetition) or repetition in delimiters[:2] + (terminator,)):
            # Real files reuse '^' as both component and repetition separator; read them
            # without repetitions and let the envelope check report ISA11.
            delimiters = delimiters._replace(repetition="")
        clash = delimiters.clash()
        if clash or any(_is_alnum(c) for c in (chr(sep), component, terminator)):
            code = "027" if component in (chr(sep), terminator) or _is_alnum(component) else "026"
            raise X12ReadError(f"unusable separators in ISA: {clash or 'a letter or digit'}",
                               self._base + start, code)
        return delimiters

    def _read_body(self, out: list[Segment], final: bool) -> bool:
        """Cut complete segments off the buffer; True when an IEA sends us back to a header."""
        delimiters = self.delimiters
        assert delimiters is not None
        pieces = self._buf.split(delimiters.segment.encode("latin-1"))
        tail = pieces.pop()
        elem, codec, layouts, base = delimiters.element, self._codec, self._layouts, self._base
        pos, number, set_pos, lead = 0, self._number, self._set_position, self._lead
        new = tuple.__new__
        back_to_header = False
        for piece in pieces:
            data = piece.lstrip(LAYOUT_BYTES)
            offset = base + pos + len(piece) - len(data)
            pos += len(piece) + 1
            if len(data) != len(piece):
                lead += piece[:len(piece) - len(data)]
            if b"\n" in data or b"\r" in data:
                layout, data = _unwrap(lead, data)
            else:
                layout = layouts.get(lead) or self._layout_for(lead)
            elements = tuple(data.decode(codec, "surrogateescape").split(elem))
            seg_id = elements[0]
            number += 1
            if seg_id == "ST":
                set_pos = 1
            elif set_pos:
                set_pos += 1
            out.append(new(Segment, (elements, offset, number, set_pos, delimiters, layout)))
            lead = b""
            if seg_id == "SE":
                set_pos = 0
            elif seg_id == "IEA":
                back_to_header = True
                break
        self._number, self._set_position, self._lead = number, set_pos, lead
        self._consume(pos)
        if back_to_header:
            self._in_header = True
        elif len(tail) > self.max_segment_bytes:
            raise X12ReadError(f"no segment terminator within {self.max_segment_bytes} bytes",
                               self._base)
        return back_to_header

    # -- helpers ------------------------------------------------------------------------

    def _consume(self, n: int) -> None:
        self._buf = self._buf[n:]
        self._base += n

    def _layout_for(self, lead: bytes) -> Layout:
        layout = Layout(lead)
        if len(self._layouts) < 64:  # the few leads a file uses ("\n", "\r\n", "  ") are shared
            self._layouts[lead] = layout
        return layout

    def _finish(self, out: list[Segment]) -> None:
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
            out.append(Segment(elements, self._base + len(rest) - len(data), self._number,
                               set_pos, delimiters, layout._replace(terminated=False)))
            self.trailing = data[len(data.rstrip(LAYOUT_BYTES)):]
        self._consume(len(rest))
        self._lead = b""


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
