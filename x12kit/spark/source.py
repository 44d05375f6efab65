"""The "x12" Spark data source: the analysts' tables (``x12kit.convert.tables``) of X12
files, read by Spark executors, rows handed over as Arrow record batches.

Options: ``table`` (one of ``TABLES``; required), ``splitBytes`` (files larger than this
are also split into ranges of whole transaction sets; default 64 MiB), ``snip`` (the
validation depth of the findings table, 1-5, default 5) and ``batchRows`` (rows per Arrow
batch, default 10,000). The ``source`` column holds each file's path as the planner
found it.

Executors raise ``X12SourceError`` for input that cannot be read: its message names the
file and the byte, never a value; Spark shows it as the last line of the task's error.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import islice

import pyarrow as pa
from pyspark.sql.datasource import DataSource, DataSourceReader, InputPartition
from pyspark.sql.pandas.types import from_arrow_schema
from pyspark.sql.types import StructType

from ..convert.tables import TABLE_SCHEMAS, TABLES, Row, finding_rows, rows_of_segments
from ..convert.tables import rows_to_batch
from ..errors import UsageError, X12Error
from ..ranges import DEFAULT_SPLIT_BYTES, Piece, read_piece
from .partitions import WHOLE_FILE_TABLES, input_files, paths_of, plan

BATCH_ROWS = 10_000


class X12SourceError(X12Error):
    """A file that an executor cannot read or convert: names the file and the place."""


class X12DataSource(DataSource):
    """``spark.read.format("x12").option("table", "claims").load(PATHS)``."""

    @classmethod
    def name(cls) -> str:
        return "x12"

    def schema(self) -> StructType:
        return spark_schema(_table(self.options))

    def reader(self, schema: StructType) -> "X12Reader":
        return X12Reader(self.options)


class X12Reader(DataSourceReader):
    """Plans the pieces on the driver; reads one piece per task."""

    def __init__(self, options: Mapping[str, str]) -> None:
        self.table = _table(options)
        self.split_bytes = _whole_number(options, "splitBytes", DEFAULT_SPLIT_BYTES)
        self.snip = _whole_number(options, "snip", 5)
        self.batch_rows = _whole_number(options, "batchRows", BATCH_ROWS)
        self.files = input_files(paths_of(options))

    def partitions(self) -> list[InputPartition]:
        return [InputPartition(piece)
                for piece in plan(self.files, self.table, self.split_bytes)]

    def read(self, partition: InputPartition) -> Iterator[pa.RecordBatch]:
        piece: Piece = partition.value
        try:
            yield from record_batches(self.table, piece_rows(piece, self.table, self.snip),
                                      self.batch_rows)
        except X12Error as error:
            raise X12SourceError(f"{piece.path}: {error}") from None
        except OSError as error:
            raise X12SourceError(f"{piece.path}: cannot read: {error.strerror}") from None


def spark_schema(table: str) -> StructType:
    """The table's Arrow schema as Spark sees it (decimal(18,2) money, dates)."""
    return from_arrow_schema(TABLE_SCHEMAS[table])


def piece_rows(piece: Piece, table: str, snip: int = 5) -> Iterator[Row]:
    """The rows of ``table`` that ``piece`` holds, as the tables module gives them for the
    file: the findings of the whole file, or the rows of the piece's sets."""
    if table in WHOLE_FILE_TABLES:
        from ..validate.pipeline import validate_events
        return finding_rows(validate_events(piece.path, snip), piece.path,
                            lines_from=piece.path)
    return (row for name, row in rows_of_segments(read_piece(piece), piece.path)
            if name == table)


def record_batches(table: str, rows: Iterable[Row], size: int) -> Iterator[pa.RecordBatch]:
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield rows_to_batch(table, chunk)


def _table(options: Mapping[str, str]) -> str:
    table = options.get("table", "")
    if table not in TABLE_SCHEMAS:
        raise UsageError(f"option table: {table or 'missing'}; one of {', '.join(TABLES)}")
    return table


def _whole_number(options: Mapping[str, str], name: str, default: int) -> int:
    text = str(options.get(name, default)).strip()
    if not text.isdigit() or int(text) < 1:
        raise UsageError(f"option {name} must be a whole number of at least 1")
    return int(text)
