"""The accepted sets of a stream: what converting "the good sets only" reads.

A converter that must leave out what validation rejected (``x12kit batch``, the Spark data
source) validates first, keeping only the segment numbers of the rejected sets' STs, and
then reads the stream again through ``without_sets``. Two passes, each in flat memory: a
set's rows are never held waiting for its verdict, however large the set.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..segment import Segment
from .pipeline import segment_events
from .reports import REJECTED, SetReport

_SET_BOUNDS = frozenset({"SE", "ST", "GE", "GS", "IEA", "ISA"})


def rejected_sets(segments: Iterable[Segment], snip: int = 5) -> set[int]:
    """The segment numbers of the STs of the sets validation rejects; raises
    ``X12ReadError`` where the segments cannot be read on."""
    return {event.header.number for event in segment_events(segments, snip)
            if type(event) is SetReport and event.status == REJECTED}


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
