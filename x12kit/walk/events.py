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
``Envelope``: the one place that tracks them for every listener. A trailer (SE, GE, IEA)
still belongs to the envelope it ends; the next segment sees it closed.

Listeners (model builders, converters, rules) read ``Step`` values and never work out loop
ends themselves. Memory is one path: nothing grows with the file.

Most segments are quiet: they stand in the loop of the segment before them, in the same
envelope, and open and close nothing. ``LoopEvents.step`` answers those with None instead of
a ``Step`` (the walker hands back the very path object of a remembered move, so telling them
apart is one identity test): a listener that only needs the loop events skips them at the
cost of nothing. ``walk_events`` gives a ``Step`` for every segment.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple, Optional

from x12kit.segment import SET_EDGES, Segment
from x12kit.walk.walker import Placed, StreamWalker

INTERCHANGE_LOOP, GROUP_LOOP, SET_LOOP = "ISA_LOOP", "GS_LOOP", "ST_LOOP"
_TRAILER_ENDS = {"SE": 3, "GE": 2, "IEA": 1}  # trailer -> how many envelope levels stay open


class Envelope(NamedTuple):
    """The envelope segments open at a segment: its interchange's ISA, group's GS and set's
    ST (None where there is none)."""

    interchange: Optional[Segment] = None
    group: Optional[Segment] = None
    header: Optional[Segment] = None


NO_ENVELOPE = Envelope()


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

    def __init__(self) -> None:
        self._path: tuple[str, ...] = ()
        self._set_path: object = None  # the walker's path object of the last segment
        self._envelope = NO_ENVELOPE
        self._ended = 0  # a trailer was read: the envelope levels that stay open after it

    def step(self, placed: Placed) -> Optional[Step]:
        """The loop events of the next segment, or None for a quiet one (see above)."""
        if placed[2] is self._set_path and not placed[4] and not self._ended \
                and placed[0][0][0] not in SET_EDGES:
            return None
        seg = placed.segment
        sid = seg.elements[0]
        envelope = self._envelope_at(sid, seg)
        path, opened = self._path_of(sid, placed, envelope)
        closed = _closed(self._path, path[:len(path) - len(opened)])
        self._path, self._set_path = path, placed[2]
        return Step(placed, closed, opened, path, envelope)

    def every_step(self, placed: Placed) -> Step:
        """The ``Step`` of the next segment, quiet or not."""
        return self.step(placed) or Step(placed, (), (), self._path, self._envelope)

    def close(self) -> tuple[str, ...]:
        """End of input: the loops still open, innermost first."""
        closed, self._path, self._envelope = tuple(reversed(self._path)), (), NO_ENVELOPE
        return closed

    def _envelope_at(self, sid: str, seg: Segment) -> Envelope:
        env = self._envelope
        if self._ended:
            env = Envelope(*env[:self._ended - 1])
            self._ended = 0
        if sid == "ISA":
            env = Envelope(seg)
        elif sid == "GS":
            env = Envelope(env.interchange, seg)
        elif sid == "ST":
            env = Envelope(env.interchange, env.group, seg)
        elif sid in _TRAILER_ENDS:
            self._ended = _TRAILER_ENDS[sid]
        self._envelope = env
        return env

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
