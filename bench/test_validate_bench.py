"""Validation throughput: x12kit beside pyx12 on the X12KIT_BENCH_VALIDATE_CLAIMS-claim files.

Groups: validate-837p and validate-835, each with pyx12 (its Python API, as ``x12valid`` runs
it but without writing a 999), x12kit (``x12kit.validate.pipeline.validate`` at SNIP 5, one
process, as pyx12) and x12kit-parallel (the same with one worker process per core checking the
transaction sets, as ``x12kit validate`` does by default). One round each by default
(X12KIT_BENCH_VALIDATE_ROUNDS): pyx12 takes tens of seconds on 10k claims. Whole commands
(``process-validate-*``): ``x12valid`` beside ``x12kit validate --jobs 1`` and the default.
The same file with each claim in a set of its own (``*-one-claim-sets``): x12kit serial and
with workers, which must not lose.
"""
from __future__ import annotations

import io
import logging

import pytest

from bench.support import VALIDATE_ROUNDS, run


def pyx12():
    import pyx12.params
    import pyx12.x12n_document

    params = pyx12.params.params()

    def validate(path):
        logger = logging.getLogger("pyx12")
        level = logger.level
        logger.setLevel(logging.CRITICAL)
        try:
            # fd_997=None: no 999 is written (pyx12's 999 writer fails on 835s without ST03,
            # after validation has finished)
            return pyx12.x12n_document.x12n_document(
                param=params, src_file=str(path), fd_997=None, fd_html=None,
                fd_json=io.StringIO())
        finally:
            logger.setLevel(level)
    return validate


def x12kit(jobs: int = 1):
    from x12kit.validate.pipeline import validate as validate_source

    def validate(path):
        """Full validation (SNIP 1-5); True when every set is accepted, as for pyx12."""
        return all(report.accepted for report in validate_source(path, snip=5, jobs=jobs))
    return validate


def x12kit_parallel():
    """The sets checked by one worker process per core (what ``x12kit validate`` does)."""
    from x12kit.validate.parallel import default_jobs
    return x12kit(default_jobs())


VALIDATORS = {"pyx12": pyx12, "x12kit": x12kit, "x12kit-parallel": x12kit_parallel}
PEERS = ["pyx12", "x12kit", "x12kit-parallel"]


@pytest.mark.parametrize("kind", ["837p", "835"])
@pytest.mark.parametrize("validator", PEERS)
def test_validate(benchmark, request, kind, validator):
    benchmark.group = f"validate-{kind}"
    path = request.getfixturevalue(f"validate_{kind}")
    result = run(benchmark, VALIDATORS[validator](), path, rounds=VALIDATE_ROUNDS,
                 peer=validator)
    assert result is True


# -- whole process: what a person at the command line waits for ---------------------------------
def command(argv: list[str]):
    import subprocess

    def validate(path):
        done = subprocess.run([*argv, str(path)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        return done.returncode in (0, 1)   # ran to the end, whatever the verdict
    return validate


def _scripts(name: str) -> str:
    import sys
    from pathlib import Path
    return str(Path(sys.executable).with_name(name))


@pytest.mark.parametrize("kind", ["837p", "835"])
@pytest.mark.parametrize("validator", PEERS)
def test_process_validate(benchmark, request, kind, validator):
    benchmark.group = f"process-validate-{kind}"
    argv = {"pyx12": [_scripts("x12valid"), "-q"],
            "x12kit": [_scripts("x12kit"), "validate", "--jobs", "1"],
            "x12kit-parallel": [_scripts("x12kit"), "validate"]}
    path = request.getfixturevalue(f"validate_{kind}")
    assert run(benchmark, command(argv[validator]), path, rounds=VALIDATE_ROUNDS,
               peer=validator)


# -- many small sets: workers must not lose to one process --------------------------------------
@pytest.mark.parametrize("validator", ["x12kit", "x12kit-parallel"])
def test_validate_one_claim_sets(benchmark, validate_837p_one_claim_sets, validator):
    """Each claim in a set of its own: the workers get batches of sets, not one set each."""
    benchmark.group = "validate-837p-one-claim-sets"
    assert run(benchmark, VALIDATORS[validator](), validate_837p_one_claim_sets,
               rounds=VALIDATE_ROUNDS, peer=validator) is True


@pytest.mark.parametrize("jobs", ["1", "default"])
def test_process_validate_one_claim_sets(benchmark, validate_837p_one_claim_sets, jobs):
    benchmark.group = "process-validate-837p-one-claim-sets"
    argv = [_scripts("x12kit"), "validate"] + (["--jobs", jobs] if jobs != "default" else [])
    assert run(benchmark, command(argv), validate_837p_one_claim_sets, rounds=VALIDATE_ROUNDS,
               peer=f"x12kit --jobs {jobs}")


@pytest.mark.benchmark(group="startup-one-claim")
def test_validate_one_claim_startup(benchmark):
    """`x12kit validate` of a one-claim file, start-up included (the issue asks < 0.3 s)."""
    from bench.support import bench_file
    assert run(benchmark, command([_scripts("x12kit"), "validate"]), bench_file("837p", 1),
               rounds=10, peer="x12kit")
