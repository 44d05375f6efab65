"""The acknowledgments' own control numbers (ISA13, GS06, ST02), unique across files and runs:
a counter kept in a small file (updated under a lock, written to a temporary file then renamed
into place), or a start the caller gives. Every generated interchange takes its numbers here.
"""
from __future__ import annotations

import fcntl
import os
from pathlib import Path

from ..errors import UsageError

MAX_CONTROL_NUMBER = 999_999_999  # ISA13 has nine digits; then the count starts again at 1


class ControlNumbers:
    """Control numbers handed out in order: from ``start`` when given, else from the counter
    file ``path`` (1 when it does not exist yet). The file, when there is one, always ends
    holding the next number not handed out, so a later run goes on from there."""

    def __init__(self, start: int | None = None, path: str | os.PathLike | None = None):
        if start is not None and not 1 <= start <= MAX_CONTROL_NUMBER:
            raise UsageError(f"a control number is 1 to {MAX_CONTROL_NUMBER}, not {start}")
        self.start = start
        self.next = start or 1
        self.path = Path(path) if path is not None else None

    def take(self, count: int) -> int:
        """The first of ``count`` consecutive numbers, now used."""
        if self.path is None:
            return self._advance(self.next, count)
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            stored = self._read()
            first = self._advance(stored if self.start is None else self.next, count)
            self._write(self.next if self.start is None else max(stored, self.next))
        return first

    def _advance(self, first: int, count: int) -> int:
        if first + count - 1 > MAX_CONTROL_NUMBER:
            first = 1
        self.next = first + count
        return first

    def _read(self) -> int:
        try:
            text = self.path.read_text().strip()
        except FileNotFoundError:
            return 1
        if not text.isdigit() or not 1 <= int(text) <= MAX_CONTROL_NUMBER + 1:
            raise UsageError(f"{self.path}: the control number counter holds no number")
        return int(text)

    def _write(self, number: int) -> None:
        # one name, not one per process: writers hold the lock, and a writer killed between
        # the two steps leaves a temporary that the next one overwrites and renames away
        temporary = self.path.with_name(f"{self.path.name}.tmp")
        temporary.write_text(f"{number}\n")
        os.replace(temporary, self.path)
