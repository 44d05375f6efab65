"""Loop trees, one business item at a time.

Theory of operation. ``ItemAssembler`` listens to the walk (``x12kit.walk.Step``) and keeps a
stack of the loop instances open, each with its segments and the child loops already closed
in it, in file order. The loops a transaction calls its items (``ITEM_LOOPS``: 2300 for a
claim, 2100 for a claim payment...) are handed out as soon as they close, as an ``Item``: the
item's own tree plus a frozen view of the loops around it (for a claim: the set header with
submitter and receiver, the billing provider's 2000A, the subscriber's 2000B and, where there
is one, the patient's 2000C), and the envelope.

A closed loop joins its parent only when no item was handed out from inside it: a subscriber's
2000B that held claims is gone once they are, so memory is the open loops and one item, not
the file. Context loops are frozen once and reused by every item under them until they change.
A parent keeps at most ``MAX_KEPT`` entries (hostile input: a million context loops without an
item): the rest are dropped and counted in ``Loop.dropped``.

Most segments need none of this in Python: ``take_run`` hands whole runs whose walk was
worked out before to ``x12kit/_walk.c``, which keeps the same stack (``_Open``, read by name
in ``x12kit/_open_loops.h``) and makes the same ``Loop`` and ``Item`` values;
tests/test_walk_quiet.py holds both ways to the same items.

Every segment the typed models do not read stays reachable here (``Item.loop`` and
``Item.context``), by loop and segment, so nobody has to parse the file again.
"""
from __future__ import annotations

from typing import Iterator, NamedTuple, Optional, Union

from x12kit.diagnostics import Diagnostic
from x12kit.segment import Segment
from x12kit.walk.events import GROUP_LOOP, INTERCHANGE_LOOP, SET_LOOP, Envelope, LoopEvents, Step
from x12kit.walk.quiet import take_quiet
from x12kit.walk.walker import Placed, Walker

MAX_KEPT = 10_000
_OUTER_LOOPS = frozenset((INTERCHANGE_LOOP, GROUP_LOOP))  # not context: see ``Envelope``
_ENVELOPE_LOOPS = _OUTER_LOOPS | {SET_LOOP}  # never kept in a parent

# ST01 -> the loops whose instances are that transaction's business items
ITEM_LOOPS = {
    "837": frozenset({"2300"}),
    "835": frozenset({"2100", "FOOTER"}),      # claim payments; PLB in the summary
    "270": frozenset({"2000C", "2000D"}),      # an inquiry per subscriber or dependent
    # a response per subscriber or dependent; the source's and receiver's AAA
    "271": frozenset({"2000A", "2000B", "2000C", "2000D"}),
    "276": frozenset({"2200D", "2200E"}),      # a status request per claim
    # 277 and 277CA: a status per claim, and the receiver's and providers' statuses
    "277": frozenset({"2200B", "2200C", "2200D", "2200E"}),
    "999": frozenset({"2000", "HEADER"}),      # a set response (AK2..IK5); AK1 with AK9
}


class Loop(NamedTuple):
    """A loop instance as read: its id and, in file order, its segments and child loops."""

    id: str
    content: tuple[Union[Segment, "Loop"], ...]
    dropped: int = 0  # entries past MAX_KEPT, not kept

    def segments(self, segment_id: Optional[str] = None) -> list[Segment]:
        """Its own segments (not those of child loops), of one id if given."""
        return [c for c in self.content if c.__class__ is Segment
                and (segment_id is None or c.elements[0] == segment_id)]

    def loops(self, loop_id: Optional[str] = None) -> list["Loop"]:
        return [c for c in self.content if c.__class__ is Loop
                and (loop_id is None or c.id == loop_id)]

    def segment(self, segment_id: str, code: Optional[str] = None,
                element: int = 1) -> Optional[Segment]:
        """Its first own segment of that id (whose element ``element`` is ``code``)."""
        for c in self.content:
            if c.__class__ is Segment and c.elements[0] == segment_id and (
                    code is None or c.element(element) == code):
                return c
        return None

    def by_id(self) -> dict[str, list[Segment]]:
        """Its own segments by id, in file order: one pass, for a reader that asks for
        several ids."""
        found: dict[str, list[Segment]] = {}
        for c in self.content:
            if c.__class__ is Segment:
                found.setdefault(c.elements[0], []).append(c)
        return found

    def loop(self, loop_id: str) -> Optional["Loop"]:
        for c in self.content:
            if c.__class__ is Loop and c.id == loop_id:
                return c
        return None

    def all_segments(self) -> Iterator[Segment]:
        """Every segment in it, child loops included, in file order."""
        for c in self.content:
            if c.__class__ is Segment:
                yield c
            else:
                yield from c.all_segments()


class Item(NamedTuple):
    """One business item: its loop, the loops around it outermost first (ST_LOOP down to
    its parent; the envelope loops are in ``envelope``), the envelope, and the walker's
    findings made inside it."""

    loop: Loop
    context: tuple[Loop, ...]
    envelope: Envelope
    findings: tuple[Diagnostic, ...] = ()

    def around(self, loop_id: str) -> Optional[Loop]:
        """The enclosing loop of that id, if any."""
        for loop in self.context:
            if loop.id == loop_id:
                return loop
        return None


_new = tuple.__new__  # a NamedTuple from a ready tuple, without its Python-level __new__


class _Open:
    """A loop instance still open: the mutable form of ``Loop``."""

    __slots__ = ("id", "content", "dropped", "had_items", "frozen", "findings")

    def __init__(self, loop_id: str) -> None:
        self.id = loop_id
        self.content: list = []
        self.dropped = 0
        self.had_items = False
        self.frozen: Optional[Loop] = None
        self.findings: list[Diagnostic] = []

    def add(self, entry) -> None:
        if len(self.content) < MAX_KEPT:
            self.content.append(entry)
            self.frozen = None
        else:
            self.dropped += 1

    def freeze(self) -> Loop:
        if self.frozen is None:
            self.frozen = _new(Loop, (self.id, tuple(self.content), self.dropped))
        return self.frozen


class ItemAssembler:
    """Builds the items of a stream from its walk, one ``step`` at a time."""

    # slots: x12kit/_walk.c reads and writes them at their offsets, once per run
    __slots__ = ("_stack", "_items", "_envelope")

    def __init__(self) -> None:
        self._stack: list[_Open] = []
        self._items: frozenset[str] = frozenset()
        self._envelope: Optional[Envelope] = None

    def quiet(self, placed: Placed) -> None:
        """A segment that stays in the loop of the one before it (``LoopEvents`` said None)."""
        top = self._stack[-1]
        top.add(placed[0])
        if placed[5] and len(top.findings) < MAX_KEPT:
            top.findings += placed[5]

    def take_quiet(self, seg: Segment, segments: Iterator[Segment], walker: Walker,
                   path: tuple) -> Optional[Segment]:
        """``seg`` and the quiet segments after it, placed by ``walker`` at ``path`` (see
        ``x12kit.walk.quiet``), added to the open loop as ``quiet`` adds them; returns the
        first segment not taken, None at the end of the input."""
        if not self._stack:
            return seg
        top = self._stack[-1]
        room = MAX_KEPT - len(top.content)
        seg, taken = take_quiet(seg, segments, walker, path, top.content, room)
        if taken:
            top.frozen = None
            if taken > room:
                top.dropped += taken - room
        return seg

    def take_run(self, seg: Segment, segments: Iterator[Segment], walker: Walker,
                 events: LoopEvents, done: list[Item]) -> Optional[Segment]:
        """``seg`` and the segments after it whose walk was worked out before, taken as
        ``read_items`` takes them one at a time. In pure Python that is a quiet run
        (``take_quiet``); where ``x12kit/_walk.c`` was built, ``take_steps`` also takes the
        segments that open and close loops, whose moves ``walker`` and loop events ``events``
        remember. Returns the first segment not taken (None at the end of the input) or,
        where items closed (appended to ``done``), the segment that closed them, taken."""
        if take_steps is None or not self._stack:
            return self.take_quiet(seg, segments, walker, events.quiet_path)
        return take_steps(seg, segments, walker, events, self, done, MAX_KEPT)

    def step(self, step: Step) -> list[Item]:
        """The items that closed at this step (usually none)."""
        done: list[Item] = []
        for _ in step.closed:
            self._close(done)
        placed = step.placed
        if step.opened:
            if placed.segment.elements[0] == "ST":
                self._items = ITEM_LOOPS.get(placed.segment.element(1), frozenset())
            for loop_id in step.opened:
                self._stack.append(_Open(loop_id))
        self._envelope = step.envelope
        if self._stack:
            top = self._stack[-1]
            top.add(placed.segment)
            if placed.diagnostics and len(top.findings) < MAX_KEPT:
                top.findings += placed.diagnostics
        return done

    def close(self) -> list[Item]:
        """End of input: the items of the loops still open."""
        done: list[Item] = []
        while self._stack:
            self._close(done)
        return done

    def _close(self, done: list[Item]) -> None:
        node = self._stack.pop()
        parent = self._stack[-1] if self._stack else None
        if node.id in self._items:
            context = tuple(n.freeze() for n in self._stack if n.id not in _OUTER_LOOPS)
            done.append(Item(node.freeze(), context, self._envelope, tuple(node.findings)))
            node.had_items = True
        if parent is None or node.id in _ENVELOPE_LOOPS:
            return  # a set or group ends: its segments travel as ``Envelope``
        if node.had_items:
            parent.had_items = True
        else:
            parent.add(node.freeze())
            if node.findings and len(parent.findings) < MAX_KEPT:
                parent.findings += node.findings


try:  # runs that also open and close loops, in C (x12kit/_walk.c), where built
    from x12kit._walk import bind_loops, take_steps
except ImportError:  # pragma: no cover - a build without a C compiler
    take_steps = None
else:
    bind_loops(_Open, Loop, Item, _OUTER_LOOPS, _ENVELOPE_LOOPS)
