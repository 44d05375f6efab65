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
