"""The sets of a stream that a conversion reads: its accepted ones, of the kinds it needs.

A converter that must leave out what validation rejected (``x12kit batch``, the Spark data
source) validates first, keeping only the segment numbers of the rejected sets' STs, and
then reads the stream again through ``without_sets``. Two passes, each in flat memory: a
set's rows are never held waiting for its verdict, however large the set.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

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
    return _leaving_out(segments, lambda st: st.number in starts)


def only_transactions(segments: Iterable[Segment], ids: frozenset[str]) -> Iterator[Segment]:
    """``segments`` less each set whose ST01 is not in ``ids`` (a table of claims needs no
    remittance): less to read, and to validate."""
    return _leaving_out(segments, lambda st: st.element(1) not in ids)


def _leaving_out(segments: Iterable[Segment], leave: Callable[[Segment], bool]
                 ) -> Iterator[Segment]:
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
        if seg_id == "ST" and leave(seg):
            leaving_out = True
            continue
        yield seg
