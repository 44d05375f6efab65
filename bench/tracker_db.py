"""Make a large tracker database for the query benchmarks: copy every row of a filled one
``--copies`` times (ids shifted, PCNs and content hashes suffixed), with set-based SQL.

    python cli.py track ingest --db sqlite:////tmp/t.db /tmp/x.837 /tmp/x.835   # 50k claims
    python bench/tracker_db.py sqlite:////tmp/t.db --copies 20                  # 1M claims

Ingesting 1M claims from files gives the same tables (the ingest benchmark measures that
path); copying takes a minute instead of an hour.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from x12kit.tracker.store import tables as t  # noqa: E402
from x12kit.tracker.store.sql import engine_for  # noqa: E402

# column -> the table whose id it holds (shifted by that table's base size)
REFERENCES = {"document_id": "document", "claim_id": "claim", "superseded_by": "claim",
              "matched_claim_id": "claim"}
SUFFIXED = {"pcn", "sha256"}
# tables of totals (the copies fall under the same keys): their sums times the copies
TOTALS = {t.adjustment_total: ("count", "amount"),
          t.report_total: ("claims", "charge", "paid", "adjusted", "pr", "owing_claims",
                           "open_claims")}


def copy(url: str, copies: int) -> None:
    engine = engine_for(url)
    with engine.begin() as c:
        base = {table.name: c.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0)))
                .scalar_one() for table in t.metadata.sorted_tables if "id" in table.c}
        for k in range(1, copies):
            for table in t.metadata.sorted_tables:
                if table in TOTALS:                 # totals: multiplied below
                    continue
                columns = [_shifted(table, column, base, k) for column in table.columns]
                top = table.c.id if "id" in table.c else table.c.claim_id
                limit = base[table.name if "id" in table.c else "claim"]
                c.execute(table.insert().from_select(
                    [column.name for column in table.columns],
                    sa.select(*columns).where(top <= limit)))
        times = sa.literal(copies, sa.Integer)   # a plain number, not an amount in cents
        for table, columns in TOTALS.items():
            c.execute(table.update().values({name: table.c[name] * times for name in columns}))
        if c.dialect.name == "postgresql":   # the copies' ids were given: move the sequences
            for name in base:
                c.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                  f"(SELECT max(id) FROM {name}))")
    engine.dispose()


def _shifted(table: sa.Table, column: sa.Column, base: dict, k: int):
    if column.name == "id":
        return column + base[table.name] * k
    if column.name in REFERENCES:
        return column + base[REFERENCES[column.name]] * k
    if column.name in SUFFIXED:     # kept within the column's length (a hash has 64)
        return sa.func.substr(column, 1, 58) + f"-{k}"
    return column


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--copies", type=int, default=20)
    args = parser.parse_args()
    copy(args.url, args.copies)


if __name__ == "__main__":
    main()
