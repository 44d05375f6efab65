"""Statements handed to the database driver as they are, rows as plain tuples: the hot path
of an ingest (the claims, lines, events and entries it writes, and the claims, lines and
events it reads back) without SQLAlchemy's per-row processing.

Values cross as the column types (``types.py``) would convert them: on SQLite money is
integer cents and a day ISO text; psycopg takes and gives ``Decimal`` and ``date`` itself.
On PostgreSQL many rows are inserted with ``COPY``, a single statement streaming them.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from decimal import Decimal
from typing import Iterable, Optional, Sequence

import sqlalchemy as sa

from x12kit.tracker.store.base import chunks

COPY_FROM = 50      # fewer rows than this go by executemany (COPY's set-up costs more)
SQLITE_PARAMETERS = 999   # bound parameters a statement may have on every SQLite version


KNOWN = 1 << 16     # the conversions below remember this many values: amounts and days repeat


def _cents(amount: Decimal) -> int:
    return int(amount * 100)


@lru_cache(maxsize=KNOWN)
def _from_cents(cents: Optional[int]) -> Optional[Decimal]:
    return Decimal(cents).scaleb(-2) if cents is not None else None


@lru_cache(maxsize=KNOWN)
def _iso(day: Optional[date]) -> Optional[str]:
    return day.isoformat() if day else None


@lru_cache(maxsize=KNOWN)
def _from_iso(text: Optional[str]) -> Optional[date]:
    return date.fromisoformat(text) if text else None


def _same(value):
    return value


@lru_cache(maxsize=None)
def _marks(mark: str, count: int) -> str:
    return ", ".join([mark] * count)


class Driver:
    """The dialect's parameter mark and conversions, and the statements built with them."""

    def __init__(self, dialect) -> None:
        self.sqlite = dialect.name == "sqlite"
        self.mark = "?" if dialect.paramstyle == "qmark" else "%s"
        self.money, self.money_of = (_cents, _from_cents) if self.sqlite else (_same, _same)
        self.day, self.day_of = (_iso, _from_iso) if self.sqlite else (_same, _same)

    def marks(self, count: int) -> str:
        return _marks(self.mark, count)

    def in_list(self, count: int) -> str:
        """What follows a column to test it against ``count`` values (``in_values``):
        ``IN (?, ...)`` on SQLite; on PostgreSQL ``= ANY (%s)``, one array, so the statement
        is the same whatever the count (psycopg parses each new statement in Python, which
        cost a tenth of an 835's ingest with IN lists)."""
        return f"IN ({self.marks(count)})" if self.sqlite else "= ANY (%s)"

    def in_values(self, values: Sequence) -> tuple:
        """The parameters of ``in_list``."""
        return tuple(values) if self.sqlite else (list(values),)

    def insert(self, connection: sa.Connection, table: sa.Table, columns: Sequence[str],
               rows: list[tuple]) -> None:
        if not rows:
            return
        names = ", ".join(columns)
        if not self.sqlite and len(rows) >= COPY_FROM:
            with _cursor(connection) as cursor, \
                    cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        if not self.sqlite:
            connection.exec_driver_sql(
                f"INSERT INTO {table.name} ({names}) VALUES ({self.marks(len(columns))})",
                rows)
            return
        # SQLite: many rows to a statement bind and step faster than one each (measured:
        # a third less on the ledger's entries), within the 999 parameters of any SQLite
        per_statement = max(1, SQLITE_PARAMETERS // len(columns))
        one_row = f"({self.marks(len(columns))})"
        with _cursor(connection) as cursor:
            for start in range(0, len(rows), per_statement):
                part = rows[start:start + per_statement]
                cursor.execute(f"INSERT INTO {table.name} ({names}) VALUES "
                               + ", ".join([one_row] * len(part)),
                               [value for row in part for value in row])

    def update(self, connection: sa.Connection, statement: str, rows: list[tuple]) -> None:
        """``statement`` with ``{m}`` for each parameter mark, run once per row."""
        if rows:
            connection.exec_driver_sql(statement.format(m=self.mark), rows)

    def select_in(self, connection: sa.Connection, statement: str, values: Iterable,
                  before: Sequence = ()) -> list[tuple]:
        """The rows of ``statement``, whose ``{in_list}`` (``in_list``) takes ``values``
        (at most 500 at a time) after the parameters ``before``, in the order of the parts,
        as the driver's plain tuples."""
        found: list[tuple] = []
        with _cursor(connection) as cursor:
            for part in chunks(values):
                cursor.execute(statement.format(in_list=self.in_list(len(part))),
                               (*before, *self.in_values(part)))
                found += cursor.fetchall()
        return found


@contextmanager
def _cursor(connection: sa.Connection):
    """The driver's own cursor in the connection's transaction; its errors raised as
    SQLAlchemy's (the store turns those into a ``DatabaseError``)."""
    dbapi_error = connection.dialect.loaded_dbapi.Error
    cursor = connection.connection.driver_connection.cursor()
    try:
        yield cursor
    except dbapi_error as error:
        raise sa.exc.DBAPIError.instance(None, None, error, dbapi_error) from None
    finally:
        cursor.close()
