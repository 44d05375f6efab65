"""Tracker throughput: ``ingest-837p`` ingests the X12KIT_BENCH_CLAIMS-claim 837P into an empty
database, ``ingest-835`` its 835 into a database holding those claims; each into SQLite (a
file in the temporary folder) and PostgreSQL (X12KIT_BENCH_POSTGRES_URL: a database the
benchmark may empty; skipped without it). ``extra_info`` records claims per second.

``track-query``: ``x12kit track claims --state denied --limit 100`` and ``x12kit track
report``, as whole commands, on X12KIT_BENCH_TRACKER_DB (a database URL already filled, say
with 1M claims: see bench/README.md; skipped without it).
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bench.support import CLAIMS, run

POSTGRES_URL = os.environ.get("X12KIT_BENCH_POSTGRES_URL")
TRACKER_DB = os.environ.get("X12KIT_BENCH_TRACKER_DB")


def empty_database(store: str, tmp_path) -> str:
    if store == "sqlite":
        path = tmp_path / "bench.db"
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(f"{path}{suffix}"):
                os.remove(f"{path}{suffix}")
        return f"sqlite:///{path}"
    if not POSTGRES_URL:
        pytest.skip("X12KIT_BENCH_POSTGRES_URL is not set")
    import sqlalchemy as sa
    engine = sa.create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as c:
        c.exec_driver_sql("DROP SCHEMA public CASCADE")
        c.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    return POSTGRES_URL


def _claims_per_second(benchmark, claims: int) -> None:
    if benchmark.stats is not None:
        benchmark.extra_info["claims_per_s"] = round(claims / benchmark.stats.stats.mean)


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_ingest_837p(benchmark, store, file_837p, tmp_path):
    from x12kit.tracker import Tracker
    benchmark.group = "ingest-837p"

    def ingest(path):
        with Tracker(empty_database(store, tmp_path)) as tracker:
            return tracker.ingest(path)
    result = run(benchmark, ingest, file_837p, rounds=1, store=store)
    assert result.claims == CLAIMS
    _claims_per_second(benchmark, result.claims)


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_ingest_835(benchmark, store, file_837p, file_835, tmp_path):
    from x12kit.tracker import Tracker
    benchmark.group = "ingest-835"
    url = empty_database(store, tmp_path)
    with Tracker(url) as tracker:
        tracker.ingest(file_837p)

    def ingest(path):
        with Tracker(url) as tracker:
            return tracker.ingest(path)
    result = run(benchmark, ingest, file_835, rounds=1, store=store)
    assert result.unmatched == 0
    _claims_per_second(benchmark, result.payments)


QUERIES = {
    "claims-denied": ["claims", "--state", "denied", "--limit", "100", "--format", "json"],
    "report": ["report", "--format", "json"],
}


@pytest.mark.skipif(not TRACKER_DB, reason="X12KIT_BENCH_TRACKER_DB is not set")
@pytest.mark.parametrize("query", list(QUERIES))
def test_track_query(benchmark, query):
    benchmark.group = "track-query"
    command = [sys.executable, "-c", "from x12kit.cli import main; main()", "track",
               *QUERIES[query], "--db", TRACKER_DB]

    def answer():
        return subprocess.run(command, capture_output=True, check=True)
    benchmark.pedantic(answer, rounds=3, iterations=1)
