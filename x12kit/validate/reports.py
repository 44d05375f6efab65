"""What validation tells: a verdict per transaction set, as events that stream.

Validation yields events in file order (``pipeline.validate_events``): ``InterchangeStart``,
``GroupStart``, a ``SetReport`` as each set ends (its verdict and findings, complete), then
``GroupEnd`` and ``InterchangeEnd`` with their own findings and the counts of their sets'
verdicts, never the sets themselves; and ``Stray`` for a finding outside every interchange.
So a consumer prints or acknowledges each set as it ends, and memory does not grow with the
number of sets. ``collect`` gathers the events into one ``InterchangeReport`` per interchange
(every set kept) for callers that want the whole report of a small input at once.

Findings kept are capped per set, group and interchange (``MAX_KEPT_FINDINGS``): one claim
with 200,000 service lines over the loop maximum gives the first findings, then one finding
that counts the rest by code (``Suppressed``), with the worst severity among them, so the
verdict still counts every finding. A set's findings about itself are never dropped.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple, Optional, Union

from ..diagnostics import Diagnostic, Level, Severity
from ..segment import Segment

ACCEPTED, WITH_ERRORS, REJECTED = "accepted", "accepted_with_errors", "rejected"
# per set (and per group or interchange, for their own findings): enough for a person or a
# 999 to act on, few enough that memory stays flat and the 999's IK3 loops stay readable
MAX_KEPT_FINDINGS = 1000
_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}
_CLAIM_LEVELS = (Level.SEGMENT, Level.ELEMENT)


def status_of(diagnostics: Iterable[Diagnostic], claims_answered: bool = False) -> str:
    """The verdict of these findings: rejected for an error, accepted with errors for a
    warning. Where ``claims_answered``, an error that ``claim_level`` is counts as a
    warning: the claim it is in is rejected on its own, by a 277CA."""
    severities = {Severity.WARNING if claims_answered and d.severity is Severity.ERROR
                  and claim_level(d) else d.severity for d in diagnostics}
    if Severity.ERROR in severities:
        return REJECTED
    return WITH_ERRORS if Severity.WARNING in severities else ACCEPTED


def claim_level(d: Diagnostic) -> bool:
    """A finding a 277CA can answer claim by claim: a business rule (SNIP 3-5) broken in a
    segment or element of a claim or of its parties' hierarchy levels (the 2000 loops and
    below), not in the set's header or envelope, which stay the 999's to judge. This is how
    clearinghouses split the two answers: the 999 for the file's syntax and structure, the
    277CA for each claim's content, so one bad claim does not reject the thousands beside
    it."""
    return d.snip >= 3 and d.level in _CLAIM_LEVELS and d.loop_id[:1] == "2"


def in_file_order(d: Diagnostic) -> int:
    return d.segment_number


class Suppressed:
    """The findings not kept past the cap: counted by code, with the worst severity, the
    highest SNIP level and the place of the last one (in file order)."""

    __slots__ = ("by_code", "severity", "snip", "last")

    def __init__(self) -> None:
        self.by_code: Counter | None = None   # made by the first count: most sets need none
        self.severity = Severity.INFO
        self.snip = 1
        self.last: Diagnostic | None = None

    def __bool__(self) -> bool:
        return bool(self.by_code)

    def count(self, found: Iterable[Diagnostic]) -> None:
        if self.by_code is None:
            self.by_code = Counter()
        for d in found:
            self.by_code[d.code] += 1
            if _SEVERITY_RANK[d.severity] > _SEVERITY_RANK[self.severity]:
                self.severity = d.severity
            self.snip = max(self.snip, d.snip)
            if self.last is None or d.segment_number >= self.last.segment_number:
                self.last = d

    def merge(self, other: "Suppressed") -> None:
        if not other:
            return
        self.by_code = (self.by_code or Counter()) + other.by_code
        if _SEVERITY_RANK[other.severity] > _SEVERITY_RANK[self.severity]:
            self.severity = other.severity
        self.snip = max(self.snip, other.snip)
        if other.last is not None and (
                self.last is None or other.last.segment_number >= self.last.segment_number):
            self.last = other.last

    def summary(self, level: Level) -> Diagnostic:
        """One finding that stands for all of them, where the last of them is."""
        total = sum(self.by_code.values())
        codes = ", ".join(f"{code} {n}" for code, n in sorted(self.by_code.items()))
        last = self.last
        return Diagnostic(
            "findings-suppressed", self.severity,
            f"{total} more finding(s) not listed, past the first {MAX_KEPT_FINDINGS}: {codes}",
            level, offset=last.offset, segment_number=last.segment_number,
            set_position=last.set_position, segment_id=last.segment_id, snip=self.snip)


def keep(kept: list[Diagnostic], found: Iterable[Diagnostic], suppressed: Suppressed,
         always: Level | None = None) -> int:
    """Append ``found`` to ``kept`` up to the cap, count the rest in ``suppressed``; how many
    were kept. Findings of level ``always`` are kept past the cap."""
    found = found if isinstance(found, list) else list(found)
    if len(kept) + len(found) <= MAX_KEPT_FINDINGS:
        kept += found
        return len(found)
    before = len(kept)
    for d in found:
        if len(kept) < MAX_KEPT_FINDINGS or d.level is always:
            kept.append(d)
        else:
            suppressed.count((d,))
    return len(kept) - before


@dataclass
class SetReport:
    """One transaction set's verdict and findings (at most ``MAX_KEPT_FINDINGS``, then one
    that counts the rest, once the set is ``sealed``)."""

    header: Segment                       # its ST
    implementation: str                   # ST03, else GS08
    schema: str = ""                      # the schema key that checked it ("" for none)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    suppressed: Suppressed = field(default_factory=Suppressed, repr=False, compare=False)
    # a claim file's set whose claims a 277CA answers one by one (``status_of``)
    claims_answered: bool = False

    def add(self, found: Iterable[Diagnostic]) -> int:
        """File findings of the set, up to the cap; how many were kept. Those about the set
        itself (its ST and SE, its schema: a few at most) are always kept: they make its
        999 IK5."""
        return keep(self.diagnostics, found, self.suppressed, always=Level.TRANSACTION)

    def seal(self) -> "SetReport":
        """Close the findings: the count of those not kept becomes the last finding."""
        if self.suppressed:
            self.diagnostics.append(self.suppressed.summary(Level.TRANSACTION))
            self.suppressed = Suppressed()
        return self

    @property
    def status(self) -> str:
        return status_of(self.diagnostics, self.claims_answered)

    def as_dict(self, show_values: bool = False) -> dict:
        return {"st": self.header.element(1), "control_number": self.header.element(2),
                "implementation": self.implementation, "status": self.status,
                "diagnostics": [d.as_dict(show_values) for d in
                                sorted(self.diagnostics, key=in_file_order)]}


class SetCounts(NamedTuple):
    """The verdicts of the sets of a group or interchange (999 AK9 counts)."""

    received: int = 0
    rejected: int = 0
    with_errors: int = 0     # accepted with errors (warnings)

    @property
    def accepted(self) -> int:
        """Sets not rejected (AK904: with errors or without)."""
        return self.received - self.rejected

    def plus(self, status: str) -> "SetCounts":
        return SetCounts(self.received + 1, self.rejected + (status == REJECTED),
                         self.with_errors + (status == WITH_ERRORS))


class InterchangeStart(NamedTuple):
    header: Segment                       # its ISA


class GroupStart(NamedTuple):
    header: Segment                       # its GS


class GroupEnd(NamedTuple):
    """A group's own findings (its GS/GE, control numbers) and its sets' verdicts."""

    header: Segment                       # its GS
    diagnostics: tuple[Diagnostic, ...]
    counts: SetCounts

    @property
    def status(self) -> str:
        return status_of(self.diagnostics)


class InterchangeEnd(NamedTuple):
    """An interchange's own findings (TA1) and the verdicts of all its sets."""

    header: Segment                       # its ISA
    diagnostics: tuple[Diagnostic, ...]
    counts: SetCounts
    groups_rejected: int                  # groups with an error of their own

    @property
    def accepted(self) -> bool:
        """No error anywhere: every set, group and the interchange itself accepted."""
        return not (self.counts.rejected or self.groups_rejected
                    or any(d.is_error for d in self.diagnostics))


class Stray(NamedTuple):
    """A finding outside every interchange (before the first ISA, or after an IEA)."""

    diagnostic: Diagnostic
    segment: Optional[Segment]            # the segment it was found at (None: the end)


Event = Union[InterchangeStart, GroupStart, SetReport, GroupEnd, InterchangeEnd, Stray]


# -- the whole report of an interchange, for callers that want it at once ----------------------

@dataclass
class GroupReport:
    header: Segment                       # its GS
    sets: list[SetReport] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def status(self) -> str:
        return status_of(self.diagnostics)


@dataclass
class InterchangeReport:
    header: Segment                       # its ISA
    groups: list[GroupReport] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def sets(self) -> Iterator[SetReport]:
        return (s for g in self.groups for s in g.sets)

    def findings(self) -> list[Diagnostic]:
        """Every finding of the interchange, its groups and sets, in file order."""
        found = list(self.diagnostics)
        for group in self.groups:
            found += group.diagnostics
            for report in group.sets:
                found += report.diagnostics
        return sorted(found, key=in_file_order)

    @property
    def accepted(self) -> bool:
        """No error anywhere: every set, group and the interchange itself accepted."""
        return not any(d.is_error for d in self.findings())


def collect(events: Iterable[Event]) -> Iterator[InterchangeReport]:
    """One ``InterchangeReport`` per interchange, holding its groups and sets, as each
    interchange ends; a stray finding as a report of its own with an empty header. A set
    outside every group is left out, as it has no group to be listed in."""
    interchange: InterchangeReport | None = None
    group: GroupReport | None = None
    for item in events:
        kind = type(item)
        if kind is SetReport:
            if group is not None:
                group.sets.append(item)
        elif kind is InterchangeStart:
            interchange, group = InterchangeReport(item.header), None
        elif kind is GroupStart:
            group = GroupReport(item.header)
            if interchange is not None:
                interchange.groups.append(group)
        elif kind is GroupEnd:
            group.diagnostics += item.diagnostics
            group = None
        elif kind is InterchangeEnd:
            if interchange is not None:
                interchange.diagnostics += item.diagnostics
                yield interchange
            interchange = group = None
        else:
            header = item.segment if item.segment is not None else Segment(("",))
            yield InterchangeReport(header, diagnostics=[item.diagnostic])


def events_of(report: InterchangeReport) -> Iterator[Event]:
    """The events of one interchange again, from its whole report (``collect``'s inverse),
    with the counts of its sets' verdicts: for an events' consumer given a report."""
    yield InterchangeStart(report.header)
    total, groups_rejected = SetCounts(), 0
    for group in report.groups:
        yield GroupStart(group.header)
        counts = SetCounts()
        for set_report in group.sets:
            yield set_report
            counts = counts.plus(set_report.status)
        yield GroupEnd(group.header, tuple(group.diagnostics), counts)
        total = SetCounts(*(a + b for a, b in zip(total, counts)))
        groups_rejected += any(d.is_error for d in group.diagnostics)
    yield InterchangeEnd(report.header, tuple(report.diagnostics), total, groups_rejected)
