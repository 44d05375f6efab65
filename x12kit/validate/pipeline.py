"""Validation of a whole stream: envelope, structure, elements and rules, set by set.

Every segment passes, in order, through the envelope checker (SNIP 1), the schema walker
(loop placement, SNIP 2 structure), the element checks (SNIP 2) and the rules of SNIP 3-5
that the chosen depth asks for. Each finding is routed to the interchange, group or set it
belongs to; a set with an error is rejected, and the next set is checked all the same.
Reports come out one interchange at a time, holding findings and per-set verdicts, never
segments, so memory follows the number of sets and findings, not the size of the file.

Most segments are ordinary segments of an open set whose place the walker already knows:
``lane`` takes runs of those in one call (in C where built), and calls back here for anything
that can find something new. The set-level stages (walker, elements, rules) can run in
worker processes instead, one set each (``parallel``); the main process then reads the
stream and checks the envelope, and files each set's findings in the order a serial run
gives them. Input that cannot be read on raises ``X12ReadError`` after the reports of the
interchanges completed before it.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import NamedTuple

from ..diagnostics import Diagnostic, Level, Severity, X12ReadError
from ..envelope import EnvelopeChecker
from ..log import event
from ..reader import Source, read_segments, read_segments_at
from ..segment import ENVELOPE_IDS, Segment
from ..walk.walker import Placed, StreamWalker
from .elements import check_segment, data_element
from .lane import Lane
from .parallel import SetJob, SetPool

ACCEPTED, WITH_ERRORS, REJECTED = "accepted", "accepted_with_errors", "rejected"
# implementation guide (GS08/ST03 characters 7-10) -> the transaction kind rules are kept by;
# 270/271 and 276/277 share a guide and are told apart by ST01
KINDS = {"X222": "837P", "X223": "837I", "X224": "837D", "X221": "835", "X214": "277CA",
         "X231": "999"}


def transaction_kind(st01: str, implementation: str) -> str:
    """``837P``, ``835``, ``271``, ... for a set's ST01 and implementation."""
    return KINDS.get(implementation[6:10], st01)


@dataclass
class SetReport:
    """One transaction set's verdict and findings."""

    header: Segment                       # its ST
    implementation: str                   # ST03, else GS08
    schema: str = ""                      # the schema key that checked it ("" for none)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def status(self) -> str:
        return _status(self.diagnostics)

    def as_dict(self, show_values: bool = False) -> dict:
        return {"st": self.header.element(1), "control_number": self.header.element(2),
                "implementation": self.implementation, "status": self.status,
                "diagnostics": [d.as_dict(show_values) for d in
                                sorted(self.diagnostics, key=_in_file_order)]}


@dataclass
class GroupReport:
    header: Segment                       # its GS
    sets: list[SetReport] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def status(self) -> str:
        return _status(self.diagnostics)


@dataclass
class InterchangeReport:
    header: Segment                       # its ISA
    groups: list[GroupReport] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def sets(self) -> Iterator[SetReport]:
        return (s for g in self.groups for s in g.sets)

    def findings(self) -> list[Diagnostic]:
        """Every finding of the interchange, its groups and sets, in file order."""
        found = list(self.diagnostics)
        for group in self.groups:
            found += group.diagnostics
            for report in group.sets:
                found += report.diagnostics
        return sorted(found, key=_in_file_order)

    @property
    def accepted(self) -> bool:
        """No error anywhere: every set, group and the interchange itself accepted."""
        return not any(d.is_error for d in self.findings())


def _in_file_order(d: Diagnostic) -> int:
    return d.segment_number


def _status(diagnostics: list[Diagnostic]) -> str:
    severities = {d.severity for d in diagnostics}
    if Severity.ERROR in severities:
        return REJECTED
    return WITH_ERRORS if Severity.WARNING in severities else ACCEPTED


def validate(source: Source, snip: int = 5, jobs: int = 1) -> Iterator[InterchangeReport]:
    """Validate ``source`` to SNIP level ``snip`` (1-5), one report per interchange. With
    ``jobs`` > 1, the transaction sets of a large file on disk are checked by that many
    worker processes (see ``parallel``); the reports are the same."""
    pool = SetPool.for_source(source, jobs, snip)
    try:
        yield from _Validator(snip, pool).run(read_segments(source))
    finally:
        if pool is not None:
            pool.close()


def validate_segments(segments: Iterable[Segment], snip: int = 5) -> Iterator[InterchangeReport]:
    return _Validator(snip).run(segments)


def check_set(job: SetJob) -> SetFindings:
    """The findings of one transaction set, without its envelope checks: what the serial
    pipeline files in its report (for a worker of ``parallel``)."""
    segments = _one_set(read_segments_at(job.path, job.offset, job.number, job.delimiters))
    if job.limit:
        segments = islice(segments, job.limit)
    return _Validator(job.snip).check_set(segments, job.gs08, job.stream_gs08)




def _one_set(segments: Iterable[Segment]) -> Iterator[Segment]:
    """The segments of the set that the first opens: up to its SE, or up to the segment that
    ends it otherwise (``_Validator.place`` ends a set at the same ones)."""
    segments = iter(segments)
    yield next(segments)
    for seg in segments:
        seg_id = seg[0][0]
        if seg_id in _ENVELOPE_OR_SET and seg_id != "SE":   # a header or trailer cuts it short
            return
        yield seg
        if seg_id == "SE":
            return


class _Validator:
    """Routes each stage's findings to the report they belong to."""

    def __init__(self, snip: int, pool: SetPool | None = None) -> None:
        self.snip = snip
        self.pool = pool   # None: the sets are checked here; else by its workers
        self.envelope = EnvelopeChecker()
        self.interchange: InterchangeReport | None = None
        self.group: GroupReport | None = None
        self.set: SetReport | None = None
        self.rules: list = []
        # segment id -> the handlers of every rule of the open set that looks at it, in the
        # rules' order: one lookup per segment, however many levels and rules there are
        self.rule_handlers: dict[str, tuple] = {}
        self.done: list[InterchangeReport] = []
        self.stream: StreamWalker | None = None  # run's, for the GS08 a worker needs
        self.timed: list | None = None  # check_set's (segment number, finding) in order

    def run(self, segments: Iterable[Segment]) -> Iterator[InterchangeReport]:
        """Every segment through every stage, reports as their interchanges end.

        Nearly every segment of a large file is an ordinary segment of an open set: the
        lane takes runs of those (``lane.Lane``), doing exactly what ``place`` would minus
        the work that cannot find anything there (the envelope stage only counts them, the
        set's report is already the current one). Anything else takes ``place``."""
        stream = self.stream = StreamWalker()
        place_stream, place = stream.place, self.place
        envelope, pool = self.envelope, self.pool
        segments = iter(segments)
        lane = self._lane(segments)
        in_set = False
        try:
            seg = next(segments, None)
            while seg is not None:
                if in_set:
                    # with a pool the lane only counts: a worker checks the set
                    walker = stream.walker if pool is None else None
                    seg, count, last = lane.take(seg, walker, self.rule_handlers)
                    if count:
                        envelope.count_set_segments(count, last)
                    if seg is None:
                        break
                done = place(place_stream(seg))
                # a set no schema serves is checked here by ``place``, segment by segment
                in_set = envelope.in_set and self.set is not None and (
                    pool is not None or stream.walker is not None)
                if done:
                    yield from done
                seg = next(segments, None)
        except X12ReadError:
            # input that cannot be read on: an interchange its IEA closed is whole, and its
            # report is given before the error (it waits otherwise for the next ISA)
            if not envelope.frames:
                self._end_interchange()
                done, self.done = self.done, []
                yield from done
            raise
        yield from self.finish()

    def check_set(self, segments: Iterable[Segment], gs08: str,
                  stream_gs08: str) -> SetFindings:
        """The set-level checks of one set's segments (its ST first), as ``run`` makes them
        in the set's report: ``gs08`` is its group's GS08, ``stream_gs08`` the last GS08
        read before it (they differ only for an ST outside a group). Each finding made
        while a segment was checked is timed with that segment's number (``_file``), so
        that the main process can interleave them with its envelope findings as a serial
        run does."""
        stream = StreamWalker(gs08=stream_gs08)
        segments = iter(segments)
        lane = self._lane(segments)
        st = next(segments)
        self.timed = []
        report = self._open_set(st, gs08)
        self._check_set_segment(stream.place(st))
        seg = next(segments, None)
        while seg is not None:
            if stream.walker is not None:
                seg = lane.take(seg, stream.walker, self.rule_handlers)[0]
                if seg is None:
                    break
            placed = stream.place(seg)
            if seg[0][0] not in ENVELOPE_IDS:
                self._check_set_segment(placed)
            seg = next(segments, None)
        timed = self.timed
        self._end_set()
        return SetFindings(report.schema, timed, report.diagnostics[len(timed):])

    def _lane(self, segments: Iterator[Segment]) -> Lane:
        return Lane(segments, self._check_elements if self.snip >= 2 else None,
                    self._file, self._place_in_set)

    def _check_elements(self, seg: Segment, fields: tuple) -> bool:
        """The lane's element checks of a segment the walker placed (``fields``: its
        ``Placed`` after the segment); True when they found nothing."""
        found = check_segment(seg, fields[2], fields[0])
        if found:
            self._file(found, _placed(seg, fields))
        return not found

    def _place_in_set(self, walker, seg: Segment) -> None:
        """The lane's slow path: a segment the walker places in full."""
        self._check_set_segment(walker.place(seg))

    def _file(self, found, placed: Placed) -> None:
        """File findings made at a segment of the open set in its report (and, in a
        worker, time them with it): those of the SNIP levels asked for. (The walker places
        every segment whatever the depth, so its SNIP 2 findings are made at SNIP 1 too.)"""
        found = _numbered([d for d in found if d.snip <= self.snip], placed)
        self.set.diagnostics += found
        if self.timed is not None:
            self.timed += [(placed[0][2], d) for d in found]

    def place(self, placed: Placed) -> list[InterchangeReport] | tuple:
        """Check one placed segment's envelope (opening reports on the way), file its
        findings, and give the reports completed so far. (The walker placed the segment
        before its envelope was checked; neither looks at the other's state.)"""
        seg = placed[0]
        seg_id = seg.elements[0]
        found = self.envelope.check(seg)
        if seg_id in _ENVELOPE_OR_SET:
            # trailers found missing belong to the frames this segment closes; the
            # header's own findings to the report it opens
            self._route([d for d in found if d.code == "trailer-missing"], seg)
            self._open(seg_id, seg)
            self._route([d for d in found if d.code != "trailer-missing"], seg)
        elif found:
            self._route(found, seg)
        if self.set is not None and seg_id not in ENVELOPE_IDS:
            if self.pool is None:
                self._check_set_segment(placed)
            if seg_id == "SE":
                self._end_set()
        if not self.done:
            return ()
        done, self.done = self.done, []
        return done

    def _check_set_segment(self, placed: Placed) -> None:
        """The walker's, the element checks' and the rules' findings of a segment of the
        open set, filed in its report."""
        seg, loop_id, _, definition, _, diagnostics = placed
        if diagnostics:
            self._file(diagnostics, placed)
        if definition is not None and self.snip >= 2:
            found = check_segment(seg, definition, loop_id)
            if found:
                self._file(found, placed)
        for handler in self.rule_handlers.get(seg[0][0], ()):
            found = handler(placed)
            if found:
                self._file(found, placed)

    def finish(self) -> list[InterchangeReport]:
        held: list[Diagnostic] = []
        if self.pool is not None:
            # a set still open at the end of the input: as in a serial run, its rules'
            # closing findings come after the trailers the end reports missing
            held = self.pool.drain(hold=self.set)
        self._route(self.envelope.finish(), None)
        if held:
            self.set.diagnostics += held
        self._end_interchange()
        done, self.done = self.done, []
        return done

    # -- envelope bookkeeping ----------------------------------------------------------------

    def _open(self, seg_id: str, seg: Segment) -> None:
        if seg_id == "ISA":
            self._end_interchange()
            self.interchange = InterchangeReport(seg)
        elif seg_id == "GS":
            self._end_set()
            self.group = GroupReport(seg)
            if self.interchange is not None:
                self.interchange.groups.append(self.group)
        elif seg_id == "ST":
            self._end_set()
            self._open_set(seg, self.group.header.element(8) if self.group else "")
            if self.group is not None:
                self.group.sets.append(self.set)
        elif seg_id in ("GE", "IEA"):
            self._end_set()
            if seg_id == "IEA":
                self.group = None

    def _open_set(self, st: Segment, gs08: str) -> SetReport:
        report = self.set = SetReport(st, st.element(3) or gs08)
        if self.pool is not None:
            self.pool.submit(report, st, gs08, self.stream.gs08)
        self.rules = self._rules(st, gs08) if self.pool is None else []
        handlers: dict[str, list] = {}
        for rule in self.rules:
            for sid, handler in rule.each_handler():
                handlers.setdefault(sid, []).append(handler)
        self.rule_handlers = {sid: tuple(found) for sid, found in handlers.items()}
        return report

    def _rules(self, st: Segment, gs08: str) -> list:
        from ..schema.registry import default_registry
        schema, _ = default_registry().resolve(st.element(1), st.element(3), gs08)  # as the walker
        if schema is None:
            return []
        if self.set is not None:
            self.set.schema = schema.key
        if self.snip < 3:
            return []
        from .rules import rules_for  # imported on demand: SNIP 1-2 never pay for it
        return rules_for(transaction_kind(st.element(1), schema.implementation), self.snip)

    def _end_set(self) -> None:
        if self.set is not None:
            for rule in self.rules:
                self.set.diagnostics += list(rule.finish())
        self.set, self.rules, self.rule_handlers = None, [], {}

    def _end_interchange(self) -> None:
        self._end_set()
        if self.pool is not None:
            self.pool.drain()  # the findings of its sets, before its report leaves
        if self.interchange is not None:
            report = self.interchange
            sets = list(report.sets)
            event("interchange validated", "info", control_number=report.header.element(13),
                  offset=report.header.offset, sets=len(sets),
                  rejected=sum(s.status == REJECTED for s in sets),
                  findings=len(report.findings()), snip=self.snip)
            self.done.append(report)
        self.interchange = self.group = None

    def _route(self, found: list[Diagnostic], seg: Segment | None) -> None:
        for d in found:
            if d.level is Level.INTERCHANGE or self.group is None and d.level is Level.GROUP:
                target = self.interchange
            elif d.level is Level.GROUP or self.set is None:
                target = self.group or self.interchange
            else:
                target = self.set
            if target is None:  # outside every interchange: no report to hold it
                self.done.append(_orphan(d, seg))
            else:
                target.diagnostics.append(d)


_ENVELOPE_OR_SET = frozenset(("ISA", "GS", "ST", "SE", "GE", "IEA"))


def _numbered(found: list[Diagnostic], placed: Placed) -> list[Diagnostic]:
    """Add the data element number (999 IK402) to element findings."""
    definition = placed.definition
    if definition is None:
        return found
    return [d._replace(data_element=data_element(definition, d.element_ref))
            if d.element_ref and not d.data_element else d for d in found]


class SetFindings(NamedTuple):
    """What a worker found in one set: ``timed`` (segment number being checked, finding) in
    the order made, then ``at_end`` the findings of its rules' ``finish``."""

    schema: str
    timed: list[tuple[int, Diagnostic]]
    at_end: list[Diagnostic]


def _placed(seg: Segment, fields: tuple) -> Placed:
    """The ``Placed`` of a segment from the walker's ``step`` fields."""
    return tuple.__new__(Placed, (seg, *fields))


def _orphan(d: Diagnostic, seg: Segment | None) -> InterchangeReport:
    holder = InterchangeReport(seg if seg is not None else Segment(("",)))
    holder.diagnostics.append(d)
    return holder
