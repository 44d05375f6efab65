"""The envelope's frames: which interchange, group and transaction set a segment stands in.

Theory of operation. The envelope is three nested frames: an interchange (ISA..IEA) holds
groups (GS..GE), which hold transaction sets (ST..SE). ``OPENS`` and ``CLOSES`` say which
segment opens or closes which depth. A header that opens depth d first closes whatever is still
open at depth >= d (frames whose trailer is missing); a trailer that closes depth d closes the
deeper frames the same way, then its own. A trailer with no frame of its depth open closes
nothing.

``EnvelopeFrames`` applies that rule, and is the only code that does. Whoever needs to know the
envelope follows the segments with one and reads its moves: the envelope checker (SNIP 1) adds
findings and counts to them, loop events take each segment's ``Envelope`` from it, the summary
hangs its nodes on the frames (``Frame.note``), the validation pipeline opens and closes its
reports, ``split`` cuts files at them. Memory is the three open frames.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple, Optional

from .segment import CLOSES, OPENS, Segment

__all__ = ["CLOSES", "OPENS", "Envelope", "EnvelopeFrames", "Frame", "Move", "NO_ENVELOPE"]

INTERCHANGE, GROUP, SET = 1, 2, 3  # the depths


@dataclass(eq=False)
class Frame:
    """One open envelope level: its header and what has been counted inside it."""

    depth: int
    header: Segment
    count: int = 0                      # segments of a set, groups of an interchange, ...
    control_numbers: set[str] = field(default_factory=set)  # of the children, to spot repeats
    note: Any = None                    # what a listener keeps about the frame


class Move(NamedTuple):
    """What one header or trailer did: the frames it closed, innermost first (a trailer's own
    frame last), and the frame it opened."""

    closed: tuple[Frame, ...]
    opened: Optional[Frame]


class Envelope(NamedTuple):
    """The envelope segments open at a segment: its interchange's ISA, group's GS and set's
    ST (None where there is none)."""

    interchange: Optional[Segment] = None
    group: Optional[Segment] = None
    header: Optional[Segment] = None


NO_ENVELOPE = Envelope()
_NO_MOVE = Move((), None)


class EnvelopeFrames:
    """Follow every header and trailer in order (``follow``); ``open`` holds the frames open
    after the last, outermost first, one per depth at most."""

    def __init__(self) -> None:
        self.open: list[Frame] = []

    def follow(self, seg: Segment) -> Optional[Move]:
        """The move of a header or trailer; None for any other segment (it moves nothing)."""
        sid = seg.elements[0]
        depth = OPENS.get(sid)
        if depth is not None:
            closed = self._close_from(depth)
            frame = Frame(depth, seg)
            self.open.append(frame)
            return Move(closed, frame)
        depth = CLOSES.get(sid)
        if depth is None:
            return None
        if not any(frame.depth == depth for frame in self.open):
            return _NO_MOVE
        return Move(self._close_from(depth), None)

    def close_all(self) -> tuple[Frame, ...]:
        """The end of the input: every frame still open, innermost first."""
        return self._close_from(INTERCHANGE)

    def frame(self, depth: int) -> Optional[Frame]:
        """The open frame at ``depth``, if any."""
        for frame in self.open:
            if frame.depth == depth:
                return frame
        return None

    def envelope(self) -> Envelope:
        """The headers of the open frames."""
        headers: list[Optional[Segment]] = [None, None, None]
        for frame in self.open:
            headers[frame.depth - 1] = frame.header
        return Envelope(*headers)

    def _close_from(self, depth: int) -> tuple[Frame, ...]:
        closed = []
        open_frames = self.open
        while open_frames and open_frames[-1].depth >= depth:
            closed.append(open_frames.pop())
        return tuple(closed)
