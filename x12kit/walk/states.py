"""Walker states frozen between segments, and the moves remembered from them.

A ``State`` is the walker's stack of open frames made immutable and interned per schema, so
that equal states are one object, and what the walker learned from one (``State.moves``:
where a segment id and identifying code lead, when placing it found nothing wrong) holds
whenever it is back there. What makes two states equal is what the placement reads: each
open loop, the position last matched in it, how often each child was used and which
required children were already reported missing. Counts are capped at one past the most
the guide allows (1 where there is no maximum): past that, every count gives the same
findings, and the number of states a file can reach stays small (hundreds for an 837P).
"""
from __future__ import annotations

from typing import Optional

from x12kit.schema.model import UNBOUNDED, LoopDef, Schema


class Frame:
    """An open loop instance: the mutable form of the state, which ``Walker._place_slowly``
    changes."""

    __slots__ = ("loop", "pos", "counts", "path", "has_hl", "reported")

    def __init__(self, loop: LoopDef, path: tuple[str, ...]):
        self.loop = loop
        self.pos = 0
        self.counts = [0] * len(loop.children)
        self.path = path
        self.has_hl = False  # an HL was placed in it (its HL01 is in Walker._hl_ids)
        self.reported = 0  # bit i set: required child i already reported missing


# States kept per schema before all are forgotten (and learned again): a bound on memory
# that real files stay far below.
MAX_STATES = 2000
MAX_CODES = 64


class State:
    """The open frames between two segments, frozen, outermost first: each is (loop, pos,
    counts, reported, path, has_hl), the fields of a ``Frame``."""

    __slots__ = ("frames", "moves", "hl_depths")

    def __init__(self, frames: tuple):
        self.frames = frames
        # segment id -> (next State, the Placed fields after the segment), or for an id
        # with identifying codes, -> {code: (next State, the Placed fields)}
        self.moves: dict = {}
        self.hl_depths = tuple(d for d, f in enumerate(frames) if f[5])


class Moves:
    """What the walkers of one schema share: the interned states and the identifying code
    (qualifier) slot of each segment id, the part of a segment a move depends on."""

    def __init__(self, schema: Schema):
        self.states: dict[tuple, State] = {}
        # each path of loop ids as one object: a listener tells a segment that stays in the
        # loop of the one before by identity (``events.LoopEvents.step``), so two equal
        # paths made apart must not look like a move elsewhere. At most one per loop of the
        # schema.
        self.paths: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.caps: dict[int, tuple[int, ...]] = {}
        places: dict[str, set] = {}
        codes: dict[str, set] = {}
        # segment id -> the codes whose placement also reads other elements (Candidate.fits)
        self.undecided: dict[str, set] = {}
        stack = [schema.top]
        while stack:
            loop = stack.pop()
            for sid, candidates in loop.dispatch.items():
                for cand in candidates:
                    q = cand.qualifier
                    if q is None:
                        continue
                    places.setdefault(sid, set()).add((q.element, q.component))
                    codes.setdefault(sid, set()).update(q.codes)
                    if cand.fits:
                        self.undecided.setdefault(sid, set()).update(q.codes)
            stack.extend(c for c in loop.children if isinstance(c, LoopDef))
        # segment id -> (element, component, every code a candidate lists) where all its
        # candidates read the same element; None: they read different ones
        self.slots: dict[str, Optional[tuple]] = {
            sid: (*next(iter(at)), frozenset(codes[sid])) if len(at) == 1 else None
            for sid, at in places.items()}

    def remember(self, state: State, seg, move: tuple) -> None:
        """Remember a clean move from ``state`` for segments like ``seg``: by its id, and
        by its identifying code where its id has them. A code no candidate lists places
        like any other such code, but is remembered only until MAX_CODES of them; a code
        two candidates share is not remembered (other elements chose between them)."""
        sid = seg.elements[0]
        if sid not in self.slots:
            state.moves[sid] = move
            return
        slot = self.slots[sid]
        if slot is None:  # candidates read different elements: not remembered
            return
        element, component, codes = slot
        code = seg.elements[element] if element < len(seg.elements) else ""
        if component:
            code = first_component(code, seg.delimiters)
        if code in self.undecided.get(sid, ()):  # the code alone does not say where it goes
            return
        by_code = state.moves.setdefault(sid, {})
        if code in codes or len(by_code) < MAX_CODES:
            by_code[code] = move

    def path(self, path: tuple[str, ...]) -> tuple[str, ...]:
        """The one object of this path (see ``paths``)."""
        return self.paths.setdefault(path, path)

    def freeze(self, frames: list[Frame]) -> State:
        """The interned state of these frames. Counts are capped at one past the most the
        guide allows (at 1 for no maximum): beyond that every count reads the same."""
        frozen = tuple((f.loop, f.pos, tuple(map(min, f.counts, self._caps(f.loop))),
                        f.reported, f.path, f.has_hl) for f in frames)
        key = tuple((id(f[0]),) + f[1:4] + f[5:] for f in frozen)
        state = self.states.get(key)
        if state is None:
            if len(self.states) >= MAX_STATES:  # forget them all, links included
                for old in self.states.values():
                    old.moves.clear()
                self.states.clear()
            state = self.states[key] = State(frozen)
        return state

    def _caps(self, loop: LoopDef) -> tuple[int, ...]:
        caps = self.caps.get(id(loop))
        if caps is None:
            limits = (c.repeat if isinstance(c, LoopDef) else c.max_use for c in loop.children)
            caps = self.caps[id(loop)] = tuple(1 if n >= UNBOUNDED else n + 1 for n in limits)
        return caps


_SHARED: dict[int, tuple[Schema, Moves]] = {}


def moves_of(schema: Schema) -> Moves:
    """The one ``Moves`` of a schema (a walker per transaction set reuses what the walkers
    of earlier sets learned)."""
    entry = _SHARED.get(id(schema))
    if entry is None or entry[0] is not schema:
        if len(_SHARED) >= 64:
            _SHARED.clear()
        entry = _SHARED[id(schema)] = (schema, Moves(schema))
    return entry[1]


def thaw(frozen: tuple) -> Frame:
    """A mutable frame from a frozen one."""
    loop, pos, counts, reported, path, has_hl = frozen
    frame = Frame(loop, path)
    frame.pos, frame.counts, frame.reported, frame.has_hl = pos, list(counts), reported, has_hl
    return frame


def first_component(value: str, delimiters) -> str:
    """The identifying code of a composite qualifier, from its first repetition (CTX01 of
    the 999 repeats)."""
    if delimiters.repetition and delimiters.repetition in value:
        value = value.split(delimiters.repetition, 1)[0]
    return value.split(delimiters.component, 1)[0]
