"""The tracker across processes: SIGKILL at any moment of an ingest leaves the database as
it was before that file, and two processes ingesting at once post each file once."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from bench.generate import write_file
from x12kit.tracker import Tracker
from x12kit.tracker.store import tables
from x12kit.tracker.store.sql import engine_for

from .conftest import ROOT
from .tracker_support import database_url  # noqa: F401  (fixture)

CLAIMS = 800
KILLS = 4

# a child process: open the tracker, say so, ingest one file, print what it did; with a
# third argument, its records are read by a worker process whatever the file's size
INGEST = """
import json, sys
from x12kit.tracker import Tracker, reading
if len(sys.argv) > 3:
    reading.MIN_BYTES, reading._cores = 0, lambda: 2
tracker = Tracker(sys.argv[1])
print("open", flush=True)
result = tracker.ingest(sys.argv[2])
print(json.dumps({"duplicate": result.duplicate, "claims": result.claims,
                  "payments": result.payments, "unmatched": result.unmatched}), flush=True)
"""


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")
    claims, remits = folder / "claims.837", folder / "remits.835"
    write_file("837p", CLAIMS, claims)
    write_file("835", CLAIMS, remits)
    return claims, remits


def start(url: str, path, worker: bool = False) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", INGEST, url, str(path),
                              *(["worker"] if worker else [])], cwd=ROOT,
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    assert child.stdout.readline().strip() == "open"
    return child


def finish(child: subprocess.Popen) -> dict:
    # read through the same buffered stream as ``start`` (communicate() reads the pipe
    # itself and would miss a result line already buffered with "open")
    out = child.stdout.read()
    err = child.stderr.read()
    assert child.wait(timeout=600) == 0, err
    return json.loads(out.strip().splitlines()[-1])


def counts(url: str) -> tuple[int, int, int]:
    """Documents, claims, ledger entries."""
    engine = engine_for(url)
    with engine.connect() as c:
        found = tuple(c.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                      for table in (tables.document, tables.claim, tables.entry))
    engine.dispose()
    return found


@pytest.mark.parametrize("worker", [False, True], ids=["one-process", "reading-worker"])
def test_sigkill_during_an_ingest_leaves_nothing_or_everything(database_url, files, worker):
    Tracker(database_url).close()                       # the schema exists
    rng = random.Random(837)
    for path in files:
        before = counts(database_url)
        child = start(database_url, path, worker)         # how long the ingest itself takes
        began = time.monotonic()
        finish(child)
        whole = time.monotonic() - began
        complete = counts(database_url)
        _restore(database_url, before, path)              # take that file back out
        outcomes = set()
        for _ in range(KILLS):
            child = start(database_url, path, worker)
            time.sleep(rng.uniform(0, 0.9 * whole))
            child.send_signal(signal.SIGKILL)
            child.wait()
            after = counts(database_url)
            assert after in (before, complete)
            outcomes.add(after == complete)
            if after == complete:
                _restore(database_url, before, path)
        assert False in outcomes                          # some kills fell inside the ingest
        finish(start(database_url, path, worker))
        assert counts(database_url) == complete           # and the database still works


def _restore(url: str, before: tuple[int, int, int], path) -> None:
    """Delete what the file's ingest added (rows after the counts of ``before``), so the
    next kill starts from the same database. Only the test does this: the tracker never
    deletes from its ledger."""
    engine = engine_for(url)
    with engine.begin() as c:
        last = c.execute(sa.select(sa.func.max(tables.document.c.id))).scalar_one()
        if c.execute(sa.select(sa.func.count()).select_from(tables.document)).scalar_one() \
                == before[0]:
            return
        for table in (tables.event, tables.entry, tables.unmatched):
            c.execute(table.delete().where(table.c.document_id == last))
        claim_ids = sa.select(tables.claim.c.id).where(tables.claim.c.document_id == last)
        c.execute(tables.claim_line.delete().where(tables.claim_line.c.claim_id.in_(claim_ids)))
        c.execute(tables.claim.delete().where(tables.claim.c.document_id == last))
        c.execute(tables.document.delete().where(tables.document.c.id == last))
    engine.dispose()


def test_two_processes_ingesting_the_same_file_post_it_once(database_url, files):
    Tracker(database_url).close()
    children = [start(database_url, files[0]) for _ in range(2)]
    results = [finish(child) for child in children]
    assert sorted(r["duplicate"] for r in results) == [False, True]
    assert sum(r["claims"] for r in results) == CLAIMS
    assert counts(database_url)[:2] == (1, CLAIMS)


def test_different_files_at_once_end_as_one_after_the_other(database_url, files):
    Tracker(database_url).close()
    children = [start(database_url, path) for path in reversed(files)]
    results = [finish(child) for child in children]
    assert not any(r["duplicate"] for r in results)
    with Tracker(database_url) as tracker:
        assert tracker.unmatched() == []
        assert all(c["state"] != "submitted" for c in tracker.claims())
