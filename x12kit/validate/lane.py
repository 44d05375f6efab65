"""The fast lane of validation: the ordinary segments of an open transaction set.

Nearly every segment of a large file is an ordinary segment of an open set: not ST, SE or
an envelope segment, terminated, and placed by a move its set's walker remembers. For such
a segment the pipeline has little to do: the envelope stage only counts it, the walker takes
the remembered move (``Walker.step``), the element checks usually find a text already seen
clean, and the handlers of the set's rules look at it. ``Lane.take`` does exactly that for
a run of such segments, one call for the whole run, and hands back the first segment that
needs the full treatment (an envelope segment, ST, SE, one cut off at the end).

``PyLane`` here is the specification, and the fallback where the C extension was not
built; ``x12kit/_lane.c`` is the same class in C, used as ``Lane`` where it was built. Both
call back into the pipeline for everything that can find something new: a move the walker
has not made before, or an HL (``slow``), an element text not yet seen clean (``elements``;
the C lane also matches the compiled patterns of ``elements.check_segment`` itself), and a
rule's findings (``file``). tests/test_lane.py holds them to the same reports.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

from ..segment import SET_EDGES, Segment
from ..walk.walker import Placed, Walker
from .elements import compiled

Elements = Callable[[Segment, tuple], bool]   # check and file; True when the text is clean
File = Callable[[object, Placed], None]        # file a rule's findings made at the segment
Slow = Callable[[Walker, Segment], None]       # place in full, check and file

_new = tuple.__new__


class PyLane:
    """Takes runs of ordinary segments from ``segments`` (an iterator the caller also reads)."""

    def __init__(self, segments: Iterator[Segment], elements: Elements | None,
                 file: File, slow: Slow) -> None:
        self.segments = segments
        self.elements = elements   # None: no element checks (SNIP 1)
        self.file = file
        self.slow = slow

    def take(self, seg: Segment | None, walker: Walker | None,
             handlers: dict) -> tuple[Segment | None, int, Segment | None]:
        """Take ``seg`` and the ordinary segments after it: (the first segment not taken,
        None at the end of the input; how many were taken; the last one taken). With
        ``walker`` None they are only counted (a worker process checks the set).
        ``handlers`` maps a segment id to the handlers of the set's rules."""
        count, last = 0, None
        segments, elements, file = self.segments, self.elements, self.file
        while seg is not None:
            sid = seg[0][0]
            if sid in SET_EDGES or not seg[5][2]:
                break
            count += 1
            last = seg
            if walker is not None:
                fields = walker.step(seg)
                if fields is None:
                    self.slow(walker, seg)
                else:
                    if elements is not None:
                        elements(seg, fields)
                    found_by = handlers.get(sid)
                    if found_by is not None:
                        placed = _new(Placed, (seg, *fields))
                        for handler in found_by:
                            found = handler(placed)
                            if found:
                                file(found, placed)
            seg = next(segments, None)
        return seg, count, last


try:  # the same class in C (x12kit/_lane.c), where built
    from .._lane import Lane, bind
except ImportError:  # pragma: no cover - a build without a C compiler
    Lane = PyLane
else:
    bind(SET_EDGES, Placed, compiled)
