"""ICD-10-CM diagnosis codes: does a code exist, is it billable, and what does it say?

The codes come from the release that the installed ``simple-icd-10-cm`` package carries (its
data file ``code-list-<release>.txt``, e.g. April 2026). Importing that package parses its 10 MB
XML tabular list (about 1.5 s), so it is never imported: its plain code list is read instead,
and once per machine turned into a sorted file of fixed 8-byte records (the code padded to 7
characters, then ``1`` billable or ``0`` a header code that other codes extend) in the x12kit
cache directory. Using it costs one read of ~0.8 MB and a binary search per new code; results
are memoised, so a multi-GB file pays the search once per distinct code.

A code is billable when no other code extends it (E11 is a category header, E119 is billable;
S72001 needs its 7th character, S72001A is billable). Without the package, ``table`` answers
None and the diagnosis check is skipped.

Descriptions (``describe``) do need the package itself: it is imported on the first
description asked for, of a code the table holds, and costs its parse once per process.
"""
from __future__ import annotations

import importlib
import importlib.util
import os
import tempfile
from pathlib import Path
from typing import Optional

from x12kit.schema.cache import cache_dir

RECORD = 8
WIDTH = 7
UNKNOWN, HEADER, BILLABLE = 0, 1, 2
_MEMO_LIMIT = 200_000
_state: dict[str, object] = {}


class CodeTable:
    """Sorted fixed-width records searched by bisection, with a memo of answers."""

    def __init__(self, blob: bytes, release: str):
        self.blob, self.release = blob, release
        self.count = len(blob) // RECORD
        self._memo: dict[str, int] = {}

    def status(self, code: str) -> int:
        known = self._memo.get(code)
        if known is None:
            known = self._search(code)
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            self._memo[code] = known
        return known

    def _search(self, code: str) -> int:
        if not (0 < len(code) <= WIDTH and code.isascii() and code.isalnum()):
            return UNKNOWN
        key, blob = code.encode().ljust(WIDTH), self.blob
        lo, hi = 0, self.count
        while lo < hi:
            mid = (lo + hi) // 2
            if blob[mid * RECORD:mid * RECORD + WIDTH] < key:
                lo = mid + 1
            else:
                hi = mid
        at = lo * RECORD
        if lo < self.count and blob[at:at + WIDTH] == key:
            return BILLABLE if blob[at + WIDTH] == 0x31 else HEADER
        return UNKNOWN


def build_records(code_list_text: str) -> bytes:
    """The record file from a code-list text (chapters "1".."22" and blocks "A00-A09" left
    out); space padding sorts before every code character, so the order of the padded records
    is the order of the codes."""
    codes = sorted({c for c in code_list_text.split() if "-" not in c and not c[0].isdigit()})
    out = bytearray()
    for code, following in zip(codes, codes[1:] + [""]):
        out += code.encode().ljust(WIDTH) + (b"0" if following.startswith(code) else b"1")
    return bytes(out)


def source_file() -> Optional[Path]:
    """The installed package's code list, found without importing the package."""
    spec = importlib.util.find_spec("simple_icd_10_cm")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(Path(spec.submodule_search_locations[0], "data").glob("code-list-*.txt"))
    return found[-1] if found else None


def cached_records(source: Path, directory: Path) -> bytes:
    """Read the record file for this source, building and storing it on a miss (atomically;
    a cache that cannot be written costs a rebuild per run, nothing else)."""
    target = directory / f"icd10cm-{source.stem}-{source.stat().st_size}.bin"
    try:
        return target.read_bytes()
    except OSError:
        pass
    blob = build_records(source.read_text(encoding="utf-8"))
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, target)
    except OSError:
        pass
    return blob


def table() -> Optional[CodeTable]:
    """The code table, loaded on first use (None when the package is not installed)."""
    if "table" not in _state:
        source = source_file()
        _state["table"] = None if source is None else CodeTable(
            cached_records(source, cache_dir()),
            source.stem.removeprefix("code-list-").replace("-", " "))
    return _state["table"]  # type: ignore[return-value]


def describe(code: str) -> Optional[str]:
    """The code's description in the installed release (written with or without its dot),
    or None for a code the release lacks or without the package."""
    codes = table()
    if codes is None or codes.status(code.replace(".", "")) == UNKNOWN:
        return None
    return importlib.import_module("simple_icd_10_cm").get_description(code)
