"""A file's records in lists, read by a second process while this one posts them.

Theory of operation. Reading a file's models and making them records (``documents``) costs
about as much as matching and posting them, so for a file on disk of ``MIN_BYTES`` or
more, where this process may use two cores or more, a worker process reads the records and
sends them through a pipe in lists, while this process posts the lists already received.
The pipe holds little: a worker that is ahead waits, so memory stays bounded. Only this
process touches the database, in the ingest's one transaction: a worker killed, or this
process killed, leaves the database as it was (a forked worker first closes every file it
inherited, the database connection among them, so a parent that dies ends its transaction
at once, and the worker stops at its next send, on the broken pipe). A worker that ends
without finishing raises ``ReaderLost``, naming the file; an error the worker meets
(unreadable input: ``X12ReadError``) is raised here as one process would raise it. Smaller
files, streams and bytes are read in this process. The first file of a command is read
ahead (``read_ahead``): its worker starts before this process imports the database code
and opens the database, so that set-up costs the ingest no time.
"""
from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Optional

from x12kit.errors import X12ReadError
from x12kit.reader import Source
from x12kit.tracker.documents import Record, Same, records
from x12kit.tracker.store.base import chunks

MIN_BYTES = 1 << 20
FIRST_LIST = 250
RECORDS, END, FAILED = "records", "end", "failed"   # what the worker sends: (tag, value)


class ReaderLost(X12ReadError):
    """The worker reading a file's records stopped without finishing (killed, out of
    memory): nothing of the file is posted."""


def record_lists(source: Source, size: int,
                 ahead: Optional[Worker] = None) -> Iterator[list[Record]]:
    """The records of ``source`` in file order, in lists of at most ``size``; ``ahead``:
    the worker already reading them (``read_ahead``)."""
    if ahead is not None:
        yield from ahead.lists()
        return
    path = _worker_path(source)
    if path is None:
        yield from chunks(records(source), size)
    else:
        yield from Worker(path, size).lists()


def read_ahead(source: Source, size: int) -> Optional[Worker]:
    """A worker reading the records of ``source`` from now on, in lists of at most
    ``size``; None where this process should read them (``record_lists``)."""
    path = _worker_path(source)
    return Worker(path, size) if path is not None else None


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _worker_path(source: Source) -> Optional[str]:
    """The path of ``source`` when a worker should read it, else None."""
    if not isinstance(source, (str, os.PathLike)) or str(source) == "-" or _cores() < 2:
        return None
    try:
        return os.fspath(source) if os.path.getsize(source) >= MIN_BYTES else None
    except OSError:
        return None     # reading it in this process reports what is wrong


def _growing_lists(items: Iterable, size: int) -> Iterator[list]:
    """Lists of ``FIRST_LIST`` items, then twice as many each time up to ``size``: this
    process starts posting once the worker has read a few records, not a full list."""
    remaining, length = iter(items), FIRST_LIST
    while found := list(islice(remaining, min(length, size))):
        yield found
        length *= 2


def _keep_only(pipe) -> None:
    """Close every file a forked worker inherited but the pipe it sends on. The parent's
    database connection must close when the parent dies (PostgreSQL ends its transaction,
    and frees the ingest lock, only then), and the parent's end of the pipe too (a worker
    sending to a parent that is gone then meets a broken pipe instead of waiting)."""
    keep = pipe.fileno()
    os.closerange(3, keep)
    os.closerange(keep + 1, os.sysconf("SC_OPEN_MAX"))


def _read(path: str, size: int, pipe, forked: bool) -> None:
    """The worker: send the records of ``path``, then END, or what stopped it."""
    if forked:
        _keep_only(pipe)
    gc.disable()        # it makes no reference cycles, and ends with its last send
    same = Same()
    try:
        for found in _growing_lists(records(path, same), size):
            pipe.send((RECORDS, found))
            same.clear()
        pipe.send((END, None))
    except BrokenPipeError:
        pass            # the ingest is gone: nobody is listening
    except Exception as error:  # noqa: BLE001 - handed to the parent, which raises it
        try:
            pipe.send((FAILED, error))
        except Exception:  # noqa: BLE001 - it cannot be pickled: its kind is sent
            pipe.send((FAILED, X12ReadError(f"{path}: {type(error).__name__} while reading "
                                            f"its records")))
    finally:
        pipe.close()


class Worker:
    """A worker process reading the records of one file, started at once: ``lists()``
    receives them. Started before the ingest opens its database (``read_ahead``), it reads
    while this process imports and opens. ``close()`` stops it, read or not."""

    def __init__(self, path: str, size: int) -> None:
        import multiprocessing
        self.path = path
        forked = "fork" in multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if forked else "spawn")
        self.receiving, sending = context.Pipe(duplex=False)
        self.process = context.Process(target=_read, args=(path, size, sending, forked),
                                       daemon=True, name="x12kit-tracker-reader")
        # frozen, the parent's objects (its database connection among them) are never
        # collected, and so never closed, by the forked worker
        gc.freeze()
        try:
            self.process.start()
        finally:
            gc.unfreeze()
        sending.close()     # the worker holds the only sending end: its end is our EOF

    def lists(self) -> Iterator[list[Record]]:
        try:
            while True:
                try:
                    tag, value = self.receiving.recv()
                except EOFError:
                    raise ReaderLost(f"the worker process reading the records of {self.path} "
                                     f"stopped without finishing (killed, or out of memory): "
                                     f"nothing of it was posted") from None
                if tag == END:
                    return
                if tag == FAILED:
                    raise value
                yield value
        finally:
            self.close()

    def close(self) -> None:
        self.receiving.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
