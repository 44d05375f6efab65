"""Where the tracker keeps its data: ``open_store(url)``.

``sqlite:///path.db`` (the default, zero set-up) and ``postgresql://user@host/db`` go to
the SQLAlchemy store (``sql.py``), whose schema Alembic brings to the newest version on
open; ``memory://`` is the in-memory store the domain's tests use.
"""
from __future__ import annotations

from x12kit.tracker.store.base import DatabaseError, Store, UnitOfWork

DEFAULT_URL = "sqlite:///x12kit.db"


def open_store(url: str = DEFAULT_URL) -> Store:
    if url == "memory://":
        from x12kit.tracker.store.memory import MemoryStore
        return MemoryStore()
    from x12kit.tracker.store.sql import SqlStore
    return SqlStore(url)


__all__ = ["DEFAULT_URL", "DatabaseError", "Store", "UnitOfWork", "open_store"]
