"""What the benchmark modules share: the cached generated files and the timing helper."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from bench.generate import write_file

BENCH_DIR = Path(os.environ.get("X12KIT_BENCH_DIR", "/tmp/x12kit-bench"))
CLAIMS = int(os.environ.get("X12KIT_BENCH_CLAIMS", "50000"))
VALIDATE_CLAIMS = int(os.environ.get("X12KIT_BENCH_VALIDATE_CLAIMS", "10000"))
ROUNDS = int(os.environ.get("X12KIT_BENCH_ROUNDS", "3"))
VALIDATE_ROUNDS = int(os.environ.get("X12KIT_BENCH_VALIDATE_ROUNDS", "1"))


def generator_version() -> str:
    """Cache key part: a changed generator makes new files."""
    return hashlib.sha256(Path(__file__).with_name("generate.py").read_bytes()).hexdigest()[:10]


def bench_file(kind: str, claims: int, claims_per_st: int | None = None) -> Path:
    """The generated file of ``kind`` with ``claims`` claims (``claims_per_st`` to a set, else
    the generator's default), written on first use."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    per_st = f"-{claims_per_st}perst" if claims_per_st else ""
    path = BENCH_DIR / f"{kind}-{claims}{per_st}-{generator_version()}.x12"
    if not path.exists():
        options = {"claims_per_st": claims_per_st} if claims_per_st else {}
        write_file(kind, claims, path, **options)
    return path


def run(benchmark, fn, path: Path, rounds: int = ROUNDS, **info):
    """Time ``fn(path)`` for ``rounds`` rounds, one call each, and record the file size and
    MB/s (file size / mean time) in ``extra_info``; returns ``fn``'s last result."""
    result = benchmark.pedantic(fn, args=(path,), rounds=rounds, iterations=1, warmup_rounds=0)
    if benchmark.stats is None:   # --benchmark-disable: ran once, untimed
        return result
    size = path.stat().st_size
    mean = benchmark.stats.stats.mean
    benchmark.extra_info.update(file=path.name, file_bytes=size,
                                mb_per_s=round(size / mean / 1e6, 2), **info)
    return result
