"""The lossless JSON document of an X12 stream, both ways.

``write_json`` writes the document as the walk goes, one segment object per line: loops open
and close with the walk's events (``nodes.document_parts``), so a set of any size costs one
segment and the open loops. ``segments_from_document`` gives the segments back, each with
its interchange's separators, ready for ``x12kit.writer``.

The shape (``schemas/x12-document.schema.json`` has it in full)::

    {"format": "x12kit-document", "version": 1, "content": [
      {"loop": "ISA_LOOP", "name": "Interchange Control", "delimiters": {...}, "content": [
        {"segment": "ISA", "name": "Interchange Control Header", "elements": {...}},
        {"loop": "GS_LOOP", ..., "content": [
          {"loop": "ST_LOOP", "name": ..., "schema": "837:005010X222A1", "content": [...]}
    ...], "error": {"offset": 1042, "message": "..."}}

``error`` is there only where reading stopped: the document then holds what was read.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO, Optional

from x12kit.convert.nodes import (DELIMITER_NAMES, FORMAT, VERSION, CloseLoop, OpenLoop,
                                  document_parts)
from x12kit.diagnostics import X12ReadError
from x12kit.reader import read_segments
from x12kit.segment import Delimiters, Segment


class DocumentError(ValueError):
    """A document that does not give back segments; the message names the place (a path
    in the document, and the segment and element), never a value."""


def write_json(source, out: BinaryIO, registry=None) -> None:
    """Write the document of ``source`` (anything ``read_segments`` reads) to ``out``.
    Where the input cannot be read on, the document is ended with its ``error`` and the
    ``X12ReadError`` raised."""
    writer = _JsonWriter(out)
    try:
        for part in document_parts(read_segments(source), registry):
            if part.__class__ is CloseLoop:
                writer.close_loop()
            elif part.__class__ is OpenLoop:
                writer.open_loop(part.header())
            else:
                writer.item(json.dumps(part.node))
    except X12ReadError as error:
        writer.end({"offset": error.offset, "message": error.message})
        raise
    writer.end()


class _JsonWriter:
    """JSON text written piece by piece: a container's items separated by commas, one a
    line, indented by depth."""

    def __init__(self, out: BinaryIO) -> None:
        self._write = out.write
        self._empty = [True]  # per open container: nothing written in it yet
        self._write(f'{{"format": "{FORMAT}", "version": {VERSION}, "content": ['.encode())

    def item(self, text: str) -> None:
        lead = "\n" if self._empty[-1] else ",\n"
        self._empty[-1] = False
        self._write((lead + "  " * len(self._empty) + text).encode())

    def open_loop(self, header: dict) -> None:
        self.item(json.dumps(header)[:-1] + ', "content": [')
        self._empty.append(True)

    def close_loop(self) -> None:
        self._empty.pop()
        self._write(b"]}")

    def end(self, error: Optional[dict] = None) -> None:
        tail = f', "error": {json.dumps(error)}' if error else ""
        self._write(f"\n]{tail}}}\n".encode())


def segments_from_document(document: dict) -> Iterator[Segment]:
    """The segments of a document, in order, each with its interchange's separators."""
    if not isinstance(document, dict) or (document.get("format"), document.get("version")) \
            != (FORMAT, VERSION):
        raise DocumentError(f"not a {FORMAT} version {VERSION}")
    reader = _DocumentReader()
    yield from reader.content(document.get("content"), "content")


class _DocumentReader:
    def __init__(self) -> None:
        self.delimiters: Optional[Delimiters] = None
        self.number = 0

    def content(self, nodes, where: str) -> Iterator[Segment]:
        if not isinstance(nodes, list):
            raise DocumentError(f"{where}: not a list of loops and segments")
        for i, node in enumerate(nodes):
            at = f"{where}[{i}]"
            if isinstance(node, dict) and "loop" in node:
                if "delimiters" in node:
                    self.delimiters = _delimiters(node["delimiters"], at)
                yield from self.content(node.get("content"), at + ".content")
            else:
                yield self.segment(node, at)

    def segment(self, node, where: str) -> Segment:
        if self.delimiters is None:
            raise DocumentError(f"{where}: a segment outside any interchange has no separators")
        try:
            sid = node["segment"]
            elements = segment_elements(sid, node["elements"], self.delimiters)
        except DocumentError as error:
            raise DocumentError(f"{where}: {error}") from None
        except (KeyError, TypeError, AttributeError) as error:
            raise DocumentError(f"{where}: not a segment object ({type(error).__name__})") from None
        self.number += 1
        return Segment(elements, number=self.number, delimiters=self.delimiters)


def _delimiters(node, where: str) -> Delimiters:
    try:
        chars = tuple(node[name] for name in DELIMITER_NAMES)
    except (KeyError, TypeError):
        raise DocumentError(f"{where}: delimiters need {', '.join(DELIMITER_NAMES)}") from None
    if not all(isinstance(c, str) and len(c) <= 1 for c in chars) or not all(chars[::3]):
        raise DocumentError(f"{where}: each delimiter is one character (repetition may be empty)")
    return Delimiters(*chars)


def segment_elements(sid: str, elements: dict, delimiters: Delimiters) -> tuple[str, ...]:
    """A segment's element texts from its ``elements`` object: each at the position its
    reference names (``CLM05`` is element 5), positions not named empty."""
    texts: dict[int, str] = {}
    for ref, element in elements.items():
        texts[_position(sid, ref)] = _element_text(ref, element, delimiters)
    return (sid,) + tuple(texts.get(n, "") for n in range(1, max(texts, default=0) + 1))


def _position(sid: str, ref: str) -> int:
    number = ref[len(sid):] if ref.startswith(sid) else ""
    if not (number.isascii() and number.isdigit()) or int(number) < 1:
        raise DocumentError(f"segment {sid}: {ref!r} does not name one of its elements")
    return int(number)


def _element_text(ref: str, element: dict, delimiters: Delimiters) -> str:
    if "repetitions" in element:
        if not delimiters.repetition:
            raise DocumentError(f"element {ref}: repetitions, but the interchange has no "
                                "repetition separator")
        return delimiters.repetition.join(_occurrence(ref, r, delimiters.component)
                                          for r in element["repetitions"])
    return _occurrence(ref, element, delimiters.component)


def _occurrence(ref: str, occurrence: dict, separator: str) -> str:
    if "components" in occurrence:
        parts: dict[int, str] = {}
        for component_ref, component in occurrence["components"].items():
            c = _component_number(ref, component_ref)
            parts[c] = _text(component_ref, component.get("value"))
        return separator.join(parts.get(c, "") for c in range(1, max(parts, default=1) + 1))
    return _text(ref, occurrence.get("value"))


def _component_number(ref: str, component_ref: str) -> int:
    head, _, number = component_ref.rpartition("-")
    if head != ref or not number.isdigit() or int(number) < 1:
        raise DocumentError(f"element {ref}: {component_ref!r} does not name one of its "
                            "components")
    return int(number)


def _text(ref: str, value) -> str:
    if not isinstance(value, str):
        raise DocumentError(f"element {ref}: value is not a string")
    return value
