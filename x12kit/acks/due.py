"""Which acknowledgments an interchange is due, and their control numbers.

A validated interchange is answered by a 999 when it has groups, and by a TA1 when it has
interchange-level findings or its ISA14 asks for one. The acknowledgments' own control
numbers (ISA13, GS06, ST02) come from ``ControlNumbers`` (``numbers``), so that they are
unique across files and runs.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from ..segment import Segment
from ..validate.pipeline import InterchangeReport
from ..validate.reports import InterchangeEnd, InterchangeStart
from ..writer import Writer
from .ack277ca import SetVerdicts, write_277ca
from .ack999 import Ack999Writer, ack_999
from .numbers import ControlNumbers
from .ta1 import ta1_interchange, write_ta1

NUMBERED = {"ISA": 13, "GS": 6, "ST": 2}  # the header elements that carry control numbers


def acks_due(report: InterchangeReport, now: datetime,
             show_values: bool = False) -> list[tuple[str, list[Segment]]]:
    """``("999", segments)`` and ``("ta1", segments)`` as due for ``report``, in that order;
    their control numbers are left for ``write_ack`` to fill."""
    if report.header.elements[0] != "ISA":  # findings outside every interchange
        return []
    due = []
    answer = ack_999(report, now, 1, show_values) if report.groups else []
    if answer:  # none for an interchange of acknowledgments: they are not acknowledged
        due.append(("999", answer))
    if ta1_due(report.header, report.diagnostics):
        due.append(("ta1", ta1_interchange(report.header, report.diagnostics, 1, now)))
    return due


def ta1_due(isa: Segment, findings) -> bool:
    """A TA1 answers an interchange with findings of its own, or whose ISA14 asks for one."""
    return bool(findings) or isa.element(14) == "1"


def write_ack(segments: Iterable[Segment], out: BinaryIO, numbers: ControlNumbers) -> None:
    """Write an acknowledgment interchange one segment per line, with its ISA13, GS06 and
    ST02 taken from ``numbers`` (the writer fills the trailers to match)."""
    segments = list(segments)
    blank = [seg.with_elements(*_unnumbered(seg)) if seg.id in NUMBERED else seg
             for seg in segments]
    first = numbers.take(sum(seg.id in NUMBERED for seg in segments))
    Writer(out, layout="lines", fill=True, first_control_number=first).write_all(blank)


def _unnumbered(seg: Segment) -> list[str]:
    elements = list(seg.elements)
    elements[NUMBERED[seg.id]] = ""
    return elements


class AckFiles:
    """The acknowledgments of one input in a folder, written as validation's events come:
    ``NAME.999`` and ``NAME.ta1`` for an input named NAME, or ``NAME-2.999``, ``NAME-3.999``,
    ... when those are taken (by an input of the same name in another folder, or an earlier
    run): no ack overwrites another. Files are created only when an acknowledgment is due.
    Control numbers come from ``numbers`` as each header is written. Given the input's path
    (``claims``: it is read again), ``answer_claims`` then writes ``NAME.277ca`` answering
    the claims of the 837 sets the 999 accepted."""

    def __init__(self, folder: str | os.PathLike, input_name: str, numbers: ControlNumbers,
                 now: datetime, show_values: bool = False,
                 claims: str | os.PathLike | None = None):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.base = input_name
        self.numbers, self.now, self.show_values = numbers, now, show_values
        self.copy = 1
        while any(self._path(kind).exists() for kind in ("999", "ta1", "277ca")):
            self.copy += 1
        self.handles: dict[str, BinaryIO] = {}
        self.written: list[str] = []
        self.isa: Segment | None = None     # the open interchange's ISA
        self.ack: Ack999Writer | None = None  # the 999 answering it
        self.mark = 0                        # where that 999 starts in NAME.999
        self.claims = claims
        self.verdicts = SetVerdicts() if claims is not None else None

    def feed(self, event) -> None:
        """One event of ``x12kit.validate.pipeline.validate_events``."""
        if self.verdicts is not None:
            self.verdicts.feed(event)
        kind = type(event)
        if kind is InterchangeStart:
            self.ack = Ack999Writer(event.header, self.now, self.numbers, self.show_values,
                                    lambda: self._file("999"))
            self.mark = self.handles["999"].tell() if "999" in self.handles else 0
            return
        if self.ack is not None:
            self.ack.feed(event)
        if kind is InterchangeEnd:
            self.ack = None
            if ta1_due(event.header, event.diagnostics):
                write_ta1(event.header, event.diagnostics, self._file("ta1"), self.numbers,
                          self.now)

    def answer_claims(self) -> bool:
        """Once the input is validated to its end: ``NAME.277ca``, where it has claims in
        sets the 999 accepted; whether it rejects any claim."""
        if not self.verdicts:
            return False
        return write_277ca(self.claims, self.verdicts, self._file("277ca"), self.numbers,
                           self.now).rejected > 0

    def abort(self) -> None:
        """The input could not be read to the end of the open interchange: take back the
        part of its 999 already written (a 999 without its trailers answers nothing)."""
        if self.ack is not None and "999" in self.handles:
            self.handles["999"].truncate(self.mark)
            self.handles["999"].seek(self.mark)
        self.ack = None

    def close(self) -> None:
        for kind, handle in self.handles.items():
            empty = handle.tell() == 0  # only a 999 taken back: no file, as for no 999
            handle.close()
            if empty:
                self._path(kind).unlink()
                self.written.remove(str(self._path(kind)))

    def _path(self, kind: str) -> Path:
        stem = self.base if self.copy == 1 else f"{self.base}-{self.copy}"
        return self.folder / f"{stem}.{kind}"

    def _file(self, kind: str) -> BinaryIO:
        while kind not in self.handles:
            try:  # "x": a run beside this one may have taken the name since
                self.handles[kind] = open(self._path(kind), "xb")
            except FileExistsError:
                self.copy += 1
            else:
                self.written.append(str(self._path(kind)))
        return self.handles[kind]
