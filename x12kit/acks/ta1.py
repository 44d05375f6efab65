"""TA1 interchange acknowledgments from envelope findings.

One response interchange per interchange received: the ISA with sender and receiver swapped,
one TA1 (control number, date and time of the interchange answered, TA104 A/E/R and the
TA105 note code of its first error), and an IEA counting no groups.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from ..diagnostics import Diagnostic, Level, Severity
from ..envelope import EnvelopeChecker
from ..segment import Delimiters, Segment, make_segment
from .reply import reply_delimiters, reply_isa

NO_ERROR = "000"


def interchange_findings(segments: Iterable[Segment]) -> Iterator[tuple[Segment, list[Diagnostic]]]:
    """(ISA, its interchange-level findings) for each interchange, as each one closes."""
    checker = EnvelopeChecker()
    isa: Segment | None = None
    found: list[Diagnostic] = []
    for seg in segments:
        if seg.elements[0] == "ISA" and isa is not None:
            found += [d for d in checker.check(seg) if d.level is Level.INTERCHANGE]
            yield isa, found
            isa, found = seg, []
            continue
        found += [d for d in checker.check(seg) if d.level is Level.INTERCHANGE]
        if seg.elements[0] == "ISA":
            isa = seg
    found += [d for d in checker.finish() if d.level is Level.INTERCHANGE]
    if isa is not None:
        yield isa, found


def ta1_status(findings: list[Diagnostic]) -> tuple[str, str]:
    """TA104 acknowledgment code and TA105 note code for these interchange findings."""
    errors = [d for d in findings if d.severity is Severity.ERROR]
    if errors:
        return "R", errors[0].ack_code or "022"
    warnings = [d for d in findings if d.severity is Severity.WARNING and d.ack_code]
    return ("E", warnings[0].ack_code) if warnings else ("A", NO_ERROR)


def ta1_interchange(isa: Segment, findings: list[Diagnostic], control_number: int,
                    now: datetime, delimiters: Delimiters | None = None) -> list[Segment]:
    """The segments of the interchange that answers ``isa`` with one TA1."""
    d = delimiters or reply_delimiters(isa.delimiters)
    status, note = ta1_status(findings)
    header = reply_isa(isa, control_number, now, d)
    ta1 = make_segment("TA1", isa.element(13), isa.element(9), isa.element(10), status, note,
                       delimiters=d)
    return [header, ta1, make_segment("IEA", "0", header.element(13), delimiters=d)]

