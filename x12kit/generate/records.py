"""Typed records (``x12kit convert --to ndjson``: one model a line) back to models.

A record is ``to_json(model)`` with ``type`` (the model's class name), ``envelope`` (the
parties and control numbers it was read under) and ``loops`` (the loops it was read from and
their separators, ``x12kit.models.jsonify.loops_json``); see ``x12kit.convert.ndjson``.

``decode`` is the inverse of ``to_json``, driven by the models' type hints: Decimal from its
string, dates from ISO, nested models and tuples; the loops go back where the model keeps
them. A key missing from the record reads as the field's empty value ("", None, ()) so that
the generator, which knows the guide, names what was required; a value of the wrong kind is
a ``Problem`` with its JSON pointer.
"""
from __future__ import annotations

import functools
import json
import typing
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import NamedTuple, Optional

from x12kit.generate.problems import Problem
from x12kit.models import Claim, ClaimPayment, SetResponse
from x12kit.models.reading import MODEL_TYPES
from x12kit.models.tree import Loop
from x12kit.segment import Delimiters, Segment

MODELS = {cls.__name__: cls for cls in MODEL_TYPES}
# the parts of a model that keep their own loop as read, found again by their place in it
PARTS_WITH_LOOPS = {Claim: ("lines", "2400"), ClaimPayment: ("services", "2110"),
                    SetResponse: ("segment_errors", "2100")}


# -- records to models -----------------------------------------------------------------------
class Decoded(NamedTuple):
    model: object
    envelope: dict        # the record's envelope, its set's offset and separators
    problems: list


def read_records(lines: Iterable[bytes | str], name: str = "") -> Iterator[tuple[str, Decoded]]:
    """(place, decoded record) for each non-blank line; place is ``NAME:LINE``."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        place = f"{name}:{number}"
        try:
            data = json.loads(line)
        except ValueError as error:
            yield place, Decoded(None, {}, [Problem("bad-json", "", "record",
                                                    f"is not JSON ({error.msg})", place)])
            continue
        yield place, decode(data, place)


def decode(data, place: str = "") -> Decoded:
    if not isinstance(data, dict) or data.get("type") not in MODELS:
        return Decoded(None, {}, [Problem("unknown-model", "/type", "record",
                                          "names no model x12kit writes", place)])
    envelope = data.get("envelope") if isinstance(data.get("envelope"), dict) else {}
    loops = data.get("loops") if isinstance(data.get("loops"), dict) else {}
    separators = delimiters_of(loops)
    delimiters = separators or Delimiters()
    problems: list[Problem] = []
    model = _value(MODELS[data["type"]], data, "", _Context(delimiters, problems, place))
    model = _attach_loops(model, loops, delimiters)
    return Decoded(model, {**envelope, "set_offset": loops.get("set_offset"),
                           "delimiters": separators}, problems)


def delimiters_of(loops: dict) -> Optional[Delimiters]:
    """The separators a record's loops are written in (element, component, repetition --
    "" where the interchange has none -- and segment), or None."""
    found = loops.get("delimiters")
    if isinstance(found, list) and len(found) == 4 and all(isinstance(c, str) for c in found):
        return Delimiters(*found)
    return None


class _Context(NamedTuple):
    delimiters: Delimiters
    problems: list
    place: str


def _value(hint, data, pointer: str, ctx: _Context):
    origin = typing.get_origin(hint)
    if origin is typing.Union:
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return None if data is None else _value(options[0], data, pointer, ctx)
    if origin is tuple:
        args = typing.get_args(hint)
        if not isinstance(data, list):
            return _wrong(data, pointer, "a list", ctx, ())
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_value(args[0], v, f"{pointer}/{n}", ctx) for n, v in enumerate(data))
        return tuple(_value(a, v, f"{pointer}/{n}", ctx)
                     for n, (a, v) in enumerate(zip(args, data)))
    if hint is Loop or hint == "Loop":
        return Loop("", ())
    if isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields"):
        if not isinstance(data, dict):
            return _wrong(data, pointer, "an object", ctx, None)
        hints = _hints(hint)
        values = {}
        for name in hint._fields:
            if name in data:
                values[name] = _value(hints[name], data[name], f"{pointer}/{name}", ctx)
            elif name not in hint._field_defaults:
                values[name] = _empty(hints[name])
        return hint(**values)
    if hint is Decimal:
        try:
            found = Decimal(data) if isinstance(data, (str, int)) else None
        except InvalidOperation:
            found = None
        return found if found is not None and found.is_finite() else _wrong(
            data, pointer, "a decimal number as a string", ctx, None)
    if hint is date:
        try:
            return date.fromisoformat(data)
        except (TypeError, ValueError):
            return _wrong(data, pointer, "an ISO date (CCYY-MM-DD)", ctx, None)
    if hint is str:
        return data if isinstance(data, str) else _wrong(data, pointer, "a string", ctx, "")
    if hint is int:
        return data if isinstance(data, int) else _wrong(data, pointer, "a whole number", ctx, 0)
    return data


def _wrong(data, pointer: str, wanted: str, ctx: _Context, empty):
    if data is not None:
        ctx.problems.append(Problem("bad-value", pointer, pointer.rsplit("/", 1)[-1],
                                    f"is not {wanted}", ctx.place))
    return empty


def _empty(hint):
    origin = typing.get_origin(hint)
    if origin is typing.Union:
        return None
    if origin is tuple:
        return ()
    if hint is Loop or hint == "Loop":
        return Loop("", ())
    return "" if hint is str else None


@functools.lru_cache(maxsize=None)
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def _loop_of(data, delimiters: Delimiters) -> Loop:
    if not isinstance(data, dict):
        return Loop("", ())
    return Loop(str(data.get("id", "")), tuple(
        Segment(tuple(str(e) for e in c), delimiters=delimiters) if isinstance(c, list)
        else _loop_of(c, delimiters) for c in data.get("content", ())))


def _attach_loops(model, loops: dict, delimiters: Delimiters):
    """The loops as read, on the model, on the parts that carry their own (by their place:
    ``PARTS_WITH_LOOPS``) and on an 835 payment's header."""
    if model is None or not loops:
        return model
    changes = {}
    if "loop" in loops and hasattr(model, "loop"):
        changes["loop"] = _loop_of(loops["loop"], delimiters)
    if "context" in loops and hasattr(model, "context"):
        changes["context"] = tuple(_loop_of(c, delimiters) for c in loops["context"] or ())
    model = model._replace(**changes)
    loop = changes.get("loop")
    part = PARTS_WITH_LOOPS.get(type(model))
    if part is not None and loop is not None:
        field, loop_id = part
        raw = loop.loops(loop_id)
        model = model._replace(**{field: tuple(
            p._replace(loop=raw[n]) if n < len(raw) else p
            for n, p in enumerate(getattr(model, field)))})
    if "payment" in loops and getattr(model, "payment", None) is not None:
        model = model._replace(payment=model.payment._replace(
            loop=_loop_of(loops["payment"], delimiters)))
    return model


__all__ = ["Decoded", "decode", "read_records"]
