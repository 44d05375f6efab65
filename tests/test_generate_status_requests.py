"""276 claim status requests from their typed fields alone: the HL tree is built from the
parties, the file validates clean, and reading it gives the same models."""
from __future__ import annotations

import pytest

from x12kit.models import ClaimStatusRequest, read, to_json
from x12kit.models.tree import Loop

from .conftest import corpus_files, corpus_id, sources_table
from .generate_helpers import generated, x12kit_findings

SOURCES = sources_table()
FILES = [f for f in corpus_files("276")
         if SOURCES.get(corpus_id(f), {}).get("version", "").startswith("00501")]
NO_LOOP = Loop("", ())


def _typed_only(model: ClaimStatusRequest) -> ClaimStatusRequest:
    return model._replace(loop=NO_LOOP, context=(), lines=tuple(
        line._replace(loop=NO_LOOP) for line in model.lines))


def _fields(model) -> dict:
    found = to_json(model)
    del found["findings"]
    return found


@pytest.mark.parametrize("path", FILES, ids=corpus_id)
def test_typed_requests_give_a_276_that_reads_back_the_same(path):
    models = [m for m in read(path) if isinstance(m, ClaimStatusRequest)]
    if not models:
        pytest.skip("no requests")
    out, problems = generated([_typed_only(m) for m in models], lenient=True)
    assert [_fields(m) for m in read(out)] == [_fields(m) for m in models]
    assert problems == []
    # what validation says of the new file it said of the original (their NPIs' check digits)
    codes = (lambda data: sorted(f.code for f in x12kit_findings(data) if hasattr(f, "code")))
    assert codes(out) == codes(path.read_bytes())


def test_the_corpus_has_276_requests():
    assert sum(1 for f in FILES for m in read(f) if isinstance(m, ClaimStatusRequest)) >= 3
