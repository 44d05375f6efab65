"""Sets whose models stand in an HL tree of levels (270/271, 276/277, 277CA), written from
the loops the models carry.

Theory of operation. A 270 inquiry, a 271 response, a 276 request or a 277 status carries
the loops around it as read (``context``: ST_LOOP down to its parent) and its own loop. The
writer keeps the levels it has written open, as a path. For each model, the levels the new
path shares with the open one stay (a level the file kept adding to, as a 999's HEADER gets
its AK9 after the sets it answers, writes what it has gained); the others close; the new ones
are written, each by the ``Emitter`` in the guide's order, with its HL renumbered and linked
to its parent's. A 271 hands out a subscriber after its dependents, when the subscriber's
level is open already: only what it gained is written.

These models have no typed tables yet: what they carry is written as read, so X12 -> models
-> X12 keeps the file, and a model without the loops it was read from cannot be written (a
``Problem`` says so).
"""
from __future__ import annotations

from typing import Optional

from x12kit.generate.draft import Draft
from x12kit.generate.problems import Problem
from x12kit.generate.tree import Node, child_loop
from x12kit.models.tree import Loop
from x12kit.schema.model import LoopDef
from x12kit.segment import Segment

SET_LOOP = "ST_LOOP"


class _Open:
    __slots__ = ("loop", "definition", "hl", "written")

    def __init__(self, loop: Loop, definition: LoopDef, hl: str, written: int):
        self.loop, self.definition, self.hl, self.written = loop, definition, hl, written


def _grown_from(old: Loop, new: Loop) -> bool:
    """Is ``new`` the loop instance ``old`` was, read later (its content extends old's)?"""
    if new is old:
        return True
    return new.id == old.id and new.content[:len(old.content)] == old.content


def set_header(model) -> Optional[Segment]:
    """The ST a model was read under (the first segment of its ST_LOOP)."""
    context = getattr(model, "context", ())
    if not context or context[0].id != SET_LOOP or not context[0].content:
        return None
    first = context[0].content[0]
    return first if first.__class__ is Segment else None


class LevelSetWriter:
    """One set of 270, 271, 276, 277 or 277CA models, written from the loops they carry."""

    def __init__(self, generator, first, schema) -> None:
        self.g = generator
        self.schema = schema
        self.open: list[_Open] = []

    @staticmethod
    def set_key(model) -> tuple:
        st = set_header(model)
        if st is None:
            return ("", "", id(model))
        return (st.element(1), st.element(3), st)

    def start(self, first, place: str) -> None:
        if set_header(first) is None:
            self.g.problems.append(Problem(
                "not-typed", "/context", type(first).__name__,
                "is written from the loops it was read from, and has none", place))

    def add(self, model, place: str) -> None:
        if set_header(model) is None:
            return
        path = tuple(model.context) + (model.loop,)
        with self.g.tagged(place):
            keep = 0
            while (keep < len(self.open) and keep < len(path)
                   and _grown_from(self.open[keep].loop, path[keep])):
                keep += 1
            del self.open[keep:]
            for level in self.open:  # what an open level gained since it was written
                self._write_gain(level, path[self.open.index(level)])
            for loop in path[keep:]:
                self._write_level(loop)

    def close(self) -> None:
        self.open = []

    def _write_gain(self, level: _Open, now: Loop) -> None:
        if len(now.content) <= level.written:
            return
        gained = Loop(now.id, now.content[level.written:])
        level.loop, level.written = now, len(now.content)
        parent = self._parent_hl()
        self.g.emit(Node(now.id, [], raw=gained), level.definition, parent)

    def _write_level(self, loop: Loop) -> None:
        parent = self.open[-1].definition if self.open else None
        definition = self.schema.root if parent is None else child_loop(parent, loop.id)
        content = loop.content
        if loop.id == SET_LOOP:  # ST and SE are the generator's
            content = tuple(c for c in content if c.__class__ is not Segment
                            or c.elements[0] not in ("ST", "SE"))
        drafts = []
        hl = next((c for c in content if c.__class__ is Segment and c.elements[0] == "HL"), None)
        if hl is not None:  # renumbered: HL01 counted, HL02 its parent's
            drafts.append(Draft("HL", {1: "", 2: "", 3: hl.element(3)}, {}, ""))
        # child loops come as later levels; the set's ST and SE are the generator's
        later = frozenset(c.id for c in definition.children if isinstance(c, LoopDef)) | {
            "ST", "SE"}
        hl_number = self.g.emit(Node(loop.id, drafts, raw=Loop(loop.id, content),
                                     typed=frozenset(("HL",)) if hl is not None else frozenset(),
                                     later=later),
                                definition, self._parent_hl())
        self.open.append(_Open(loop, definition, hl_number if hl is not None
                               else self._parent_hl(), len(loop.content)))

    def _parent_hl(self) -> str:
        return self.open[-1].hl if self.open else ""
