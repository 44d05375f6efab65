"""Models as JSON-ready dicts, for ndjson output, golden files and whoever wants plain data.

A model (any NamedTuple) becomes a dict of its fields, recursively: ``Decimal`` becomes a
string (exact, "8513.88", never a float), a date its ISO form, a tuple a list. The raw loop
trees (``loop``, ``context``) are left out: the typed fields already say what they hold.
``skip`` names the fields to leave out at every depth; add ``payment`` to leave out the
payment header every claim payment of a set repeats. Diagnostics give their own dict
(``as_dict``, without element values).

The result carries the file's values (names, member ids, birth dates: PHI): it is output a
user asked for, never something to log.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

SKIPPED = frozenset(("loop", "context"))


def to_json(model, skip: frozenset = SKIPPED) -> dict:
    """The fields of ``model`` as a dict of JSON values."""
    return _plain(model, skip)


def _plain(value, skip: frozenset):
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    as_dict = getattr(value, "as_dict", None)
    if as_dict is not None:
        return as_dict()
    fields = getattr(value, "_fields", None)
    if fields is not None:
        return {name: _plain(getattr(value, name), skip) for name in fields
                if name not in skip}
    if isinstance(value, (tuple, list)):
        return [_plain(v, skip) for v in value]
    raise TypeError(f"no JSON form for {type(value).__name__}")


def loops_json(model, delimiters, set_offset: int = -1) -> dict:
    """What ``to_json`` leaves out, for a writer that needs every segment (``x12kit build``):
    the loops the model carries as read (``loop``, ``context``, an 835 payment's header),
    segments as element lists and loops as ``{"id", "content"}``, with the separators the
    elements are written in (``delimiters``) and the byte offset of the set's ST, which tells
    apart sets that read alike."""
    found: dict = {"delimiters": list(delimiters), "set_offset": set_offset}
    if getattr(model, "loop", None) is not None:
        found["loop"] = _loop_json(model.loop)
    if hasattr(model, "context"):
        found["context"] = [_loop_json(loop) for loop in model.context]
    header = getattr(getattr(model, "payment", None), "loop", None)
    if header is not None:
        found["payment"] = _loop_json(header)
    return found


def _loop_json(loop) -> dict:
    return {"id": loop.id, "content": [_loop_json(c) if hasattr(c, "content")
                                       else list(c.elements) for c in loop.content]}
