"""Records read by a worker process (``x12kit.tracker.reading``): the same records as one
process reads, the same errors, and a worker that dies posts nothing and names the file."""
from __future__ import annotations

import os
import signal

import pytest

from bench.generate import write_file
from x12kit.cli import main
from x12kit.diagnostics import X12ReadError
from x12kit.tracker import DatabaseError, Tracker, reading
from x12kit.tracker.documents import records

from .conftest import corpus_files

KINDS = ("837P", "837I", "837D", "835", "999", "277CA", "277")


@pytest.fixture
def every_file_by_a_worker(monkeypatch):
    monkeypatch.setattr(reading, "MIN_BYTES", 0)
    monkeypatch.setattr(reading, "_cores", lambda: 2)


def _read_alone(path):
    try:
        return list(records(path)), None
    except X12ReadError as error:
        return None, str(error)


def _read_by_worker(path):
    try:
        return [r for found in reading.record_lists(path, 7) for r in found], None
    except X12ReadError as error:
        return None, str(error)


def test_a_worker_reads_every_corpus_file_as_one_process_does(every_file_by_a_worker):
    files = [path for kind in KINDS for path in corpus_files(kind)]
    failed = 0
    for path in files:
        alone = _read_alone(path)
        assert _read_by_worker(path) == alone, path
        failed += alone[1] is not None
    assert len(files) > 100 and 0 < failed < len(files) // 10   # some fail, the same way


def test_small_files_and_bytes_are_read_in_this_process(monkeypatch, tmp_path):
    monkeypatch.setattr(reading, "_cores", lambda: 2)
    path = tmp_path / "claims.837"
    write_file("837p", 20, path)
    assert reading._worker_path(path) is None               # under MIN_BYTES
    assert reading._worker_path(path.read_bytes()) is None
    monkeypatch.setattr(reading, "MIN_BYTES", 0)
    assert reading._worker_path(path) == str(path)
    monkeypatch.setattr(reading, "_cores", lambda: 1)
    assert reading._worker_path(path) is None               # one core: nothing to gain


def _dies_after_one_list(path, size, pipe, forked):
    found = next(reading.chunks(records(path), size))
    pipe.send((reading.RECORDS, found))
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_worker_killed_midway_posts_nothing_and_names_the_file(every_file_by_a_worker,
                                                                 monkeypatch, tmp_path,
                                                                 capsys):
    path = tmp_path / "claims.837"
    write_file("837p", 300, path)
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    lives = reading._read
    monkeypatch.setattr(reading, "_read", _dies_after_one_list)
    with Tracker(url) as tracker:
        with pytest.raises(reading.ReaderLost, match=str(path)):
            tracker.ingest(path)
        assert tracker.claims() == []
    with pytest.raises(SystemExit) as exit:
        main(["track", "ingest", "--db", url, str(path)])
    assert exit.value.code == 1
    err = capsys.readouterr().err
    assert f"{path}: error: the worker process reading the records of {path}" in err
    assert "Traceback" not in err
    monkeypatch.setattr(reading, "_read", lives)    # a worker that lives: all is posted
    with Tracker(url) as tracker:
        assert tracker.ingest(path).claims == 300


def _workers_started(monkeypatch) -> list:
    started = []
    read_ahead = reading.read_ahead

    def remembered(source, size):
        worker = read_ahead(source, size)
        started.append(worker)
        return worker
    monkeypatch.setattr(reading, "read_ahead", remembered)
    return started


def test_a_file_read_ahead_posts_what_it_posts_read_later(every_file_by_a_worker, monkeypatch,
                                                         tmp_path):
    path = tmp_path / "claims.837"
    write_file("837p", 300, path)
    with Tracker(f"sqlite:///{tmp_path / 'later.db'}") as tracker:
        tracker.ingest(path)
        later = tracker.claims()
    started = _workers_started(monkeypatch)
    with Tracker(f"sqlite:///{tmp_path / 'ahead.db'}", read_ahead=[path]) as tracker:
        assert started[0] is not None and started[0].path == str(path)
        assert tracker.ingest(path).claims == 300
        assert [c["pcn"] for c in tracker.claims()] == [c["pcn"] for c in later]
    assert not started[0].process.is_alive()


def test_a_file_read_ahead_but_not_posted_stops_its_worker(every_file_by_a_worker, monkeypatch,
                                                           tmp_path):
    path = tmp_path / "claims.837"
    write_file("837p", 2000, path)   # more than the pipe holds: its worker waits
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    with Tracker(url) as tracker:
        tracker.ingest(path)
    started = _workers_started(monkeypatch)
    with Tracker(url, read_ahead=[path]) as tracker:
        assert tracker.ingest(path).duplicate                  # nothing read is posted
    with Tracker(url, read_ahead=[path]):
        pass                                                    # never ingested
    with pytest.raises(DatabaseError):
        Tracker(f"sqlite:///{tmp_path / 'no such folder' / 'tracker.db'}", read_ahead=[path])
    assert len(started) == 3
    assert not any(worker.process.is_alive() for worker in started)
