"""Validation results as one JSON document, written while validation runs.

The document is a list with one object per input file: ``{"file", "interchanges": [...]}``
(and ``"error"`` when the file could not be read to its end); per interchange
``{"control_number", "groups": [...], "diagnostics"}``, per group ``{"functional_id",
"control_number", "transactions": [...], "diagnostics"}``, per set ``SetReport.as_dict``.
Each set is written when its report arrives, a level's own findings when it ends, so the
output streams and memory stays flat however many sets there are. A set outside every
group has no place in the document (as in ``reports.collect``); a finding outside every
interchange is written as an interchange of its own with an empty control number.
"""
from __future__ import annotations

import json
from collections.abc import Callable

from .reports import (GroupEnd, GroupStart, InterchangeEnd, InterchangeStart, SetReport,
                      Stray)


class JsonEventWriter:
    """``file`` starts an input's object, ``feed`` takes its events, ``end_file`` closes it
    (with the error that stopped reading, if any, and any further fields), ``close`` ends
    the document. The findings and sets are given their dicts by the input's renderer
    (``x12kit.render.Renderer``: line, column and element names)."""

    def __init__(self, write: Callable[[str], object]) -> None:
        self.write = write
        self.counts = [0]        # items written in each list open, outermost first
        self.open: list[str] = []   # what each open list belongs to: file, interchange, group
        self.renderer = None
        self.write("[")

    def file(self, renderer) -> None:
        self.renderer = renderer
        self._item(f'{{"file": {json.dumps(renderer.name)}, "interchanges": [', "file")

    def feed(self, event) -> None:
        kind, inside = type(event), self.open[-1]
        if kind is SetReport:
            if inside == "group":
                self._item(json.dumps(self.renderer.set_dict(event)))
        elif kind is InterchangeStart:
            self.renderer.note_header(event.header)
            number = json.dumps(event.header.element(13))
            self._item(f'{{"control_number": {number}, "groups": [', "interchange")
        elif kind is GroupStart:
            self.renderer.note_header(event.header)
            if inside == "interchange":
                gs = event.header
                self._item(f'{{"functional_id": {json.dumps(gs.element(1))}, '
                           f'"control_number": {json.dumps(gs.element(6))}, '
                           '"transactions": [', "group")
        elif kind is GroupEnd:
            if inside == "group":
                self._end(event.diagnostics)
        elif kind is InterchangeEnd:
            if inside == "interchange":
                self._end(event.diagnostics)
        elif kind is Stray:
            self._item(json.dumps({"control_number": "", "groups": [],
                                   "diagnostics": [self._dict(event.diagnostic)]}))

    def end_file(self, error: dict | None = None, **fields) -> None:
        """Close the file's object, and any interchange or group the input left open."""
        while self.open[-1] != "file":
            self._end(())
        if error is not None:
            fields["error"] = error
        self._end((), fields)

    def close(self) -> None:
        self.write("\n]\n")

    def _item(self, text: str, opens: str | None = None) -> None:
        indent = " " * len(self.counts)
        self.write(("," if self.counts[-1] else "") + "\n" + indent + text)
        self.counts[-1] += 1
        if opens:
            self.open.append(opens)
            self.counts.append(0)

    def _end(self, diagnostics, fields: dict | None = None) -> None:
        """Close the innermost list open and the object it belongs to."""
        level = self.open.pop()
        self.counts.pop()
        tail = "]"
        if level != "file":
            tail += f', "diagnostics": {json.dumps([self._dict(d) for d in diagnostics])}'
        for key, value in (fields or {}).items():
            tail += f", {json.dumps(key)}: {json.dumps(value)}"
        self.write(tail + "}")

    def _dict(self, d) -> dict:
        return self.renderer.finding_dict(d)
