"""X12 files as Spark DataFrames: the analysts' tables, read by executors in parallel.

Register the data source once per session, then read any table::

    import x12kit.spark
    x12kit.spark.register(spark)
    claims = spark.read.format("x12").option("table", "claims").load("/data/in/*.x12")

Tables and their columns: ``x12kit.convert.tables.TABLE_SCHEMAS`` (and
``schemas/parquet-tables.md``). Needs the ``spark`` extra (``pip install 'x12kit[spark]'``,
PySpark 4), on the driver and on every executor; see ``source`` for the options and
``partitions`` for the paths.
"""
from __future__ import annotations

from .source import X12DataSource, X12SourceError

__all__ = ["X12DataSource", "X12SourceError", "register"]


def register(spark) -> None:
    """Make ``spark.read.format("x12")`` available in the session ``spark``."""
    spark.dataSource.register(X12DataSource)
