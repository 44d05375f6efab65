"""Findings and reports as a person reads them (text lines) and as a program reads them
(JSON-ready dicts). The CLI prints these; tests and embedding applications use the same.

A finding's line is ``FILE:LINE:COL: seg #N ID [LOOP] [ELEMENT Name] [ACK CODE] code:
message``, which editors open at the place; where the input cannot be read a second time
(stdin) the place is ``FILE: byte N:``. Element values appear only when asked for.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic, Level, Severity
from .errors import X12ReadError
from .places import ElementNames, LineLocator
from .reader import Source, source_name

if TYPE_CHECKING:
    from .validate.pipeline import InterchangeReport

MAX_NOTED = 10_000  # header places kept; past that they are found again when asked
ACK_NAMES = {Level.INTERCHANGE: "TA1", Level.GROUP: "AK905", Level.TRANSACTION: "IK502",
             Level.SEGMENT: "IK304", Level.ELEMENT: "IK403"}


class Renderer:
    """The findings and reports of one input, as text lines and as dicts."""

    def __init__(self, source: Source, show_values: bool = False,
                 names: ElementNames | None = None, name: str = "") -> None:
        self.name = name or source_name(source)
        self.show_values = show_values
        self.names = names or ElementNames()
        self.locator = LineLocator(source) if LineLocator.can_read_again(source) else None
        self._located: dict[int, tuple[int, int] | None] = {}  # the current report's

    # -- one finding -------------------------------------------------------------------------

    def finding_line(self, d: Diagnostic, schema_key: str = "") -> str:
        element = d.element_ref
        name = self.names.name(schema_key, d.segment_id, d.element_ref, d.loop_id)
        where = " ".join(p for p in (f"seg #{d.segment_number}" if d.segment_number else "",
                                     d.segment_id, d.loop_id, element, name) if p)
        ack = f"[{ACK_NAMES[d.level]} {d.ack_code}] " if d.ack_code else ""
        value = f" (value {d.value!r})" if self.show_values and d.value else ""
        severity = "" if d.severity is Severity.ERROR else f"{d.severity.value}: "
        return f"{self._place(d.offset)} {where} {ack}{severity}{d.code}: {d.message}{value}"

    def finding_dict(self, d: Diagnostic, schema_key: str = "") -> dict:
        return self._enrich(d.as_dict(self.show_values), schema_key)

    def _enrich(self, found: dict, schema_key: str) -> dict:
        """A finding's dict (``Diagnostic.as_dict``) with its line, column and element name."""
        line_column = self._locate(found["offset"])
        found["line"], found["column"] = line_column or (None, None)
        found["element_name"] = self.names.name(schema_key, found["segment_id"],
                                                found["element_ref"], found["loop_id"])
        return found

    def _locate(self, offset: int) -> tuple[int, int] | None:
        if offset in self._located:
            return self._located[offset]
        return self.locator.locate(offset) if self.locator and offset >= 0 else None

    def _locate_report(self, report: InterchangeReport) -> None:
        """Place every finding of a report in one forward pass: its dict lists envelope
        findings before the sets', out of file order."""
        offsets = sorted({d.offset for d in report.findings()})
        self._located = {offset: self._locate(offset) for offset in offsets}

    def _place(self, offset: int) -> str:
        line_column = self._locate(offset)
        if line_column:
            return f"{self.name}:{line_column[0]}:{line_column[1]}:"
        return f"{self.name}: byte {offset}:" if offset >= 0 else f"{self.name}:"

    # -- input that cannot be read -----------------------------------------------------------

    def error_line(self, error: Exception) -> str:
        offset = error.offset if isinstance(error, X12ReadError) else -1
        return f"{self._place(offset)} error: {error_text(error)}"

    def error_dict(self, error: Exception) -> dict:
        offset = error.offset if isinstance(error, X12ReadError) else -1
        line_column = self._locate(offset) or (None, None)
        return {"message": error_text(error), "offset": offset, "line": line_column[0],
                "column": line_column[1]}

    # -- validation reports ------------------------------------------------------------------

    def report_lines(self, report: InterchangeReport) -> list[str]:
        """Each finding in file order, then a verdict per set."""
        return self.finding_lines(report) + self.verdict_lines(report)

    def finding_lines(self, report: InterchangeReport) -> list[str]:
        """Each finding of the report, in file order."""
        self._locate_report(report)
        return [self.finding_line(d, schema) for d, schema in _with_schemas(report)]

    def verdict_lines(self, report: InterchangeReport) -> list[str]:
        return [self.verdict_line(st) for group in report.groups for st in group.sets]

    def verdict_line(self, st) -> str:
        """``FILE: ST 837 0001 005010X222A1: rejected (2 error(s))``."""
        errors = sum(d.is_error for d in st.diagnostics)
        return (f"{self.name}: ST {st.header.element(1)} {st.header.element(2)} "
                f"{st.implementation or '-'}: {st.status}"
                + (f" ({errors} error(s))" if errors else ""))

    def set_dict(self, st) -> dict:
        """A set's report as a dict, its findings with line, column and element names."""
        document = st.as_dict(self.show_values)
        for found in document["diagnostics"]:
            self._enrich(found, st.schema)
        return document

    # -- validation events, as they come (``validate_events``) -------------------------------

    def event_lines(self, event) -> list[str]:
        """A set's findings in file order and its verdict, as the set ends; a group's or an
        interchange's own findings at its end; a finding outside every interchange."""
        from .validate.reports import (GroupEnd, GroupStart, InterchangeEnd, InterchangeStart,
                                       SetReport, Stray, in_file_order)
        kind = type(event)
        if kind is InterchangeStart or kind is GroupStart:
            self.note_header(event.header)
            return []
        if kind is SetReport:
            found = sorted(event.diagnostics, key=in_file_order)
            return [self.finding_line(d, event.schema) for d in found] + [
                self.verdict_line(event)]
        if kind is GroupEnd or kind is InterchangeEnd:
            return [self.finding_line(d) for d in sorted(event.diagnostics, key=in_file_order)]
        if kind is Stray:
            return [self.finding_line(event.diagnostic)]
        return []

    def note_header(self, header) -> None:
        """Place an ISA or GS while reading passes it: its own findings are given only at its
        end, after the sets, and the file must not be read again from the top for them."""
        if len(self._located) > MAX_NOTED:
            self._located.clear()
        self._located[header.offset] = self._locate(header.offset)

    def report_dict(self, report: InterchangeReport) -> dict:
        def listed(found: list[Diagnostic]) -> list[dict]:
            return [self.finding_dict(d) for d in found]

        self._locate_report(report)
        return {"control_number": report.header.element(13),
                "diagnostics": listed(report.diagnostics),
                "groups": [{"functional_id": g.header.element(1),
                            "control_number": g.header.element(6),
                            "diagnostics": listed(g.diagnostics),
                            "transactions": [self.set_dict(st) for st in g.sets]}
                           for g in report.groups]}

    # -- summaries (``x12kit info``) ---------------------------------------------------------

    def summary_lines(self, interchanges: list[dict], findings: list[Diagnostic]) -> list[str]:
        lines = [f"{self.name}: {len(interchanges)} interchange(s)"]
        for isa in interchanges:
            lines.append(f"  ISA {isa['control_number']} {isa['sender']} -> {isa['receiver']} "
                         f"{isa['date']} {isa['time']} version {isa['version']} {isa['usage']}")
            for gs in isa["groups"]:
                lines.append(f"    GS {gs['control_number']} {gs['functional_id']} "
                             f"{gs['sender']} -> {gs['receiver']} {gs['date']} "
                             f"{gs['implementation']}")
                lines += [f"      {_set_summary(st)}" for st in gs["transactions"]]
        return lines + [self.finding_line(d) for d in findings]

    def summary_dict(self, interchanges: list[dict], findings: list[Diagnostic]) -> dict:
        return {"file": self.name, "interchanges": interchanges,
                "findings": [self.finding_dict(d) for d in findings]}


def _set_summary(st: dict) -> str:
    counts = " ".join(f"{k}={v}" for k, v in st.items()
                      if isinstance(v, int) and k != "segments")
    levels = " ".join(f"HL{k}={v}" for k, v in sorted(st["hl_levels"].items()))
    return (f"ST {st['id']} {st['control_number']} {st['implementation']}"
            f" segments={st['segments']} {counts} {levels}").rstrip()


def _with_schemas(report: InterchangeReport) -> list[tuple[Diagnostic, str]]:
    """Every finding of the report with the schema that names its elements, in the order of
    ``InterchangeReport.findings``."""
    found = [(d, "") for d in report.diagnostics]
    for group in report.groups:
        found += [(d, "") for d in group.diagnostics]
        for st in group.sets:
            found += [(d, st.schema) for d in st.diagnostics]
    return sorted(found, key=lambda pair: pair[0].segment_number)


def error_text(error: Exception) -> str:
    if isinstance(error, OSError):  # a file that cannot be opened names itself
        return f"cannot read: {error.strerror}" if error.filename else str(error.strerror or error)
    return str(getattr(error, "message", error))


@dataclass
class Totals:
    """What a run over several inputs saw, for its closing line."""

    files: int = 0
    unreadable: int = 0
    interchanges: int = 0
    sets: int = 0
    accepted: int = 0     # sets accepted, with or without warnings
    rejected: int = 0
    errors: int = 0
    warnings: int = 0

    def add_findings(self, found: list[Diagnostic]) -> None:
        self.errors += sum(d.severity is Severity.ERROR for d in found)
        self.warnings += sum(d.severity is Severity.WARNING for d in found)

    def add_report(self, report: InterchangeReport) -> None:
        from .validate.pipeline import REJECTED
        self.interchanges += report.header.elements[0] == "ISA"
        for st in report.sets:
            self.sets += 1
            self.rejected += st.status == REJECTED
            self.accepted += st.status != REJECTED
        self.add_findings(report.findings())

    def add_event(self, event) -> bool:
        """Count one validation event; False when it rejects something (an interchange not
        accepted, an error outside every interchange)."""
        from .validate.reports import GroupEnd, InterchangeEnd, SetReport, Stray
        kind = type(event)
        if kind is SetReport or kind is GroupEnd:
            self.add_findings(list(event.diagnostics))
        elif kind is InterchangeEnd:
            self.interchanges += 1
            self.sets += event.counts.received
            self.rejected += event.counts.rejected
            self.accepted += event.counts.accepted
            self.add_findings(list(event.diagnostics))
            return event.accepted
        elif kind is Stray:
            self.add_findings([event.diagnostic])
            return not event.diagnostic.is_error
        return True

    def add_summary(self, interchanges: list[dict], findings: list[Diagnostic]) -> None:
        self.interchanges += len(interchanges)
        self.sets += sum(len(gs["transactions"]) for isa in interchanges for gs in isa["groups"])
        self.add_findings(findings)

    def line(self, verdicts: bool = True) -> str:
        sets = f"{self.sets} set(s)"
        if verdicts:
            sets += f" ({self.accepted} accepted, {self.rejected} rejected)"
        unreadable = f", {self.unreadable} unreadable" if self.unreadable else ""
        return (f"totals: {self.files} file(s){unreadable}, {self.interchanges} "
                f"interchange(s), {sets}, {self.errors} error(s), {self.warnings} warning(s)")

    def as_dict(self) -> dict:
        return asdict(self)
