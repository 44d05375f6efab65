"""The generator's as-read shortcut in C (x12kit/_as_read.c) against its pure-Python
specification (x12kit/generate/as_read.py): every loop of every 835 and 837 corpus file has
the same shape and is written as the same segments both ways, numbered or not, within any
budget; loops made to be odd (composites here and there, numbers written wrong, no
elements) too. Its ``joined``, the writer's, is held to ``writer.py_joined`` on corpus
segments. CI sets X12KIT_REQUIRE_C=1, so that a build that silently skipped the extension
fails.
"""
from __future__ import annotations

import os

import pytest

from x12kit import X12ReadError
from x12kit.generate import as_read
from x12kit.models import Claim, ClaimPayment, read
from x12kit.models.tree import Loop
from x12kit.segment import Delimiters, Segment

from .conftest import corpus_files, corpus_id

built = as_read.shape_within is not as_read.py_shape_within
needs_c = pytest.mark.skipif(not built, reason="x12kit._as_read was not built here")
FILES = [f for kind in ("835", "837P", "837I", "837D") for f in corpus_files(kind)]
LEVEL = {1: "7", 2: "3", 3: "22", 4: "0"}  # HL01..HL04 as a writer gives them


def test_the_extension_is_there_where_required():
    if os.environ.get("X12KIT_REQUIRE_C") == "1":
        assert built, "x12kit._as_read is missing: the C compiler or the build failed"


def _loops(path) -> list[Loop]:
    """Each claim's or claim payment's loop and the loops around it."""
    found = []
    try:
        for model in read(path):
            if isinstance(model, (Claim, ClaimPayment)):
                found += [model.loop, *model.context]
    except X12ReadError:  # a broken corpus file: the loops read before it
        pass
    return found


def _entries(loop: Loop) -> int:
    return len(loop.content) + sum(_entries(c) for c in loop.content if c.__class__ is Loop)


def _same_both_ways(loop: Loop) -> None:
    entries = _entries(loop)
    for budget in (entries, entries - 1, len(loop.content), 0):
        assert as_read.shape_within(loop, budget) == as_read.py_shape_within(loop, budget)
    assert as_read.shape_within(loop, entries) is not None
    assert as_read.shape_within(loop, entries - 1) is None
    for hl in (None, LEVEL):
        written = as_read.as_written(loop, hl)
        assert written == as_read.py_as_written(loop, hl)
        assert [s.delimiters for s in written] == [
            s.delimiters for s in as_read.py_as_written(loop, hl)]


@needs_c
@pytest.mark.parametrize("path", FILES, ids=corpus_id)
def test_corpus_loops_have_the_same_shape_and_segments_both_ways(path):
    for loop in _loops(path):
        _same_both_ways(loop)


def test_the_corpus_is_compared_at_all():
    """Guards the test above: the corpus has hundreds of claims and claim payments."""
    assert sum(len(_loops(f)) for f in FILES) > 500


def _seg(*elements: str, delimiters: Delimiters = Delimiters()) -> Segment:
    return Segment(tuple(elements), delimiters=delimiters)


ODD = Loop("2300", (
    _seg("CLM", "A1", "100", "", "", "11:B:1"),             # a composite among simple ones
    _seg("HI", "ABK:E119", "ABF:I10", "ABF:J069"),           # composites only
    _seg("HI", "ABK:E119", "I10"),                           # a composite, then not
    _seg("HL", "9", "2", "22", "1"),                         # numbers the writer gives
    _seg("NOTE"),                                            # no element after the id
    _seg("REF", ""), _seg("REF", "G1", "X"), _seg("NM1", "LONGCODE"),
    Loop("2400", (_seg("LX", "1"), _seg("SV1", "HC:99213:25", "50"))),
    Loop("2400", (_seg("LX", "1"), _seg("SV1", "HC:99213:25", "50"))),   # LX01 wrong
    Loop("2400", (_seg("LX"), _seg("SV1", "HC:99214", "70"))),           # LX01 missing
    Loop("2400", (_seg("SV1", "HC:99214", "70"),)),                      # no LX at all
    Loop("2310B", (_seg("NM1", "82", "1"),)),
    _seg("SBR", "P", delimiters=Delimiters("|", "^", "~", "\n")),       # other separators
    Loop("2400", (_seg("LX", "7", delimiters=Delimiters("|", "^", "~", "\n")),
                  _seg("SV1", "HC^99215", "90", delimiters=Delimiters("|", "^", "~", "\n")))),
))


@needs_c
def test_odd_loops_have_the_same_shape_and_segments_both_ways():
    _same_both_ways(ODD)
    _same_both_ways(Loop("2100", ()))
    level = Loop("2000B", (_seg("HL", "1", "", "22"), _seg("SBR", "P")))
    _same_both_ways(level)
    assert as_read.as_written(level, LEVEL)[0].elements == ("HL", "7", "3", "22", "0")
    lines = [s for s in as_read.as_written(ODD) if s.id == "LX"]
    assert [s.elements for s in lines] == [("LX", "1"), ("LX", "2"), ("LX", "3"), ("LX", "5")]


MALFORMED = {
    "not-a-segment": Loop("2300", ("CLM",)),             # neither segment nor loop
    "no-id": Loop("2300", (Segment(()),)),                # a segment without elements
    "no-content": Loop("2300", (Loop("2400", None),)),    # a child loop without content
    "not-a-str": Loop("2300", (Segment(("CLM", 100)),)),  # an element not a str
}


@needs_c
@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_loops_raise_type_errors_not_crashes(name):
    loop = MALFORMED[name]
    with pytest.raises(TypeError):
        as_read.shape_within(loop, 100)
    if name == "not-a-str":  # nothing reads its elements: written as it stands
        assert as_read.as_written(loop) == list(loop.content)
    else:
        with pytest.raises(TypeError):
            as_read.as_written(loop)


OTHER = Delimiters("|", "^", "~", "\n")


@needs_c
@pytest.mark.parametrize("path", FILES[:40], ids=corpus_id)
def test_segments_are_joined_for_the_writer_as_the_specification_joins_them(path):
    from x12kit.reader import read_segments
    from x12kit.segment import FRAME_IDS
    from x12kit.writer import joined, py_joined
    segments = []
    try:
        segments += read_segments(path)
    except X12ReadError:  # a broken corpus file: the segments read before it
        pass
    if not segments:
        pytest.skip("no segment could be read")
    own = segments[0].delimiters
    body = [s for s in segments if s.id not in FRAME_IDS]
    for chosen, kept_out, end in ((segments, FRAME_IDS, "~\n"), (body, FRAME_IDS, "~"),
                                  (body, frozenset(("CLM", "CLP")), "\n"), (segments, set(), "")):
        for target in (own, OTHER):
            assert joined(chosen, target, end, kept_out) == py_joined(chosen, target, end,
                                                                      kept_out)
    if body:
        assert joined(body, own, "~", FRAME_IDS) is not None


def test_the_writer_joins_what_the_specification_joins_on_odd_segments():
    from x12kit.writer import joined, py_joined
    mixed = [_seg("REF", "G1", "X"), _seg("SBR", "P", delimiters=OTHER)]
    assert joined(mixed, Delimiters(), "~", frozenset()) is None
    assert py_joined(mixed, Delimiters(), "~", frozenset()) is None
    with pytest.raises(TypeError):
        joined([Segment(("REF", 7))], Delimiters(), "~", frozenset())
    assert joined([("not", "a", "segment")], Delimiters(), "~", frozenset()) is None
    read = [_seg("REF", "G1", "X"), _seg("NM1", "82", "1")]
    assert joined(tuple(read), Delimiters(), "~", frozenset()) == "REF*G1*X~NM1*82*1~"
    with pytest.raises(TypeError):
        joined(7, Delimiters(), "~", frozenset())
