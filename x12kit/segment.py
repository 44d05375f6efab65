"""Segments and delimiters: the plain values every later stage reads.

A segment keeps the element texts exactly as they stood in the file (composites and
repetitions still joined by their separators) so that writing it back gives the same bytes.
``elements[0]`` is the segment id, so ``elements[n]`` is element n as the guides count it.
"""
from __future__ import annotations

import functools
import re
from typing import NamedTuple

# The envelope's segment ids, named once for every stage (``x12kit.frames`` follows them).
# The depth of the frame each header opens and each trailer closes: interchange 1, group 2,
# transaction set 3.
OPENS = {"ISA": 1, "GS": 2, "ST": 3}
CLOSES = {"IEA": 1, "GE": 2, "SE": 3}
FRAME_IDS = frozenset(OPENS) | frozenset(CLOSES)  # the headers and trailers of the frames
SET_EDGES = FRAME_IDS | {"TA1"}  # every id that stands outside or at the edge of a set
ENVELOPE_IDS = SET_EDGES - {"ST", "SE"}  # the ids that stand outside any set

_REF = re.compile(r"^([A-Z][A-Z0-9]{1,2})(\d{2})(?:-(\d{1,2}))?$")
_WELL_FORMED_ID = re.compile(r"[A-Z][A-Z0-9]{1,2}\Z")


def shown_id(segment_id: str) -> str:
    """The segment id as a finding may show it: a well-formed X12 id (two or three capitals
    and digits), else "?". In a broken file the id position can hold data (a name, a member
    id) that a finding must not repeat; the whole text stays in the segment."""
    return segment_id if _WELL_FORMED_ID.match(segment_id) else "?"


class Delimiters(NamedTuple):
    """The four X12 separators of one interchange, as one-character strings."""

    element: str = "*"
    component: str = ":"
    repetition: str = "^"  # "" where the interchange has none (4010 and earlier)
    segment: str = "~"

    @property
    def codec(self) -> str:
        """How element bytes become text: UTF-8 (bytes that are not valid UTF-8 kept by
        surrogateescape), or Latin-1 where a separator is itself a non-ASCII byte."""
        return _codec(self)

    def clash(self) -> str | None:
        """Name the first pair of separators that are the same character, if any."""
        named = [("element", self.element), ("component", self.component),
                 ("segment", self.segment)]
        if self.repetition:
            named.append(("repetition", self.repetition))
        seen: dict[str, str] = {}
        for name, char in named:
            if char in seen:
                return f"{seen[char]} and {name} separators are both {char!r}"
            seen[char] = name
        return None


DEFAULT_DELIMITERS = Delimiters()


@functools.lru_cache(maxsize=64)
def _codec(delimiters: Delimiters) -> str:
    # asked once per segment written: a file has one set of separators, so a small cache
    return "utf-8" if all(c.isascii() for c in delimiters) else "latin-1"


class Layout(NamedTuple):
    """Bytes of a segment that are layout, not data, kept so the file can be rebuilt.

    ``lead`` stands before the segment (line breaks, indentation, a byte-order mark);
    ``breaks`` are (offset in the segment's text, bytes) line breaks inside a wrapped segment;
    ``terminated`` is False for a last segment the file cut off before its terminator.
    """

    lead: bytes = b""
    breaks: tuple[tuple[int, bytes], ...] = ()
    terminated: bool = True


NO_LAYOUT = Layout()


def parse_ref(ref: str) -> tuple[str, int, int | None]:
    """Split an X12 reference such as ``CLP04`` or ``SV101-2`` into (id, element, component)."""
    match = _REF.match(ref)
    if not match:
        raise ValueError(f"not an X12 element reference: {ref!r}")
    seg_id, element, component = match.groups()
    return seg_id, int(element), int(component) if component else None


class Segment(NamedTuple):
    """One segment with its place in the stream.

    ``offset`` is the byte offset of its first data byte, ``number`` its 1-based count in the
    stream, ``set_position`` its 1-based position counted from ST (0 outside a set).
    """

    elements: tuple[str, ...]
    offset: int = 0
    number: int = 0
    set_position: int = 0
    delimiters: Delimiters = DEFAULT_DELIMITERS
    layout: Layout = NO_LAYOUT

    @property
    def id(self) -> str:
        return self.elements[0]

    def element(self, n: int) -> str:
        """Element n (1-based) as written, composites unsplit; "" where absent."""
        return self.elements[n] if 0 < n < len(self.elements) else ""

    def repetitions(self, n: int) -> list[str]:
        """The repetitions of element n; a one-item list where it does not repeat."""
        value = self.element(n)
        rep = self.delimiters.repetition
        return value.split(rep) if rep and rep in value else [value]

    def components(self, n: int, repetition: int = 0) -> list[str]:
        """The components of element n (of its given repetition)."""
        return self.repetitions(n)[repetition].split(self.delimiters.component)

    def component(self, n: int, c: int, repetition: int = 0) -> str:
        """Component c (1-based) of element n; "" where absent."""
        parts = self.components(n, repetition)
        return parts[c - 1] if 0 < c <= len(parts) else ""

    def get(self, ref: str, repetition: int = 0) -> str:
        """Value by X12 reference: ``seg.get("CLP04")``, ``seg.get("SV101-2")``."""
        seg_id, n, c = parse_ref(ref)
        if seg_id != self.id:
            raise KeyError(f"{ref} does not belong to a {self.id} segment")
        if c is None:
            return self.repetitions(n)[repetition] if repetition else self.element(n)
        return self.component(n, c, repetition)

    def with_elements(self, *elements: str) -> "Segment":
        """A copy carrying other elements (for writers and fixers)."""
        return self._replace(elements=tuple(elements))


def make_segment(*elements: str, delimiters: Delimiters = DEFAULT_DELIMITERS) -> Segment:
    """A segment built in code rather than read: ``make_segment("REF", "6R", "1")``.
    Empty trailing elements are dropped: X12 ends a segment at its last value."""
    end = len(elements)
    while end > 1 and not elements[end - 1]:
        end -= 1
    return Segment(tuple(elements[:end]), delimiters=delimiters)
