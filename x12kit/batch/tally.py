"""What one input's validation saw, counted as its events and segments pass: the parties
of its first interchange, its sets' verdicts, the sets to leave out of its conversion, and
its claims and their charges (for the run's summary)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation

from ..segment import Segment
from ..validate.reports import (REJECTED, InterchangeEnd, InterchangeStart, SetReport,
                                Stray)


class Tally:
    def __init__(self) -> None:
        self.sender = self.receiver = self.isa13 = ""
        self.sets = self.accepted = self.rejected = 0
        self.rejected_sets: set[int] = set()   # segment numbers of the rejected sets' STs
        self.faults = False                     # an error above the sets (envelope, stray)
        self.claims = 0
        self.dollars = Decimal(0)

    @property
    def clean(self) -> bool:
        return not (self.rejected or self.faults)

    def segments(self, segments: Iterable[Segment]) -> Iterator[Segment]:
        """``segments`` passed on, counting the claims (CLM) and their charges (CLM02)."""
        for seg in segments:
            if seg.elements[0] == "CLM":
                self.claims += 1
                try:
                    self.dollars += Decimal(seg.element(2))
                except InvalidOperation:  # validation reports it; the total leaves it out
                    pass
            yield seg

    def event(self, event) -> None:
        kind = type(event)
        if kind is SetReport:
            self.sets += 1
            if event.status == REJECTED:
                self.rejected += 1
                self.rejected_sets.add(event.header.number)
            else:
                self.accepted += 1
        elif kind is InterchangeStart and not self.isa13:
            isa = event.header
            self.sender = f"{isa.element(5).strip()}:{isa.element(6).strip()}"
            self.receiver = f"{isa.element(7).strip()}:{isa.element(8).strip()}"
            self.isa13 = isa.element(13)
        elif kind is InterchangeEnd:
            self.faults |= event.groups_rejected > 0 or any(d.is_error for d in event.diagnostics)
        elif kind is Stray:
            self.faults |= event.diagnostic.is_error
