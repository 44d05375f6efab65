"""The document's parts, in stream order, from the walk: loops that open and close, and
segments with their elements structured as the guide defines them.

Theory of operation. The walk (``x12kit.walk``) says, for each segment, which loops close
before it and which it opens, the envelope loops ISA_LOOP, GS_LOOP and ST_LOOP included. A
document is that nesting written out: each loop a node holding its segments and inner loops
in file order. ``document_parts`` turns the walk into ``OpenLoop``, ``CloseLoop`` and
``SegmentNode`` values; the JSON writer (``document.py``) and the XML writer (``xml.py``)
write them as they come, so nothing is held beyond one segment and the open loops.

Nothing is lost. Every element keeps its position (its reference, ``CLM05``), empty ones
included; an element the guide defines as a composite is split into its components
(``CLM05-1``), one it lets repeat into a list of repetitions; anything else stays the text
it was. A segment the walker could not place stays where it stood, marked unplaced; a set no
schema serves is one flat ST_LOOP. The interchange node carries its separators, so the
segments can be written again (``x12kit.writer``).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple, Optional, Union

from x12kit.diagnostics import X12ReadError
from x12kit.schema.model import CompositeDef, LoopDef, Schema, SegmentDef
from x12kit.segment import ENVELOPE_IDS, Delimiters, Segment
from x12kit.walk import LoopEvents, StreamWalker
from x12kit.walk.events import GROUP_LOOP, INTERCHANGE_LOOP, SET_LOOP

FORMAT, VERSION = "x12kit-document", 1
# The envelope loops are not in the guides' loop trees; a served set's ST_LOOP takes the
# name its guide gives it.
ENVELOPE_LOOP_NAMES = {INTERCHANGE_LOOP: "Interchange Control", GROUP_LOOP: "Functional Group",
                       SET_LOOP: "Transaction Set"}
DELIMITER_NAMES = Delimiters._fields  # element, component, repetition, segment


class OpenLoop(NamedTuple):
    """A loop begins. ``delimiters`` only for an interchange, ``schema`` (the key of the
    compiled guide, "" where none serves) only for a transaction set."""

    loop_id: str
    name: str
    delimiters: Optional[Delimiters] = None
    schema: Optional[str] = None

    def header(self) -> dict:
        """The loop node's members other than its content."""
        node: dict = {"loop": self.loop_id, "name": self.name}
        if self.delimiters is not None:
            node["delimiters"] = dict(zip(DELIMITER_NAMES, self.delimiters))
        if self.schema is not None:
            node["schema"] = self.schema or None
        return node


class CloseLoop(NamedTuple):
    loop_id: str


class SegmentNode(NamedTuple):
    """A segment as the document holds it: ``{"segment", "name", "unplaced", "elements"}``."""

    node: dict


Part = Union[OpenLoop, CloseLoop, SegmentNode]


def document_parts(segments: Iterable[Segment], registry=None) -> Iterator[Part]:
    """The parts of the document of ``segments``, in order; the loops open where the input
    ends are closed. An ``X12ReadError`` from the segments is raised after those closings,
    so a writer can end its document first."""
    walker = StreamWalker(registry)
    events = LoopEvents()
    loops = _LoopNames()
    try:
        for seg in segments:
            step = events.every_step(walker.place(seg))
            for loop_id in step.closed:
                yield CloseLoop(loop_id)
            first_opened = len(step.path) - len(step.opened)
            for depth in range(first_opened, len(step.path)):
                yield loops.opened(step.path[:depth + 1], seg, walker)
            unplaced = step.placed.definition is None and (
                loops.served if step.envelope.header is not None
                else seg.elements[0] not in ENVELOPE_IDS)
            yield SegmentNode(segment_node(seg, step.placed.definition, unplaced))
    except X12ReadError:  # the document ends well-formed even where reading stopped
        yield from map(CloseLoop, events.close())
        raise
    yield from map(CloseLoop, events.close())


class _LoopNames:
    """Names the loops as they open, from the guide of the set they stand in."""

    def __init__(self) -> None:
        self.schema: Optional[Schema] = None
        self._by_path: dict[tuple, LoopDef] = {}
        self._tables: dict[str, dict[tuple, LoopDef]] = {}

    @property
    def served(self) -> bool:
        """Does a schema serve the set now open?"""
        return self.schema is not None

    def opened(self, path: tuple[str, ...], seg: Segment, walker: StreamWalker) -> OpenLoop:
        loop_id = path[-1]
        if loop_id == INTERCHANGE_LOOP:
            return OpenLoop(loop_id, ENVELOPE_LOOP_NAMES[loop_id], delimiters=seg.delimiters)
        if loop_id == GROUP_LOOP:
            return OpenLoop(loop_id, ENVELOPE_LOOP_NAMES[loop_id])
        if loop_id == SET_LOOP:
            self._enter_set(walker.walker.schema if walker.walker is not None else None)
            name = self.schema.root.name if self.schema else ENVELOPE_LOOP_NAMES[loop_id]
            return OpenLoop(loop_id, name, schema=self.schema.key if self.schema else "")
        loop = self._by_path.get(path[path.index(SET_LOOP):])
        return OpenLoop(loop_id, loop.name if loop is not None else "")

    def _enter_set(self, schema: Optional[Schema]) -> None:
        self.schema = schema
        if schema is None:
            self._by_path = {}
        elif schema.key not in self._tables:
            self._by_path = self._tables[schema.key] = _loops_by_path(schema.root)
        else:
            self._by_path = self._tables[schema.key]


def _loops_by_path(root: LoopDef) -> dict[tuple, LoopDef]:
    """Every loop of a guide by its path from ST_LOOP, as the walk reports paths."""
    table, stack = {}, [((root.id,), root)]
    while stack:
        path, loop = stack.pop()
        table[path] = loop
        stack.extend((path + (c.id,), c) for c in loop.children if isinstance(c, LoopDef))
    return table


def segment_node(seg: Segment, definition: Optional[SegmentDef], unplaced: bool) -> dict:
    """The document's object for one segment; see the module docstring."""
    elements = seg.elements
    sid = elements[0]
    node: dict = {"segment": sid}
    if definition is not None:
        node["name"] = definition.name
    if unplaced:
        node["unplaced"] = True
    defs = definition.elements if definition is not None else ()
    delimiters = seg.delimiters
    node["elements"] = {
        ref: _element(ref, elements[n], defs[n] if n < len(defs) else None, delimiters)
        for n, ref in ((n, f"{sid}{n:02d}") for n in range(1, len(elements)))}
    return node


def _element(ref: str, value: str, definition, delimiters: Delimiters) -> dict:
    if definition is None:
        return {"value": value}
    node = {"name": definition.name}
    if definition.repeat > 1 and delimiters.repetition:
        node["repetitions"] = [_one(ref, part, definition, delimiters.component)
                               for part in value.split(delimiters.repetition)]
    else:
        node.update(_one(ref, value, definition, delimiters.component))
    return node


def _one(ref: str, value: str, definition, separator: str) -> dict:
    """One occurrence of an element: its components where the guide defines a composite."""
    if definition.__class__ is not CompositeDef:
        return {"value": value}
    defs = definition.components
    components = {}
    for c, part in enumerate(value.split(separator), start=1):
        component = {"value": part}
        if c < len(defs) and defs[c] is not None:
            component = {"name": defs[c].name, "value": part}
        components[f"{ref}-{c}"] = component
    return {"components": components}
