"""Sets of an HL tree of parties written from typed fields (270 inquiries, 276 requests).

A transaction's upper levels each name one party (information source, receiver, provider
...); consecutive models naming the same parties share them. ``PartyLevels`` keeps the levels
written and still open, by level, with their key and HL01; a level whose key changes closes
with the levels below it. The subscriber's models are held by the writer until the next
subscriber, to know whether its HL has a level below it (HL04).
"""
from __future__ import annotations

from typing import Callable, Optional

from x12kit.generate.draft import Draft
from x12kit.generate.parties import party_drafts
from x12kit.generate.tree import Node, child_loop
from x12kit.schema.model import LoopDef


class PartyLevels:
    """The open upper levels of one set, in ``order`` from the top."""

    def __init__(self, generator, schema, order: tuple[str, ...]) -> None:
        self.g = generator
        self.order = order
        self.defs: dict[str, LoopDef] = {}
        parent = child_loop(schema.root, "DETAIL")
        for loop_id in order:
            parent = self.defs[loop_id] = child_loop(parent, loop_id)
        self.open: dict[str, tuple] = {}  # level -> (key, HL01)

    def level(self, loop_id: str, key, node_of: Callable[[], Node], parent: str,
              place: str) -> str:
        """The HL01 of the open level of that key, written now if it is not open."""
        found = self.open.get(loop_id)
        if found is not None and found[0] == key:
            return found[1]
        for deeper in self.order[self.order.index(loop_id):]:
            self.open.pop(deeper, None)
        with self.g.tagged(place):
            hl = self.g.emit(node_of(), self.defs[loop_id], parent)
        self.open[loop_id] = (key, hl)
        return hl

    def header(self, code: str, purpose: str, schema) -> None:
        """BHT: its structure and purpose codes, the set's control number as reference, the
        date and time of generation (the models do not hold them)."""
        when = self.g.when
        bht = Draft("BHT", {1: code, 2: purpose, 3: self.g.st_number,
                            4: when.strftime("%Y%m%d"), 5: when.strftime("%H%M")}, {}, "")
        self.g.emit(Node("HEADER", [bht]), child_loop(schema.root, "HEADER"))


class PartySetWriter:
    """What the typed writers of an HL tree of parties share: models are held while they
    name the same upper parties (``_key``), then written together (``_flush``), so that a
    level knows whether another comes below it. Subclasses name the transaction, their
    levels from the top (``order``), the BHT01 code (``structure``), ``_key`` and ``_flush``."""

    transaction = implementation = structure = ""
    order: tuple[str, ...] = ()

    def __init__(self, generator, first, schema) -> None:
        self.g = generator
        self.schema = schema
        self.levels = PartyLevels(generator, schema, self.order)
        self.held: list[tuple[object, str]] = []

    @classmethod
    def set_key(cls, model) -> tuple:
        return (cls.transaction, cls.implementation, "typed")

    def start(self, first, place: str) -> None:
        self.levels.header(self.structure, "13", self.schema)

    def add(self, model, place: str) -> None:
        if self.held and self._key(self.held[-1][0]) != self._key(model):
            self._flush()
        self.held.append((model, place))

    def close(self) -> None:
        self._flush()

    @staticmethod
    def _key(model) -> tuple:
        raise NotImplementedError

    def _flush(self) -> None:
        raise NotImplementedError


def party_level(loop_id: str, level_code: str, name_loop: str, party, where: str,
                below: str, extra: Optional[list] = None) -> Node:
    """An upper level: HL (with a level ``below`` it, written later) and its name loop."""
    hl = Draft("HL", {3: level_code, 4: "1"}, {}, where)
    children = [Node(name_loop, party_drafts(party, where))] if party is not None else []
    return Node(loop_id, [hl] + list(extra or ()), children, later=frozenset((below,)))
