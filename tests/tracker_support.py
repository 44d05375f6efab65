"""The tracker's tests run against every store: in memory, SQLite, and PostgreSQL when
X12KIT_TEST_POSTGRES_URL names a server (CI starts one; there, its absence fails)."""
from __future__ import annotations

import os

import pytest

POSTGRES_URL = os.environ.get("X12KIT_TEST_POSTGRES_URL")
STORES = ["memory", "sqlite", "postgresql"]


def fresh_postgres(url: str) -> str:
    """Empty the server's database (the tests own it) and give its URL."""
    import sqlalchemy as sa
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    return url


def store_url(kind: str, tmp_path) -> str:
    if kind == "memory":
        return "memory://"
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.db'}"
    if not POSTGRES_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but X12KIT_TEST_POSTGRES_URL is not set: .ci/run starts "
                        "PostgreSQL and must export it")
        pytest.skip("X12KIT_TEST_POSTGRES_URL is not set: no PostgreSQL server to test")
    return fresh_postgres(POSTGRES_URL)


@pytest.fixture(params=STORES)
def tracker_url(request, tmp_path) -> str:
    return store_url(request.param, tmp_path)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """The database stores only (what needs processes or SQL)."""
    return store_url(request.param, tmp_path)
