"""TA1 interchange acknowledgments from envelope findings.

One response interchange per interchange received: the ISA with sender and receiver swapped,
one TA1 (control number, date and time of the interchange answered, TA104 A/E/R and the
TA105 note code of its first error), and an IEA counting no groups. This module says only
what the TA1 tells of the findings (``InterchangeAcknowledgment``); ``x12kit.generate``
writes it.
"""
from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import BinaryIO

from ..diagnostics import Diagnostic, Level, Severity
from ..envelope import EnvelopeChecker, by_frame
from ..frames import INTERCHANGE
from ..generate.writing import Generator
from ..models.acks import InterchangeAcknowledgment
from ..models.tree import Loop
from ..models.values import day
from ..reader import read_segments
from ..segment import Segment
from .numbers import ControlNumbers
from .reply import reply_options

NO_ERROR = "000"


def interchange_findings(segments: Iterable[Segment]) -> Iterator[tuple[Segment, list[Diagnostic]]]:
    """(ISA, its interchange-level findings) for each interchange, as each one closes."""
    checker = EnvelopeChecker()
    isa: Segment | None = None
    found: list[Diagnostic] = []
    for seg in segments:
        checked = [d for d in checker.check(seg) if d.level is Level.INTERCHANGE]
        moved = checker.moved
        if moved is not None and moved.opened is not None and moved.opened.depth == INTERCHANGE:
            if isa is not None:  # the trailers it finds missing close the one before
                closed, checked = by_frame(checked)
                yield isa, found + closed
                found = []
            isa = seg
        found += checked
    found += [d for d in checker.finish() if d.level is Level.INTERCHANGE]
    if isa is not None:
        yield isa, found


def ta1_status(findings: Iterable[Diagnostic]) -> tuple[str, str]:
    """TA104 acknowledgment code and TA105 note code for these interchange findings."""
    errors = [d for d in findings if d.severity is Severity.ERROR]
    if errors:
        return "R", errors[0].ack_code or "022"
    warnings = [d for d in findings if d.severity is Severity.WARNING and d.ack_code]
    return ("E", warnings[0].ack_code) if warnings else ("A", NO_ERROR)


def interchange_acknowledgment(isa: Segment,
                               findings: Iterable[Diagnostic]) -> InterchangeAcknowledgment:
    """The TA1 answering ``isa``: its control number, date and time, and the verdict. The
    model is read from the ISA: its loop holds ISA13, ISA09 and ISA10 as a TA1, so what the
    model cannot type (an ISA09 that is no date) is echoed as it came, as TA101 is."""
    status, note = ta1_status(list(findings))
    e = isa.element
    as_read = Segment(("TA1", e(13), e(9), e(10)), delimiters=isa.delimiters)
    return InterchangeAcknowledgment(e(13), day(e(9)), e(10), status, note,
                                     Loop("TA1", (as_read,)))


def write_ta1(isa: Segment, findings: Iterable[Diagnostic], out: BinaryIO,
              numbers: ControlNumbers, now: datetime) -> None:
    """Write to ``out`` the interchange that answers ``isa`` with one TA1."""
    generator = Generator(out, reply_options(isa, now), numbers, checked=False)
    generator.add(interchange_acknowledgment(isa, findings))
    generator.close()


def ta1_interchange(isa: Segment, findings: Iterable[Diagnostic], control_number: int,
                    now: datetime) -> list[Segment]:
    """The segments of the interchange that answers ``isa`` with one TA1 (``write_ta1``),
    its ISA13 ``control_number``."""
    out = io.BytesIO()
    write_ta1(isa, findings, out, ControlNumbers(control_number), now)
    return list(read_segments(out.getvalue()))
