"""Converting one input for batch: its accepted sets, to the format asked for.

A file whose sets were all accepted is converted as it stands. Where some sets were
rejected, the others are still converted: the file is first written again without the
rejected sets (byte for byte otherwise, ``write_segments`` keeps the layout) to a scratch
file, and that is converted. Its envelope counts then disagree with what is left, which
conversion does not check; the file as received goes to ``rejected/`` untouched."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ..convert.formats import WRITERS, writer
from ..reader import read_segments
from ..segment import Segment
from ..writer import write_segments
from .staging import CONVERTED, Staging

FORMATS = tuple(WRITERS)
_SET_BOUNDS = frozenset({"SE", "ST", "GE", "GS", "IEA", "ISA"})


def convert(path: str, fmt: str, staging: Staging, key: str, rejected_sets: set[int]) -> None:
    """Write the conversion of ``path`` (less ``rejected_sets``: their ST segment numbers)
    to ``converted/KEY.FORMAT`` in ``staging``."""
    source = path
    if rejected_sets:
        source = staging.scratch("accepted.x12")
        with open(source, "wb") as out:
            write_segments(without_sets(read_segments(path), rejected_sets), out)
    with open(staging.folder(CONVERTED) / f"{key}.{fmt}", "wb") as out:
        writer(fmt)(source, out)


def without_sets(segments: Iterable[Segment], starts: set[int]) -> Iterator[Segment]:
    """``segments`` less each set whose ST is numbered in ``starts``: from that ST to its
    SE, or to the next envelope segment where the SE is missing."""
    leaving_out = False
    for seg in segments:
        seg_id = seg.elements[0]
        if leaving_out:
            if seg_id == "SE":
                leaving_out = False
                continue
            if seg_id not in _SET_BOUNDS:
                continue
            leaving_out = False
        if seg_id == "ST" and seg.number in starts:
            leaving_out = True
            continue
        yield seg
