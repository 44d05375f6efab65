"""Typed records: one model per JSON line, with its envelope and the loops it was read from,
and back to models.

A record is ``to_json(model)`` plus ``"model"`` (its type's name), ``"envelope"`` (the ISA,
GS and ST it was read under, as element lists, the interchange's separators and the ST's
byte offset) and
``"loops"`` (the model's ``loop`` and ``context`` as read, and an 835's header: segments as
element lists, loops as ``{"id", "content"}``). So ``write_records`` then ``build`` gives back the file's parties,
its business content and the segments the models carry without typing them.

``model_from_json`` is the inverse of ``to_json``, driven by the models' type hints: Decimal
from its string, dates from ISO, nested models and tuples. A key missing from the record
reads as the field's empty value ("" , None, ()) so that the generator, which knows the
guide, names what was required; a value of the wrong kind is a ``Problem`` with its JSON
pointer.
"""
from __future__ import annotations

import functools
import json
import typing
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import BinaryIO, NamedTuple

from x12kit.generate.problems import Problem
from x12kit.models import (
    Claim, ClaimAcknowledgment, ClaimPayment, ClaimStatus, ClaimStatusRequest,
    EligibilityInquiry, EligibilityRejection, EligibilityResponse, LevelStatus,
    ProviderAdjustment, to_json,
)
from x12kit.models.reading import BUILDERS, read_items
from x12kit.models.tree import Loop
from x12kit.reader import Source, read_segments
from x12kit.segment import Delimiters, Segment
from x12kit.walk.events import Envelope

MODELS = {cls.__name__: cls for cls in (
    Claim, ClaimPayment, ProviderAdjustment, EligibilityInquiry, EligibilityResponse,
    EligibilityRejection, ClaimStatusRequest, ClaimStatus, ClaimAcknowledgment, LevelStatus)}


# -- models to records ----------------------------------------------------------------------
def records(source: Source, registry=None) -> Iterator[dict]:
    """The record of every model of ``source`` that has a generator, in file order."""
    builders: dict[str, object] = {}
    for item in read_items(read_segments(source), registry):
        st = item.envelope.header
        kind = st.element(1) if st is not None else ""
        make = BUILDERS.get(kind)
        if make is None:
            continue
        builder = builders.setdefault(kind, make())
        for model in builder.build(item):
            if type(model).__name__ in MODELS:
                yield record(model, item.envelope)


def record(model, envelope: Envelope) -> dict:
    found = {"model": type(model).__name__, **to_json(model)}
    isa = envelope.interchange
    found["envelope"] = {
        "delimiters": list(isa.delimiters) if isa is not None else [],
        **{name: list(seg.elements) for name, seg in (
            ("interchange", isa), ("group", envelope.group), ("set", envelope.header))
           if seg is not None}}
    if envelope.header is not None:  # sets read alike (the same file twice) stay apart
        found["envelope"]["set_offset"] = envelope.header.offset
    loops = {}
    if hasattr(model, "loop"):
        loops["loop"] = _plain_loop(model.loop)
    if hasattr(model, "context"):
        loops["context"] = [_plain_loop(loop) for loop in model.context]
    if getattr(model, "payment", None) is not None and model.payment.loop is not None:
        loops["payment"] = _plain_loop(model.payment.loop)  # the 835 header as read
    found["loops"] = loops
    return found


def write_records(source: Source, out: BinaryIO, registry=None) -> int:
    """``source``'s records as ndjson to ``out``; how many."""
    count = 0
    for found in records(source, registry):
        out.write(json.dumps(found, ensure_ascii=False).encode("utf-8") + b"\n")
        count += 1
    return count


def _plain_loop(loop: Loop) -> dict:
    return {"id": loop.id, "content": [list(c.elements) if c.__class__ is Segment
                                       else _plain_loop(c) for c in loop.content]}


# -- records to models -----------------------------------------------------------------------
class Decoded(NamedTuple):
    model: object
    envelope: dict
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
    if not isinstance(data, dict) or data.get("model") not in MODELS:
        return Decoded(None, {}, [Problem("unknown-model", "/model", "record",
                                          f"names none of {', '.join(MODELS)}", place)])
    envelope = data.get("envelope") if isinstance(data.get("envelope"), dict) else {}
    delimiters = delimiters_of(envelope) or Delimiters()
    problems: list[Problem] = []
    model = _value(MODELS[data["model"]], data, "", _Context(delimiters, problems, place))
    model = _attach_loops(model, data.get("loops") or {}, delimiters)
    return Decoded(model, envelope, problems)


def delimiters_of(envelope: dict):
    """The separators a record's envelope names (element, component, repetition -- "" where
    the interchange has none -- and segment), or None."""
    found = envelope.get("delimiters")
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
    """The loops as read, on the model and (by their place) on the parts that carry their
    own: a claim's lines (2400), a claim payment's services (2110) and payment header."""
    if model is None or not loops:
        return model
    changes = {}
    if "loop" in loops and hasattr(model, "loop"):
        changes["loop"] = _loop_of(loops["loop"], delimiters)
    if "context" in loops and hasattr(model, "context"):
        changes["context"] = tuple(_loop_of(c, delimiters) for c in loops["context"] or ())
    model = model._replace(**changes)
    loop = changes.get("loop")
    if isinstance(model, Claim) and loop is not None:
        raw = loop.loops("2400")
        model = model._replace(lines=tuple(
            line._replace(loop=raw[n]) if n < len(raw) else line
            for n, line in enumerate(model.lines)))
    if isinstance(model, ClaimPayment) and loop is not None:
        raw = loop.loops("2110")
        model = model._replace(services=tuple(s._replace(loop=raw[n]) if n < len(raw) else s
                                              for n, s in enumerate(model.services)))
    if "payment" in loops and getattr(model, "payment", None) is not None:
        model = model._replace(payment=model.payment._replace(
            loop=_loop_of(loops["payment"], delimiters)))
    return model


__all__ = ["Decoded", "decode", "read_records", "record", "records", "write_records"]
