"""Code lists with their descriptions: ``describe("carc", "45")``, ``lookup("rarc", "N130")``.

Every list but ICD-10-CM is a tab-separated file in ``schemas/codes/`` (``FILES`` below):
'#' lines first, naming the list's sources, their dates and licences; then a line of column
names, ``code`` first, then any of ``description``, ``start``, ``stop``, ``last_modified``,
``notes``; then one code a line. Dates are YYYYMMDD. A stop of ``?`` marks a code deactivated
on a date the sources do not give. A code may have several lines, each for its own span of
dates (a place of service renamed, say): ``describe(..., on=day)`` picks the one in force
that day, ``lookup`` the latest. ICD-10-CM descriptions come from the simple-icd-10-cm
package (codes written without the dot, as X12 sends them; see ``icd10cm``).

This module sits below validation, models and conversion, which all read codes through it.
Nothing is read at import; each list is read on first use (a lock keeps two threads from
reading one twice) and kept.
"""
from __future__ import annotations

import datetime
import threading
from pathlib import Path
from typing import Mapping, NamedTuple, Optional

from x12kit.codes import icd10cm
from x12kit.schema.registry import repo_schema_dir

# list name -> its file in schemas/codes/
FILES = {
    "carc": "carc.tsv",
    "rarc": "rarc.tsv",
    "claim_status_category": "claim_status_category.tsv",
    "claim_status": "claim_status.tsv",
    "service_type": "service_type.tsv",
    "entity_identifier": "entity_identifier.tsv",
    "place_of_service": "pos.tsv",
    "us_state": "us_states.tsv",
    "ca_province": "ca_provinces.tsv",
    "cas_group": "cas_group.tsv",
    "claim_status_835": "claim_status_835.tsv",
    "plb_reason": "plb_reason.tsv",
    "eb_information": "eb_information.tsv",
    "coverage_level": "coverage_level.tsv",
    "claim_frequency": "claim_frequency.tsv",
    "facility_code_qualifier": "facility_code_qualifier.tsv",
    "ik304": "ik304.tsv",            # 999 segment errors
    "ik403": "ik403.tsv",            # 999 element errors
    "ack_status": "ack_status.tsv",  # IK501 and AK901
    "ik502": "ik502.tsv",            # 999 set errors
    "ak905": "ak905.tsv",            # 999 group errors
    "ta105": "ta105.tsv",            # TA1 note codes
}
LISTS = (*FILES, "icd10cm")
COLUMNS = ("code", "description", "start", "stop", "last_modified", "notes")
UNKNOWN_STOP = "?"


class CodeEntry(NamedTuple):
    """One code of a list over one span of dates. ``deactivated`` is true once the code is
    stopped, with ``stop`` its last day of use, or None when the sources give no date."""

    code: str
    description: Optional[str]
    start: Optional[datetime.date] = None
    stop: Optional[datetime.date] = None
    deactivated: bool = False
    last_modified: Optional[datetime.date] = None
    notes: Optional[str] = None

    def in_force(self, day: datetime.date) -> bool:
        """Usable on ``day``: started by then, not stopped before (an unknown stop date
        cannot rule a day out)."""
        return (self.start is None or self.start <= day) \
            and (self.stop is None or day <= self.stop)


class CodeListError(ValueError):
    """A code list file that cannot be read as one (a fault of the shipped data)."""


_lock = threading.Lock()
_loaded: dict[str, dict[str, tuple[CodeEntry, ...]]] = {}


def describe(list_name: str, code: str, on: Optional[datetime.date] = None) -> Optional[str]:
    """The code's description (of the entry in force on ``on`` when given), or None for a
    code the list does not hold, or holds without a description."""
    if list_name == "icd10cm":
        return icd10cm.describe(code)
    spans = _entries(list_name).get(code, ())
    if on is not None:
        spans = tuple(e for e in spans if e.in_force(on))
    return spans[-1].description if spans else None


def lookup(list_name: str, code: str) -> Optional[CodeEntry]:
    """The code's latest entry, or None for a code the list does not hold."""
    if list_name == "icd10cm":
        description = icd10cm.describe(code)
        return None if description is None else CodeEntry(code, description)
    spans = _entries(list_name).get(code)
    return spans[-1] if spans else None


def entries(list_name: str) -> Mapping[str, tuple[CodeEntry, ...]]:
    """Every code of a file-backed list with its entries, oldest first (read-only use)."""
    if list_name == "icd10cm":
        raise ValueError("icd10cm is too large to list; use lookup or describe")
    return _entries(list_name)


def codes_dir() -> Path:
    return repo_schema_dir() / "codes"


def _entries(list_name: str) -> dict[str, tuple[CodeEntry, ...]]:
    found = _loaded.get(list_name)
    if found is None:
        if list_name not in FILES:
            raise ValueError(f"no code list named {list_name!r}; the lists: {', '.join(LISTS)}")
        with _lock:
            found = _loaded.get(list_name)
            if found is None:
                found = _loaded[list_name] = read_list(codes_dir() / FILES[list_name])
    return found


def read_list(path: Path) -> dict[str, tuple[CodeEntry, ...]]:
    """A code list file, by code; a code's entries sorted by start date."""
    spans: dict[str, list[CodeEntry]] = {}
    columns: Optional[list[str]] = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t")
        if columns is None:
            columns = _columns(path, number, cells)
            continue
        entry = _entry(path, number, dict(zip(columns, cells)))
        spans.setdefault(entry.code, []).append(entry)
    return {code: tuple(sorted(found, key=_start_order)) for code, found in spans.items()}


def _columns(path: Path, number: int, cells: list[str]) -> list[str]:
    unknown = [c for c in cells if c not in COLUMNS]
    if cells[0] != "code" or unknown:
        raise CodeListError(f"{path.name}:{number}: the column line must start with 'code' "
                            f"and name only {', '.join(COLUMNS)}")
    return cells


def _entry(path: Path, number: int, row: dict[str, str]) -> CodeEntry:
    stop = row.get("stop", "")
    try:
        return CodeEntry(
            code=row["code"],
            description=row.get("description") or None,
            start=_date(row.get("start", "")),
            stop=None if stop == UNKNOWN_STOP else _date(stop),
            deactivated=bool(stop),
            last_modified=_date(row.get("last_modified", "")),
            notes=row.get("notes") or None,
        )
    except ValueError:
        raise CodeListError(f"{path.name}:{number}: a date is not YYYYMMDD") from None


def _date(text: str) -> Optional[datetime.date]:
    if not text:
        return None
    if len(text) != 8 or not text.isdigit():
        raise ValueError(text)
    return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))


def _start_order(entry: CodeEntry) -> datetime.date:
    return entry.start or datetime.date.min
