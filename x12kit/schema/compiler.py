"""Freeze a raw map tree (see ``xmlmap``) into the model the walker and checks read.

Element types and lengths come from the data element dictionary (``dataele.xml``), code lists
from the map's ``valid_codes`` plus any external list it names (``codes.xml``). Identical
element definitions are shared (interned): the 837 maps repeat the same NM1/REF/DTP elements
hundreds of times, and sharing keeps the cached pickle small and fast to load.
"""
from __future__ import annotations

from x12kit.schema.model import (
    UNBOUNDED, Candidate, CompositeDef, ElementDef, LoopDef, Qualifier, Requirement, Schema,
    SegmentDef, SyntaxRule,
)
from x12kit.schema.xmlmap import SchemaError
from x12kit.segment import ENVELOPE_IDS

_DATE_QUALIFIER, _DATE_VALUE = "1250", "1251"  # DTP02/DTP03, DTM05/DTM06


def count(text: str) -> int:
    """A repeat or max use as the maps write it: "1", "99", ">1" (no maximum)."""
    text = (text or "").strip()
    if not text:
        return 1
    if text.startswith(">"):
        return UNBOUNDED
    try:
        return int(text)
    except ValueError:
        raise SchemaError(f"not a repeat count: {text!r}") from None


def _int(text: str, default: int = 0) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


def _rule(text: str) -> SyntaxRule:
    kind, digits = text[0], text[1:]
    if kind not in "PRCEL" or len(digits) < 4 or len(digits) % 2 or not digits.isdigit():
        raise SchemaError(f"not a syntax rule: {text!r}")
    return SyntaxRule(kind, tuple(int(digits[i:i + 2]) for i in range(0, len(digits), 2)))


class _Compiler:
    """One compilation: the dictionaries it reads and the definitions it has interned."""

    def __init__(self, data_elements: dict, code_sets: dict):
        self.data_elements = data_elements
        self.code_sets = code_sets
        self.interned: dict = {}
        self.refs: dict[str, str] = {}

    def intern(self, value):
        return self.interned.setdefault(value, value)

    def element(self, raw: dict, seg_id: str, position: int, component: int) -> ElementDef:
        ref = f"{seg_id}{position:02d}" + (f"-{component}" if component else "")
        number = raw["data_ele"]
        dtype, min_len, max_len = self.data_elements.get(number, (None, 1, 1))
        if dtype is None and "data_type" not in raw:
            raise SchemaError(f"{ref}: data element {number!r} is not in the dictionary")
        dtype = raw.get("data_type", dtype)
        min_len = _int(raw.get("min_len"), min_len)
        max_len = _int(raw.get("max_len"), max_len)
        codes = None
        if raw["codes"] or raw["external"]:
            codes = set(raw["codes"] or ())
            if raw["external"]:
                if raw["external"] not in self.code_sets:
                    raise SchemaError(f"{ref}: unknown external code list {raw['external']!r}")
                codes |= self.code_sets[raw["external"]]
            codes = frozenset(codes)
        self.refs.setdefault(ref, number)
        return self.intern(ElementDef(ref, number, raw["name"], raw["usage"], position,
                                      component, dtype, min_len, max_len, codes,
                                      count(raw["repeat"]), raw["regex"]))

    def composite(self, raw: dict, seg_id: str, position: int) -> CompositeDef:
        ref = f"{seg_id}{position:02d}"
        parts: dict[int, ElementDef] = {}
        for i, child in enumerate(raw["children"], 1):
            c = _int(child["seq"], i)
            parts[c] = self.element(child, seg_id, position, c)
        components = tuple(parts.get(c) for c in range(max(parts, default=0) + 1))
        self.refs.setdefault(ref, raw["data_ele"])
        return self.intern(CompositeDef(ref, raw["data_ele"], raw["name"], raw["usage"],
                                        position, components,
                                        tuple(_rule(s) for s in raw["syntax"]),
                                        count(raw["repeat"])))

    def segment(self, raw: dict, loop_id: str) -> SegmentDef:
        seg_id = raw["id"]
        found: dict[int, object] = {}
        for i, child in enumerate(raw["children"], 1):
            p = _int(child["seq"], i)
            found[p] = (self.composite(child, seg_id, p) if child["tag"] == "composite"
                        else self.element(child, seg_id, p, 0))
        elements = tuple(found.get(p) for p in range(max(found, default=0) + 1))
        return SegmentDef(seg_id, raw["name"], raw["usage"], _int(raw["pos"]),
                          count(raw["max_use"]), elements,
                          tuple(_rule(s) for s in raw["syntax"]),
                          _qualifier(seg_id, elements), loop_id, _date_formats(elements))

    def loop(self, raw: dict) -> LoopDef:
        children = tuple(self.loop(c) if c["tag"] == "loop" else self.segment(c, raw["id"])
                         for c in raw["children"])
        return make_loop(raw["id"], raw["name"], raw["usage"], count(raw["repeat"]),
                         _int(raw["pos"]), raw["type"], children)


def _qualifier(seg_id: str, elements: tuple) -> Qualifier | None:
    """Which element's codes tell this segment from its same-id siblings.

    The same choice pyx12 makes, so both place segments alike: element 01 when it is a
    required ID with codes; ENT02; the first component of a composite 01 (CTX01-1 in the 999
    carries AN codes); HL03 for the hierarchical level.
    """
    def at(p):
        return elements[p] if p < len(elements) else None

    first = at(1)
    if (isinstance(first, ElementDef) and first.data_type == "ID" and first.usage == "R"
            and first.codes):
        return Qualifier(1, 0, first.codes)
    second = at(2)
    if seg_id == "ENT" and isinstance(second, ElementDef) and second.codes:
        return Qualifier(2, 0, second.codes)
    if isinstance(first, CompositeDef) and len(first.components) > 1:
        part = first.components[1]
        if part and part.codes and (part.data_type == "ID" or seg_id == "CTX"):
            return Qualifier(1, 1, part.codes)
    third = at(3)
    if seg_id == "HL" and isinstance(third, ElementDef) and third.codes:
        return Qualifier(3, 0, third.codes)
    return None


def _date_formats(elements: tuple) -> tuple[tuple[int, int], ...]:
    return tuple((p, p + 1) for p in range(1, len(elements) - 1)
                 if isinstance(elements[p], ElementDef)
                 and elements[p].data_ele == _DATE_QUALIFIER
                 and isinstance(elements[p + 1], ElementDef)
                 and elements[p + 1].data_ele == _DATE_VALUE)


def _first_segment(child) -> SegmentDef | None:
    while isinstance(child, LoopDef):
        if not child.children:
            return None
        child = child.children[0]
    return child


def _opening_loop_id(loop) -> str:
    """The loop a missing wrapper is reported as: its first real loop (DETAIL -> 2000A)."""
    while loop.children and isinstance(loop.children[0], LoopDef):
        loop = loop.children[0]
    return loop.id


def _entries(child, index: int):
    """(qualifier, loops, indexes, segment) for each way ``child`` can start."""
    if isinstance(child, SegmentDef):
        yield child.qualifier, (), (index,), child
        return
    if not child.children:
        return
    if isinstance(child.children[0], SegmentDef):
        first = child.children[0]
        yield first.qualifier, (child,), (index, 0), first
        return
    # A wrapper loop (DETAIL) starts when any of its child loops starts.
    for i, sub in enumerate(child.children):
        if isinstance(sub, LoopDef):
            for qual, loops, indexes, seg in _entries(sub, i):
                yield qual, (child,) + loops, (index,) + indexes, seg


def make_loop(loop_id: str, name: str, usage: str, repeat: int, position: int, kind: str,
              children: tuple) -> LoopDef:
    """A loop with its dispatch table and required children worked out."""
    dispatch: dict[str, list[Candidate]] = {}
    required = []
    for index, child in enumerate(children):
        if index == 0 and isinstance(child, SegmentDef) and kind != "wrapper":
            continue  # the loop's first segment again means a new loop: the parent places it
        # A wrapper (the 835's FOOTER) is no X12 loop, only the guide's grouping of a table:
        # its first segment again (a second PLB) is that segment repeating, up to its max use.
        for qual, loops, indexes, seg in _entries(child, index):
            dispatch.setdefault(seg.id, []).append(
                Candidate(child.position, index, qual, loops, indexes, seg))
        if child.usage == "R":
            first = _first_segment(child)
            required.append(Requirement(
                child.position, index, first.id if first else "",
                _opening_loop_id(child) if isinstance(child, LoopDef) else loop_id))
    table = {k: tuple(sorted(_with_fits(v), key=lambda c: (c.position, c.index)))
             for k, v in dispatch.items()}
    first = _first_segment(children[0]) if children else None
    return LoopDef(loop_id, name, usage, repeat, position, kind, children, table,
                   tuple(sorted(required)), first.id if first else "")


def _with_fits(candidates: list[Candidate]) -> list[Candidate]:
    """The candidates of one segment id, those sharing an identifying code with a sibling
    given the other coded elements that tell them apart (``Candidate.fits``)."""
    out = []
    for cand in candidates:
        q = cand.qualifier
        shared = q is not None and any(
            other is not cand and other.qualifier is not None and q.codes & other.qualifier.codes
            for other in candidates)
        out.append(cand._replace(fits=_coded_elements(cand.segment, q)) if shared else cand)
    return out


def _coded_elements(seg: SegmentDef, qualifier: Qualifier) -> tuple:
    """(element, component, codes) of each ID element of ``seg`` with a code list, but the
    identifying one."""
    found = []
    for p, element in enumerate(seg.elements):
        parts = ([(c, part) for c, part in enumerate(element.components) if part]
                 if isinstance(element, CompositeDef) else [(0, element)])
        for c, part in parts:
            if (part is not None and part.data_type == "ID" and part.codes
                    and (p, c) != (qualifier.element, qualifier.component)):
                found.append((p, c, part.codes))
    return tuple(found)


def _find(raw: dict, pred):
    for child in raw["children"]:
        if pred(child):
            yield child
        if child["tag"] == "loop":
            yield from _find(child, pred)


def _envelope(comp: _Compiler, raw_map: dict) -> dict[str, SegmentDef]:
    envelope: dict[str, SegmentDef] = {}
    for parent in _find(raw_map, lambda n: n["tag"] == "loop" and n["id"] != "ST_LOOP"):
        for child in parent["children"]:
            if child["tag"] == "segment" and child["id"] in ENVELOPE_IDS:
                envelope.setdefault(child["id"], comp.segment(child, parent["id"]))
    return envelope


def compile_envelope(raw_map: dict, data_elements: dict, code_sets: dict) -> dict:
    """ISA, GS, GE, IEA, TA1 definitions from a control map (no transaction set in it)."""
    return _envelope(_Compiler(data_elements, code_sets), raw_map)


def compile_schema(raw_map: dict, key: str, transaction: str, implementation: str,
                   data_elements: dict, code_sets: dict, sources: tuple[str, ...]) -> Schema:
    """The Schema for one raw map tree (already patched by its overrides)."""
    comp = _Compiler(data_elements, code_sets)
    st_loops = list(_find(raw_map, lambda n: n["tag"] == "loop" and n["id"] == "ST_LOOP"))
    if len(st_loops) != 1:
        raise SchemaError(f"{key}: expected one ST_LOOP, found {len(st_loops)}")
    root = comp.loop(st_loops[0])
    envelope = _envelope(comp, raw_map)
    top = make_loop("", raw_map["name"], "R", UNBOUNDED, 0, "", (root,))
    ids = frozenset(s["id"] for s in _find(st_loops[0], lambda n: n["tag"] == "segment"))
    return Schema(key, transaction, implementation, raw_map["name"], top, envelope, ids,
                  dict(comp.refs), sources)
