"""Loop events (x12kit.walk.events): every loop that opens closes once, in nesting order, on
every corpus file; the envelope each segment sees is the one it stands in."""
from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, corpus_files, corpus_id
from x12kit.diagnostics import X12ReadError
from x12kit.reader import read_segments
from x12kit.segment import SET_EDGES
from x12kit.walk import LoopEvents, StreamWalker


def _steps(path):
    events, place = LoopEvents(), StreamWalker().place
    steps = []
    try:
        for seg in read_segments(path):
            steps.append(events.every_step(place(seg)))
    except X12ReadError:
        pass  # what was read before the fault is what is checked
    return steps, events.close()


@pytest.mark.parametrize("path", corpus_files(), ids=corpus_id)
def test_loops_close_in_nesting_order(path):
    steps, at_end = _steps(path)
    stack: list[str] = []
    for step in steps:
        for loop in step.closed:
            assert stack and stack[-1] == loop, (step.segment.number, step.closed, stack)
            stack.pop()
        stack.extend(step.opened)
        assert tuple(stack) == step.path, step.segment.number
    assert list(at_end) == stack[::-1]


@pytest.mark.parametrize("path", corpus_files(), ids=corpus_id)
def test_envelope_is_the_one_each_segment_stands_in(path):
    isa = gs = st = None
    for step in _steps(path)[0]:
        sid = step.segment.id
        if sid == "ISA":
            isa, gs, st = step.segment, None, None
        elif sid == "GS":
            gs, st = step.segment, None
        elif sid == "ST":
            st = step.segment
        assert step.envelope == (isa, gs, st), step.segment.number
        if sid == "SE":
            st = None
        elif sid == "GE":
            gs = st = None
        elif sid == "IEA":
            isa = gs = st = None


def test_remittance_loops_end_where_the_guide_says():
    ends = {}
    for step in _steps(FIXTURES / "remittance-835.x12")[0]:
        if step.closed or step.opened:
            ends.setdefault(step.segment.id, set()).add((step.closed, step.opened))
    assert ends["CLP"] == {((), ("2100",)), (("2110", "2100"), ("2100",))}
    assert ends["SE"] == {(("2110", "2100", "2000", "DETAIL"), ())}
    assert ends["GE"] == {(("ST_LOOP",), ())}
    assert ends["ISA"] == {((), ("ISA_LOOP",))}


@pytest.mark.parametrize("path", [FIXTURES / "claims-837p.x12", FIXTURES / "remittance-835.x12"],
                         ids=lambda p: p.name)
def test_remembered_loop_events_are_the_events_worked_out(path, monkeypatch):
    """Inside a set the events of a move are remembered by the two paths; with room for
    almost none (forgotten all the time) every step is the same."""
    import x12kit.walk.events as events
    remembered = _steps(path)
    monkeypatch.setattr(events, "_MAX_KNOWN", 1)
    assert _steps(path) == remembered


@pytest.mark.parametrize("path", corpus_files(), ids=corpus_id)
def test_a_segment_that_opens_and_closes_nothing_in_a_set_is_quiet(path):
    """The walker hands out one path object per path (``states.Moves.path``): a segment that
    stays in the loop of the one before is told apart by identity, whichever move placed
    the two."""
    events, place = LoopEvents(), StreamWalker().place
    loud = []
    try:
        for seg in read_segments(path):
            placed = place(seg)
            in_set = events.quiet_path is not None and placed.path and seg.id not in SET_EDGES
            step = events.step(placed)
            if in_set and step is not None and not step.opened and not step.closed:
                loud.append((seg.number, seg.id))
    except X12ReadError:
        pass
    assert not loud
