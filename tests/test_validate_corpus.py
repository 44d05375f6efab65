"""Every 5010 corpus file of the mission's kinds, validated to SNIP 5: x12kit's verdict against
the origin's intent (SOURCES.md) and against pyx12 4.0.0's x12valid where pyx12 had the map and
did not crash.

A file is "valid" when it is readable and no interchange, group or set of it holds an error,
"invalid" otherwise, "unreadable" when reading raises ``X12ReadError`` (which agrees with an
intent or a pyx12 verdict of invalid). Each disagreement is listed in
``tests/data/validate_disagreements.json`` with its category and the fault behind it, and pins
x12kit's verdict, its rejected sets and the codes of its errors (and warnings), so the test
fails on an unlisted disagreement, on a listed one whose diagnosis changed, and on a listed one
that no longer disagrees. Sets x12kit has no schema for (rejected unchecked with a
``schema-unknown`` error, 999 IK5 I6) are pinned there too, under ``unchecked``.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.conftest import CORPUS, sources_table
from x12kit import Severity, X12ReadError
from x12kit.validate.pipeline import REJECTED, validate

DATA_FILE = Path(__file__).parent / "data" / "validate_disagreements.json"
MISSION_KINDS = frozenset(("837P", "837I", "837D", "835", "270", "271", "276", "277", "277CA",
                           "999"))
MISSION_SETS = frozenset(("837", "835", "270", "271", "276", "277", "999"))  # mixed/, other/


def is_5010(version: str) -> bool:
    """ISA12 00501, or any GS08 starting 005010 ("00401 / 005010X279" counts)."""
    isa12, _, gs08s = version.partition(" / ")
    return isa12.strip() == "00501" or any(g.strip().startswith("005010")
                                           for g in gs08s.split(","))


def in_scope(path: str, row: dict) -> bool:
    if not is_5010(row["version"]):
        return False
    folder = path.split("/")[0]
    if folder in MISSION_KINDS:
        return True
    sets = set(re.findall(r"\bST (\d{3})\b", row["notes"]))
    return folder in ("mixed", "other") and bool(sets) and sets <= MISSION_SETS


def intent_verdict(row: dict) -> str:
    return "invalid" if row["intent"].upper().startswith("BROKEN") else "valid"


def pyx12_verdict(row: dict) -> str | None:
    """pass / fail: ... as SOURCES.md has them; None for no map and crash (not compared)."""
    cell = row["pyx12"]
    return "valid" if cell.startswith("pass") else "invalid" if cell.startswith("fail") else None


SOURCES = sources_table() if (CORPUS / "SOURCES.md").is_file() else {}
FILES = sorted(p for p, row in SOURCES.items() if in_scope(p, row))
DATA = json.loads(DATA_FILE.read_text(encoding="utf-8"))
LISTED: dict = DATA["files"]


class Outcome(NamedTuple):
    verdict: str            # valid, invalid, unreadable
    rejected_sets: str      # "rejected/all"
    errors: list            # distinct codes of the errors, sorted
    warnings: list          # distinct codes of the warnings, sorted
    unchecked: bool         # some set had no schema


def outcome(path: str) -> Outcome:
    try:
        reports = list(validate(CORPUS / path, snip=5))
    except X12ReadError:
        return Outcome("unreadable", "0/0", [], [], False)
    sets = [s for r in reports for s in r.sets]
    found = [d for r in reports for d in r.findings()]
    verdict = "valid" if all(r.accepted for r in reports) else "invalid"
    return Outcome(verdict, f"{sum(s.status == REJECTED for s in sets)}/{len(sets)}",
                   sorted({d.code for d in found if d.severity is Severity.ERROR}),
                   sorted({d.code for d in found if d.severity is Severity.WARNING}),
                   any(not s.schema for s in sets))


class _Outcomes(dict):
    def __missing__(self, path: str) -> Outcome:
        self[path] = found = outcome(path)
        return found


@pytest.fixture(scope="module")
def outcomes() -> dict:
    """Each file validated once per module, on first use."""
    return _Outcomes()


def agrees(ours: str, other: str | None) -> bool:
    return other is None or ours == other or ours == "unreadable" and other == "invalid"


needs_corpus = pytest.mark.skipif(not FILES, reason=f"corpus not found at {CORPUS}")


@needs_corpus
def test_corpus_scope():
    assert len(FILES) >= 150
    assert "other/staedi__sample837-HL-nested.edi" in FILES  # ST 837, GS08 005010
    assert "270/oopfactory__Example1_IG.txt" in FILES        # ISA12 00401, GS08 005010X279
    assert not any(p.startswith(("TA1/", "mixed/")) for p in FILES)


@needs_corpus
@pytest.mark.parametrize("path", FILES)
def test_verdict_against_intent_and_pyx12(path, outcomes):
    got = outcomes[path]
    row = SOURCES[path]
    intent, pyx12 = intent_verdict(row), pyx12_verdict(row)
    entry = LISTED.get(path)
    if agrees(got.verdict, intent) and agrees(got.verdict, pyx12):
        assert entry is None, f"{path} no longer disagrees ({got.verdict}): remove its entry"
        return
    assert entry is not None, (
        f"new disagreement: {path}: x12kit {got.verdict} {got.errors}, intent {intent}, "
        f"pyx12 {pyx12}; find who is right and list it in {DATA_FILE.name}")
    assert (entry["ours"], entry["intent"], entry["pyx12"]) == (got.verdict, intent, pyx12)
    assert entry["rejected_sets"] == got.rejected_sets
    assert entry["errors"] == got.errors
    assert entry.get("warnings", []) == got.warnings


def test_listed_entries_name_a_category_and_a_fault():
    assert set(DATA["categories"]) == {"origin-wrong", "pyx12-wrong", "our-gap"}
    for path, entry in LISTED.items():
        assert entry["category"] in DATA["categories"], path
        assert len(entry["reason"]) >= 40, path
        assert entry["errors"] == sorted(set(entry["errors"])), path


@needs_corpus
def test_listed_files_are_in_scope():
    assert sorted(set(LISTED) - set(FILES)) == []
    assert sorted(set(DATA["unchecked"]["files"]) - set(FILES)) == []


@needs_corpus
def test_unchecked_sets_are_listed(outcomes):
    unchecked = sorted(p for p in FILES if outcomes[p].unchecked)
    assert unchecked == sorted(DATA["unchecked"]["files"])
