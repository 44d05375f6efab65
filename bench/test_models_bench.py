"""Typed models and ndjson: x12kit beside its peers, on the same generated files.

Groups (one table each; ``bench/report.py`` prints the ratios):
  models-835   the X12KIT_BENCH_CLAIMS-claim 835 to models: x12kit (claim payments with their
               adjustments and service payments), oxedi (``parse_file``, a full parse into
               typed tables, and its count of claims), x12sdk (``X12ModelReader``: one
               pydantic model per transaction set)
  models-837p  the same-size 837P to models: x12kit (claims), x12sdk
  ndjson-835, ndjson-837p  x12kit's ``write_ndjson`` (one JSON line per model) and x12sdk's
               JSON of each model (``model_dump_json``), both written to /dev/null

x12sdk takes a minute or more per 50k-claim file: one round. Every peer starts from the path
and does the whole job; imports happen before the clock starts.
"""
from __future__ import annotations

import os

import pytest

from bench.support import run

X12SDK_ROUNDS = 1


def x12kit_models():
    from x12kit.models import read

    def models(path):
        return sum(1 for _ in read(path))
    return models


def oxedi_models():
    import oxedi

    def models(path):
        return oxedi.parse_file(str(path)).count_claims()
    return models


def x12sdk_models():
    from x12sdk.io import X12ModelReader

    def models(path):
        with X12ModelReader(str(path)) as reader:
            return sum(1 for _ in reader.models())
    return models


def x12kit_ndjson():
    from x12kit.convert.ndjson import write_ndjson

    def convert(path):
        with open(os.devnull, "wb") as sink:
            write_ndjson(path, sink)
        return 1
    return convert


def x12sdk_ndjson():
    from x12sdk.io import X12ModelReader

    def convert(path):
        count = 0
        with X12ModelReader(str(path)) as reader, open(os.devnull, "w") as sink:
            for model in reader.models():
                sink.write(model.model_dump_json())
                sink.write("\n")
                count += 1
        return count
    return convert


PEERS = {("models", "x12kit"): x12kit_models, ("models", "oxedi"): oxedi_models,
         ("models", "x12sdk"): x12sdk_models, ("ndjson", "x12kit"): x12kit_ndjson,
         ("ndjson", "x12sdk"): x12sdk_ndjson}


def _run(benchmark, job: str, peer: str, path):
    rounds = {"rounds": X12SDK_ROUNDS} if peer == "x12sdk" else {}
    return run(benchmark, PEERS[job, peer](), path, peer=peer, **rounds)


@pytest.mark.benchmark(group="models-835")
@pytest.mark.parametrize("peer", ["x12kit", "oxedi", "x12sdk"])
def test_models_835(benchmark, file_835, peer):
    assert _run(benchmark, "models", peer, file_835) > 0


@pytest.mark.benchmark(group="models-837p")
@pytest.mark.parametrize("peer", ["x12kit", "x12sdk"])
def test_models_837p(benchmark, file_837p, peer):
    assert _run(benchmark, "models", peer, file_837p) > 0


@pytest.mark.benchmark(group="ndjson-835")
@pytest.mark.parametrize("peer", ["x12kit", "x12sdk"])
def test_ndjson_835(benchmark, file_835, peer):
    assert _run(benchmark, "ndjson", peer, file_835) > 0


@pytest.mark.benchmark(group="ndjson-837p")
@pytest.mark.parametrize("peer", ["x12kit", "x12sdk"])
def test_ndjson_837p(benchmark, file_837p, peer):
    assert _run(benchmark, "ndjson", peer, file_837p) > 0
