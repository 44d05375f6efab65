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
