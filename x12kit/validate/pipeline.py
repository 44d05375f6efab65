"""Validation of a whole stream: envelope, structure, elements and rules, set by set.

Every segment passes, in order, through the envelope checker (SNIP 1), the schema walker
(loop placement, SNIP 2 structure), the element checks (SNIP 2) and the rules of SNIP 3-5
that the chosen depth asks for. Each finding is routed to the interchange, group or set it
belongs to; a set with an error is rejected, and the next set is checked all the same.

``validate_events`` yields the results as events (``reports``): each set's report as soon
as the set ends, a group's and an interchange's own findings and the counts of their sets'
verdicts as they end. Nothing is held past its set, so memory stays flat however many sets
an interchange has. ``validate`` gathers the events into one report per interchange.

This module reads the stream and runs the envelope stage; the set-level stages run either
here, as the stream is read (``InlineSets``: a ``setcheck.SetChecker``), or in worker
processes (``PooledSets``: a ``parallel.SetPool``), which the main process hands runs of
sets. Either way the events are the same, given in file order (``_Outbox``). Input that
cannot be read on raises ``X12ReadError`` after the events of everything completed before
it.
"""
from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from ..diagnostics import Diagnostic, Level, X12ReadError
from ..envelope import EnvelopeChecker, by_frame
from ..frames import CLOSES, GROUP, INTERCHANGE, SET, Move
from ..log import event
from ..reader import Source, read_segments
from ..segment import Segment
from .lane import Lane
from .parallel import SetPool
from .reports import (ACCEPTED, REJECTED, WITH_ERRORS, Event, GroupEnd, GroupReport,
                      GroupStart, InterchangeEnd, InterchangeReport, InterchangeStart,
                      SetCounts, SetReport, Stray, Suppressed, collect, keep)
from .setcheck import SetChecker
from ..segment import ENVELOPE_IDS
from ..walk.walker import Placed, StreamWalker

CLAIMS = "837"   # the sets whose claims a 277CA answers

__all__ = ["validate", "validate_events", "validate_segments", "segment_events",
           # the reports' names, for callers that import them from here
           "ACCEPTED", "WITH_ERRORS", "REJECTED", "SetReport", "GroupReport", "InterchangeReport"]


def validate_events(source: Source, snip: int = 5, jobs: int = 1,
                    claims_answered: bool = False) -> Iterator[Event]:
    """Validate ``source`` to SNIP level ``snip`` (1-5): the events of ``reports``, in file
    order, each as soon as it is complete. With ``jobs`` > 1, the transaction sets of a large
    file on disk are checked by that many worker processes (see ``parallel``); the events
    are the same. ``claims_answered``: a 277CA answers the claims of the 837 sets, so the
    errors in a claim reject that claim, not its set (``reports.claim_level``)."""
    pool = SetPool.for_source(source, jobs, snip)
    sets = InlineSets(snip) if pool is None else PooledSets(pool)
    try:
        yield from _Stream(snip, sets, claims_answered).run(read_segments(source))
    finally:
        if pool is not None:
            pool.close()


def segment_events(segments: Iterable[Segment], snip: int = 5,
                   claims_answered: bool = False) -> Iterator[Event]:
    """``validate_events`` of segments already read."""
    return _Stream(snip, InlineSets(snip), claims_answered).run(segments)


def validate(source: Source, snip: int = 5, jobs: int = 1,
             claims_answered: bool = False) -> Iterator[InterchangeReport]:
    """One report per interchange, holding all its sets (see ``validate_events`` for a large
    input)."""
    return collect(validate_events(source, snip, jobs, claims_answered))


def validate_segments(segments: Iterable[Segment], snip: int = 5) -> Iterator[InterchangeReport]:
    return collect(segment_events(segments, snip))


# -- where the set-level stages run ----------------------------------------------------------

class InlineSets:
    """The sets checked here, segment by segment, as the stream is read."""

    def __init__(self, snip: int) -> None:
        self.snip = snip
        self.checker: SetChecker | None = None
        self.stream = StreamWalker()   # places every segment

    def start(self, segments: Iterator[Segment]) -> None:
        self.checker = SetChecker(self.snip, segments)

    def in_lane(self) -> bool:
        """The lane can take the set's ordinary segments (a set no schema serves is checked
        segment by segment)."""
        return self.stream.walker is not None

    def take(self, seg: Segment) -> tuple:
        return self.checker.take(seg, self.stream.walker)

    def open(self, report: SetReport, gs08: str, stream_gs08: str) -> None:
        self.checker.open(report, gs08)

    def segment(self, placed: Placed) -> None:
        self.checker.segment(placed)

    def close(self, report: SetReport, offset: int) -> None:
        self.checker.close()

    def hold(self, report: SetReport) -> list:
        """The findings to file in a set still open at the end of the input after the
        trailers found missing there (a worker's closing findings; none here)."""
        return []

    def complete(self, n: int) -> bool:
        """The ``n``-th set (from 0) closed has all its findings."""
        return True

    def drain(self) -> None:
        """Have every closed set's findings."""


class PooledSets:
    """The sets checked by worker processes: here their segments are only counted, and
    not placed (a worker places them)."""

    def __init__(self, pool: SetPool) -> None:
        self.pool = pool
        self.lane: Lane | None = None
        self.stream = _GroupGuide()
        self.opened: tuple | None = None   # (report, gs08, stream_gs08) not yet in a batch

    def start(self, segments: Iterator[Segment]) -> None:
        self.lane = Lane(segments, None, None, None)   # counts only: no callbacks

    def in_lane(self) -> bool:
        return True

    def take(self, seg: Segment) -> tuple:
        return self.lane.take(seg, None, {})

    def open(self, report: SetReport, gs08: str, stream_gs08: str) -> None:
        self.opened = (report, gs08, stream_gs08)

    def segment(self, placed: Placed) -> None:
        pass

    def close(self, report: SetReport, offset: int) -> None:
        if self.opened is not None:
            self.pool.add(*self.opened)
            self.opened = None
            self.pool.ended(offset)

    def hold(self, report: SetReport) -> list:
        if self.opened is not None:
            self.pool.add(*self.opened)
            self.opened = None
        return self.pool.drain(self._end(), hold=report)

    def complete(self, n: int) -> bool:
        pool = self.pool
        while n >= pool.resolved and pool.ready():
            pool.resolve()
        return n < pool.resolved

    def drain(self) -> None:
        self.pool.drain(self._end())

    def _end(self) -> int:
        return os.path.getsize(self.pool.path)


class _GroupGuide:
    """What the main process needs of the stream walker when workers walk the sets: the
    last GS08 read (a set's guide where its ST03 is absent); every segment left unplaced."""

    def __init__(self) -> None:
        self.gs08 = ""

    def place(self, seg: Segment) -> Placed:
        if seg.elements[0] == "GS":
            self.gs08 = seg.element(8)
        return Placed(seg, "", (), None)


# -- the stream: envelope stage, routing, events -----------------------------------------------

class _Open:
    """An interchange or group being read: its header and its own findings (capped)."""

    __slots__ = ("header", "diagnostics", "suppressed")

    def __init__(self, header: Segment) -> None:
        self.header = header
        self.diagnostics: list[Diagnostic] = []
        self.suppressed = Suppressed()

    def add(self, found: list[Diagnostic]) -> int:
        return keep(self.diagnostics, found, self.suppressed)

    def sealed(self, level: Level) -> tuple[Diagnostic, ...]:
        found = tuple(self.diagnostics)
        return found + (self.suppressed.summary(level),) if self.suppressed else found


class _GroupClosed(NamedTuple):
    header: Segment
    diagnostics: tuple


class _InterchangeClosed(NamedTuple):
    header: Segment
    diagnostics: tuple


class _Stream:
    """Reads the stream, checks its envelope, routes each finding to the interchange, group
    or set it belongs to, and puts the events in the outbox."""

    def __init__(self, snip: int, sets, claims_answered: bool = False) -> None:
        self.snip = snip
        self.sets = sets
        self.envelope = EnvelopeChecker()
        self.interchange: _Open | None = None
        self.group: _Open | None = None
        self.set: SetReport | None = None
        self.out = _Outbox(sets, snip, claims_answered)

    def run(self, segments: Iterable[Segment]) -> Iterator[Event]:
        """Every segment through every stage, events as they are complete.

        Nearly every segment of a large file is an ordinary segment of an open set: the
        lane takes runs of those (``lane.Lane``), doing exactly what ``place`` would minus
        the work that cannot find anything there (the envelope stage only counts them, the
        set's report is already the current one). Anything else takes ``place``."""
        sets = self.sets
        place_stream, place = sets.stream.place, self.place
        envelope = self.envelope
        segments = iter(segments)
        sets.start(segments)
        in_set = False
        try:
            seg = next(segments, None)
            while seg is not None:
                if in_set:
                    seg, count, last = sets.take(seg)
                    if count:
                        envelope.count_set_segments(count, last)
                    if seg is None:
                        break
                done = place(place_stream(seg))
                in_set = envelope.in_set and self.set is not None and sets.in_lane()
                if done:
                    yield from done
                seg = next(segments, None)
        except X12ReadError:
            # input that cannot be read on: an interchange its IEA closed is whole, and its
            # end is given before the error (it waits otherwise for the next ISA)
            if not envelope.frames:
                self._end_interchange(-1)
            sets.drain()
            yield from self.out.release()
            raise
        yield from self.finish()

    def place(self, placed: Placed) -> list[Event] | tuple:
        """Check one placed segment's envelope (opening and closing levels on the way), file
        its findings, and give the events complete so far. (The walker placed the segment
        before its envelope was checked; neither looks at the other's state.)"""
        seg = placed[0]
        found = self.envelope.check(seg)
        moved = self.envelope.moved
        if moved is not None:
            # trailers found missing belong to the frames this segment closes; the
            # header's own findings to the level it opens
            closed, own = by_frame(found)
            self._route(closed, seg)
            self._move(moved, seg)
            self._route(own, seg)
        elif found:
            self._route(found, seg)
        if self.set is not None and seg.elements[0] not in ENVELOPE_IDS:
            self.sets.segment(placed)
            if moved is not None and moved.opened is None:  # its SE, given it before it ends
                self._end_set(seg.offset)
        return self.out.release()

    def finish(self) -> Iterator[Event]:
        held: list[Diagnostic] = []
        if self.set is not None:
            # a set still open at the end of the input: as in a serial run, its rules'
            # closing findings come after the trailers the end reports missing
            held = self.sets.hold(self.set)
        self._route(self.envelope.finish(), None)
        if held:
            self.set.add(held)
        self._end_interchange(-1)
        self.sets.drain()
        return iter(self.out.release())

    def _move(self, moved: Move, seg: Segment) -> None:
        """Start and end the reports as a header or trailer moved the frames. A report
        outlives its frame's trailer, up to the next header of its depth or the trailer of
        the frame around it, so that what stands after a GE or IEA is filed with the group or
        interchange it follows; a set's report ends with its SE (``place`` does that)."""
        opened = moved.opened
        if opened is None:  # a trailer: the reports inside its frame end
            depth = CLOSES[seg.elements[0]]
            if depth < SET:
                self._end_set(seg.offset)
            if depth < GROUP:
                self._end_group()
        elif opened.depth == INTERCHANGE:
            self._end_interchange(seg.offset)
            self.interchange = _Open(seg)
            self.out.put(InterchangeStart(seg))
        elif opened.depth == GROUP:
            self._end_set(seg.offset)
            self._end_group()
            self.group = _Open(seg)
            self.out.put(GroupStart(seg))
        else:
            self._end_set(seg.offset)
            gs08 = self.group.header.element(8) if self.group else ""
            self.set = SetReport(seg, seg.element(3) or gs08)
            self.sets.open(self.set, gs08, self.sets.stream.gs08)

    def _end_set(self, offset: int) -> None:
        """The open set ends before byte ``offset`` (or at it, for its SE; -1: at the end
        of the input)."""
        if self.set is not None:
            self.sets.close(self.set, offset)
            self.out.put(self.set)
            self.set = None

    def _end_group(self) -> None:
        if self.group is not None:
            self.out.put(_GroupClosed(self.group.header, self.group.sealed(Level.GROUP)))
            self.group = None

    def _end_interchange(self, offset: int) -> None:
        self._end_set(offset)
        self._end_group()
        if self.interchange is not None:
            closed = self.interchange
            self.out.put(_InterchangeClosed(closed.header, closed.sealed(Level.INTERCHANGE)))
        self.interchange = None

    def _route(self, found: list[Diagnostic], seg: Segment | None) -> None:
        for d in found:
            if d.level is Level.INTERCHANGE or self.group is None and d.level is Level.GROUP:
                target = self.interchange
            elif d.level is Level.GROUP or self.set is None:
                target = self.group or self.interchange
            else:
                target = self.set
            if target is None:  # outside every interchange: no level to hold it
                self.out.put(Stray(d, seg))
            else:
                target.add([d])


class _Outbox:
    """Events in file order, each given out once everything before it is complete (a set's
    report waits for its worker's findings); counts the verdicts of the sets given out for
    their group's and interchange's end."""

    def __init__(self, sets, snip: int, claims_answered: bool = False) -> None:
        self.sets, self.snip = sets, snip
        self.claims_answered = claims_answered
        self.items: deque = deque()
        self.sets_out = 0                # sets given out so far
        self.in_group = False
        self.group = self.interchange = SetCounts()
        self.groups_rejected = self.findings = 0

    def put(self, item) -> None:
        self.items.append(item)

    def release(self) -> list[Event] | tuple:
        """The events complete so far, in file order."""
        items = self.items
        if not items:
            return ()
        out = []
        while items:
            item = items[0]
            if type(item) is SetReport and not self.sets.complete(self.sets_out):
                break
            out.append(self._counted(items.popleft()))
        return out

    def _counted(self, item) -> Event:
        kind = type(item)
        if kind is SetReport:
            if self.claims_answered and item.header.element(1) == CLAIMS:
                item.claims_answered = True
            status = item.seal().status
            self.sets_out += 1
            self.interchange = self.interchange.plus(status)
            if self.in_group:
                self.group = self.group.plus(status)
            self.findings += len(item.diagnostics)
        elif kind is InterchangeStart:
            self.interchange, self.groups_rejected, self.findings = SetCounts(), 0, 0
        elif kind is GroupStart:
            self.in_group, self.group = True, SetCounts()
        elif kind is _GroupClosed:
            item = GroupEnd(item.header, item.diagnostics, self.group)
            self.in_group = False
            self.groups_rejected += item.status == REJECTED
            self.findings += len(item.diagnostics)
        elif kind is _InterchangeClosed:
            item = InterchangeEnd(item.header, item.diagnostics, self.interchange,
                                  self.groups_rejected)
            event("interchange validated", "info", control_number=item.header.element(13),
                  offset=item.header.offset, sets=item.counts.received,
                  rejected=item.counts.rejected,
                  findings=self.findings + len(item.diagnostics), snip=self.snip)
        return item
