"""What a worker process does: check the sets of a batch, read from the file itself.

A ``SetBatch`` names consecutive transaction sets of one file by where the first ST stands
(byte offset, segment number, the separators in force) and, for each set, its ST's segment
number and the GS08s in force there. The worker reads the file from that offset, skips what
lies between the sets (envelope segments, strays: the main process checks those), and runs
each set through a ``SetChecker``, up to its SE, or up to the ISA, GS, ST, GE or IEA that
cuts it short, as the serial pipeline ends a set. It reads nothing past the last set's end:
a fault further on is the main process's to report.
"""
from __future__ import annotations

from itertools import islice
from typing import NamedTuple

from ..diagnostics import Diagnostic
from ..reader import read_segments_at
from ..segment import ENVELOPE_IDS, FRAME_IDS, Delimiters, Segment
from .reports import SetReport, Suppressed
from .setcheck import SetChecker
from ..walk.walker import StreamWalker


class SetStart(NamedTuple):
    number: int            # segment number of its ST in the file
    gs08: str              # GS08 of the group it is in (its guide where ST03 is absent)
    stream_gs08: str       # the last GS08 read before it (differs only outside a group)


class SetBatch(NamedTuple):
    """Consecutive sets of one file, for one worker to check."""

    path: str
    offset: int            # byte offset of the first set's ST
    number: int            # segment number of the first set's ST
    delimiters: Delimiters
    snip: int
    sets: tuple[SetStart, ...]
    read_bytes: int        # bytes from ``offset`` to about the end of the last set
    limit: int = 0         # read only the first ``limit`` segments (0: all of them)


class SetFindings(NamedTuple):
    """What a worker found in one set: ``timed`` (segment number being checked, finding) in
    the order made, then ``at_end`` the findings of its rules' ``finish``, and the count of
    those not kept past the cap."""

    schema: str
    timed: list[tuple[int, Diagnostic]]
    at_end: list[Diagnostic]
    suppressed: Suppressed


def check_batch(batch: SetBatch) -> list[SetFindings]:
    """The findings of each set of ``batch`` without its envelope checks, in order."""
    chunk = max(batch.read_bytes, 1 << 12)
    segments = read_segments_at(batch.path, batch.offset, batch.number, batch.delimiters,
                                chunk_size=chunk)
    if batch.limit:
        segments = islice(segments, batch.limit)
    checker = SetChecker(batch.snip, segments, timed=True)
    stream = StreamWalker()
    found: list[SetFindings] = []
    seg = next(segments, None)
    for n, start in enumerate(batch.sets):
        while seg is not None and seg.number < start.number:
            seg = next(segments, None)
        if seg is None:
            break
        last = n == len(batch.sets) - 1
        seg, findings = _check_set(checker, stream, seg, segments, start, last)
        found.append(findings)
    return found


def _check_set(checker: SetChecker, stream: StreamWalker, st: Segment, segments,
               start: SetStart, last: bool) -> tuple[Segment | None, SetFindings]:
    """Check the set ``st`` opens; the segment after it (None after the last set's SE:
    nothing past it is read) and its findings."""
    stream.gs08 = start.stream_gs08
    report = SetReport(st, st.element(3) or start.gs08)
    checker.open(report, start.gs08)
    checker.segment(stream.place(st))
    seg = next(segments, None)
    while seg is not None:
        if stream.walker is not None:
            seg = checker.take(seg, stream.walker)[0]
            if seg is None:
                break
        seg_id = seg[0][0]
        if seg_id in FRAME_IDS and seg_id != "SE":  # a header or trailer cuts the set short
            break
        placed = stream.place(seg)
        if seg_id not in ENVELOPE_IDS:
            checker.segment(placed)
        seg = None if seg_id == "SE" and last else next(segments, None)
        if seg_id == "SE":
            break
    times = checker.times
    checker.close()
    kept = report.diagnostics
    return seg, SetFindings(report.schema, list(zip(times, kept)), kept[len(times):],
                            report.suppressed)
