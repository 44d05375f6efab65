"""Where a finding is, in the terms a person uses: line and column in the file, and the
guide's name of the element.

Findings carry byte offsets only, so the main read path counts no lines; ``LineLocator``
reads the file a second time, and only when there is something to place.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import BinaryIO, Union

from .errors import X12ReadError
from .reader import Source, iter_chunks
from .schema.model import CompositeDef, SegmentDef

CHUNK_SIZE = 1 << 16
# a path, or a function that opens the file anew (an object in object storage, say)
Rereadable = Union[Source, Callable[[], BinaryIO]]


class LineLocator:
    """Line and column (both from 1) of byte offsets of a file. Offsets asked in increasing
    order cost one pass over the file in all; an earlier offset starts again from the top."""

    def __init__(self, source: Rereadable) -> None:
        self.source = source
        self._restart()

    @staticmethod
    def can_read_again(source: Rereadable) -> bool:
        """A path, or a function that opens the file, can read it a second time; stdin and
        streams cannot."""
        return callable(source) or isinstance(source, (str, os.PathLike)) and str(source) != "-"

    def _restart(self) -> None:
        self._chunks: Iterator[bytes] | None = None
        self._chunk = b""
        self._chunk_start = 0    # file offset of _chunk[0]
        self._scanned = 0        # file offset up to which line breaks are counted
        self._lines = 0          # line breaks before _scanned
        self._line_start = 0     # file offset where the line holding _scanned starts

    def locate(self, offset: int) -> tuple[int, int] | None:
        """(line, column) of the byte ``offset``; None past the end or for no offset."""
        if offset < 0:
            return None
        if offset < self._scanned:
            self._restart()
        if self._chunks is None:
            self._chunks = iter_chunks(self.source() if callable(self.source) else self.source,
                                       CHUNK_SIZE)
        while offset >= self._chunk_start + len(self._chunk):
            self._count_to(self._chunk_start + len(self._chunk))
            self._chunk_start += len(self._chunk)
            try:
                self._chunk = next(self._chunks, b"")
            except X12ReadError:  # the reading fails again where it failed the first time
                self._chunk = b""
            if not self._chunk:
                return None
        self._count_to(offset)
        return self._lines + 1, offset - self._line_start + 1

    def _count_to(self, offset: int) -> None:
        start, end = self._scanned - self._chunk_start, offset - self._chunk_start
        self._lines += self._chunk.count(b"\n", start, end)
        last = self._chunk.rfind(b"\n", start, end)
        if last >= 0:
            self._line_start = self._chunk_start + last + 1
        self._scanned = offset


class ElementNames:
    """The guide's names of elements (``BPR16`` -> ``Check Issue or EFT Effective Date``),
    from the compiled schemas, indexed once per schema when first asked."""

    def __init__(self) -> None:
        self._indexes: dict[str, dict] = {}

    def name(self, schema_key: str, segment_id: str, element_ref: str, loop_id: str = "") -> str:
        """The name of ``element_ref`` of ``segment_id`` (in ``loop_id`` where the guide
        names it by loop) in the schema ``schema_key``, or of an envelope segment; "" when
        no schema defines it."""
        if not element_ref:
            return ""
        index = self._index(schema_key) if schema_key else {}
        envelope = self._index("")
        return (index.get((loop_id, segment_id, element_ref))
                or index.get(("", segment_id, element_ref))
                or envelope.get(("", segment_id, element_ref), ""))

    def _index(self, schema_key: str) -> dict:
        if schema_key not in self._indexes:
            from .schema.registry import default_registry
            registry = default_registry()
            if schema_key:
                segments = (c for loop in registry.load(schema_key).loops()
                            for c in loop.children if isinstance(c, SegmentDef))
            else:
                segments = iter(registry.envelope().values())
            self._indexes[schema_key] = _names(segments)
        return self._indexes[schema_key]


def _names(segments) -> dict:
    """(loop id, segment id, element ref) -> name, and ("", segment id, element ref) for
    the first loop that defines it."""
    names: dict = {}
    for seg in segments:
        for element in seg.elements[1:]:
            if element is None:
                continue
            parts = [element] + ([c for c in element.components[1:] if c is not None]
                                 if isinstance(element, CompositeDef) else [])
            for part in parts:
                names.setdefault((seg.loop_id, seg.id, part.ref), part.name)
                names.setdefault(("", seg.id, part.ref), part.name)
    return names
