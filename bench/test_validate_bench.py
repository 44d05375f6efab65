"""Validation throughput: x12kit beside pyx12 on the X12KIT_BENCH_VALIDATE_CLAIMS-claim files.

Groups: validate-837p and validate-835, each with pyx12 (its Python API, as ``x12valid`` runs
it but without writing a 999) and x12kit (``x12kit.validate.validate_file``; skipped until that
exists). One round each by default (X12KIT_BENCH_VALIDATE_ROUNDS): pyx12 takes tens of seconds
on 10k claims.
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


def x12kit():
    validate_module = pytest.importorskip("x12kit.validate")
    validate_file = getattr(validate_module, "validate_file", None)
    if validate_file is None:
        pytest.skip("x12kit.validate.validate_file does not exist yet")

    def validate(path):
        result = validate_file(path)
        if hasattr(result, "__next__"):   # a stream of diagnostics: drain it
            result = list(result)
        return result
    return validate


VALIDATORS = {"pyx12": pyx12, "x12kit": x12kit}


@pytest.mark.benchmark(group="validate-837p")
@pytest.mark.parametrize("validator", ["pyx12", "x12kit"])
def test_validate_837p(benchmark, validate_837p, validator):
    result = run(benchmark, VALIDATORS[validator](), validate_837p, rounds=VALIDATE_ROUNDS,
                 peer=validator)
    if validator == "pyx12":
        assert result is True


@pytest.mark.benchmark(group="validate-835")
@pytest.mark.parametrize("validator", ["pyx12", "x12kit"])
def test_validate_835(benchmark, validate_835, validator):
    result = run(benchmark, VALIDATORS[validator](), validate_835, rounds=VALIDATE_ROUNDS,
                 peer=validator)
    if validator == "pyx12":
        assert result is True
