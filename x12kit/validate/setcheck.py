"""The set-level stages of validation, one transaction set at a time.

Within an open set, each segment goes through the walker (placement findings, SNIP 2
structure), the element checks (SNIP 2) and the handlers of the set's rules (SNIP 3-5, fed
by a ``rules.feed.RuleFeed``, which also tells them of the ends of the loops they judge);
at the set's end the rules give their closing findings. ``SetChecker`` does that and files
the findings in the set's ``SetReport``. The serial pipeline uses one for the sets of the
stream it reads; a worker process (``worker``) uses one for the sets it is handed. Neither
sees envelope findings: those are the pipeline's.

The checker owns the run's ``Lane`` (``lane.Lane``), which takes runs of ordinary segments
in one call and calls back here for anything that can find something new.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..schema.registry import transaction_kind
from ..segment import Segment
from .elements import check_segment, data_element
from .lane import Lane
from .reports import SetReport
from ..walk.walker import Placed

class SetChecker:
    """Checks the segments of one open set at a time (``open`` .. ``close``), reading runs
    of ordinary segments from ``segments`` through its lane. With ``timed``, each finding
    kept is timed with the number of the segment being checked when it was made (a worker's
    findings are interleaved with the envelope's by it, as a serial run files them)."""

    def __init__(self, snip: int, segments: Iterator[Segment], timed: bool = False) -> None:
        self.snip = snip
        self.lane = Lane(segments, self.check_elements if snip >= 2 else None, self.file,
                         self.place_in_set)
        self.report: SetReport | None = None
        self.feed = None   # the open set's rules.RuleFeed (None: no rules)
        # segment id -> the handlers of every rule of the open set that looks at it, in the
        # rules' order: one lookup per segment, however many levels and rules there are
        self.handlers: dict[str, tuple] = {}
        self.times: list[int] | None = [] if timed else None

    def open(self, report: SetReport, gs08: str) -> None:
        """Start checking the set of ``report`` (its ST's group GS08 is ``gs08``)."""
        self.report = report
        self.feed = self._feed(report.header, gs08)
        self.handlers = self.feed.handlers if self.feed is not None else {}
        if self.times is not None:
            self.times = []

    def take(self, seg: Segment, walker) -> tuple:
        """The lane's ``take`` for the open set (only counting with ``walker`` None)."""
        return self.lane.take(seg, walker, self.handlers)

    def segment(self, placed: Placed) -> None:
        """The walker's, the element checks' and the rules' findings of a segment of the
        open set, filed in its report."""
        seg, loop_id, _, definition, _, diagnostics = placed
        if diagnostics:
            self.file(diagnostics, placed)
        if definition is not None and self.snip >= 2:
            found = check_segment(seg, definition, loop_id)
            if found:
                self.file(found, placed)
        for handler in self.handlers.get(seg[0][0], ()):
            found = handler(placed)
            if found:
                self.file(found, placed)

    def close(self) -> SetReport:
        """The rules' closing findings, filed; the report, no longer checked here."""
        report = self.report
        if self.feed is not None:
            report.add(self.feed.finish())
        self.report, self.feed, self.handlers = None, None, {}
        return report

    # -- the lane's callbacks ------------------------------------------------------------------

    def check_elements(self, seg: Segment, fields: tuple) -> bool:
        """The element checks of a segment the walker placed (``fields``: its ``Placed``
        after the segment); True when they found nothing."""
        found = check_segment(seg, fields[2], fields[0])
        if found:
            self.file(found, tuple.__new__(Placed, (seg, *fields)))
        return not found

    def place_in_set(self, walker, seg: Segment) -> None:
        """A segment the walker places in full."""
        self.segment(walker.place(seg))

    def file(self, found, placed: Placed) -> None:
        """File findings made at a segment of the open set in its report: those of the
        SNIP levels asked for (the walker's structure findings are SNIP 2)."""
        kept = self.report.add(_numbered([d for d in found if d.snip <= self.snip], placed))
        if self.times is not None and kept:
            self.times += [placed[0][2]] * kept

    def _feed(self, st: Segment, gs08: str):
        """The feed of the set's rules (None: none at this depth, or no schema)."""
        from ..schema.registry import default_registry
        schema, _ = default_registry().resolve(st.element(1), st.element(3), gs08)  # as the walker
        if schema is None:
            return None
        self.report.schema = schema.key
        if self.snip < 3:
            return None
        from .rules import RuleFeed, rules_for  # imported on demand: SNIP 1-2 never pay for it
        rules = rules_for(transaction_kind(st.element(1), schema.implementation), self.snip)
        return RuleFeed(rules, schema) if rules else None


def _numbered(found: list, placed: Placed) -> list:
    """Add the data element number (999 IK402) to element findings."""
    definition = placed.definition
    if definition is None:
        return found
    return [d._replace(data_element=data_element(definition, d.element_ref))
            if d.element_ref and not d.data_element else d for d in found]
