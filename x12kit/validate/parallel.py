"""Transaction sets checked in worker processes, for large files on machines with cores to spare.

Theory of operation. Transaction sets are independent once the envelope is known: the walker,
the element checks and the rules start afresh at every ST. So, with ``jobs`` > 1, the main
process still reads every segment and runs the envelope stage (cheap: it only counts the
ordinary segments of a set), and notes each set (``add`` at its ST, ``ended`` at its end) in
a batch: consecutive sets of at least ``BATCH_BYTES`` together (or ``BATCH_SETS`` sets), so
that a worker's start-up, reading and answering is paid once for many small sets. A batch is
handed to a worker as a ``worker.SetBatch``: where its first ST stands (byte offset, segment
number, separators) and each set's ST number and GS08s. The worker re-reads that stretch of
the file and runs each set through the very checker the serial pipeline uses, returning each
set's schema key and findings; ``resolve`` files them in the sets' reports (``merge``), in
file order, so the reports are the serial ones.

Only uncompressed files on disk of at least ``MIN_BYTES`` are split (a worker must be able to
seek, and below that size starting workers costs more than it saves). Workers are forked where
the platform allows, at the first batch, after the parent has checked that batch's first
``WARM_SEGMENTS`` segments itself and thrown the findings away: so every worker starts with
the schema, the code lists, the compiled element patterns and the walker's remembered moves
already loaded. At most ``jobs * 2`` batches wait at a time: memory stays bounded however many
sets a file has. A worker that dies (killed, out of memory) raises ``WorkerLost``, naming the
file, instead of leaving the caller with the executor's ``BrokenProcessPool``.
"""
from __future__ import annotations

import gc
import os
from collections import deque
from operator import itemgetter
from typing import Optional

from ..diagnostics import X12ReadError
from ..reader import GZIP_MAGIC, Source
from ..segment import Segment
from .reports import SetReport
from .worker import SetBatch, SetFindings, SetStart, check_batch

MIN_BYTES = 1 << 20
WARM_SEGMENTS = 3000
BATCH_BYTES = 1 << 18
BATCH_SETS = 1000
_ST_NUMBER = 0   # the key that puts a set's own findings beside the envelope's


class WorkerLost(X12ReadError):
    """A worker process ended without answering (killed, out of memory): the file's
    validation cannot be completed. A read error to every caller: the reports completed
    before it stand, and the file counts as not validated."""


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


class SetPool:
    """Worker processes checking the sets of one file. ``add`` a set at its ST and tell
    when it ``ended``; ``resolved`` counts the sets whose findings are filed, in file order;
    ``resolve`` files those of the oldest batch sent."""

    def __init__(self, path: str, jobs: int, snip: int) -> None:
        self.path, self.snip, self.jobs = path, snip, jobs
        self.limit = jobs * 2
        self._executor = None   # started by the first batch sent
        self.gathering: list[tuple[SetReport, SetStart]] = []   # the batch being made
        self.first: Segment | None = None                     # its first ST
        self.waiting: deque = deque()   # (reports, future, first ST) in file order
        self.resolved = 0

    @classmethod
    def for_source(cls, source: Source, jobs: int, snip: int) -> Optional["SetPool"]:
        """A pool for ``source`` where splitting it pays, else None (check it serially)."""
        if jobs <= 1 or not isinstance(source, (str, os.PathLike)) or str(source) == "-":
            return None
        path = os.fspath(source)
        try:
            if not os.path.isfile(path) or os.path.getsize(path) < MIN_BYTES:
                return None
            with open(path, "rb") as f:
                if f.read(2) == GZIP_MAGIC:
                    return None
        except OSError:
            return None  # the serial reader reports it
        return cls(path, jobs, snip)

    def add(self, report: SetReport, gs08: str, stream_gs08: str) -> None:
        """Note the set of ``report`` in the batch being made, at its ST."""
        st = report.header
        if not self.gathering:
            self.first = st
        self.gathering.append((report, SetStart(st.number, gs08, stream_gs08)))

    def ended(self, offset: int) -> None:
        """The last set noted ended before byte ``offset``: send the batch if it is big
        enough."""
        if (offset - self.first.offset >= BATCH_BYTES or len(self.gathering) >= BATCH_SETS):
            self.send(offset)

    def send(self, offset: int) -> None:
        """Send the batch being made (its sets end before byte ``offset``) to a worker;
        when too many wait, file the oldest first."""
        if not self.gathering:
            return
        first = self.first
        batch = SetBatch(self.path, first.offset, first.number, first.delimiters, self.snip,
                         tuple(start for _, start in self.gathering),
                         offset - first.offset + (1 << 12))
        if self._executor is None:
            self._start(batch)
            # the workers are forked by this first submit: with the parent's objects frozen,
            # a worker's garbage collector never walks (and so never copies, page by page)
            # the heap it inherited, the schemas and code lists among it
            gc.freeze()
            try:
                future = self._executor.submit(check_batch, batch)
            finally:
                gc.unfreeze()
        else:
            future = self._executor.submit(check_batch, batch)
        self.waiting.append(([report for report, _ in self.gathering], future, first))
        self.gathering = []
        while len(self.waiting) > self.limit:
            self.resolve()

    def _start(self, batch: SetBatch) -> None:
        """Warm this process's caches on the first segments of ``batch``, then fork."""
        # imported here: a serial run (and a one-claim file's start-up) never pays for them
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        check_batch(batch._replace(limit=WARM_SEGMENTS))
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        self._executor = ProcessPoolExecutor(self.jobs, mp_context=context)

    def ready(self) -> bool:
        """The oldest batch sent has its answer (``resolve`` will not wait)."""
        return bool(self.waiting) and self.waiting[0][1].done()

    def resolve(self, hold: SetReport | None = None) -> list:
        """File the findings of the oldest batch sent in its sets' reports (``merge``);
        those of ``hold`` (a set still open) at its end are returned instead."""
        from concurrent.futures.process import BrokenProcessPool
        reports, future, first = self.waiting.popleft()
        try:
            answers = future.result()
        except BrokenProcessPool:
            raise WorkerLost(f"a worker process checking {self.path} stopped without "
                             f"answering (killed, or out of memory); run with --jobs 1",
                             first.offset) from None
        held: list = []
        for report, found in zip(reports, answers):
            held += merge(report, found, hold=report is hold)
        self.resolved += len(reports)
        return held

    def drain(self, offset: int, hold: SetReport | None = None) -> list:
        """Send the batch being made, and ``resolve`` every batch."""
        self.send(offset)
        held = []
        while self.waiting:
            held += self.resolve(hold)
        return held

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)


def merge(report: SetReport, found: SetFindings, hold: bool = False) -> list:
    """File a worker's findings of a set in its report, interleaved with the envelope
    findings already there as a serial run has them: in the order segments were checked,
    the envelope's first on one segment. Its rules' closing findings follow, unless
    ``hold`` (the set is still open): those are then returned."""
    report.schema = found.schema
    merged = [((d.segment_number, _ST_NUMBER), d) for d in report.diagnostics]
    merged += [((number, 1), d) for number, d in found.timed]
    merged.sort(key=itemgetter(0))   # stable: each side keeps its own order
    report.diagnostics = []
    report.add([d for _, d in merged])   # the cap again: both sides were capped alone
    report.suppressed.merge(found.suppressed)
    if hold:
        return found.at_end
    report.add(found.at_end)
    return []
