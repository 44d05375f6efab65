"""Benchmark set-up: large generated files, made once and cached on disk.

Environment:
  X12KIT_BENCH_CLAIMS           claims in the read-benchmark files (default 50000)
  X12KIT_BENCH_VALIDATE_CLAIMS  claims in the validation-benchmark files (default 10000)
  X12KIT_BENCH_ROUNDS           timed rounds per benchmark (default 3; validation: 1)
  X12KIT_BENCH_DIR              cache directory (default /tmp/x12kit-bench)

Benchmarks run only with ``--benchmark-only`` (or X12KIT_BENCH=1); a plain ``pytest bench/``
runs the quick generator tests and skips them.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:   # `bench.generate` and a checkout's `x12kit` under any import mode
    sys.path.insert(0, str(ROOT))

from bench.support import CLAIMS, VALIDATE_CLAIMS, bench_file  # noqa: E402


def pytest_collection_modifyitems(config, items):
    if config.getoption("benchmark_only", False) or os.environ.get("X12KIT_BENCH") == "1":
        return
    skip = pytest.mark.skip(reason="benchmark: run with `python -m pytest bench/ --benchmark-only`")
    for item in items:
        if "benchmark" in getattr(item, "fixturenames", ()):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def file_837p() -> Path:
    return bench_file("837p", CLAIMS)


@pytest.fixture(scope="session")
def file_835() -> Path:
    return bench_file("835", CLAIMS)


@pytest.fixture(scope="session")
def validate_837p() -> Path:
    return bench_file("837p", VALIDATE_CLAIMS)


@pytest.fixture(scope="session")
def validate_835() -> Path:
    return bench_file("835", VALIDATE_CLAIMS)


@pytest.fixture(scope="session")
def validate_837p_one_claim_sets() -> Path:
    """As many claims as ``validate_837p``, each in a transaction set of its own."""
    return bench_file("837p", VALIDATE_CLAIMS, claims_per_st=1)
