"""The document as XML, both ways: the same loops and segments as the JSON document.

Written incrementally with lxml's ``etree.xmlfile`` as the walk goes; read back with
``iterparse``, each segment dropped once read, so neither way holds more than a segment
and the open loops::

    <x12kit-document version="1">
      <loop id="ISA_LOOP" name="Interchange Control" element="2A" component="3A" ...>
        <ISA name="Interchange Control Header"><ISA01 name="...">00</ISA01>...</ISA>
        ... <loop id="2300" name="Claim Information">
              <CLM name="Claim Information"><CLM01 name="Patient Control Number">..</CLM01>
                <CLM05 name="..."><CLM05-1 name="Place of Service Code">11</CLM05-1>...

Segments are named by their id and elements by their reference, XML names for every X12
id; a segment whose id is not one is ``<segment id="...">`` with elements ``<segment01>``.
Repetitions are ``<repetition>`` children. Separators are written as hexadecimal code
points (X12 allows control characters there, XML does not), and a value holding characters
XML cannot carry is written in base64 (``encoding="base64"``).
"""
from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from typing import BinaryIO, Optional

from lxml import etree

from x12kit.convert.document import DocumentError
from x12kit.convert.nodes import (DELIMITER_NAMES, FORMAT, VERSION, CloseLoop, OpenLoop,
                                  document_parts)
from x12kit.diagnostics import X12ReadError
from x12kit.reader import read_segments
from x12kit.segment import Delimiters, Segment

GENERIC_SEGMENT = "segment"  # the tag of a segment whose id is not an XML name
_SEGMENT_NAME = re.compile(r"[A-Z][A-Z0-9]*")  # never one of the lowercase structure tags
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_STRUCTURE = {"loop", "error"}  # the children of a loop that are not segments


def write_xml(source, out: BinaryIO, registry=None) -> None:
    """Write the XML document of ``source`` (anything ``read_segments`` reads) to ``out``.
    Where the input cannot be read on, the document ends with an ``<error>`` and the
    ``X12ReadError`` is raised."""
    stopped: Optional[X12ReadError] = None
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        open_elements = [xf.element(FORMAT, version=str(VERSION))]
        open_elements[0].__enter__()
        try:
            for part in document_parts(read_segments(source), registry):
                if part.__class__ is CloseLoop:
                    open_elements.pop().__exit__(None, None, None)
                elif part.__class__ is OpenLoop:
                    open_elements.append(xf.element("loop", _loop_attributes(part)))
                    open_elements[-1].__enter__()
                else:
                    xf.write(segment_element(part.node), pretty_print=True)
        except X12ReadError as error:  # the loops are closed: the document can end
            stopped = error
            failure = etree.Element("error", offset=str(error.offset))
            failure.text = error.message  # positions only, never values
            xf.write(failure, pretty_print=True)
        open_elements.pop().__exit__(None, None, None)
    if stopped is not None:
        raise stopped


def _loop_attributes(loop: OpenLoop) -> dict:
    attributes = {"id": loop.loop_id, "name": loop.name}
    if loop.delimiters is not None:
        attributes.update((name, "".join(f"{ord(c):02X}" for c in char))
                          for name, char in zip(DELIMITER_NAMES, loop.delimiters))
    if loop.schema is not None:
        attributes["schema"] = loop.schema
    return attributes


def segment_element(node: dict) -> etree._Element:
    """The XML element of a document's segment object."""
    sid = node["segment"]
    tag = sid if _SEGMENT_NAME.fullmatch(sid) else GENERIC_SEGMENT
    segment = etree.Element(tag)
    if tag is GENERIC_SEGMENT:
        _set_text(segment, sid, "id")
    if "name" in node:
        segment.set("name", node["name"])
    if node.get("unplaced"):
        segment.set("unplaced", "true")
    for ref, element in node["elements"].items():
        child = etree.SubElement(segment, tag + ref[len(sid):])
        if "name" in element:
            child.set("name", element["name"])
        if "repetitions" in element:
            for occurrence in element["repetitions"]:
                _fill(etree.SubElement(child, "repetition"), occurrence, child.tag)
        else:
            _fill(child, element, child.tag)
    return segment


def _fill(target: etree._Element, occurrence: dict, tag: str) -> None:
    if "components" not in occurrence:
        _set_text(target, occurrence["value"])
        return
    for ref, component in occurrence["components"].items():
        child = etree.SubElement(target, tag + ref[ref.rindex("-"):])
        if "name" in component:
            child.set("name", component["name"])
        _set_text(child, component["value"])


def _set_text(target: etree._Element, value: str, attribute: str = "") -> None:
    """Text (or an attribute) XML can carry as it is, else base64 of its bytes, marked."""
    encoded = _NOT_XML.search(value) is not None
    if encoded:
        value = base64.b64encode(value.encode("utf-8", "surrogateescape")).decode("ascii")
    if attribute:
        target.set(attribute + "-base64" if encoded else attribute, value)
    else:
        target.text = value
        if encoded:
            target.set("encoding", "base64")


def segments_from_xml(source) -> Iterator[Segment]:
    """The segments of an XML document (a path or a binary file), in order, each with its
    interchange's separators."""
    delimiters: Optional[Delimiters] = None
    number = 0
    try:
        for event, element in etree.iterparse(source, events=("start", "end"),
                                              resolve_entities=False, no_network=True):
            parent = element.getparent()
            if event == "start":
                if parent is None:
                    _check_root(element)
                elif element.tag == "loop" and element.get("element") is not None:
                    delimiters = _delimiters(element)
                continue
            if parent is None or parent.tag not in ("loop", FORMAT):
                continue
            if element.tag not in _STRUCTURE:
                if delimiters is None:
                    raise DocumentError(f"line {element.sourceline}: a segment outside any "
                                        "interchange has no separators")
                number += 1
                yield Segment(_segment_elements(element, delimiters), number=number,
                              delimiters=delimiters)
            element.clear()  # what was read goes: a loop's segments went as they ended
            while element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as error:
        raise DocumentError(f"not well-formed XML: {error}") from None


def _check_root(root: etree._Element) -> None:
    if root.tag != FORMAT or root.get("version") != str(VERSION):
        raise DocumentError(f"line {root.sourceline}: not a {FORMAT} version {VERSION}")


def _delimiters(loop: etree._Element) -> Delimiters:
    try:
        return Delimiters(*(_code_points(loop.get(name, "")) for name in DELIMITER_NAMES))
    except ValueError:
        raise DocumentError(f"line {loop.sourceline}: separators are hexadecimal code "
                            "points") from None


def _code_points(text: str) -> str:
    return "".join(chr(int(text[i:i + 2], 16)) for i in range(0, len(text), 2))


def _segment_elements(segment: etree._Element, delimiters: Delimiters) -> tuple[str, ...]:
    tag = segment.tag
    sid = _text(segment, "id") if tag == GENERIC_SEGMENT else tag
    texts: dict[int, str] = {}
    for child in segment:
        number = child.tag[len(tag):] if child.tag.startswith(tag) else ""
        if not (number.isascii() and number.isdigit()) or int(number) < 1:
            raise DocumentError(f"line {child.sourceline}: segment {sid}: <{child.tag}> is "
                                "not one of its elements")
        if len(child) and child[0].tag == "repetition":
            if not delimiters.repetition:
                raise DocumentError(f"line {child.sourceline}: repetitions, but the "
                                    "interchange has no repetition separator")
            text = delimiters.repetition.join(_occurrence(r, delimiters) for r in child)
        else:
            text = _occurrence(child, delimiters)
        texts[int(number)] = text
    return (sid,) + tuple(texts.get(n, "") for n in range(1, max(texts, default=0) + 1))


def _occurrence(element: etree._Element, delimiters: Delimiters) -> str:
    if not len(element):
        return _text(element)
    parts: dict[int, str] = {}
    for component in element:
        number = component.tag.rpartition("-")[2]
        if not (number.isascii() and number.isdigit()):
            raise DocumentError(f"line {component.sourceline}: <{component.tag}> is not a "
                                "component")
        parts[int(number)] = _text(component)
    return delimiters.component.join(parts.get(c, "") for c in range(1, max(parts) + 1))


def _text(element: etree._Element, attribute: str = "") -> str:
    if attribute:
        encoded = element.get(attribute + "-base64")
        value = element.get(attribute, "") if encoded is None else encoded
    else:
        encoded = element.get("encoding")
        value = element.text or ""
    if encoded is None:
        return value
    try:
        return base64.b64decode(value, validate=True).decode("utf-8", "surrogateescape")
    except ValueError:
        raise DocumentError(f"line {element.sourceline}: <{element.tag}> is not base64") from None
