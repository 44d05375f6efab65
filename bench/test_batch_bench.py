"""``x12kit batch`` throughput, as a whole command: a folder of many mixed real-sized files,
and a folder of a few large ones, with 1 and 2 workers (``batch-mixed``, ``batch-large``).

The mixed folder holds every file of the real corpus once (all kinds, many with findings,
some unreadable) and generated 837Ps and 835s of 1 to 400 claims (mostly few: a Pareto
draw), each from its own seed so that no two are the same content (a duplicate would be
skipped). The large folder holds generated 837Ps and 835s, alternately, of about
X12KIT_BENCH_BATCH_LARGE_MB each. Every round writes to a fresh OUT_DIR (a re-run would skip
everything); each input is validated (SNIP 5), answered (``--acks``) and converted
(``--to ndjson``). ``extra_info`` has files/s and MB/s, and the CPU seconds of the whole
process tree (the command and its workers, from ``RUSAGE_CHILDREN``): on a shared machine
wall time wanders with the load, CPU time much less.

Environment: X12KIT_BENCH_BATCH_FILES (default 2000), X12KIT_BENCH_BATCH_LARGE (files,
default 5), X12KIT_BENCH_BATCH_LARGE_MB (default 200), X12KIT_BENCH_BATCH_ROUNDS (default 1).
Peak RSS per process: see bench/README.md (``/usr/bin/time -v``).
"""
from __future__ import annotations

import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.generate import write_file
from bench.support import BENCH_DIR, generator_version

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
FILES = int(os.environ.get("X12KIT_BENCH_BATCH_FILES", "2000"))
LARGE = int(os.environ.get("X12KIT_BENCH_BATCH_LARGE", "5"))
LARGE_MB = int(os.environ.get("X12KIT_BENCH_BATCH_LARGE_MB", "200"))
ROUNDS = int(os.environ.get("X12KIT_BENCH_BATCH_ROUNDS", "1"))
MAX_CLAIMS = 400


def _made_once(name: str, fill: Callable[[Path], None]) -> Path:
    """The cached folder ``name``, filled by ``fill`` in a ``.part`` folder renamed into
    place, so that an interrupted fill is never taken for a finished one."""
    folder = BENCH_DIR / f"{name}-{generator_version()}"
    if folder.is_dir():
        return folder
    making = folder.with_name(folder.name + ".part")
    shutil.rmtree(making, ignore_errors=True)
    making.mkdir(parents=True)
    fill(making)
    making.rename(folder)
    return folder


def mixed_folder(files: int) -> Path:
    """The real corpus once, then generated files up to ``files`` in all; made once."""
    def fill(making: Path) -> None:
        real = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "SOURCES.md")
        for path in real[:files]:
            shutil.copyfile(path, making / f"{path.parent.name}-{path.name}")
        draw = random.Random(files)
        for n in range(files - min(files, len(real))):
            kind = ("837p", "835")[n % 2]
            claims = min(MAX_CLAIMS, int(draw.paretovariate(1.2)))
            write_file(kind, claims, making / f"generated-{n:05d}.{kind}", seed=10_000 + n)
    return _made_once(f"batch-mixed-{files}", fill)


def large_folder(count: int, megabytes: int) -> Path:
    """``count`` generated 837Ps and 835s, alternately, of about ``megabytes`` each."""
    def fill(making: Path) -> None:
        for n in range(count):
            kind = ("837p", "835")[n % 2]
            write_file(kind, 2000, making / f"large-{n}.{kind}", seed=20_000 + n,
                       target_bytes=megabytes * 1_000_000)
    return _made_once(f"batch-large-{count}x{megabytes}MB", fill)


def batch_command(folder: Path, workers: int, cpu: list[float]):
    """The command as a callable; appends each run's CPU seconds to ``cpu``."""
    def run() -> int:
        out = tempfile.mkdtemp(prefix="x12kit-batch-bench-")
        before = _children_cpu()
        try:
            done = subprocess.run(
                [sys.executable, str(ROOT / "cli.py"), "batch", str(folder), "-o", out,
                 "--to", "ndjson", "--acks", "--workers", str(workers), "--format", "json"],
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
            cpu.append(_children_cpu() - before)
            return len(done.stdout.splitlines())
        finally:
            shutil.rmtree(out, ignore_errors=True)
    return run


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _measure(benchmark, folder: Path, workers: int) -> None:
    inputs = [p for p in folder.iterdir() if p.is_file()]
    size = sum(p.stat().st_size for p in inputs)
    cpu: list[float] = []
    reported = benchmark.pedantic(batch_command(folder, workers, cpu), rounds=ROUNDS,
                                  iterations=1, warmup_rounds=0)
    assert reported == len(inputs)   # one line per input: none lost
    if benchmark.stats is not None:
        mean = benchmark.stats.stats.mean
        benchmark.extra_info.update(files=len(inputs), bytes=size, workers=workers,
                                    files_per_s=round(len(inputs) / mean, 1),
                                    mb_per_s=round(size / mean / 1e6, 2),
                                    cpu_s=round(sum(cpu) / len(cpu), 2),
                                    files_per_cpu_s=round(len(inputs) * len(cpu) / sum(cpu), 1))


@pytest.mark.parametrize("workers", [1, 2])
def test_batch_mixed(benchmark, workers):
    benchmark.group = "batch-mixed"
    _measure(benchmark, mixed_folder(FILES), workers)


@pytest.mark.parametrize("workers", [1, 2])
def test_batch_large(benchmark, workers):
    benchmark.group = "batch-large"
    _measure(benchmark, large_folder(LARGE, LARGE_MB), workers)
