"""The external code lists of SNIP 5, read from ``schemas/codes/`` on first use and kept.

Each list is a small tab-separated file with a header comment naming its sources and date
(carc.tsv, rarc.tsv, pos.tsv, us_states.tsv, ca_provinces.tsv). Nothing is read at import: a
run that never meets a CAS segment never opens carc.tsv. ICD-10-CM, far larger, has its own
module.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple, Optional

from x12kit.schema.registry import repo_schema_dir

_SERIES = re.compile(r"([A-Z]*)(\d+)\Z")
_loaded: dict[str, object] = {}


class Status(NamedTuple):
    """What a code list says of one code: ``known`` (in the list, ``stop`` "" while active,
    a YYYYMMDD stop date or "?" once deactivated), ``newer`` (numbered beyond the highest code
    of its series: possibly added after the list was compiled) or ``unknown``."""

    kind: str
    stop: str = ""


UNKNOWN, NEWER = Status("unknown"), Status("newer")


class CodeList:
    """Codes with their stop dates, and the highest number of each series (N, MA, P, ...)."""

    def __init__(self, rows: dict[str, str]):
        self._known = {code: Status("known", stop) for code, stop in rows.items()}
        # the codes without a stop date: the answer for nearly every code a file holds
        self.active = frozenset(code for code, stop in rows.items() if not stop)
        self._newest: dict[str, int] = {}
        for code in rows:
            prefix, number = _series(code) or ("", 0)
            self._newest[prefix] = max(number, self._newest.get(prefix, 0))

    def status(self, code: str) -> Status:
        known = self._known.get(code)
        if known is not None:
            return known
        series = _series(code)
        if series is not None and series[0] in self._newest \
                and series[1] > self._newest[series[0]]:
            return NEWER
        return UNKNOWN

    def __contains__(self, code: str) -> bool:
        return code in self._known


def _series(code: str) -> Optional[tuple[str, int]]:
    match = _SERIES.match(code)
    return (match.group(1), int(match.group(2))) if match else None


def codes_dir() -> Path:
    return repo_schema_dir() / "codes"


def read_table(path: Path) -> dict[str, str]:
    """First column -> second column of a code file; '#' lines are comments."""
    rows = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, _, rest = line.partition("\t")
            rows[code] = rest
    return rows


def _code_list(name: str) -> CodeList:
    found = _loaded.get(name)
    if found is None:
        found = _loaded[name] = CodeList(read_table(codes_dir() / name))
    return found  # type: ignore[return-value]


def _code_set(name: str) -> frozenset:
    found = _loaded.get(name)
    if found is None:
        found = _loaded[name] = frozenset(read_table(codes_dir() / name))
    return found  # type: ignore[return-value]


def carc() -> CodeList:
    return _code_list("carc.tsv")


def rarc() -> CodeList:
    return _code_list("rarc.tsv")


def place_of_service() -> frozenset:
    return _code_set("pos.tsv")


def us_states() -> frozenset:
    return _code_set("us_states.tsv")


def ca_provinces() -> frozenset:
    return _code_set("ca_provinces.tsv")
