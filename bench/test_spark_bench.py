"""The "x12" Spark data source in local mode with 1 and 2 cores, on the inputs of the batch
benchmark (``bench/test_batch_bench.py``: a folder of many mixed real-sized files, and one of
a few large ones), beside reading the same rows directly in one process (``spark-*`` and
``direct-*`` in the groups ``spark-TABLE-mixed`` and ``spark-TABLE-large``).

A round reads one table of every file of the folder to its end (``write.format("noop")``):
``findings`` validates each file (SNIP 5), ``claims`` and ``claim_payments`` validate and
convert the 837s and the 835s (their accepted sets, as batch does). ``direct`` is the
source's own reader (``X12Reader``: its partitions, each read as an executor reads it, Arrow
batches included) in this process: what the executors do, without Spark. The ratio of the
two is what Spark costs beyond the work itself; ``extra_info`` has files, bytes, MB/s and
partitions. Environment: those of the batch benchmark (X12KIT_BENCH_BATCH_FILES,
X12KIT_BENCH_BATCH_LARGE, X12KIT_BENCH_BATCH_LARGE_MB), and X12KIT_BENCH_SPARK_SPLIT_MB
(``splitBytes``, default 64).
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

pytest.importorskip("pyspark")
batch_bench = pytest.importorskip("bench.test_batch_bench",
                                  reason="the inputs are the batch benchmark's")

from x12kit.spark.partitions import input_files  # noqa: E402
from x12kit.spark.source import X12Reader  # noqa: E402

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


def folder_files(inputs: str) -> tuple[str, ...]:
    return tuple(input_files([str(FOLDERS[inputs]())]))


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
    files = folder_files(inputs)
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
    files = folder_files(inputs)
    benchmark.group = f"spark-{table}-{inputs}"
    benchmark.name = "direct"
    reader = X12Reader({"table": table, "paths": json.dumps(files),
                        "splitBytes": str(SPLIT_BYTES)})
    partitions = reader.partitions()

    def read_all() -> int:
        return sum(batch.num_rows for partition in partitions
                   for batch in reader.read(partition))
    benchmark.pedantic(read_all, rounds=1, iterations=1, warmup_rounds=0)
    _info(benchmark, files, len(partitions))
