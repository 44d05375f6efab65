"""Loop events: each segment's place with the loops it closes and opens, in its envelope.

Theory of operation. The walker says where a segment stands (``Placed.path``, from ST_LOOP to
its loop) and which loops it opened (``Placed.entered``). Everything a listener needs about
loop ends follows from two consecutive places: the loops the new segment keeps are its path
less the loops it opened; whatever the previous path held beyond what the two share has
closed. A second LX keeps (.., "2000B", "2300") and opens "2400", so the previous "2400"
closed; an HL that opens "2000B" closes the open "2400", "2300" and "2000B". Loop instances
are told apart by this alone, so nobody needs to know which segment ends which loop.

The envelope takes part as the two outer loops, ISA_LOOP and GS_LOOP (opened by ISA and GS,
which the walker does not report as openings), so a set's loops hang below its group. The
segments of the envelope that are open at a segment (ISA, GS, ST) come with it as
``Envelope``, as ``x12kit.frames`` follows them (the envelope checker follows them the same
way). A trailer (SE, GE, IEA) still belongs to the envelope it ends; the next segment sees it
closed.

Listeners (model builders, converters, rules) read ``Step`` values and never work out loop
ends themselves. Memory is one path: nothing grows with the file.

A listener that cares for the ends of a few loops only (the validation rules: a claim, a
claim payment, a subscriber level) need not step every segment: ``ending_ids`` names the
segment ids that can end one of those loops, and the steps of those segments alone give
every end of them (see there; the ``closed`` of other loops may then come late or not at
all). ``end_caller`` makes such a listener's one function: it calls what the listener gave
for each loop that ends.

Most segments are quiet: they stand in the loop of the segment before them, in the same
envelope, and open and close nothing. ``LoopEvents.step`` answers those with None instead of
a ``Step`` (the walker hands back the very path object of a remembered move, so telling them
apart is one identity test): a listener that only needs the loop events skips them at the
cost of nothing. ``walk_events`` gives a ``Step`` for every segment.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple, Optional

from x12kit.frames import NO_ENVELOPE, Envelope, EnvelopeFrames
from x12kit.schema.model import LoopDef, Schema
from x12kit.segment import SET_EDGES, Segment
from x12kit.walk.walker import Placed, StreamWalker

__all__ = ["Envelope", "LoopEvents", "NO_ENVELOPE", "Step", "ending_ids", "walk_events"]

INTERCHANGE_LOOP, GROUP_LOOP, SET_LOOP = "ISA_LOOP", "GS_LOOP", "ST_LOOP"
_MAX_KNOWN = 4096  # loop events remembered per stream (a bound on memory)
_new = tuple.__new__  # a NamedTuple from a ready tuple, without its Python-level __new__


class Step(NamedTuple):
    """One segment in its place, with the loop events it causes.

    ``closed`` lists the loops that ended before this segment, innermost first; ``opened``
    the loops it begins, outermost first; ``path`` the loops it stands in, from ISA_LOOP.
    """

    placed: Placed
    closed: tuple[str, ...]
    opened: tuple[str, ...]
    path: tuple[str, ...]
    envelope: Envelope

    @property
    def segment(self) -> Segment:
        return self.placed.segment

    @property
    def loop_id(self) -> str:
        return self.path[-1] if self.path else ""


class LoopEvents:
    """Turns the walker's ``Placed`` values, in stream order, into ``Step`` values."""

    # slots: x12kit/_walk.c reads and writes them at their offsets, once per run
    __slots__ = ("_path", "_set_path", "_frames", "_envelope", "_ended", "_inside")

    def __init__(self) -> None:
        self._path: tuple[str, ...] = ()
        self._set_path: object = None  # the walker's path object of the last segment
        self._frames = EnvelopeFrames()
        self._envelope = NO_ENVELOPE
        self._ended = False  # a trailer was read: the next segment sees what it closed gone
        # inside a set: (previous path, set path, loops entered) -> (path, opened, closed)
        self._inside: dict[tuple, tuple] = {}

    def step(self, placed: Placed) -> Optional[Step]:
        """The loop events of the next segment, or None for a quiet one (see above)."""
        set_path = placed[2]
        sid = placed[0][0][0]
        if self._ended or sid in SET_EDGES:
            return self._step(sid, placed, self._envelope_at(sid, placed[0]))
        if set_path is self._set_path and not placed[4]:
            return None
        if not set_path:
            return self._step(sid, placed, self._envelope)
        # inside a set the envelope stays: the events follow from the two paths alone
        key = (self._path, set_path, placed[4])
        known = self._inside.get(key)
        if known is None:
            if len(self._inside) >= _MAX_KNOWN:
                self._inside.clear()
            known = self._inside[key] = self._events(sid, placed, self._envelope)
        path, opened, closed = known
        self._path, self._set_path = path, set_path
        return _new(Step, (placed, closed, opened, path, self._envelope))

    def _step(self, sid: str, placed: Placed, envelope: Envelope) -> Step:
        path, opened, closed = self._events(sid, placed, envelope)
        self._path, self._set_path = path, placed[2]
        return Step(placed, closed, opened, path, envelope)

    def _events(self, sid: str, placed: Placed, envelope: Envelope) -> tuple[tuple, ...]:
        """The path of the segment, the loops it opens and the loops closed before it."""
        path, opened = self._path_of(sid, placed, envelope)
        return path, opened, _closed(self._path, path[:len(path) - len(opened)])

    @property
    def quiet_path(self) -> Optional[tuple]:
        """The path object a segment must be placed at to be quiet (see above); None where
        none is (after a trailer, the envelope changes)."""
        return None if self._ended else self._set_path

    def every_step(self, placed: Placed) -> Step:
        """The ``Step`` of the next segment, quiet or not."""
        return self.step(placed) or Step(placed, (), (), self._path, self._envelope)

    def end_caller(self, on_end: dict[str, tuple]) -> Callable[[Placed], Optional[list]]:
        """A listener of the ends of a few loops of one transaction set, as one function to
        call with the set's placed segments in order, from the one after its ST to the one
        before its SE (all of them, or those ``ending_ids`` names); ``close`` then gives the
        loops the set's end closes. For each loop a segment closed, innermost first, it calls
        the callables ``on_end`` lists for that loop id, gathering the lists they return
        (None when none does). Inside one set the envelope stays, so each move met before
        is one dict lookup, with no ``Step`` made: the validation rules call it for every
        claim and HL level."""
        # (last path, path, loops entered) -> (the path of the loop events, the callables)
        known_calls: dict[tuple, tuple] = {}

        def learn(placed: Placed) -> tuple:
            if len(known_calls) >= _MAX_KNOWN:
                known_calls.clear()
            step = self.step(placed)
            if step is None:  # quiet
                return self._path, ()
            return step.path, tuple(call for loop_id in step.closed
                                    for call in on_end.get(loop_id, ()))

        def ended(placed: Placed) -> Optional[list]:
            set_path = placed[2]
            key = (self._set_path, set_path, placed[4])
            known = known_calls.get(key)
            if known is None:
                known = known_calls[key] = learn(placed)
            self._path, self._set_path = known[0], set_path
            found = None
            for call in known[1]:
                more = call()
                if more:
                    found = more if found is None else found + more
            return found

        return ended

    def close(self) -> tuple[str, ...]:
        """End of input: the loops still open, innermost first."""
        closed, self._path, self._envelope = tuple(reversed(self._path)), (), NO_ENVELOPE
        self._frames.close_all()
        return closed

    def _envelope_at(self, sid: str, seg: Segment) -> Envelope:
        if self._ended:
            self._envelope = self._frames.envelope()
            self._ended = False
        moved = self._frames.follow(seg)
        if moved is not None:
            if moved.opened is not None:
                self._envelope = self._frames.envelope()
            else:
                self._ended = True
        return self._envelope

    @staticmethod
    def _path_of(sid: str, placed: Placed, env: Envelope) -> tuple[tuple, tuple]:
        outer = ((INTERCHANGE_LOOP,) if env.interchange is not None else ()) + (
            (GROUP_LOOP,) if env.group is not None else ())
        if sid == "ISA" or sid == "GS":
            return outer, outer[-1:]
        if sid in ("GE", "IEA", "TA1"):
            return outer[:2 if sid == "GE" else 1], ()
        set_path = placed.path
        if not set_path and env.header is not None:  # a set no schema serves
            set_path = (SET_LOOP,)
            return outer + set_path, set_path if sid == "ST" else ()
        return outer + set_path, placed.entered


def _closed(old: tuple[str, ...], kept: tuple[str, ...]) -> tuple[str, ...]:
    """The loops of ``old`` beyond what it shares with ``kept``, innermost first."""
    shared = 0
    for a, b in zip(old, kept):
        if a != b:
            break
        shared += 1
    return tuple(reversed(old[shared:]))


def walk_events(segments: Iterable[Segment], registry=None) -> Iterator[Step]:
    """Every segment of a stream as a ``Step``. The loops still open where the input ends
    are not reported: a caller that needs them drives ``LoopEvents`` and calls ``close``."""
    place = StreamWalker(registry).place
    every_step = LoopEvents().every_step
    for seg in segments:
        yield every_step(place(seg))


_ending: dict[tuple, frozenset] = {}   # (schema, loop ids) -> ending_ids, one per set kind


def ending_ids(schema: Schema, loop_ids: Iterable[str]) -> frozenset[str]:
    """The ids of the segments that can end an instance of one of ``loop_ids`` inside a set
    of ``schema``, besides ST and SE (the set's end, ``LoopEvents.close``, ends them all).

    The walker ends a loop only by placing a segment in a loop that encloses it, through a
    candidate of that loop's dispatch table at or after the position of the child loop that
    is still open: one that opens a loop there (a new 2300 on CLM, a new 2000C on HL) or a
    segment the guide puts after that child (the 835's PLB after the 2000 loops). A wanted
    loop opens the same way in the loop that encloses it. So the steps of the segments with
    these ids, given to ``LoopEvents`` in order and the others left out, report every end of
    these loops where it happens (an 837P's 2300 and 2000B: CLM and HL, not NM1 or LX)."""
    wanted = frozenset(loop_ids)
    key = (schema.key, schema.sources, wanted)
    found = _ending.get(key)
    if found is None:
        ids: set[str] = set()
        _add_ending(schema.top, wanted, ids)
        found = _ending[key] = frozenset(ids - SET_EDGES)
    return found


def _add_ending(loop: LoopDef, wanted: frozenset, ids: set) -> bool:
    """Add to ``ids`` the ids that end a wanted loop below ``loop``; whether ``loop`` is one
    of them or encloses one."""
    leading = []   # the positions of its child loops that are wanted or enclose one
    for child in loop.children:
        if isinstance(child, LoopDef) and _add_ending(child, wanted, ids):
            leading.append(child.position)
    if leading:
        first = min(leading)
        ids.update(sid for sid, candidates in loop.dispatch.items()
                   if any(c.position >= first for c in candidates))
    return bool(leading) or loop.id in wanted
