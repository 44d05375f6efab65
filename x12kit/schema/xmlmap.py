"""Read pyx12-format XML maps, ``dataele.xml`` and ``codes.xml`` into plain dicts.

pyx12 writes its maps two ways: with child elements (``<usage>R</usage>``, map.xsd) and with
attributes (``usage="R"``, map.v2.xsd). Both read the same here, so maps from pyx12 and the
ones in the repository's ``schemas/`` folder go through one reader. The result is a mutable
"raw" tree of dicts that overrides patch before the compiler freezes it.

The parser resolves no entities and opens no network connections: maps are data, never code.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # lxml is imported only when a map is compiled, not on a cache hit
    from lxml import etree


class SchemaError(Exception):
    """A map, data element dictionary or override that cannot be compiled."""


def _parser() -> etree.XMLParser:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True,
                           remove_pis=True, load_dtd=False)


def parse_xml(path: Path) -> etree._Element:
    """Parse one XML file safely; the only place this package reads XML."""
    from lxml import etree

    try:
        return etree.parse(str(path), _parser()).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        raise SchemaError(f"{path.name}: {exc}") from None


def _field(node: etree._Element, name: str, default: str = "") -> str:
    """A property written either as an attribute or as a child element."""
    value = node.get(name)
    if value is None:
        child = node.find(name)
        value = child.text if child is not None else None
    return (value or "").strip() if value is not None else default


def _syntax(node: etree._Element) -> list[str]:
    return [s.text.strip() for s in node.findall("syntax") if s.text and s.text.strip()]


def _element(node: etree._Element) -> dict:
    valid = node.find("valid_codes")
    raw = {
        "tag": "element", "ref": node.get("xid") or "", "data_ele": _field(node, "data_ele"),
        "name": _field(node, "name"), "usage": _field(node, "usage", "S"),
        "seq": _field(node, "seq"), "repeat": _field(node, "repeat"),
        "codes": None, "external": None, "regex": _field(node, "regex") or None,
    }
    if valid is not None:
        raw["codes"] = [c.text.strip() for c in valid.findall("code") if c.text is not None]
        raw["external"] = valid.get("external")
    for extra in ("data_type", "min_len", "max_len"):  # x12kit extension: per-use types
        if _field(node, extra):
            raw[extra] = _field(node, extra)
    return raw


def _composite(node: etree._Element) -> dict:
    return {
        "tag": "composite", "ref": node.get("xid") or "", "data_ele": _field(node, "data_ele"),
        "name": _field(node, "name"), "usage": _field(node, "usage", "S"),
        "seq": _field(node, "seq"), "repeat": _field(node, "repeat"),
        "syntax": _syntax(node),
        "children": [_element(c) for c in node.findall("element")],
    }


def _segment(node: etree._Element) -> dict:
    children = [_element(c) if c.tag == "element" else _composite(c)
                for c in node if c.tag in ("element", "composite")]
    return {
        "tag": "segment", "id": node.get("xid") or "", "name": _field(node, "name"),
        "usage": _field(node, "usage", "S"), "pos": _field(node, "pos", "0"),
        "max_use": _field(node, "max_use", "1"), "syntax": _syntax(node),
        "children": children,
    }


def _loop(node: etree._Element) -> dict:
    children = [_loop(c) if c.tag == "loop" else _segment(c)
                for c in node if c.tag in ("loop", "segment")]
    return {
        "tag": "loop", "id": node.get("xid") or "", "name": _field(node, "name"),
        "usage": _field(node, "usage", "S"), "pos": _field(node, "pos", "0"),
        "repeat": _field(node, "repeat", "1"), "type": node.get("type") or "",
        "children": children,
    }


def read_map(path: Path) -> dict:
    """A map file as a raw tree: ``{"id", "name", "children": [top loops]}``."""
    root = parse_xml(path)
    if root.tag != "transaction":
        raise SchemaError(f"{path.name}: root element is <{root.tag}>, not <transaction>")
    return {"id": root.get("xid") or "", "name": _field(root, "name"),
            "children": [_loop(c) for c in root if c.tag == "loop"]}


def read_data_elements(paths: list[Path]) -> dict[str, tuple[str, int, int]]:
    """Data element number -> (type, min length, max length); later files win."""
    table: dict[str, tuple[str, int, int]] = {}
    for path in paths:
        for node in parse_xml(path).iter("data_ele"):
            try:
                table[node.get("ele_num")] = (node.get("data_type") or "AN",
                                              int(node.get("min_len") or 1),
                                              int(node.get("max_len") or 1))
            except ValueError:
                raise SchemaError(f"{path.name}: bad lengths for {node.get('ele_num')}") from None
    return table


def read_code_sets(paths: list[Path]) -> dict[str, frozenset]:
    """External code list id ("states", "pos", ...) -> its codes; later files add codes."""
    table: dict[str, set] = {}
    for path in paths:
        for node in parse_xml(path).iter("codeset"):
            codes = table.setdefault((node.findtext("id") or "").strip(), set())
            codes.update(c.text.strip() for c in node.iterfind("version/code") if c.text)
    return {k: frozenset(v) for k, v in table.items()}
