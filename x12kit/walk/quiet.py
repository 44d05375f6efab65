"""Quiet runs: the segments of an open transaction set that open and close nothing, taken in
one call.

Most segments of a set are quiet (``events.LoopEvents.step``): the move the set's walker
remembers for it keeps it in the loop of the segment before (the very same path object),
enters no loop and finds nothing. A listener that keeps each loop's segments, as the model
reader's ``ItemAssembler`` does, has nothing to do for them but append them to the open
loop. ``take_quiet`` does that for a whole run and hands back the first segment that needs
the full walk: an envelope segment, ST or SE, an HL (whose hierarchy ``Walker.place``
checks), a move the walker has not made before, or one that enters a loop or stands in
another.

``py_take_quiet`` here is the specification, and the fallback where the C extension was not
built; ``x12kit/_walk.c`` is the same function in C, used as ``take_quiet`` where it was
built. Both read and move the walker's state as ``Walker.step`` does. tests/test_walk_quiet.py
holds them to the same models on the whole corpus.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

from x12kit.segment import SET_EDGES, Segment
from x12kit.walk.walker import Walker


def py_take_quiet(seg: Optional[Segment], segments: Iterator[Segment], walker: Walker,
                  path: tuple, into: list, room: int) -> tuple[Optional[Segment], int]:
    """Take ``seg`` and the quiet segments after it from ``segments`` (an iterator the caller
    also reads), where ``path`` is the path object the segment before stood in. Each one taken
    moves ``walker`` on as ``Walker.place`` would and, while fewer than ``room`` were taken,
    is appended to ``into``. Returns the first segment not taken (None at the end of the
    input) and how many were taken."""
    taken = 0
    while seg is not None:
        sid = seg[0][0]
        if sid in SET_EDGES or sid == "HL":
            break
        move = walker._remembered(seg)
        # the Placed fields after the segment: (loop_id, path, definition, entered, findings)
        if move is None or move[1][1] is not path or move[1][3] or move[1][4]:
            break
        walker._state = move[0]
        if taken < room:
            into.append(seg)
        taken += 1
        seg = next(segments, None)
    return seg, taken


try:  # the same function in C (x12kit/_walk.c), where built
    from x12kit._walk import bind, take_quiet
except ImportError:  # pragma: no cover - a build without a C compiler
    take_quiet = py_take_quiet
else:
    bind(SET_EDGES)
