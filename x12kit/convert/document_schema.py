"""The JSON Schema of the document (``schemas/x12-document.schema.json``), generated from the
compiled guides so that it says what the walk can write: for each guide, which loops nest in
which (with the guide's loop names) and which segment ids each loop holds; any other segment
must be marked unplaced. Sets no schema serves are flat lists of segments.

    python -m x12kit.convert.document_schema > schemas/x12-document.schema.json

``tests/test_convert_schema.py`` fails when the committed file is not what this gives today.
"""
from __future__ import annotations

import json
import sys

from x12kit.convert.nodes import DELIMITER_NAMES, ENVELOPE_LOOP_NAMES, FORMAT, VERSION
from x12kit.schema.model import LoopDef, Schema, SegmentDef
from x12kit.walk.events import GROUP_LOOP, INTERCHANGE_LOOP, SET_LOOP

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_ENVELOPE_DEFS = {INTERCHANGE_LOOP: "interchange", GROUP_LOOP: "group", SET_LOOP: "set"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/$defs/{name}"}


def _items(loops: dict[str, str], segment: dict) -> dict:
    """Content items: a loop whose id is one of ``loops`` (id -> definition name), checked
    against that definition, or a segment checked by ``segment``. Dispatched by if/then on
    the id, so a validator never tries a definition that cannot apply."""
    loop: dict = {"properties": {"loop": {"enum": list(loops)}}}
    if loops:
        loop["allOf"] = [{"if": {"properties": {"loop": {"const": loop_id}}},
                          "then": _ref(name)} for loop_id, name in loops.items()]
    return {"if": {"required": ["loop"]}, "then": loop, "else": segment}


def _loop(loop_id: dict, content_items: dict, **more) -> dict:
    """A loop node: ``loop``, ``name``, ``content`` and any ``more`` members."""
    return {"type": "object", "required": ["loop", "name", "content", *more],
            "properties": {"loop": loop_id, "name": {"type": "string"},
                           "content": {"type": "array", "items": content_items}, **more}}


def _text() -> dict:
    return {"type": "string"}


def _shared_defs() -> dict:
    """The document's nodes as every guide shares them."""
    named_value = {"type": "object", "required": ["value"], "additionalProperties": False,
                   "properties": {"name": _text(), "value": _text()}}
    composite = {"type": "object", "required": ["components"], "additionalProperties": False,
                 "properties": {"components": {
                     "type": "object", "minProperties": 1,
                     "patternProperties": {"-[0-9]+$": _ref("value")},
                     "additionalProperties": False}}}
    occurrence = {"if": {"required": ["components"]}, "then": _ref("composite"),
                  "else": _ref("value")}
    # a name and exactly one of value, components, repetitions (size checks: cheap to run)
    element = {"type": "object", "additionalProperties": False, "minProperties": 1,
               "maxProperties": 2, "if": {"required": ["name"]}, "then": {"minProperties": 2},
               "properties": {"name": _text(), "value": _text(),
                              "components": composite["properties"]["components"],
                              "repetitions": {"type": "array", "minItems": 1,
                                              "items": occurrence}}}
    delimiter = {"type": "string", "maxLength": 1}
    return {
        "value": named_value,
        "composite": composite,
        "element": element,
        "segment": {"type": "object", "required": ["segment", "elements"],
                    "additionalProperties": False,
                    "properties": {"segment": _text(), "name": _text(),
                                   "unplaced": {"const": True},
                                   "elements": {"type": "object",
                                                "additionalProperties": _ref("element")}}},
        "interchange": _loop(
            {"const": INTERCHANGE_LOOP}, _items(_ENVELOPE_DEFS, _ref("segment")),
            delimiters={"type": "object", "required": list(DELIMITER_NAMES),
                        "additionalProperties": False,
                        "properties": {name: delimiter for name in DELIMITER_NAMES}}),
        "group": _loop({"const": GROUP_LOOP}, _items({SET_LOOP: "set"}, _ref("segment"))),
        "error": {"type": "object", "required": ["offset", "message"],
                  "properties": {"offset": {"type": "integer"}, "message": _text()}},
    }


def _def_name(schema: Schema, path: tuple[str, ...]) -> str:
    return ".".join((schema.key.replace(":", "-"),) + path)


def _guide_defs(schema: Schema) -> dict:
    """One definition per loop of the guide, by its path from ST_LOOP."""
    defs, stack = {}, [((SET_LOOP,), schema.root)]
    while stack:
        path, loop = stack.pop()
        ids = sorted({c.id for c in loop.children if isinstance(c, SegmentDef)})
        inner = [(path + (c.id,), c) for c in loop.children if isinstance(c, LoopDef)]
        segment = {"$ref": "#/$defs/segment", "if": {"required": ["unplaced"]},
                   "else": {"properties": {"segment": {"enum": ids}}}}
        items = _items({p[-1]: _def_name(schema, p) for p, _ in inner}, segment)
        node = _loop({"const": loop.id}, items)
        node["properties"]["name"] = {"const": loop.name}
        if loop is schema.root:
            node["properties"]["schema"] = {"const": schema.key}
        defs[_def_name(schema, path)] = node
        stack.extend(reversed(inner))
    return defs


def document_schema(registry=None) -> dict:
    from x12kit.schema.registry import default_registry

    registry = registry or default_registry()
    schemas = [registry.load(key) for key in sorted(registry.entries())]
    defs = _shared_defs()
    for schema in schemas:
        defs.update(_guide_defs(schema))
    served = [{"if": {"properties": {"schema": {"const": s.key}}},
               "then": _ref(_def_name(s, (SET_LOOP,)))} for s in schemas]
    unserved = {"if": {"properties": {"schema": {"const": None}}},
                "then": {"properties": {"content": {"items": _ref("segment")}}}}  # flat
    defs["set"] = _loop({"const": SET_LOOP}, {},  # its content: as its guide (or none) says
                        schema={"enum": [s.key for s in schemas] + [None]})
    defs["set"]["allOf"] = served + [unserved]
    return {
        "$schema": DIALECT,
        "$id": "x12-document.schema.json",
        "title": f"{FORMAT} version {VERSION}",
        "description": ("The lossless JSON document of an X12 stream written by x12kit "
                        "(x12kit.convert.document). Loops: " + ", ".join(
                            f"{k} {v}" for k, v in ENVELOPE_LOOP_NAMES.items())
                        + ", then the guide's loops. Generated by "
                        "x12kit.convert.document_schema; do not edit."),
        "type": "object",
        "required": ["format", "version", "content"],
        "additionalProperties": False,
        "properties": {"format": {"const": FORMAT}, "version": {"const": VERSION},
                       "content": {"type": "array",
                                   "items": _items(_ENVELOPE_DEFS, _ref("segment"))},
                       "error": _ref("error")},
        "$defs": defs,
    }


def schema_text(registry=None) -> str:
    return json.dumps(document_schema(registry), indent=1) + "\n"


if __name__ == "__main__":
    sys.stdout.write(schema_text())
