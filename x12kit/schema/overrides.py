"""Override files: small XML patches applied to a base map before it is compiled.

An override serves one of two purposes, told apart by its root attributes:

* an erratum: ``<override base="837.5010.X222.A1.xml" transaction="837"
  implementation="005010X222A2">`` registers a new implementation built as the base map plus
  the patches (005010X222A2 is 005010X222A1 with its errata);
* a correction: ``<override base="835.5010.X221.A1.xml">`` (no implementation) fixes a fault
  of the base map itself, for every implementation built on it.

Each ``<patch>`` selects nodes and sets properties; it must say why (``reason``) and must
match something, so an override that no longer fits its base map fails loudly::

    <patch loop="2010AA" segment="N4" element="N403" regex="" reason="..."/>
    <patch loop="2300" segment="REF" code="F8" usage="R" reason="..."/>
    <patch segment="ST" element="ST03" codes="005010X222A2" reason="..."/>

Selectors: ``loop`` (every loop with that id), ``segment`` (its id; with ``loop``, only
that loop's own segments), ``code`` (only segments whose identifying element lists the code),
``element`` (``N403`` or ``CLM05-3``). The deepest selector given is the target.
Properties: ``usage``, ``codes`` (replace), ``add-codes``, ``remove-codes`` (space separated),
``external``, ``data_type``, ``min_len``, ``max_len``, ``regex`` ("" removes it), ``repeat``,
``max_use``, ``pos`` (a loop's or segment's position), ``add-syntax``, ``remove-syntax``, ``name``.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from x12kit.schema.xmlmap import SchemaError, parse_xml

_ELEMENT_REF = re.compile(r"^[A-Z][A-Z0-9]{1,2}(\d{2})(?:-(\d{1,2}))?$")
_SELECTORS = ("loop", "segment", "code", "element", "reason")
_SIMPLE = {"usage": "usage", "external": "external", "data_type": "data_type",
           "min_len": "min_len", "max_len": "max_len", "regex": "regex", "repeat": "repeat",
           "max_use": "max_use", "name": "name", "pos": "pos"}
_LIST_OPS = ("codes", "add-codes", "remove-codes", "add-syntax", "remove-syntax")


class Override(NamedTuple):
    path: Path
    base: str                        # file name of the map it patches
    transaction: str                 # "" for a correction
    implementation: str              # "" for a correction
    patches: tuple[dict, ...]        # the <patch> attributes, in file order

    @property
    def is_erratum(self) -> bool:
        return bool(self.implementation)


def read_override(path: Path) -> Override:
    root = parse_xml(path)
    if root.tag != "override" or not root.get("base"):
        raise SchemaError(f"{path.name}: expected <override base=...>")
    patches = tuple(dict(p.attrib) for p in root.iter("patch"))
    for n, patch in enumerate(patches, 1):
        if not patch.get("reason", "").strip():
            raise SchemaError(f"{path.name}: patch {n} gives no reason")
        unknown = set(patch) - set(_SELECTORS) - set(_SIMPLE) - set(_LIST_OPS)
        if unknown:
            raise SchemaError(f"{path.name}: patch {n} has unknown attributes {sorted(unknown)}")
    implementation = root.get("implementation") or ""
    if implementation and not root.get("transaction"):
        raise SchemaError(f"{path.name}: an erratum names its transaction")
    return Override(path, root.get("base"), root.get("transaction") or "", implementation,
                    patches)


def _loops(node: dict):
    for child in node["children"]:
        if child["tag"] == "loop":
            yield child
            yield from _loops(child)


def _segments(node: dict, direct: bool):
    for child in node["children"]:
        if child["tag"] == "segment":
            yield child
        elif child["tag"] == "loop" and not direct:
            yield from _segments(child, False)


def _identifying_codes(segment: dict) -> set:
    codes: set = set()
    for i, child in enumerate(segment["children"], 1):
        position = int(child["seq"] or i)
        if child["tag"] == "composite" and position == 1 and child["children"]:
            codes.update(child["children"][0]["codes"] or ())
        elif position == 1 or (segment["id"] == "HL" and position == 3):
            codes.update(child["codes"] or ())
    return codes


def _element(segment: dict, ref: str):
    match = _ELEMENT_REF.match(ref)
    if not match:
        raise SchemaError(f"not an element reference: {ref!r}")
    position, component = int(match.group(1)), match.group(2)
    for i, child in enumerate(segment["children"], 1):
        if int(child["seq"] or i) != position:
            continue
        if component is None:
            return child
        for j, part in enumerate(child.get("children", ()), 1):
            if int(part["seq"] or j) == int(component):
                return part
    return None


def _targets(raw_map: dict, patch: dict) -> list[dict]:
    scopes = [l for l in _loops(raw_map) if l["id"] == patch["loop"]] if "loop" in patch \
        else [raw_map]
    if "segment" not in patch:
        return scopes if "loop" in patch else []
    segments = [s for scope in scopes for s in _segments(scope, direct="loop" in patch)
                if s["id"] == patch["segment"]
                and ("code" not in patch or patch["code"] in _identifying_codes(s))]
    if "element" not in patch:
        return segments
    found = (_element(s, patch["element"]) for s in segments)
    return [e for e in found if e is not None]


def _apply(node: dict, patch: dict) -> None:
    for attr, key in _SIMPLE.items():
        if attr in patch:
            node[key] = patch[attr] or None if key in ("regex", "external") else patch[attr]
    if "codes" in patch:
        node["codes"] = patch["codes"].split()
    if "add-codes" in patch:
        node["codes"] = sorted(set(node.get("codes") or ()) | set(patch["add-codes"].split()))
    if "remove-codes" in patch:
        node["codes"] = [c for c in node.get("codes") or () if c not in
                         patch["remove-codes"].split()]
    if "add-syntax" in patch:
        node["syntax"] = node.get("syntax", []) + patch["add-syntax"].split()
    if "remove-syntax" in patch:
        node["syntax"] = [s for s in node.get("syntax", []) if s not in
                          patch["remove-syntax"].split()]


def apply_override(raw_map: dict, override: Override) -> None:
    """Patch the raw map tree in place; every patch must find its target."""
    for n, patch in enumerate(override.patches, 1):
        targets = _targets(raw_map, patch)
        if not targets:
            raise SchemaError(f"{override.path.name}: patch {n} matches nothing in "
                              f"{override.base}")
        for node in targets:
            _apply(node, patch)
