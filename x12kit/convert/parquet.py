"""The analysts' tables (``x12kit.convert.tables``) written as Parquet files, one per table.

``ParquetTables`` buffers each table's rows and writes them as a row group whenever
``row_group_rows`` are waiting, so memory holds at most one row group per table whatever the
size of the input. A row group is kept in Arrow's columns, packed every ``CHUNK_ROWS`` rows:
as Python objects, 50,000 rows of a table take some 50 MB, as columns a few. Each file is
written under a temporary name and renamed into place only when the writer closes cleanly (``x12kit.output.AllOrNothing``): a run that fails half-way
leaves no file that looks finished.

    with ParquetTables(out_dir, "claims-837p.x12") as tables:
        for table, row in rows_of(path):
            tables.add(table, row)
    tables.paths   # {"claims": out_dir / "claims-837p.x12.claims.parquet", ...}
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import pyarrow as pa
import pyarrow.parquet as pq

from x12kit.convert.tables import (
    ROW_VALUES, TABLE_SCHEMAS, Row, finding_rows, rows_of, values_to_batch,
)
from x12kit.output import AllOrNothing
from x12kit.reader import Source, source_name

# 16,384 rows a group: a 50k-claim 837P peaks at 150 MB (195 MB with 50,000-row groups, of
# which about 96 MB is importing pyarrow and x12kit) and is written faster; analysts' readers
# skip row groups by their statistics, which stay useful at this size
ROW_GROUP_ROWS = 16_384
CHUNK_ROWS = 4096  # rows held as Python values before they are packed into columns


class _RowGroup:
    """One table's rows waiting for their row group: the latest as tuples of values, the
    earlier ones packed into record batches."""

    def __init__(self, table: str, size: int) -> None:
        self.table, self.size = table, size
        self.values: list[tuple] = []
        self.batches: list[pa.RecordBatch] = []
        self.packed = 0  # rows in ``batches``
        self._values_of = ROW_VALUES[table]

    def add(self, row: Row) -> bool:
        """Take a row; whether the row group is now full."""
        self.values.append(self._values_of(row))
        waiting = self.packed + len(self.values)
        if len(self.values) >= CHUNK_ROWS or waiting >= self.size:
            self._pack()
        return waiting >= self.size

    def take(self) -> Optional[pa.Table]:
        """The rows waiting, as one table (None for none), and start again."""
        self._pack()
        if not self.batches:
            return None
        found = pa.Table.from_batches(self.batches)
        self.batches, self.packed = [], 0
        return found

    def _pack(self) -> None:
        if self.values:
            self.batches.append(values_to_batch(self.table, self.values))
            self.packed += len(self.values)
            self.values = []


class ParquetTables:
    """One Parquet file per table that gets rows: ``{out_dir}/{prefix}.{table}.parquet``."""

    def __init__(self, out_dir: Path | str, prefix: str,
                 row_group_rows: int = ROW_GROUP_ROWS) -> None:
        self.out_dir, self.prefix = Path(out_dir), prefix
        self.row_group_rows = row_group_rows
        self.paths: dict[str, Path] = {}
        self._pending: dict[str, _RowGroup] = {}
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._files = AllOrNothing()
        self._closed = False

    def add(self, table: str, row: Row) -> None:
        pending = self._pending.get(table)
        if pending is None:
            if table not in TABLE_SCHEMAS:
                raise KeyError(f"no table {table!r}")
            pending = self._pending[table] = _RowGroup(table, self.row_group_rows)
        if pending.add(row):
            self._flush(table)

    def close(self) -> dict[str, Path]:
        """Write what is pending and put every file in place: table -> path."""
        if not self._closed:
            self._closed = True
            try:
                for table in list(self._pending):
                    self._flush(table)
            except BaseException as error:
                self._end(error)
                raise
            self._end(None)
        return self.paths

    def abort(self) -> None:
        """Remove every file begun; nothing is put in place."""
        if not self._closed:
            self._closed = True
            self._end(RuntimeError("aborted"))

    def __enter__(self) -> "ParquetTables":
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()

    def _flush(self, table: str) -> None:
        rows = self._pending[table].take()
        if rows is None:
            return
        writer = self._writers.get(table)
        if writer is None:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            target = self.out_dir / f"{self.prefix}.{table}.parquet"
            writer = self._writers[table] = pq.ParquetWriter(
                self._files.temporary_for(target), TABLE_SCHEMAS[table])
            self.paths[table] = target
        writer.write_table(rows, row_group_size=rows.num_rows)

    def _end(self, error: Optional[BaseException]) -> None:
        """Close the writers, then rename the files into place (or remove them on error)."""
        for writer in self._writers.values():
            writer.close()
        self._pending.clear()
        if error is None:
            self._files.__exit__(None, None, None)
        else:
            self._files.__exit__(type(error), error, None)
            self.paths = {}


def write_parquet(source: Source, out_dir: Path | str, prefix: str,
                  name: Optional[str] = None, findings: Optional[list] = None,
                  row_group_rows: int = ROW_GROUP_ROWS) -> dict[str, Path]:
    """The tables of ``source`` as Parquet files in ``out_dir``, whole or not at all;
    ``findings`` (validation's events or findings) give the ``findings`` table."""
    name = name or source_name(source)
    with ParquetTables(out_dir, prefix, row_group_rows) as tables:
        for table, row in rows_of(source, name):
            tables.add(table, row)
        for row in finding_rows(findings or (), name):
            tables.add("findings", row)
    return tables.paths
