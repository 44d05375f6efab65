"""The JSON Schema of the typed records (``x12kit convert --to ndjson``), made from the models'
own type hints, so that the schema and the models cannot drift apart.

Each model class becomes a definition: its fields as properties (``Decimal`` a string of an
exact amount, ``date`` an ISO date string, ``Optional[X]`` X or null, ``tuple[X, ...]`` an
array of X, a nested model a reference to its definition). The raw loop trees that
``to_json`` leaves out are left out here too. A record is one of the top-level models, told
apart by its ``type``, with its ``envelope``. ``schemas/models.schema.json`` holds the result;
a test checks that it is what this module makes today (``python -m
x12kit.convert.records_schema > schemas/models.schema.json`` renews it).
"""
from __future__ import annotations

import json
import sys
import types
import typing
from datetime import date
from decimal import Decimal

from x12kit.models.jsonify import SKIPPED
from x12kit.models.reading import MODEL_TYPES

SCHEMA_ID = "https://x12kit.invalid/schemas/models.schema.json"
_AMOUNT = {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}
_DATE = {"type": "string", "format": "date"}
_ENVELOPE_PART = {"type": ["object", "null"], "additionalProperties": {"type": "string"}}


def records_schema() -> dict:
    definitions: dict[str, dict] = {}
    for model in MODEL_TYPES:
        _define(model, definitions)
    records = []
    for model in MODEL_TYPES:
        record = {"allOf": [{"$ref": f"#/$defs/{model.__name__}"}],
                  "properties": {"type": {"const": model.__name__},
                                 "envelope": {"$ref": "#/$defs/Envelope"}},
                  "required": ["type", "envelope"]}
        records.append(record)
    definitions["Envelope"] = {
        "type": "object",
        "properties": {"interchange": _ENVELOPE_PART, "group": _ENVELOPE_PART,
                       "set": _ENVELOPE_PART},
        "required": ["interchange", "group", "set"]}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "title": "x12kit typed records (one per line of convert --to ndjson)",
            "oneOf": records, "$defs": dict(sorted(definitions.items()))}


def _define(model: type, definitions: dict) -> dict:
    """A reference to the model's definition, written on first sight."""
    name = model.__name__
    if name not in definitions:
        definitions[name] = {}  # taken before its fields: a model may nest itself
        hints = typing.get_type_hints(model, vars(sys.modules[model.__module__]))
        fields = [f for f in model._fields if f not in SKIPPED]
        definitions[name] = {
            "type": "object", "description": (model.__doc__ or "").strip().split("\n")[0],
            "properties": {f: _schema_of(hints[f], definitions) for f in fields},
            "required": fields}
    return {"$ref": f"#/$defs/{name}"}


def _schema_of(hint, definitions: dict) -> dict:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        options = [_schema_of(a, definitions) for a in args if a is not type(None)]
        nullable = {"anyOf": options + [{"type": "null"}]} if type(None) in args else None
        return nullable or (options[0] if len(options) == 1 else {"anyOf": options})
    if origin is tuple or hint is tuple:
        if not args:  # findings: diagnostics as their own dicts
            return {"type": "array", "items": {"type": "object"}}
        if len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": _schema_of(args[0], definitions)}
        return {"type": "array", "prefixItems": [_schema_of(a, definitions) for a in args],
                "minItems": len(args), "maxItems": len(args)}
    if hint is Decimal:
        return _AMOUNT
    if hint is date:
        return _DATE
    if hint is str:
        return {"type": "string"}
    if hint is bool:
        return {"type": "boolean"}
    if hint is int:
        return {"type": "integer"}
    if isinstance(hint, type) and hasattr(hint, "_fields"):
        return _define(hint, definitions)
    raise TypeError(f"no JSON Schema for the type hint {hint!r}")


if __name__ == "__main__":
    json.dump(records_schema(), sys.stdout, indent=1)
    sys.stdout.write("\n")
