"""The "x12" Spark data source: the analysts' tables (``x12kit.convert.tables``) of X12
files, read by Spark executors, rows handed over as Arrow record batches.

Options:
- ``table``: one of ``TABLES``; required.
- ``splitBytes``: files larger than this are also split into ranges of whole transaction
  sets (default 64 MiB); ``packBytes``: small pieces are read together, in partitions of
  about this much (default 4 MiB; ``partitions``).
- ``snip``: the validation depth, 1-5 (default 5); ``validate``: ``true`` (the default)
  leaves the sets that validation rejects out of the data tables, as ``x12kit batch``
  does, at the cost of a validating pass before the converting one; ``false`` gives the rows
  of every set.
- ``mode``: what input that cannot be read does. ``PERMISSIVE`` (the default), as
  ``x12kit batch``: the piece gives no data rows (with ``validate`` false, only those read
  before the fault), and the ``findings`` table gives a row ``unreadable`` with its byte.
  ``FAILFAST``: the task fails with ``X12SourceError``, naming the file and the byte, never
  a value (Spark shows it as the last line of the task's error).
- ``batchRows``: rows per Arrow batch (default 10,000).
- ``storageOptions``: a JSON object of fsspec options (credentials, endpoint) for URLs of
  object storage (``storage``).

The ``source`` column holds each file's path or URL as the planner found it (a URL
without a query or password: ``storage.shown``).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import chain, islice

import pyarrow as pa
from pyspark.sql.datasource import DataSource, DataSourceReader, InputPartition
from pyspark.sql.pandas.types import from_arrow_schema
from pyspark.sql.types import StructType

from ..convert.tables import TABLE_SCHEMAS, TABLES, Row, finding_rows, rows_of_segments
from ..convert.tables import TRANSACTIONS_OF_TABLE, rows_to_batch
from ..diagnostics import Diagnostic, Level, Severity
from ..errors import UsageError, X12Error, X12ReadError
from ..ranges import DEFAULT_SPLIT_BYTES, Piece, read_piece
from .partitions import DEFAULT_PACK_BYTES, WHOLE_FILE_TABLES, input_files, pack, paths_of, plan
from .storage import Storage, cannot_read, shown

BATCH_ROWS = 10_000
PERMISSIVE, FAILFAST = "PERMISSIVE", "FAILFAST"
UNREADABLE = "unreadable"   # the findings row of input that cannot be read on


class X12SourceError(X12Error):
    """A file that an executor cannot read or convert (mode ``FAILFAST``): names the file
    and the place."""


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
    """Plans the partitions on the driver; reads one run of pieces per task."""

    def __init__(self, options: Mapping[str, str]) -> None:
        self.table = _table(options)
        self.split_bytes = _whole_number(options, "splitBytes", DEFAULT_SPLIT_BYTES)
        self.pack_bytes = _whole_number(options, "packBytes", DEFAULT_PACK_BYTES)
        self.snip = _whole_number(options, "snip", 5)
        self.batch_rows = _whole_number(options, "batchRows", BATCH_ROWS)
        self.validate = _choice(options, "validate", ("true", "false")) == "true"
        self.mode = _choice(options, "mode", (PERMISSIVE, FAILFAST))
        self.storage = Storage.from_options(options)
        self.files = input_files(paths_of(options), self.storage)

    def partitions(self) -> list[InputPartition]:
        pieces = plan(self.files, self.table, self.split_bytes, self.storage)
        return [InputPartition(run) for run in pack(pieces, self.pack_bytes, self.storage)]

    def read(self, partition: InputPartition) -> Iterator[pa.RecordBatch]:
        rows = chain.from_iterable(self._rows(piece) for piece in partition.value)
        yield from record_batches(self.table, rows, self.batch_rows)

    def _rows(self, piece: Piece) -> Iterator[Row]:
        name = shown(piece.path)
        try:
            yield from piece_rows(piece, self.table, self.snip, self.validate, self.storage)
        except (X12ReadError, OSError) as error:
            if self.mode == FAILFAST:
                raise X12SourceError(f"{name}: {_what(error)}") from None
            if self.table == "findings":
                located = isinstance(error, X12ReadError)   # a file that is there to read
                lines = self.storage.opener(piece.path) if located else None
                yield from finding_rows([unreadable(error)], name, lines_from=lines)
        except X12Error as error:   # a value no column holds: not the input's to skip
            raise X12SourceError(f"{name}: {error}") from None


def spark_schema(table: str) -> StructType:
    """The table's Arrow schema as Spark sees it (decimal(18,2) money, dates)."""
    return from_arrow_schema(TABLE_SCHEMAS[table])


def piece_rows(piece: Piece, table: str, snip: int = 5, validate: bool = True,
               storage: Storage | None = None) -> Iterator[Row]:
    """The rows of ``table`` that ``piece`` holds, as ``x12kit batch`` writes them for the
    file: the findings of the whole file, or the rows of the piece's sets (its accepted
    ones, when ``validate``). Raises ``X12ReadError`` for input that cannot be read on:
    when validating, before any data row is given."""
    storage = storage or Storage()
    name = shown(piece.path)
    if table in WHOLE_FILE_TABLES:
        from ..validate.pipeline import segment_events
        return finding_rows(segment_events(read_piece(piece, storage), snip), name,
                            lines_from=storage.opener(piece.path))
    from ..validate.verdicts import only_transactions, rejected_sets, without_sets
    kinds = TRANSACTIONS_OF_TABLE[table]
    segments = only_transactions(read_piece(piece, storage), kinds)
    if validate:
        rejected = rejected_sets(only_transactions(read_piece(piece, storage), kinds), snip)
        segments = without_sets(segments, rejected)
    return (row for table_name, row in rows_of_segments(segments, name)
            if table_name == table)


def unreadable(error: X12ReadError | OSError) -> Diagnostic:
    """The finding that stands for input that cannot be read on."""
    if isinstance(error, OSError):
        return Diagnostic(UNREADABLE, Severity.ERROR, _what(error), Level.INTERCHANGE)
    return Diagnostic(UNREADABLE, Severity.ERROR, error.message, Level.INTERCHANGE,
                      ack_code=error.ack_code, offset=error.offset)


def _what(error: X12ReadError | OSError) -> str:
    return cannot_read(error) if isinstance(error, OSError) else str(error)


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


def _choice(options: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> str:
    """The option's value, one of ``allowed`` (the first by default), case-insensitive."""
    text = str(options.get(name, allowed[0])).strip()
    for value in allowed:
        if text.lower() == value.lower():
            return value
    raise UsageError(f"option {name} must be one of {', '.join(allowed)}")
