"""Runs of the model reader in C (x12kit/_walk.c) against their pure-Python specification:
remembered steps (``take_steps``) and quiet runs in C against quiet runs in Python
(``x12kit.walk.quiet.py_take_quiet``), and all against the reader with no runs at all (every
segment placed, its loop events found and assembled one at a time by ``read_items``): the
same items, loop for loop and finding for finding.

The runs move the walker's state themselves and stop at whatever needs the full walk, so the
comparisons run where that could go wrong: every corpus file, randomly damaged files (new
moves and unplaced segments in the middle of runs), files that end inside a run, and loops
past the cap of kept entries. CI sets X12KIT_REQUIRE_C=1, so that a build that silently
skipped the extension fails.
"""
from __future__ import annotations

import os
import random
from collections import Counter

import pytest

from x12kit.diagnostics import X12ReadError
from x12kit.models import tree
from x12kit.models.reading import read_items
from x12kit.reader import read_segments
from x12kit.walk import quiet
from x12kit.walk.walker import StreamWalker

from .conftest import corpus_files, corpus_id

built = quiet.take_quiet is not quiet.py_take_quiet
assert built == (tree.take_steps is not None)   # one extension holds both
needs_c = pytest.mark.skipif(not built, reason="x12kit._walk was not built here")


def test_the_extension_is_there_where_required():
    if os.environ.get("X12KIT_REQUIRE_C") == "1":
        assert built, "x12kit._walk is missing: the C compiler or the build failed"


def test_the_c_runs_read_the_loop_values_as_defined():
    """x12kit/_walk.c and _open_loops.h make Loop and Item values by field position and read
    tree._Open's slots by name: this pins what they rely on."""
    assert tree.Loop._fields == ("id", "content", "dropped")
    assert tree.Item._fields == ("loop", "context", "envelope", "findings")
    assert set(tree._Open.__slots__) >= {"id", "content", "dropped", "had_items", "frozen",
                                         "findings"}


def _none_taken(seg, segments, walker, path, into, room):
    return seg, 0


def _items(source) -> list:
    """The items read, then the error that stopped reading, if any."""
    got: list = []
    try:
        got.extend(read_items(read_segments(source)))
    except X12ReadError as error:
        got.append(str(error))
    return got


def ways(monkeypatch, source) -> tuple[list, list, list]:
    """The items with the C runs (remembered steps and quiet runs), with the Python quiet
    runs, and with no runs; where C was built, the C quiet runs alone must agree too."""
    found = []
    for steps, take in ((tree.take_steps, quiet.take_quiet), (None, quiet.take_quiet),
                        (None, quiet.py_take_quiet), (None, _none_taken)):
        if steps is None and take is quiet.take_quiet and not built:
            continue  # the same as the next way
        with monkeypatch.context() as patch:
            patch.setattr(tree, "take_steps", steps)
            patch.setattr(tree, "take_quiet", take)
            found.append(_items(source))
    if built:
        assert found[1] == found[0]   # quiet runs in C
        del found[1]
    return found[0], found[1], found[2]


def _all_segments(items) -> list:
    return [s for item in items if not isinstance(item, str) for s in item.loop.all_segments()]


@pytest.mark.parametrize("path", corpus_files(), ids=corpus_id)
def test_every_corpus_file_gives_the_same_items_every_way(path, monkeypatch):
    fast, spec, one_by_one = ways(monkeypatch, path)
    assert spec == one_by_one
    if built:
        assert fast == spec


def test_runs_take_most_segments_of_a_large_set(monkeypatch):
    """The runs are not idle: on a generated 835 they take most segments, and stop at
    the segments that open loops (SVC opens a 2110)."""
    from bench.generate import generate_835
    data = b"".join(generate_835(30))
    taken, stops = [0], []

    def counting(seg, segments, walker, path, into, room):
        seg, n = quiet.take_quiet(seg, segments, walker, path, into, room)
        taken[0] += n
        stops.append(seg.id if seg is not None else None)
        return seg, n
    monkeypatch.setattr(tree, "take_steps", None)
    monkeypatch.setattr(tree, "take_quiet", counting)
    items = _items(data)
    assert taken[0] > len(list(read_segments(data))) / 2
    assert "SVC" in stops and "CLP" in stops
    monkeypatch.setattr(tree, "take_quiet", _none_taken)
    assert items == _items(data)


def _stepped_in_python(monkeypatch, data: bytes) -> Counter:
    """The ids of the segments ``read_items`` stepped itself (those no run took)."""
    stepped: Counter = Counter()
    step = tree.ItemAssembler.step

    def counting(self, at):
        stepped[at.segment.id] += 1
        return step(self, at)
    with monkeypatch.context() as patch:
        patch.setattr(tree.ItemAssembler, "step", counting)
        _items(data)
    return stepped


@needs_c
@pytest.mark.parametrize("kind", ["837p", "835"])
def test_the_c_steps_take_what_opens_and_closes_loops_once_remembered(kind, monkeypatch):
    """Once a move and its loop events were worked out, the C steps take the segments
    that open or close loops, items included (an 835's SVC and CLP, an 837P's LX and CLM);
    an HL, ST and SE are left to the Python loop."""
    from bench.generate import generate_835, generate_837p
    data = b"".join((generate_837p if kind == "837p" else generate_835)(200))
    with_c = _stepped_in_python(monkeypatch, data)
    monkeypatch.setattr(tree, "take_steps", None)
    without = _stepped_in_python(monkeypatch, data)
    for opener in ("LX", "CLM") if kind == "837p" else ("SVC", "CLP"):
        assert without[opener] >= 200 and with_c[opener] < without[opener] / 3
    for edge in ("HL", "ST", "SE") if kind == "837p" else ("ST", "SE"):
        assert with_c[edge] == without[edge] > 0


def _failing_after(segments: list, n: int):
    yield from segments[:n]
    raise X12ReadError("cut off", n)


@pytest.mark.parametrize("kind", ["837p", "835"])
def test_items_closed_before_an_input_error_are_read_every_way(kind, monkeypatch):
    """The input fails after n segments, n anywhere in the second half of a generated file
    (inside runs, at the segments that close items): every way hands out the items closed
    before the error, and then the error."""
    from bench.generate import generate_835, generate_837p
    data = b"".join((generate_837p if kind == "837p" else generate_835)(30))
    segments = list(read_segments(data))
    for n in range(len(segments) // 2, len(segments), 7):
        found = []
        for steps, take in ((tree.take_steps, quiet.take_quiet), (None, quiet.py_take_quiet)):
            got: list = []
            with monkeypatch.context() as patch:
                patch.setattr(tree, "take_steps", steps)
                patch.setattr(tree, "take_quiet", take)
                with pytest.raises(X12ReadError, match="cut off"):
                    for item in read_items(_failing_after(segments, n)):
                        got.append(item)
            found.append(got)
        assert found[0] == found[1] and found[0]


@pytest.mark.parametrize("kind", ["837p", "835"])
def test_randomly_damaged_files(kind, monkeypatch):
    """Bytes of the set bodies overwritten at random (letters, digits, separators): new
    moves, unplaced segments, wrong codes and files cut short in the middle of runs."""
    from bench.generate import generate_835, generate_837p
    data = b"".join((generate_837p if kind == "837p" else generate_835)(12, claims_per_st=4))
    body = data.index(b"ST*")
    rng = random.Random(20261207)
    differing = 0
    for _ in range(30):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 6)):
            at = rng.randrange(body, len(data) - 40)
            damaged[at] = rng.choice(b"AZ09*:^.-~X ")
        damaged = bytes(damaged[:rng.randrange(len(damaged) // 2, len(damaged) + 1)])
        fast, spec, one_by_one = ways(monkeypatch, damaged)
        assert spec == one_by_one
        if built:
            assert fast == spec
        differing += _all_segments(spec) != _all_segments(_items(data))
    assert differing > 20   # the damage was seen


def test_many_codes_of_one_segment_id_are_told_apart_every_way(monkeypatch):
    """The walker remembers moves by identifying code; for SVC the code is the first
    component of SVC01, which x12kit/_moves.h finds without cutting it out while an id has
    a few codes remembered, and by a dict lookup past that. Product qualifiers the guide
    lists (HC, AD), others like them (HX, A), others still, and one with a repetition, are
    read alike every way."""
    from bench.generate import generate_835
    data = b"".join(generate_835(60))
    qualifiers = [b"Q%d" % n for n in range(9)] + [b"HC", b"Q1^X", b"AD", b"HX", b"A"]
    parts = data.split(b"SVC*HC:")
    odd = parts[0] + b"".join(b"SVC*" + qualifiers[n % len(qualifiers)] + b":" + part
                              for n, part in enumerate(parts[1:]))
    fast, spec, one_by_one = ways(monkeypatch, odd)
    assert spec == one_by_one
    if built:
        assert fast == spec
    assert len({s.elements[1].split(":")[0] for s in _all_segments(spec) if s.id == "SVC"}) == 14


@pytest.mark.parametrize("kind", ["837p", "835"])
def test_loops_past_the_cap_keep_and_drop_the_same_segments(kind, monkeypatch):
    from bench.generate import generate_835, generate_837p
    data = b"".join((generate_837p if kind == "837p" else generate_835)(20))
    monkeypatch.setattr(tree, "MAX_KEPT", 4)
    fast, spec, one_by_one = ways(monkeypatch, data)
    assert spec == one_by_one
    if built:
        assert fast == spec
    assert any(item.loop.dropped for item in spec)


def _at_submitter():
    """A walker at the submitter's NM1 (1000A) of a generated 837P, with the path it stands
    at and the rest of the segments (PER next), its moves remembered from a first read."""
    from bench.generate import generate_837p
    data = b"".join(generate_837p(2))
    _items(data)
    body = iter(read_segments(data))
    stream = StreamWalker()
    for seg in body:
        placed = stream.place(seg)
        if placed.entered == ("1000A",):
            return stream.walker, placed.path, body
    raise AssertionError("no 1000A")


@needs_c
def test_the_c_runs_refuse_what_is_not_a_segment_and_keep_the_iterators_error():
    walker, path, body = _at_submitter()
    per = next(body)
    assert per.id == "PER"
    with pytest.raises(TypeError):
        quiet.take_quiet(("PER",), body, walker, path, [], 10)
    with pytest.raises(TypeError):
        quiet.take_quiet(per, body, walker, path, (), 10)

    def failing():
        raise X12ReadError("cut off", 7)
        yield
    kept: list = []
    with pytest.raises(X12ReadError, match="cut off"):
        quiet.take_quiet(per, failing(), walker, path, kept, 10)
    assert kept == [per]
    assert walker._remembered(next(body))[1][3] == ("1000B",)   # the state moved past PER


@needs_c
def test_the_c_steps_use_open_loops_of_another_class_through_their_attributes():
    """_walk.c makes tree._Open values and reads and writes their slots at the offsets the
    class's member descriptors give (x12kit/_slots.h). A class it was not bound to, here a
    subclass whose own type holds no slots, goes through getattr and setattr; the Python
    steps keep making tree._Open, so the two kinds mix in one stack. Same items."""
    from bench.generate import generate_835
    from x12kit._walk import bind_loops

    class Subclassed(tree._Open):
        pass
    data = b"".join(generate_835(40))
    expected = _items(data)

    def bound(open_type):
        bind_loops(open_type, tree.Loop, tree.Item, tree._OUTER_LOOPS, tree._ENVELOPE_LOOPS)
    try:
        bound(Subclassed)
        got = _items(data)
    finally:
        bound(tree._Open)
    assert got == expected
    assert _items(data) == expected
