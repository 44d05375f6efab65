"""Column types the schema and its migrations share.

``Money`` is exact on both databases: NUMERIC(14, 2) on PostgreSQL, integer cents on SQLite
(whose NUMERIC is a float). SQL sums stay exact either way. ``Key`` is a text key (PCN,
payer claim number) compared byte by byte, so a prefix is a range an index can answer.
"""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

CENTS = Decimal(100)


class Money(sa.types.TypeDecorator):
    impl = sa.Numeric(14, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.BigInteger())
        return dialect.type_descriptor(sa.Numeric(14, 2, asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None or dialect.name != "sqlite":
            return value
        cents = value * CENTS
        if cents != cents.to_integral_value():
            raise ValueError("an amount with more than two decimal places")
        return int(cents)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-2)
        return Decimal(value).quantize(Decimal("0.01"))


def Key(length: int = 80):
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")
