"""A batch run: every input discovered, looked up in the manifest, and either answered at
once (``skipped``, ``duplicate``, or ``rejected`` when it cannot even be read) or handed to
a worker; each worker's result is recorded in the manifest once its outputs are in place,
and given to the caller's ``report`` as it comes.

Only one run may use an OUT_DIR at a time (a lock file), which lets a run start by clearing
what a killed run left half-made (``staging.clear_leftovers``)."""
from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from time import perf_counter

from ..errors import UsageError
from .discovery import discover
from .manifest import Manifest
from .outcome import DUPLICATE, REJECTED, FileResult
from .pool import WorkerFailed, WorkerLost, WorkerPool
from .staging import Staging, clear_leftovers
from .work import Job, Settings, process_file

LOCK_FILE = ".batch.lock"
HASH_CHUNK = 1 << 20


def run_batch(arguments: Iterable[str], settings: Settings, workers: int,
              report: Callable[[FileResult], None],
              start: Callable[[int, int], None] = lambda files, size: None) -> None:
    """Process every input of ``arguments``; ``start(files, bytes)`` once they are
    discovered, ``report(result)`` for each as it is complete."""
    out_dir = settings.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    with _only_run(out_dir):
        clear_leftovers(out_dir)
        paths = list(discover(arguments, str(out_dir)))
        start(len(paths), sum(_size(p) for p in paths))
        manifest = Manifest(out_dir)
        triage = Triage(manifest)
        pool = WorkerPool(workers, partial(process_file, settings=settings))

        def complete(job: Job, answer) -> None:
            if isinstance(answer, (WorkerLost, WorkerFailed)):
                Staging(out_dir, job.sha256).discard()
                answer = FileResult(job.path, job.sha256, REJECTED, size=job.size,
                                    error=f"{job.path}: {answer.reason()}")
            else:
                manifest.record(answer)
            report(answer)

        try:
            for path in paths:
                found = triage.examine(path)
                if isinstance(found, Job):
                    for job, answer in pool.submit(found):
                        complete(job, answer)
                    continue
                if found.status == DUPLICATE:
                    manifest.record(found)
                report(found)
            for job, answer in pool.finish():
                complete(job, answer)
        finally:
            pool.close()
            manifest.close()
        clear_leftovers(out_dir)


class Triage:
    """Tells, by content, which inputs need work: those done in an earlier run are
    ``skipped`` (same path) or ``duplicate`` (another path), as is an input whose content
    an earlier input of this run has."""

    def __init__(self, manifest: Manifest) -> None:
        self.manifest = manifest
        self.this_run: dict[str, str] = {}   # content hash -> the input of this run that has it

    def examine(self, path: str) -> FileResult | Job:
        started = perf_counter()
        try:
            sha256, size = file_sha256(path)
        except OSError as error:
            return FileResult(path, None, REJECTED,
                              error=f"{path}: cannot read: {error.strerror or type(error).__name__}")
        earlier = self.manifest.earlier(path, sha256)
        if earlier is not None:
            earlier.size = size
            return earlier
        first = self.this_run.setdefault(sha256, path)
        if first != path:
            return FileResult(path, sha256, DUPLICATE, size=size,
                              duplicate_of=os.path.abspath(first))
        return Job(path, sha256, size, perf_counter() - started)


def file_sha256(path: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as stream:
        while chunk := stream.read(HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


@contextmanager
def _only_run(out_dir: Path):
    with open(out_dir / LOCK_FILE, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(f"{out_dir}: another batch run is using this folder") from None
        yield
