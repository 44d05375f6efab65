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
    how = _HOW.get(value.__class__) or _how_of(value)
    if how is _SAME:
        return value
    if how is _FIELDS:
        return {name: _plain(v, skip) for name, v in zip(value._fields, value)
                if name not in skip}
    if how is _ITEMS:
        return [_plain(v, skip) for v in value]
    return how(value)


# How a value of each class becomes JSON, worked out once per class by the rules below
# (the lookup matters: a claim's record visits a few hundred values).
_SAME, _FIELDS, _ITEMS = "same", "fields", "items"
_HOW: dict[type, object] = {type(None): _SAME}


def _how_of(value):
    if isinstance(value, (str, bool, int)):
        how = _SAME
    elif isinstance(value, Decimal):
        how = str
    elif isinstance(value, date):
        how = value.__class__.isoformat
    elif getattr(value, "as_dict", None) is not None:
        how = value.__class__.as_dict
    elif isinstance(value, tuple) and getattr(value, "_fields", None) is not None:
        how = _FIELDS
    elif isinstance(value, (tuple, list)):
        how = _ITEMS
    else:
        raise TypeError(f"no JSON form for {type(value).__name__}")
    _HOW[value.__class__] = how
    return how


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
