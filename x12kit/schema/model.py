"""The compiled form of an implementation guide: small immutable values the walker reads.

A guide is a tree of loops holding segments holding elements (simple or composite). The
compiler adds what the walker needs to place a segment with dict lookups only: per loop a
``dispatch`` table from segment id to the candidates that may come next (direct child
segments, and child loops by their first segment), and the ``required`` children to check
when the walker moves past them or leaves the loop.

Positions count from 1 as the guides do: ``SegmentDef.elements[5]`` is element 05 (index 0
is always None), ``CompositeDef.components[3]`` is component 3. ``UNBOUNDED`` stands for the
guides' ">1" repeat.

Everything here is a NamedTuple so that the cache (pickle) and attribute access stay cheap;
the dicts inside (``dispatch``, ``data_elements``) are built once and never changed.
"""
from __future__ import annotations

from typing import NamedTuple, Optional, Union

UNBOUNDED = 1 << 30  # the guides' ">1": no maximum


class SyntaxRule(NamedTuple):
    """An X12 syntax note: P paired, R required, C conditional, E exclusion, L list conditional.

    ``positions`` are element positions within the segment (or component positions within
    the composite that carries the rule), e.g. ``SyntaxRule("P", (3, 4))`` for P0304.
    """

    kind: str
    positions: tuple[int, ...]

    @property
    def code(self) -> str:
        return self.kind + "".join(f"{p:02d}" for p in self.positions)

    def broken(self, present: list[bool]) -> bool:
        """Is the rule broken, given which of its positions hold a value (in its order)?"""
        k = sum(present)
        kind = self.kind
        if kind == "P":
            return 0 < k < len(present)
        if kind == "R":
            return k == 0
        if kind == "E":
            return k > 1
        if kind == "C":
            return present[0] and k < len(present)
        return present[0] and k == 1  # L


class ElementDef(NamedTuple):
    """A simple data element, standing alone in a segment or as a component of a composite."""

    ref: str                         # "CLM01", or "CLM05-3" for a component
    data_ele: str                    # data element number, for IK402: "1028", "I01"
    name: str
    usage: str                       # R required, S situational, N not used
    position: int                    # element position in the segment (1-based)
    component: int                   # component position in its composite; 0 when simple
    data_type: str                   # AN ID N0 N2 R DT TM B
    min_len: int
    max_len: int
    codes: Optional[frozenset]       # allowed values; None when any value of the type goes
    repeat: int = 1
    regex: Optional[str] = None      # an implementation pattern (IK403 I12)


class CompositeDef(NamedTuple):
    """A composite data element; ``components[c]`` is component c (index 0 is None)."""

    ref: str                         # "CLM05"
    data_ele: str                    # "C023"
    name: str
    usage: str
    position: int
    components: tuple
    rules: tuple[SyntaxRule, ...] = ()
    repeat: int = 1


AnyElementDef = Union[ElementDef, CompositeDef]


class Qualifier(NamedTuple):
    """Where a segment carries the codes that tell its same-id siblings apart (NM101, HL03)."""

    element: int
    component: int                   # 0 when the element is simple
    codes: frozenset


class SegmentDef(NamedTuple):
    """A segment as one loop of the guide uses it (NM1 in 2010AA is not NM1 in 2010BA)."""

    id: str
    name: str
    usage: str
    position: int                    # the guide's position number (0200, 1350, ...)
    max_use: int
    elements: tuple                  # index = element position; None where undefined
    rules: tuple[SyntaxRule, ...]
    qualifier: Optional[Qualifier]   # None: any segment with this id matches
    loop_id: str                     # the loop that holds it
    date_formats: tuple[tuple[int, int], ...] = ()  # (DTP02-like 1250 pos, 1251 pos) pairs

    @property
    def element_count(self) -> int:
        return len(self.elements) - 1


class Candidate(NamedTuple):
    """One way a segment id can be placed from a loop: a child segment, or the first
    segment of a child loop (through any wrapper loops, listed in ``loops``)."""

    position: int                    # position of the child in this loop
    index: int                       # index of the child in ``LoopDef.children``
    qualifier: Optional[Qualifier]
    loops: tuple                     # LoopDefs entered, outermost first; () for a segment
    indexes: tuple[int, ...]         # child index of each entered loop, then of the segment
    segment: SegmentDef
    # Where a sibling candidate lists some of the same identifying codes (the 837P 2400's
    # two PWKs, both PWK01 CT): the segment's other coded ID elements as (element,
    # component, codes), all of which must hold listed codes for this candidate to be
    # preferred; () where the identifying code alone decides.
    fits: tuple = ()


class Requirement(NamedTuple):
    """A required child: reported missing (IK304 3) when passed over or when its loop ends."""

    position: int
    index: int
    segment_id: str                  # the missing segment, or the first segment of the loop
    loop_id: str                     # the loop the missing segment would be in


class LoopDef(NamedTuple):
    id: str
    name: str
    usage: str
    repeat: int
    position: int
    kind: str                        # "explicit", "wrapper" or ""
    children: tuple                  # SegmentDef | LoopDef, in guide order
    dispatch: dict                   # segment id -> tuple[Candidate, ...] in guide order
    required: tuple[Requirement, ...]
    first_segment_id: str            # the segment that opens the loop ("" if none)


class Schema(NamedTuple):
    """One compiled implementation guide (one transaction set, one implementation)."""

    key: str                         # "837:005010X222A1"
    transaction: str                 # ST01: "837"
    implementation: str              # ST03 / GS08: "005010X222A1"
    name: str
    top: LoopDef                     # a synthetic loop whose only child is ST_LOOP
    envelope: dict                   # "ISA", "GS", "GE", "IEA", "TA1" -> SegmentDef
    segment_ids: frozenset
    data_elements: dict              # element ref ("CLM05-3") -> data element number
    sources: tuple[str, ...]         # file names it was compiled from, base first

    @property
    def root(self) -> LoopDef:
        """The ST_LOOP."""
        return self.top.children[0]

    def loops(self):
        """Every loop of the set, depth first, in guide order."""
        stack = [self.root]
        while stack:
            loop = stack.pop()
            yield loop
            stack.extend(c for c in reversed(loop.children) if isinstance(c, LoopDef))

    def loop(self, loop_id: str) -> LoopDef:
        """The first loop with this id (2300 appears under 2000B and 2000C in an 837)."""
        for loop in self.loops():
            if loop.id == loop_id:
                return loop
        raise KeyError(f"{self.key} has no loop {loop_id}")

    def segment(self, loop_id: str, segment_id: str, code: str | None = None) -> SegmentDef:
        """The definition of a segment in a loop, e.g. ``segment("2010AA", "NM1", "85")``."""
        for child in self.loop(loop_id).children:
            if isinstance(child, SegmentDef) and child.id == segment_id and (
                    code is None or (child.qualifier and code in child.qualifier.codes)):
                return child
        raise KeyError(f"{self.key} has no {segment_id} {code or ''} in loop {loop_id}")
