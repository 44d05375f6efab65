"""Worker processes that each do one input at a time, for as long as the run lasts.

Unlike ``concurrent.futures``, where a worker that dies breaks the whole pool and every
input in flight with it, each worker here has its own pipe and is sent one job at a time:
when one dies (killed, out of memory) the pool knows the job it held, reports that job as
lost (``WorkerLost``), starts a new worker, and the run goes on. Workers are forked where
the platform allows, so they start with whatever the parent has imported.
"""
from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any, NamedTuple


class WorkerLost(NamedTuple):
    """The worker doing a job ended without answering."""

    exit_code: int | None    # negative: the signal that ended it

    def reason(self) -> str:
        if self.exit_code is not None and self.exit_code < 0:
            return f"the worker processing it was killed (signal {-self.exit_code})"
        return f"the worker processing it ended (exit code {self.exit_code})"


class WorkerFailed(NamedTuple):
    """The job raised an exception the work does not expect (a defect): its kind only,
    since a message might quote the input."""

    kind: str

    def reason(self) -> str:
        return f"processing it failed ({self.kind})"


def _serve(connection: Connection, work: Callable[[Any], Any]) -> None:
    # Ctrl-C reaches every process of the terminal's group: the parent decides what stops
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        while (job := connection.recv()) is not None:
            try:
                answer = work(job)
            except Exception as error:  # noqa: BLE001 - the parent reports it, the worker goes on
                answer = WorkerFailed(type(error).__name__)
            connection.send(answer)
    except (EOFError, OSError):  # the parent is gone (killed): nobody to answer
        return


class _Worker:
    def __init__(self, context, work: Callable[[Any], Any]) -> None:
        self.connection, theirs = context.Pipe()
        self.process = context.Process(target=_serve, args=(theirs, work), daemon=True)
        self.process.start()
        theirs.close()
        self.job: Any = None

    def send(self, job: Any) -> None:
        self.job = job
        self.connection.send(job)


class WorkerPool:
    """``submit`` jobs (waiting for a free worker), then ``finish``; both give the
    ``(job, answer)`` pairs completed meanwhile, an answer being what ``work`` returned, a
    ``WorkerLost`` or a ``WorkerFailed``."""

    def __init__(self, workers: int, work: Callable[[Any], Any]) -> None:
        methods = multiprocessing.get_all_start_methods()
        self.context = multiprocessing.get_context("fork" if "fork" in methods else None)
        self.work = work
        self.idle = [_Worker(self.context, work) for _ in range(workers)]
        self.busy: list[_Worker] = []

    def submit(self, job: Any) -> list[tuple[Any, Any]]:
        done = []
        while not self.idle:
            done += self._collect()
        worker = self.idle.pop()
        worker.send(job)
        self.busy.append(worker)
        return done

    def finish(self) -> Iterator[tuple[Any, Any]]:
        while self.busy:
            yield from self._collect()

    def close(self) -> None:
        for worker in self.idle + self.busy:
            try:
                worker.connection.send(None)
            except OSError:
                pass
        for worker in self.idle + self.busy:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()

    def _collect(self) -> list[tuple[Any, Any]]:
        """Wait for at least one busy worker to answer or die."""
        waiting = {w.connection: w for w in self.busy}
        waiting.update({w.process.sentinel: w for w in self.busy})
        done = []
        for ready in wait(list(waiting)):
            worker = waiting[ready]
            if worker not in self.busy:
                continue
            answer = self._answer(worker)
            self.busy.remove(worker)
            done.append((worker.job, answer))
            if isinstance(answer, WorkerLost):
                worker.connection.close()
                worker = _Worker(self.context, self.work)
            self.idle.append(worker)
        return done

    def _answer(self, worker: _Worker) -> Any:
        try:
            if worker.connection.poll():
                return worker.connection.recv()
        except (EOFError, OSError):
            pass
        worker.process.join()
        return WorkerLost(worker.process.exitcode)
