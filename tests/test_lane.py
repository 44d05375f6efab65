"""The validation lane in C (x12kit/_lane.c) against its pure-Python specification
(``x12kit.validate.lane.PyLane``): every report must be the same, finding for finding.

The C lane keeps its own memory of element texts found clean and takes the walker's
remembered moves itself, so the comparisons run over inputs where those could go wrong:
every corpus file, generated files with faults at every SNIP level, randomly damaged files,
and segments made in code whose elements hold the element separator. CI sets
X12KIT_REQUIRE_C=1, so that a build that silently skipped the extension fails.
"""
from __future__ import annotations

import os
import random

import pytest

from x12kit.reader import read_segments
from x12kit.segment import make_segment
from x12kit.validate import lane, pipeline

from .conftest import corpus_files, corpus_id, validation_reports
from .test_parallel import _broken_claims

built = lane.Lane is not lane.PyLane
needs_c = pytest.mark.skipif(not built, reason="x12kit._lane was not built here")


def test_the_extension_is_there_where_required():
    if os.environ.get("X12KIT_REQUIRE_C") == "1":
        assert built, "x12kit._lane is missing: the C compiler or the build failed"


def both_ways(monkeypatch, source, snip: int = 5) -> tuple[list, list]:
    """The reports with the C lane, then with the Python one."""
    fast = validation_reports(source, snip)
    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "Lane", lane.PyLane)
        return fast, validation_reports(source, snip)


@needs_c
@pytest.mark.parametrize("path", corpus_files(), ids=corpus_id)
def test_every_corpus_file_reports_the_same_either_way(path, monkeypatch):
    fast, spec = both_ways(monkeypatch, path)
    assert fast == spec


@needs_c
@pytest.mark.parametrize("snip", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("kind", ["837p", "835"])
def test_faults_of_every_stage_at_every_depth(kind, snip, tmp_path, monkeypatch):
    fast, spec = both_ways(monkeypatch, _broken_claims(tmp_path, kind), snip)
    assert fast == spec
    assert any(s[1] == "rejected" for r in fast for s in r[2])


@needs_c
@pytest.mark.parametrize("kind", ["837p", "835"])
def test_randomly_damaged_files(kind, tmp_path, monkeypatch):
    """Bytes of the set bodies overwritten at random (letters, digits, separators): new
    moves, unplaced segments and element findings in the middle of remembered runs."""
    from bench.generate import generate_835, generate_837p
    data = b"".join((generate_837p if kind == "837p" else generate_835)(12, claims_per_st=4))
    body = data.index(b"ST*")
    rng = random.Random(20261122)
    differing = 0
    for n in range(40):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 6)):
            at = rng.randrange(body, len(data) - 40)
            damaged[at] = rng.choice(b"AZ09*:^.-~X ")
        path = tmp_path / f"{n}.{kind}"
        path.write_bytes(bytes(damaged))
        fast, spec = both_ways(monkeypatch, path)
        assert fast == spec
        differing += fast != validation_reports(data)
    assert differing > 20   # the damage was seen


@needs_c
def test_a_text_is_remembered_clean_only_for_the_elements_it_stands_for(monkeypatch):
    """Segments made in code may hold the element separator inside an element: then two
    segments of as many elements can join to the same text. The first is clean; the second
    has an N302 over its maximum length and must be reported all the same."""
    from bench.generate import generate_837p
    segments = list(read_segments(b"".join(generate_837p(4))))
    subscriber_addresses = [n + 1 for n, seg in enumerate(segments)
                            if seg.elements[:2] == ("NM1", "IL")]
    first, second = subscriber_addresses[1], subscriber_addresses[2]
    assert segments[first].id == segments[second].id == "N3"
    clean = make_segment("N3", "A*" + "B" * 53, "CCCCC")
    too_long = make_segment("N3", "A", "B" * 53 + "*CCCCC")
    assert "*".join(clean.elements) == "*".join(too_long.elements)
    segments[first] = segments[first]._replace(elements=clean.elements)
    segments[second] = segments[second]._replace(elements=too_long.elements)
    fast, spec = both_ways(monkeypatch, segments)
    assert fast == spec
    found = [(d.segment_number, d.element_ref) for r in fast for d in r[1]]
    assert (segments[second].number, "N302") in found


@needs_c
def test_bad_values_and_failing_callbacks_raise():
    from x12kit._lane import Lane

    from bench.generate import generate_837p
    from x12kit.walk.walker import StreamWalker

    def fail(*_):
        raise LookupError("from a callback")
    with pytest.raises(TypeError):
        Lane(iter(()), None, fail, fail).take(("N3",), None, {})
    segments = list(read_segments(b"".join(generate_837p(1))))
    stream = StreamWalker()
    body = iter(segments)
    for seg in body:
        stream.place(seg)
        if seg.id == "ST":
            break
    with pytest.raises(LookupError, match="from a callback"):
        Lane(body, None, fail, fail).take(next(body), stream.walker, {})
