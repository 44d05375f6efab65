"""What a person or a log collector sees while a batch runs (on stderr; stdout carries the
per-input lines). On a terminal: a progress bar (files/s, MB/s, time left), then a summary
table. Otherwise: one structured log line per input, the canonical log line (positions,
counts and timings, never element values), and one for the whole run."""
from __future__ import annotations

import sys
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from time import perf_counter

from .. import log
from .outcome import DONE, DUPLICATE, REJECTED, SKIPPED, FileResult


@dataclass
class Summary:
    files: int = 0
    statuses: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys((DONE, REJECTED, DUPLICATE, SKIPPED), 0))
    sets: int = 0
    accepted: int = 0
    rejected: int = 0
    claims: int = 0
    dollars: Decimal = Decimal(0)
    bytes: int = 0

    def add(self, result: FileResult) -> None:
        self.files += 1
        self.statuses[result.status] += 1
        self.bytes += result.size
        self.sets += result.sets
        self.accepted += result.accepted
        self.rejected += result.rejected
        self.claims += result.claims
        self.dollars += result.dollars

    def rows(self) -> list[tuple[str, str]]:
        return [("files", f"{self.files:,}"),
                *((f"  {status}", f"{count:,}") for status, count in self.statuses.items()),
                ("sets", f"{self.sets:,}"), ("  sets accepted", f"{self.accepted:,}"),
                ("  sets rejected", f"{self.rejected:,}"), ("claims", f"{self.claims:,}"),
                ("dollars (billed)", f"{self.dollars:,.2f}")]


class Progress:
    """``start`` once the inputs are known, ``advance`` per input, ``close`` at the end."""

    def __init__(self, terminal: bool | None = None) -> None:
        self.terminal = sys.stderr.isatty() if terminal is None else terminal
        self.summary = Summary()
        self.started = perf_counter()
        self.bar = None

    def start(self, files: int, size: int) -> None:
        if not self.terminal:
            return
        from rich.console import Console
        from rich.progress import (BarColumn, Progress as Bar, TextColumn,
                                   TimeRemainingColumn, TransferSpeedColumn)
        # the bar counts bytes (so MB/s and the time left weigh large files right)
        self.bar = Bar(TextColumn("batch"), BarColumn(),
                       TextColumn("{task.fields[done]}/{task.fields[files]} files"),
                       TextColumn("{task.fields[rate]} files/s"), TransferSpeedColumn(),
                       TimeRemainingColumn(), console=Console(stderr=True), transient=True)
        self.task = self.bar.add_task("batch", total=size, files=files, done=0, rate="0.0")
        self.bar.start()

    def advance(self, result: FileResult) -> None:
        self.summary.add(result)
        if self.bar is not None:
            rate = self.summary.files / max(perf_counter() - self.started, 1e-9)
            self.bar.update(self.task, advance=result.size, done=self.summary.files,
                            rate=f"{rate:.1f}")
        else:
            level = "warning" if result.status == REJECTED else "info"
            log.line("batch.file", level, **result.log_fields())

    def close(self) -> None:
        seconds = perf_counter() - self.started
        if self.bar is None:
            log.line("batch.run", "info", seconds=round(seconds, 3), **self._counts())
            return
        self.bar.stop()
        from rich.table import Table
        table = Table(title="x12kit batch",
                      caption=f"{seconds:.1f} s, {self.summary.files / max(seconds, 1e-9):.1f}"
                              f" files/s, {self.summary.bytes / 1e6 / max(seconds, 1e-9):.1f} MB/s")
        table.add_column("")
        table.add_column("", justify="right")
        for row in self.summary.rows():
            table.add_row(*row)
        self.bar.console.print(table)

    def _counts(self) -> dict:
        counts = asdict(self.summary)
        counts.update(counts.pop("statuses"))
        counts["dollars"] = str(self.summary.dollars)
        return counts
