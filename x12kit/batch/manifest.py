"""The manifest: one SQLite file in OUT_DIR recording what became of each input.

A row is written only after the input's outputs are in place (``Staging.commit``), so a
row always names finished files; a run killed before the row is committed does the input
again on the next run and replaces the same outputs by the same names. Content is known by
its SHA-256: a processed content is recorded once (``done`` or ``rejected``), and the same
content under any other path is recorded as ``duplicate`` of it."""
from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from .outcome import DUPLICATE, SKIPPED, TIMINGS, FileResult

MANIFEST_FILE = "manifest.sqlite"

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS inputs (
    path TEXT NOT NULL,            -- absolute
    sha256 TEXT NOT NULL,
    status TEXT NOT NULL,          -- done, rejected or duplicate
    duplicate_of TEXT,             -- for a duplicate: the path processed with that content
    size INTEGER NOT NULL,
    sender TEXT, receiver TEXT, isa13 TEXT,
    sets INTEGER, accepted INTEGER, rejected INTEGER, claims INTEGER, dollars TEXT,
    outputs TEXT NOT NULL,         -- JSON list of paths relative to OUT_DIR
    {", ".join(f"{name}_seconds REAL" for name in TIMINGS)},
    finished_at TEXT NOT NULL,
    PRIMARY KEY (path, sha256)
);
CREATE UNIQUE INDEX IF NOT EXISTS processed_content ON inputs (sha256)
    WHERE status != '{DUPLICATE}';
"""


class Manifest:
    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.db = sqlite3.connect(out_dir / MANIFEST_FILE, isolation_level=None)
        # WAL: each commit survives the process being killed; NORMAL skips the fsync per
        # commit that only a power cut would need
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)

    def earlier(self, path: str, sha256: str) -> FileResult | None:
        """What an earlier run made of this content: ``skipped`` (this path, done then) or
        ``duplicate`` (another path); None when it is new."""
        row = self.db.execute(
            "SELECT path, status, outputs FROM inputs WHERE sha256 = ? AND status != ?",
            (sha256, DUPLICATE)).fetchone()
        if row is None:
            return None
        first, _status, outputs = row
        if first == os.path.abspath(path):
            return FileResult(path, sha256, SKIPPED, self.output_paths(outputs))
        return FileResult(path, sha256, DUPLICATE, duplicate_of=first)

    def record(self, result: FileResult) -> None:
        """Commit ``result`` (after its outputs are in place)."""
        relative = [os.path.relpath(p, self.out_dir) for p in result.outputs]
        row = {"path": os.path.abspath(result.path), "sha256": result.sha256,
               "status": result.status, "duplicate_of": result.duplicate_of or None,
               "size": result.size, "sender": result.sender, "receiver": result.receiver,
               "isa13": result.isa13, "sets": result.sets, "accepted": result.accepted,
               "rejected": result.rejected, "claims": result.claims,
               "dollars": str(result.dollars), "outputs": json.dumps(relative),
               **{f"{name}_seconds": result.seconds.get(name) for name in TIMINGS},
               "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        columns = ", ".join(row)
        marks = ", ".join(f":{name}" for name in row)
        self.db.execute(f"INSERT OR REPLACE INTO inputs ({columns}) VALUES ({marks})", row)

    def output_paths(self, stored: str) -> list[str]:
        return [str(self.out_dir / p) for p in json.loads(stored)]

    def close(self) -> None:
        self.db.close()
