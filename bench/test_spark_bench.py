"""The "x12" Spark data source in local mode with 1 and 2 cores, on the inputs of the batch
benchmark (``bench/test_batch_bench.py``: a folder of many mixed real-sized files, and one of
a few large ones), beside reading the same rows directly in one process (``spark-*`` and
``direct-*`` in the groups ``spark-TABLE-mixed`` and ``spark-TABLE-large``).

A round reads one table of every readable file of the folder to its end (a file that cannot
be read fails a Spark job, where batch sets it aside: those few corpus files are left out) (``write.format("noop")``):
``findings`` validates each file (SNIP 5), ``claims`` and ``claim_payments`` convert the 837s
and the 835s. ``direct`` is ``x12kit.spark.source.piece_rows`` over the same pieces in
this process, Arrow batches included: what the executors do, without Spark. The ratio of the
two is what Spark costs beyond the work itself; ``extra_info`` has files, bytes, MB/s and
partitions. Environment: those of the batch benchmark (X12KIT_BENCH_BATCH_FILES,
X12KIT_BENCH_BATCH_LARGE, X12KIT_BENCH_BATCH_LARGE_MB), and X12KIT_BENCH_SPARK_SPLIT_MB
(``splitBytes``, default 64).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

pytest.importorskip("pyspark")
batch_bench = pytest.importorskip("bench.test_batch_bench",
                                  reason="the inputs are the batch benchmark's")

from functools import cache  # noqa: E402

from x12kit import X12ReadError  # noqa: E402
from x12kit.reader import read_segments  # noqa: E402
from x12kit.spark.partitions import input_files, plan  # noqa: E402
from x12kit.spark.source import piece_rows, record_batches  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SPLIT_BYTES = int(os.environ.get("X12KIT_BENCH_SPARK_SPLIT_MB", "64")) << 20
TABLES = ("findings", "claims", "claim_payments")
FOLDERS = {"mixed": lambda: batch_bench.mixed_folder(batch_bench.FILES),
           "large": lambda: batch_bench.large_folder(batch_bench.LARGE, batch_bench.LARGE_MB)}


@pytest.fixture(scope="module", params=[1, 2], ids=["1core", "2cores"])
def spark(request):
    from pyspark.sql import SparkSession

    import x12kit.spark
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (SparkSession.builder.master(f"local[{request.param}]")
               .config("spark.ui.enabled", "false").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    x12kit.spark.register(session)
    yield session
    session.stop()


@cache
def readable(inputs: str) -> tuple[str, ...]:
    """The files of the folder that read to their end."""
    return tuple(path for path in input_files([str(FOLDERS[inputs]())]) if _reads(path))


def _reads(path: str) -> bool:
    try:
        for _ in read_segments(path):
            pass
        return True
    except X12ReadError:
        return False


def _info(benchmark, files: tuple[str, ...], partitions: int, **more) -> None:
    size = sum(os.path.getsize(f) for f in files)
    if benchmark.stats is not None:
        mean = benchmark.stats.stats.mean
        benchmark.extra_info.update(files=len(files), bytes=size, partitions=partitions,
                                    files_per_s=round(len(files) / mean, 1),
                                    mb_per_s=round(size / mean / 1e6, 2), **more)


@pytest.mark.parametrize("inputs", FOLDERS)
@pytest.mark.parametrize("table", TABLES)
def test_spark(benchmark, spark, table, inputs):
    files = readable(inputs)
    benchmark.group = f"spark-{table}-{inputs}"
    cores = spark.sparkContext.defaultParallelism
    benchmark.name = f"spark-{cores}core"
    frame = (spark.read.format("x12").option("table", table)
             .option("splitBytes", str(SPLIT_BYTES)).load(list(files)))
    benchmark.pedantic(lambda: frame.write.format("noop").mode("overwrite").save(),
                       rounds=1, iterations=1, warmup_rounds=0)
    _info(benchmark, files, frame.rdd.getNumPartitions(), cores=cores)


@pytest.mark.parametrize("inputs", FOLDERS)
@pytest.mark.parametrize("table", TABLES)
def test_direct(benchmark, table, inputs):
    files = readable(inputs)
    benchmark.group = f"spark-{table}-{inputs}"
    benchmark.name = "direct"
    pieces = plan(files, table, SPLIT_BYTES)

    def read_all() -> int:
        rows = 0
        for piece in pieces:
            for batch in record_batches(table, piece_rows(piece, table), 10_000):
                rows += batch.num_rows
        return rows
    benchmark.pedantic(read_all, rounds=1, iterations=1, warmup_rounds=0)
    _info(benchmark, files, len(pieces))
