"""The external code lists of SNIP 5 as the rules ask about them, built on ``x12kit.codes``
on first use and kept: is a code known, stopped (and when), or numbered beyond its list?

Nothing is read at import: a run that never meets a CAS segment never opens carc.tsv.
"""
from __future__ import annotations

import re
from typing import NamedTuple, Optional

from x12kit import codes

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


def _stop_text(entry: codes.CodeEntry) -> str:
    """The stop as the rules compare it: "" active, "?" stopped on an unknown date, else
    YYYYMMDD (which orders as the dates do)."""
    if entry.stop is not None:
        return entry.stop.strftime("%Y%m%d")
    return codes.UNKNOWN_STOP if entry.deactivated else ""


def _code_list(name: str) -> CodeList:
    found = _loaded.get(name)
    if found is None:
        latest = {code: spans[-1] for code, spans in codes.entries(name).items()}
        found = _loaded[name] = CodeList({c: _stop_text(e) for c, e in latest.items()})
    return found  # type: ignore[return-value]


def _code_set(name: str) -> frozenset:
    found = _loaded.get(name)
    if found is None:
        found = _loaded[name] = frozenset(codes.entries(name))
    return found  # type: ignore[return-value]


def carc() -> CodeList:
    return _code_list("carc")


def rarc() -> CodeList:
    return _code_list("rarc")


def place_of_service() -> frozenset:
    return _code_set("place_of_service")


def us_states() -> frozenset:
    return _code_set("us_state")


def ca_provinces() -> frozenset:
    return _code_set("ca_province")
