"""Transaction sets checked in worker processes, for large files on machines with cores to spare.

Theory of operation. Transaction sets are independent once the envelope is known: the walker,
the element checks and the rules start afresh at every ST. So, with ``jobs`` > 1, the main
process still reads every segment and runs the envelope stage (cheap: it only counts the
ordinary segments of a set), but hands each set, as soon as its ST is read, to a worker as a
``SetJob``: where its ST stands in the file (byte offset, segment number), and the separators
and GS08 in force. The worker re-reads the file from there to the set's end (its SE, or the
ISA, GS, ST, GE or IEA that cuts it short, as for the serial pipeline) and runs the very
code the serial pipeline runs on a set (``pipeline.check_set``), returning the set's schema
key and findings. The main process files them in the set's report before the interchange's
report leaves, so the reports are the serial ones.

Only uncompressed files on disk of at least ``MIN_BYTES`` are split (a worker must be able to
seek, and below that size starting workers costs more than it saves). Workers are forked where
the platform allows, at the first ST, after the parent has checked that set's first
``WARM_SEGMENTS`` segments itself and thrown the findings away: so every worker starts with
the schema, the code lists, the compiled element patterns and the walker's remembered moves
already loaded, instead of each paying for them again. At most ``jobs * 4`` sets wait at a
time: memory stays bounded however many sets a file has.
"""
from __future__ import annotations

import gc
import os
from collections import deque
from typing import NamedTuple, Optional

from ..reader import GZIP_MAGIC, Source
from ..segment import Delimiters, Segment

MIN_BYTES = 1 << 20
WARM_SEGMENTS = 3000


class SetJob(NamedTuple):
    """One transaction set to check: the file, where its ST stands, what is in force there."""

    path: str
    offset: int            # byte offset of its ST
    number: int            # segment number of its ST in the file
    delimiters: Delimiters
    gs08: str              # GS08 of the group it is in (its guide where ST03 is absent)
    stream_gs08: str       # the last GS08 read before it (differs only outside a group)
    snip: int
    limit: int = 0         # check only its first ``limit`` segments (0: all of them)


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


class SetPool:
    """Worker processes checking the sets of one file: ``submit`` a set at its ST; ``take``
    files the findings of the oldest waiting set, ``drain`` those of all of them."""

    def __init__(self, path: str, jobs: int, snip: int) -> None:
        self.path, self.snip, self.jobs = path, snip, jobs
        self.limit = jobs * 4
        self._executor = None   # started by the first submit
        self.waiting: deque = deque()  # (report, future) in file order

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

    def submit(self, report, st: Segment, gs08: str, stream_gs08: str) -> None:
        """Queue the set of ``report``, which ``st`` opens; when too many wait, file the
        oldest first."""
        job = SetJob(self.path, st.offset, st.number, st.delimiters, gs08, stream_gs08,
                     self.snip)
        if self._executor is None:
            self._start(job)
            # the workers are forked by this first submit: with the parent's objects frozen,
            # a worker's garbage collector never walks (and so never copies, page by page)
            # the heap it inherited, the schemas and code lists among it
            gc.freeze()
            try:
                future = self._executor.submit(_check_set, job)
            finally:
                gc.unfreeze()
        else:
            future = self._executor.submit(_check_set, job)
        self.waiting.append((report, future))
        while len(self.waiting) > self.limit:
            self.take()

    def _start(self, job: SetJob) -> None:
        """Warm this process's caches on the first segments of ``job``, then fork."""
        # imported here: a serial run (and a one-claim file's start-up) never pays for them
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        from .pipeline import check_set
        check_set(job._replace(limit=WARM_SEGMENTS))
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        self._executor = ProcessPoolExecutor(self.jobs, mp_context=context)

    def take(self, hold=None) -> list:
        """File the findings of the oldest waiting set in its report, interleaved with the
        envelope findings already there as a serial run has them: in the order segments were
        checked, the envelope's first on one segment. Its rules' closing findings follow,
        unless its report is ``hold`` (a set still open): those are then returned."""
        report, future = self.waiting.popleft()
        report.schema, timed, at_end = future.result()
        merged = [((d.segment_number, 0), d) for d in report.diagnostics]
        merged += [((number, 1), d) for number, d in timed]
        merged.sort(key=lambda item: item[0])   # stable: each side keeps its own order
        report.diagnostics[:] = [d for _, d in merged]
        if report is hold:
            return at_end
        report.diagnostics += at_end
        return []

    def drain(self, hold=None) -> list:
        """``take`` every waiting set; the closing findings held back for ``hold``."""
        held = []
        while self.waiting:
            held += self.take(hold)
        return held

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)


def _check_set(job: SetJob):
    from .pipeline import check_set
    return check_set(job)
