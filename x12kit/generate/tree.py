"""Loop trees of drafted segments, written out in the guide's order.

Theory of operation. A builder (``claims``, ``remittance`` ...) turns a model into ``Node``
values: a loop id, the segments it drafted from typed fields, its child nodes, and, when the
model was read from a file, the loop as read (``raw``). ``Emitter.emit`` places everything
by the compiled guide: each segment at the index of the ``SegmentDef`` it matches (by id and
identifying code, as the walker matches), each child loop at the index of its ``LoopDef``,
recursively, by the guide's position numbers; a stable sort keeps segments of one position
(the 835's DTM*232, DTM*050 ... all stand at 0500) and repeats in the order given. No builder
says where a segment goes.

The raw loop's segments and child loops the node does not type (``Node.typed``: segment
ids, ``(id, code)`` pairs where a model types only some codes, loop ids) are carried along
in their place, so X12 -> models -> X12 keeps what the models do not
read (NTE, PWK, K3 ...). A typed segment is laid over the raw one of the same definition
(the first over the first ...), keeping the elements no table types.

HL01/HL02 (numbering and parent links) and LX01 (a line's number within its parent) are
filled here: they are arithmetic of the tree, not data of a model.
"""
from __future__ import annotations

import operator
from typing import Optional

from x12kit.generate.draft import Draft, by_identity, finish, value_in
from x12kit.generate.problems import Problem
from x12kit.models.tree import Loop
from x12kit.schema.model import LoopDef, SegmentDef
from x12kit.segment import Delimiters, Segment

NUMBERED_BY_POSITION = frozenset(("LX",))  # element 01 is the loop's number in its parent
_NEW = float("inf")  # the sort place of what no file held: after what one did
_placed = operator.itemgetter(0, 1)  # an entry's sort key: (guide position, place as read)


class Node:
    """A loop instance to write: drafted segments, child nodes, the loop as read."""

    __slots__ = ("loop_id", "drafts", "children", "raw", "typed", "later")

    def __init__(self, loop_id: str, drafts: list[Draft], children: list["Node"] = (),
                 raw: Optional[Loop] = None, typed: frozenset = frozenset(),
                 later: frozenset = frozenset()):
        self.loop_id = loop_id
        self.later = later  # child loops written after it, on their own (2000B of a 2000A)
        self.drafts = drafts
        self.children = list(children)
        self.raw = raw if raw is not None and raw.content else None
        # what this node writes from typed fields (the raw ones are replaced): segment ids,
        # or (id, element 01) pairs where only some codes are typed, and loop ids; read
        # only beside a raw loop, so a node built anew does not work it out
        self.typed = typed
        if self.raw is not None:
            narrowed = {key[0] for key in typed if isinstance(key, tuple)}
            self.typed = typed | {d.id for d in drafts if d.id not in narrowed} | {
                c.loop_id for c in self.children}

    def types(self, seg: Segment) -> bool:
        elements = seg.elements
        return elements[0] in self.typed or (
            elements[0], elements[1] if len(elements) > 1 else "") in self.typed


def child_loop(parent: LoopDef, loop_id: str) -> LoopDef:
    at = loop_index(parent, loop_id)
    if at is None:
        raise KeyError(f"loop {parent.id} has no child loop {loop_id}")
    return parent.children[at]


def loop_index(parent: LoopDef, loop_id: str) -> Optional[int]:
    return _loop_table(parent).get(loop_id)


@by_identity
def _loop_table(parent: LoopDef) -> dict:
    found: dict[str, int] = {}
    for i, child in enumerate(parent.children):
        if isinstance(child, LoopDef):
            found.setdefault(child.id, i)
    return found


def segment_index(parent: LoopDef, seg_id: str, element) -> Optional[int]:
    """The index of the ``SegmentDef`` a segment matches: the first of its id whose
    identifying code it holds, else the first of its id without one, else the first of
    its id. ``element(position, component)`` reads the segment."""
    return _matched(_segment_table(parent), seg_id, _called, element)


def holds_segment(parent: LoopDef, seg_id: str) -> bool:
    """Does the guide give ``parent`` a segment of that id?"""
    return seg_id in _segment_table(parent)


def segment_def(parent: LoopDef, d: Draft) -> Optional[SegmentDef]:
    """The ``SegmentDef`` of ``parent`` a drafted segment matches (``segment_index``)."""
    at = matched(_segment_table(parent), d.id, d.values)
    return parent.children[at] if at is not None else None


_NO_SEGMENT = ((), None)


def _matched(table: dict, seg_id: str, read, source) -> Optional[int]:
    """``segment_index`` on a loop's table, reading ``source`` by ``read(source, position,
    component)``: a function and its argument, not a closure, since this runs for every
    segment written."""
    candidates, loose = table.get(seg_id, _NO_SEGMENT)
    for i, q in candidates:
        if read(source, q.element, q.component) in q.codes:
            return i
    return loose


def py_matched(table: dict, seg_id: str, values: dict) -> Optional[int]:
    """``_matched`` reading a draft's values: the specification of ``matched`` in C
    (x12kit/_drafts.c)."""
    return _matched(table, seg_id, value_in, values)


try:
    from x12kit._drafts import matched
except ImportError:
    matched = py_matched


@by_identity
def _segment_table(parent: LoopDef) -> dict:
    """Per segment id: the children with an identifying code, as (index, qualifier), and
    the index to take when none matches."""
    found: dict[str, tuple[list, Optional[int]]] = {}
    for i, child in enumerate(parent.children):
        if not isinstance(child, SegmentDef):
            continue
        coded, loose = found.get(child.id, ([], None))
        if child.qualifier is not None:
            coded.append((i, child.qualifier))
        found[child.id] = (coded, loose if loose is not None or child.qualifier is not None
                           else i)
    return {sid: (tuple(coded), loose if loose is not None else (coded[0][0] if coded else None))
            for sid, (coded, loose) in found.items()}


def _not_used(definition: SegmentDef, position: int) -> bool:
    element = definition.elements[position] if position < len(definition.elements) else None
    return element is not None and element.usage == "N"


def _called(element, position: int, component: int) -> str:
    return element(position, component)


def _read_segment(seg: Segment, position: int, component: int) -> str:
    return seg.component(position, component) if component else seg.element(position)


class Emitter:
    """Writes nodes as segments; keeps the HL count of the set being written."""

    def __init__(self, out: Delimiters, problems: Optional[list]):
        """``problems``: where the problems found go (None: none are looked for)."""
        self.out = out
        self.problems = problems
        self.hl_count = 0

    def start_set(self) -> None:
        self.hl_count = 0

    def emit(self, node: Node, definition: LoopDef, hl_parent: str = "",
             number: int = 1) -> tuple[list[Segment], str]:
        """The node's segments in guide order, and its HL01 (or ``hl_parent`` when it has
        no HL). ``number`` is its 1-based place among its parent's loops of its id."""
        # (guide position, place in the loop as read, entry): what the file held keeps its
        # order among segments of one position; what is new follows it
        entries: list[tuple[int, float, object]] = []
        present: set = set()  # indexes of the definition's children the node writes
        bases: dict[int, list[tuple[int, Segment]]] = {}
        children = definition.children
        table = _segment_table(definition)
        last = 0
        for n, entry in enumerate(node.raw.content if node.raw is not None else ()):
            if entry.__class__ is Segment:
                at = _matched(table, entry.elements[0], _read_segment, entry)
                if node.types(entry):
                    if at is not None:
                        bases.setdefault(at, []).append((n, entry))
                    continue
            else:
                if entry.id in node.typed:
                    continue
                at = loop_index(definition, entry.id)
            if at is not None:
                last = children[at].position
                present.add(at)
            entries.append((last, n, entry))
        own = hl_parent
        for d in node.drafts:
            at = matched(table, d.id, d.values)
            if d.id == "HL":
                self.hl_count += 1
                own = str(self.hl_count)
                d.values[1], d.values[2] = own, hl_parent
                if at is not None and _not_used(children[at], 4):
                    d.values.pop(4, None)  # a level whose guide leaves HL04 out (276 2000E)
            elif d.id in NUMBERED_BY_POSITION:
                d.values[1] = str(number)
            found = bases.get(at)
            n, base = found.pop(0) if found else (_NEW, None)
            seg = finish(d, children[at] if at is not None else None, base, self.out,
                         self.problems)
            if at is not None:
                present.add(at)
            entries.append((children[at].position if at is not None else last, n, seg))
        counts: dict[str, int] = {}
        for child in node.children:
            counts[child.loop_id] = counts.get(child.loop_id, 0) + 1
            at = loop_index(definition, child.loop_id)
            present.add(at)
            entries.append((children[at].position, _NEW, (child, counts[child.loop_id], at)))
        if len(present) < len(children) and self.problems is not None:
            self._required(node, definition, present)
        entries.sort(key=_placed)
        out: list[Segment] = []
        for _, _, entry in entries:
            if entry.__class__ is Segment:
                out.append(entry)
            elif entry.__class__ is Loop:
                out.extend(entry.all_segments())
            else:
                child, count, at = entry
                out.extend(self.emit(child, children[at], own, count)[0])
        return out, own

    def _required(self, node: Node, definition: LoopDef, present: set) -> None:
        """A required segment or loop of the guide that the node has not got."""
        where = node.drafts[0].where if node.drafts else ""
        for need in definition.required:
            child = definition.children[need.index]
            if need.index in present or getattr(child, "id", "") in node.later:
                continue
            named = (f"{child.id} {child.name}" if isinstance(child, SegmentDef)
                     else f"loop {child.id} {child.name}")
            self.problems.append(Problem("missing-required", where, named,
                                         f"is required in loop {definition.id}"))
