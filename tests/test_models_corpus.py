"""Models from every corpus file of the kinds they cover: no exception but ``X12ReadError``,
and on 5010 files the counts and sums the models give agree with the segments themselves
(claims = CLM, lines = SV1/SV2/SV3, charges = CLM02 and line charges; claim payments = CLP,
service payments = SVC, paid = CLP04 and SVC03; provider adjustments = PLB reasons).

The segment side is counted from ``read_segments`` alone, without the walk, so it checks the
walk and the item assembly. Where the structure breaks the guide so badly that the walker
cannot place a claim or a line, the two differ: each such file is listed in
``tests/data/models_disagreements.json`` with both sides' figures and the fault, and the test
fails on an unlisted difference, a changed one, and one that went away.
"""
from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import CORPUS, corpus_files, corpus_id
from tests.test_validate_corpus import SOURCES
from x12kit import X12ReadError
from x12kit.models import Claim, ClaimPayment, ProviderAdjustment, read
from x12kit.reader import read_segments

DATA_FILE = Path(__file__).parent / "data" / "models_disagreements.json"
KINDS = ("837P", "837I", "837D", "835")
FILES = [f for kind in KINDS for f in corpus_files(kind)]
LISTED = json.loads(DATA_FILE.read_text(encoding="utf-8"))["files"]


def _is_5010(path: Path) -> bool:
    """GS08 of the 5010 guides (some 4010 claims travel in a 00501 interchange)."""
    row = SOURCES.get(corpus_id(path))
    return row is not None and "/ 005010" in row["version"]


def _segments(path: Path) -> list:
    found = []
    try:
        found.extend(read_segments(path))
    except X12ReadError:
        pass
    return found


def _sum(values) -> str:
    return str(sum((v for v in values if v is not None), Decimal(0)))


def from_segments(path: Path) -> dict:
    segs = _segments(path)
    by_id = Counter(s.id for s in segs)
    amount = {"SV1": 2, "SV2": 3, "SV3": 2}
    lines = [s for s in segs if s.id in amount]
    plb = [n for s in segs if s.id == "PLB" for n in range(3, 15, 2) if s.element(n)]
    return {
        "claims": by_id["CLM"], "lines": len(lines),
        "charge": _sum(_money(s.element(2)) for s in segs if s.id == "CLM"),
        "line_charge": _sum(_money(s.element(amount[s.id])) for s in lines),
        "claim_payments": by_id["CLP"], "service_payments": by_id["SVC"],
        "paid": _sum(_money(s.element(4)) for s in segs if s.id == "CLP"),
        "service_paid": _sum(_money(s.element(3)) for s in segs if s.id == "SVC"),
        "provider_adjustments": len(plb),
    }


def from_models(path: Path) -> dict:
    try:
        models = list(read(path))
    except X12ReadError:
        models = []  # what the reader gave before the fault is compared below by count only
    claims = [m for m in models if isinstance(m, Claim)]
    payments = [m for m in models if isinstance(m, ClaimPayment)]
    services = [s for p in payments for s in p.services]
    lines = [line for c in claims for line in c.lines]
    return {
        "claims": len(claims), "lines": len(lines), "charge": _sum(c.charge for c in claims),
        "line_charge": _sum(line.charge for line in lines),
        "claim_payments": len(payments), "service_payments": len(services),
        "paid": _sum(p.paid for p in payments), "service_paid": _sum(s.paid for s in services),
        "provider_adjustments": sum(isinstance(m, ProviderAdjustment) for m in models),
    }


def _money(text: str):
    try:
        return Decimal(text) if text else None
    except ArithmeticError:
        return None


@pytest.mark.parametrize("path", [f for f in FILES if _is_5010(f)], ids=corpus_id)
def test_models_agree_with_segments(path):
    seen, expected = from_models(path), from_segments(path)
    differs = {k: [expected[k], seen[k]] for k in expected if expected[k] != seen[k]}
    listed = LISTED.get(corpus_id(path))
    if not differs:
        assert listed is None, "listed in models_disagreements.json but now agrees: remove it"
        return
    assert listed is not None, f"segments vs models: {differs}"
    assert listed["differs"] == differs


@pytest.mark.parametrize("path", FILES, ids=corpus_id)
def test_any_corpus_file_reads_without_unexpected_errors(path):
    try:
        for _ in read(path):
            pass
    except X12ReadError:
        pass


def test_every_listed_file_exists():
    assert all((CORPUS / name).is_file() for name in LISTED)
