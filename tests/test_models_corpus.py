"""Models from every corpus file of the kinds they cover: no exception but ``X12ReadError``,
and on 5010 files the counts and sums the models give agree with the segments themselves
(claims = CLM, lines = SV1/SV2/SV3, charges = CLM02 and line charges; claim payments = CLP,
service payments = SVC, paid = CLP04 and SVC03; provider adjustments = PLB reasons;
inquiries = EQ, benefits = EB, rejections = AAA; statuses = STC, claim requests and answers
= the TRN of a subscriber, dependent or patient level, level statuses = the TRN of a receiver
or provider level; set responses = AK2, segment errors = IK3, element errors = IK4, group
acknowledgments = AK9; and, on every TA1 file whatever its version, TA1s = TA1).

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
from x12kit.models import (
    Claim, ClaimAcknowledgment, ClaimPayment, ClaimStatus, ClaimStatusRequest,
    EligibilityInquiry, EligibilityRejection, EligibilityResponse, GroupAcknowledgment,
    InterchangeAcknowledgment, LevelStatus, ProviderAdjustment, SetResponse, read,
)
from x12kit.reader import read_segments

DATA_FILE = Path(__file__).parent / "data" / "models_disagreements.json"
KINDS = ("837P", "837I", "837D", "835", "270", "271", "276", "277", "277CA", "999", "TA1")
FILES = [f for kind in KINDS for f in corpus_files(kind)]
LISTED = json.loads(DATA_FILE.read_text(encoding="utf-8"))["files"]


def _is_5010(path: Path) -> bool:
    """GS08 of the 5010 guides (some 4010 claims travel in a 00501 interchange)."""
    row = SOURCES.get(corpus_id(path))
    return row is not None and "/ 005010" in row["version"]


def _is_counted(path: Path) -> bool:
    """5010 files, and TA1 files whatever their version: a TA1 is read outside any set."""
    return _is_5010(path) or path.parent.name == "TA1"


def _segments(path: Path) -> list:
    found = []
    try:
        found.extend(read_segments(path))
    except X12ReadError:
        pass
    return found


def _sum(values) -> str:
    return str(sum((v for v in values if v is not None), Decimal(0)))


# HL03 of the levels whose TRN starts a claim (276/277 subscriber, dependent; 277CA patient)
# and of those whose TRN starts a level status (receiver, provider)
CLAIM_LEVELS, STATUS_LEVELS = frozenset(("22", "23", "PT")), frozenset(("21", "19"))


def _in_sets(segs: list) -> list[tuple[str, object]]:
    """Each segment with the ST01 of the set it stands in ("" outside a set): a figure
    counts only the segments of the transaction it belongs to (an 837 may hold a stray
    STC)."""
    found, st01 = [], ""
    for s in segs:
        if s.id == "ST":
            st01 = s.element(1)
        found.append((st01, s))
        if s.id == "SE":
            st01 = ""
    return found


def _status_traces(placed: list) -> Counter:
    """The TRN of 276/277 sets by the kind of level they follow, told by the HL before."""
    found: Counter = Counter()
    hl03 = ""
    for st01, s in placed:
        if s.id == "HL":
            hl03 = s.element(3)
        elif s.id == "TRN" and st01 in ("276", "277"):
            found["claim" if hl03 in CLAIM_LEVELS else
                  "level" if hl03 in STATUS_LEVELS else "other"] += 1
    return found


def from_segments(path: Path) -> dict:
    placed = _in_sets(_segments(path))
    counts = Counter((st01, s.id) for st01, s in placed)
    of = (lambda st01, *ids: [s for k, s in placed if k == st01 and s.id in ids])
    traces = _status_traces(placed)
    amount = {"SV1": 2, "SV2": 3, "SV3": 2}
    lines = of("837", *amount)
    plb = [n for s in of("835", "PLB") for n in range(3, 15, 2) if s.element(n)]
    return {
        "claims": counts["837", "CLM"], "lines": len(lines),
        "charge": _sum(_money(s.element(2)) for s in of("837", "CLM")),
        "line_charge": _sum(_money(s.element(amount[s.id])) for s in lines),
        "claim_payments": counts["835", "CLP"], "service_payments": counts["835", "SVC"],
        "paid": _sum(_money(s.element(4)) for s in of("835", "CLP")),
        "service_paid": _sum(_money(s.element(3)) for s in of("835", "SVC")),
        "provider_adjustments": len(plb),
        "inquiries": counts["270", "EQ"], "benefits": counts["271", "EB"],
        "rejections": counts["271", "AAA"], "statuses": counts["277", "STC"],
        "claim_statuses": traces["claim"], "level_statuses": traces["level"],
        "set_responses": counts["999", "AK2"], "segment_errors": counts["999", "IK3"],
        "element_errors": counts["999", "IK4"], "group_acknowledgments": counts["999", "AK9"],
        "interchange_acknowledgments": sum(s.id == "TA1" for _, s in placed),
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
    of = (lambda *types: [m for m in models if isinstance(m, types)])
    claim_statuses = of(ClaimStatusRequest, ClaimStatus, ClaimAcknowledgment)
    sets = of(SetResponse)
    segment_errors = [e for r in sets for e in r.segment_errors]
    return {
        "claims": len(claims), "lines": len(lines), "charge": _sum(c.charge for c in claims),
        "line_charge": _sum(line.charge for line in lines),
        "claim_payments": len(payments), "service_payments": len(services),
        "paid": _sum(p.paid for p in payments), "service_paid": _sum(s.paid for s in services),
        "provider_adjustments": sum(isinstance(m, ProviderAdjustment) for m in models),
        "inquiries": sum(len(m.inquiries) for m in of(EligibilityInquiry)),
        "benefits": sum(len(m.benefits) for m in of(EligibilityResponse)),
        "rejections": sum(len(m.rejections)
                          for m in of(EligibilityResponse, EligibilityRejection)),
        "statuses": sum(len(m.statuses) for m in of(ClaimStatus, ClaimAcknowledgment,
                                                     LevelStatus))
        + sum(len(line.statuses) for m in claim_statuses for line in m.lines),
        "claim_statuses": len(claim_statuses), "level_statuses": len(of(LevelStatus)),
        "set_responses": len(sets), "segment_errors": len(segment_errors),
        "element_errors": sum(len(e.elements) for e in segment_errors),
        "group_acknowledgments": len(of(GroupAcknowledgment)),
        "interchange_acknowledgments": len(of(InterchangeAcknowledgment)),
    }


def _money(text: str):
    try:
        return Decimal(text) if text else None
    except ArithmeticError:
        return None


@pytest.mark.parametrize("path", [f for f in FILES if _is_counted(f)], ids=corpus_id)
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
