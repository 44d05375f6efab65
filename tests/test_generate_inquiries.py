"""270 inquiries from their typed fields alone (what a billing system has): the HL tree is
built from the parties, the file validates clean, and reading it gives the same models."""
from __future__ import annotations

import pytest

from x12kit.models import EligibilityInquiry, read, to_json
from x12kit.models.tree import Loop
from x12kit.segment import Delimiters

from .conftest import corpus_files, corpus_id, sources_table
from .generate_helpers import generated, x12kit_findings

SOURCES = sources_table()
FILES = [f for f in corpus_files("270")
         if SOURCES.get(corpus_id(f), {}).get("version", "").startswith("00501")]
NO_LOOP = Loop("", ())


def _typed_only(model: EligibilityInquiry) -> EligibilityInquiry:
    return model._replace(loop=NO_LOOP, context=(), inquiries=tuple(
        q._replace(loop=NO_LOOP) for q in model.inquiries))


def _fields(model) -> dict:
    found = to_json(model)
    del found["findings"]  # the walker's, about the file read
    return found


@pytest.mark.parametrize("path", FILES, ids=corpus_id)
def test_typed_inquiries_give_a_clean_270_that_reads_back_the_same(path):
    models = [m for m in read(path) if isinstance(m, EligibilityInquiry)]
    if not models:
        pytest.skip("no inquiries")
    out, problems = generated([_typed_only(m) for m in models], lenient=True)
    assert [_fields(m) for m in read(out)] == [_fields(m) for m in models]
    if x12kit_findings(path.read_bytes()) == []:  # a clean file's inquiries make a clean file
        assert problems == [] and x12kit_findings(out) == []


def test_typed_inquiries_are_written_in_the_separators_asked_for():
    """A new segment is drafted in the output's separators: EQ01's repetitions are joined by
    its repetition separator, and a ":" (no separator there) is data written as it is."""
    model = next(_typed_only(m) for f in FILES for m in read(f)
                 if isinstance(m, EligibilityInquiry) and m.subscriber is not None)
    model = model._replace(
        subscriber=model.subscriber._replace(name="O:NEIL"),
        inquiries=(model.inquiries[0]._replace(service_types=("30", "1", "MH")),))
    out, problems = generated([model], delimiters=Delimiters("|", ">", "{", "\n"))
    assert problems == []
    assert [_fields(m) for m in read(out)] == [_fields(model)]
    assert b"|30{1{MH" in out and b"|O:NEIL|" in out


def test_the_corpus_has_270_inquiries():
    assert sum(1 for f in FILES for m in read(f) if isinstance(m, EligibilityInquiry)) >= 5


def test_a_dependent_stands_under_its_subscriber():
    models = [m for f in FILES for m in read(f) if m.level == "2000D"]
    out, _ = generated([_typed_only(models[0])])
    levels = [seg.split(b"*")[3:5] for seg in out.split(b"~") if seg.strip().startswith(b"HL")]
    assert levels == [[b"20", b"1"], [b"21", b"1"], [b"22", b"1"], [b"23", b"0"]]
