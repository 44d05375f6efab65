"""Typed records, one JSON object a line: every model of a file with the envelope it came in.

A record is the model's fields (``x12kit.models.jsonify.to_json``: Decimal amounts as exact
strings, ISO dates, no raw loop trees) plus ``type``, the model's class name, and
``envelope``: the interchange's parties and control number, the group's and the set's, so
that a record can be written back as X12 with the same parties (``x12kit build``); and
``loops``, the segments the model was read from (``jsonify.loops_json``), which ``build``
writes back where the fields do not say. The field
names are stable and documented by ``schemas/models.schema.json`` (``x12kit.convert.
records_schema``). Output is written as the models come: memory is one business item.

Records carry the file's values (names, member ids: PHI): output a user asked for.
"""
from __future__ import annotations

import json
from typing import BinaryIO, Optional

from x12kit.diagnostics import X12ReadError
from x12kit.models.jsonify import loops_json, to_json
from x12kit.models.reading import read_enveloped
from x12kit.segment import Segment
from x12kit.walk.events import Envelope

# The repeated payment header of every claim payment of an 835 set is written in full on
# each record: a record must stand alone (a reader may take any one line).


def write_ndjson(source, out: BinaryIO, registry=None) -> None:
    """One line per model of ``source``. Where the input cannot be read on, a last line
    ``{"type": "error", ...}`` says where, and the ``X12ReadError`` is raised."""
    write = out.write
    try:
        for envelope, model in read_enveloped(source, registry):
            write(record_line(envelope, model))
    except X12ReadError as error:
        write(_line({"type": "error", "offset": error.offset, "message": error.message}))
        raise


def record(envelope: Envelope, model) -> dict:
    """The record of one model: ``type``, ``envelope``, the model's fields, then ``loops``
    (the segments as read, which ``x12kit build`` writes back where the fields do not say)."""
    isa, st = envelope.interchange, envelope.header
    return {"type": type(model).__name__, "envelope": envelope_json(envelope),
            **to_json(model),
            "loops": loops_json(model, isa.delimiters if isa is not None else (),
                                st.offset if st is not None else -1)}


def record_line(envelope: Envelope, model) -> bytes:
    return _line(record(envelope, model))


def _line(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def envelope_json(envelope: Envelope) -> dict:
    """The envelope's identifying fields: ISA05-08, 13 and 15; GS01-03, 06 and 08; ST01-03."""
    return {"interchange": _fields(envelope.interchange, {
                "sender_qualifier": 5, "sender": 6, "receiver_qualifier": 7, "receiver": 8,
                "date": 9, "time": 10, "control_number": 13, "usage": 15}),
            "group": _fields(envelope.group, {
                "functional_id": 1, "sender": 2, "receiver": 3, "date": 4, "time": 5,
                "control_number": 6, "implementation": 8}),
            "set": _fields(envelope.header, {"id": 1, "control_number": 2,
                                             "implementation": 3})}


def _fields(seg: Optional[Segment], positions: dict[str, int]) -> Optional[dict]:
    """The named elements of an envelope segment; ISA's fixed-width padding taken off."""
    if seg is None:
        return None
    return {name: seg.element(n).strip() for name, n in positions.items()}
