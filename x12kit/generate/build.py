"""Typed records (ndjson) or lossless documents to one X12 file: what ``x12kit build`` does.

An input is either the typed records of ``convert --to ndjson`` (one model a line) or the
lossless document of ``convert --to json``, told apart by its first line. A document's
segments are read into models like any X12 (``x12kit.models``), so both take one path through
the generator: the same checks, control numbers and envelope options. Without options the
envelope comes from what the first model carries (sender and receiver with their qualifiers,
usage indicator, the group's application codes, separators); options given by the caller
win. Control numbers are new, from the counter. Every problem of the
input, in decoding a record or in generating it, is gathered with its place (``FILE:LINE``
and the JSON pointer); with any, nothing is written unless ``lenient``.
"""
from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterable, Iterator
from typing import Optional

from x12kit.acks.numbers import ControlNumbers
from x12kit.generate.envelope import EnvelopeOptions
from x12kit.generate.problems import GenerateError, Problem
from x12kit.generate.records import Decoded, read_records
from x12kit.convert.document import segments_from_document
from x12kit.convert.ndjson import envelope_json
from x12kit.diagnostics import X12ReadError
from x12kit.generate.writing import Generator
from x12kit.models.reading import models_of
from x12kit.output import AllOrNothing

Input = tuple[str, Iterable]  # (name for messages, lines of ndjson)


def options_from(envelope: dict, given: dict) -> EnvelopeOptions:
    """The envelope a record was read under, as options; ``given`` (non-empty values) win."""
    isa = envelope.get("interchange") or {}
    gs = envelope.get("group") or {}
    found = {"sender_qualifier": isa.get("sender_qualifier"), "sender_id": isa.get("sender"),
             "receiver_qualifier": isa.get("receiver_qualifier"),
             "receiver_id": isa.get("receiver"), "usage": isa.get("usage"),
             "group_sender": gs.get("sender"), "group_receiver": gs.get("receiver"),
             "delimiters": envelope.get("delimiters")}
    given = {k: v for k, v in given.items() if v not in (None, "")}
    for party in ("sender", "receiver"):  # a new party names the group's application too
        if given.get(f"{party}_id"):
            found[f"group_{party}"] = ""
    found.update(given)
    return EnvelopeOptions(**{k: v for k, v in found.items() if v not in (None, "")})


def build_file(inputs: Iterable[Input], path: str | os.PathLike, given: Optional[dict] = None,
               numbers: Optional[ControlNumbers] = None, lenient: bool = False
               ) -> list[Problem]:
    """Write the models of ``inputs`` to ``path``; the problems (warnings when lenient)."""
    problems: list[Problem] = []
    records = _decoded(inputs, problems)
    first = next(records, None)
    options = options_from(first[1].envelope if first else {}, given or {})
    with AllOrNothing() as files, open(files.temporary_for(path), "wb") as out:
        generator = Generator(out, options, numbers)
        for place, record in itertools.chain([first] if first else [], records):
            generator.add(record.model, place, _set_id(record.envelope))
        problems += generator.close(lenient=True)
        if problems and not lenient:
            raise GenerateError(problems)
    return problems


def _set_id(envelope: dict) -> Optional[tuple]:
    """The interchange, group and set a record was read from, and where the set began."""
    found = tuple((envelope.get(name) or {}).get("control_number")
                  for name in ("interchange", "group", "set"))
    return found + (envelope.get("set_offset"),) if any(found) else None


def _decoded(inputs: Iterable[Input], problems: list) -> Iterator[tuple[str, Decoded]]:
    for name, lines in inputs:
        lines = iter(lines)
        first = next(lines, b"")
        if _DOCUMENT_MARK in (first if isinstance(first, bytes) else first.encode()):
            yield from _document_models(name, itertools.chain([first], lines), problems)
            continue
        for place, record in read_records(itertools.chain([first], lines), name):
            problems.extend(record.problems)
            if record.model is not None:
                yield place, record


_DOCUMENT_MARK = b'"x12kit-document"'  # on the first line of every lossless document


def _document_models(name: str, lines: Iterable, problems: list
                     ) -> Iterator[tuple[str, Decoded]]:
    """The models of a lossless document, each as a decoded record of its envelope; the
    document's own faults are one problem."""
    try:
        document = json.loads(b"".join(line if isinstance(line, bytes) else line.encode()
                                       for line in lines))
        for envelope, model in models_of(segments_from_document(document)):
            isa = envelope.interchange
            yield name, Decoded(model, {
                **envelope_json(envelope), "delimiters": isa.delimiters if isa else None,
                "set_offset": envelope.header.number if envelope.header else None}, [])
    except (ValueError, X12ReadError) as error:  # DocumentError is a ValueError
        problems.append(Problem("bad-document", "", "document", str(error), name))
