"""The walker's remembered moves (``x12kit.walk.states``): a set walked again, by a
walker that has learned its moves, is placed exactly as the first time, findings included;
and what a walker learns stays within bounds."""
from __future__ import annotations

from x12kit.schema import load_schema
from x12kit.walk import Walker, walk
from x12kit.walk import states

from tests.test_walker import CLAIM, GOOD, HEAD, PROVIDER, SUBSCRIBER, segments

BROKEN = [
    GOOD.replace("N3*1 MAIN ST~", ""),                                    # missing
    GOOD.replace("HL*2*1*22*0~", "HL*3*7*22*0~"),                         # HL01, HL02
    GOOD.replace("PER*IC*CONTACT*TE*5555555555~", "PER*IC*C*TE*5~" * 3),  # max use
    GOOD.replace("NM1*85*2*CLINIC", "NM1*XX*2*CLINIC"),                   # unknown code
    GOOD.replace("LX*2~", "LX*2~LX*3~"),                                  # empty 2400
]


def _walk(text: str) -> list:
    return list(walk(segments(text), load_schema("837P")))


def test_a_learned_walk_places_like_a_fresh_one(monkeypatch):
    monkeypatch.setattr(states, "_SHARED", {})
    first = [_walk(t) for t in [GOOD, *BROKEN]]
    again = [_walk(t) for t in [*BROKEN, GOOD]]
    assert again == first[1:] + first[:1]
    learned = states.moves_of(load_schema("837P"))
    assert any(state.moves for state in learned.states.values())


def test_hl_checks_run_on_remembered_moves(monkeypatch):
    monkeypatch.setattr(states, "_SHARED", {})
    subscribers = "".join(
        SUBSCRIBER.replace("HL*2*1", f"HL*{n}*{1 if n != 5 else 9}") + CLAIM
        for n in range(2, 8))
    cold, warm = (_walk(HEAD + PROVIDER + subscribers) for _ in range(2))
    assert cold == warm
    bad = [(p.segment.element(1), d.code) for p in warm for d in p.diagnostics]
    assert bad[0] == ("5", "hl-parent-invalid")


def test_states_are_bounded(monkeypatch):
    monkeypatch.setattr(states, "_SHARED", {})
    monkeypatch.setattr(states, "MAX_STATES", 5)
    walker = Walker(load_schema("837P"))
    for seg in segments(HEAD + PROVIDER + (SUBSCRIBER + CLAIM) * 3):
        walker.place(seg)
    assert len(walker._moves.states) <= 5
