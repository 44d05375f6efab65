"""One segment per line, layout removed: what ``x12kit normalize`` writes."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import BinaryIO

from .diagnostics import X12ReadError
from .segment import Delimiters, Segment
from .writer import write_segments

ISA_ELEMENTS = 16


def normalize(segments: Iterable[Segment], out: BinaryIO,
              delimiters: Delimiters | None = None) -> None:
    """Write ``segments`` one per line, each interchange with its own separators or with
    ``delimiters``. Raises ``X12ReadError`` at an ISA the segment terminator cuts short."""
    write_segments(_whole_headers(segments), out, delimiters=delimiters, layout="lines")


def _whole_headers(segments: Iterable[Segment]) -> Iterator[Segment]:
    """The segments, refusing an ISA with a segment terminator inside it (ISA11, the
    repetition separator, being the terminator is the usual way). Validation rejects such
    an interchange (isa-element-count, TA1 022); written one segment per line, the pieces of
    its header would no longer read as a header at all."""
    for seg in segments:
        if seg.id == "ISA" and len(seg.elements) != ISA_ELEMENTS + 1:
            raise X12ReadError(f"seg #{seg.number} ISA: the segment terminator occurs inside "
                               f"the header (it has {len(seg.elements) - 1} elements, "
                               f"{ISA_ELEMENTS} expected; is ISA11 the terminator?)",
                               seg.offset, "022")
        yield seg
