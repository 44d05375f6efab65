"""The benchmark generator makes files pyx12 accepts, balanced, deterministic and chunked.

Quick (about 50 claims per file, a few seconds in all); not a benchmark, so
``--benchmark-only`` skips it and a plain ``python -m pytest bench/test_generate.py`` runs it.
"""
from __future__ import annotations

import io
import json
import logging
from collections import Counter
from decimal import Decimal

import pytest

from bench.generate import generate_835, generate_837p, npi_check_digit, write_file

CLAIMS = 50


def _segments(data: bytes) -> list[list[str]]:
    return [piece.strip().split("*") for piece in data.decode("ascii").split("~") if piece.strip()]


def _errors(node) -> list:
    """Every non-empty ``errors`` list in pyx12's JSON error report."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "errors" and value:
                found.extend(value)
            else:
                found.extend(_errors(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_errors(item))
    return found


@pytest.mark.parametrize("kind", ["837p", "835"])
def test_pyx12_accepts_the_generated_file(kind, tmp_path):
    import pyx12.params
    import pyx12.x12n_document

    path = tmp_path / f"gen.{kind}"
    # 20 claims per ST so that the file holds several sets (and the 835 several payees)
    write_file(kind, CLAIMS, path, claims_per_st=20)
    report = io.StringIO()
    logger = logging.getLogger("pyx12")
    level = logger.level
    logger.setLevel(logging.CRITICAL)   # pyx12 logs each finding too; the JSON report has them
    try:
        ok = pyx12.x12n_document.x12n_document(
            param=pyx12.params.params(), src_file=str(path), fd_997=None, fd_html=None,
            fd_json=report)
    finally:
        logger.setLevel(level)
    tree = json.loads(report.getvalue())
    assert _errors(tree) == []
    assert ok
    sets = [t for i in tree["interchanges"] for g in i["groups"] for t in g["transactions"]]
    assert len(sets) >= 3
    assert {t["ack_code"] for t in sets} == {"A"}


def test_837p_balances_and_links_lines_to_diagnoses():
    segments = _segments(b"".join(generate_837p(2000, seed=7)))
    claims = 0
    total = lines = diagnoses = None
    for seg in segments + [["CLM"]]:
        if seg[0] == "CLM":
            if total is not None:
                assert total == lines, "CLM02 = sum of SV102"
            if len(seg) == 1:
                break
            claims += 1
            total, lines = Decimal(seg[2]), Decimal(0)
        elif seg[0] == "HI":
            diagnoses = len(seg) - 1
            assert seg[1].startswith("ABK:") and all(e.startswith("ABF:") for e in seg[2:])
        elif seg[0] == "SV1":
            lines += Decimal(seg[2])
            assert all(1 <= int(p) <= diagnoses for p in seg[7].split(":"))
        elif seg[0] == "NM1" and seg[1] in ("85", "82"):
            assert seg[9][-1] == npi_check_digit(seg[9][:9])
    assert claims == 2000
    ids = Counter(seg[0] for seg in segments)
    assert ids["ST"] == 1 and ids["HL"] > 2000 // 3 and ids["PAT"] > 0


def test_835_balances_per_line_claim_and_transaction():
    segments = _segments(b"".join(generate_835(3000, seed=11)))
    statuses: Counter = Counter()
    plb_codes: Counter = Counter()
    claim = line = None
    bpr02 = paid = plb = None

    def close_line():
        if line:
            assert line[0] - line[1] == line[2], "SVC02 - SVC03 = line CAS"

    def close_claim():
        close_line()
        if claim:
            assert claim[0] - claim[1] == claim[2], "CLP03 - CLP04 = claim CAS + line CAS"

    for seg in segments:
        sid = seg[0]
        if sid == "BPR":
            bpr02, paid, plb = Decimal(seg[2]), Decimal(0), Decimal(0)
        elif sid == "CLP":
            close_claim()
            line = None
            statuses[seg[2]] += 1
            claim = [Decimal(seg[3]), Decimal(seg[4]), Decimal(0)]
            paid += claim[1]
        elif sid == "SVC":
            close_line()
            line = [Decimal(seg[2]), Decimal(seg[3]), Decimal(0)]
        elif sid == "CAS":
            amount = sum(Decimal(a) for a in seg[3::3] if a)
            claim[2] += amount
            if line:
                line[2] += amount
        elif sid == "PLB":
            plb += Decimal(seg[4])
            plb_codes[seg[3].split(":")[0]] += 1
        elif sid == "SE":
            close_claim()
            claim = line = None
            assert bpr02 == paid - plb, "BPR02 = sum CLP04 - sum PLB"
    assert statuses["1"] > 2500 and statuses["4"] > 0 and statuses["22"] > 0
    assert plb_codes["WO"] > 0


def test_generation_is_deterministic_and_chunked():
    first = list(generate_837p(CLAIMS, seed=3, chunk_bytes=4096))
    assert len(first) > 5
    assert max(len(c) for c in first) < 4096 + 2000   # a chunk overshoots by at most one claim
    assert b"".join(first) == b"".join(generate_837p(CLAIMS, seed=3))
    assert b"".join(first) != b"".join(generate_837p(CLAIMS, seed=4))
    assert b"".join(generate_835(CLAIMS, seed=3)) == b"".join(generate_835(CLAIMS, seed=3))


def test_835_remits_the_837_claims():
    def pcns(data, sid):
        return [seg[1] for seg in _segments(data) if seg[0] == sid]

    claims = pcns(b"".join(generate_837p(CLAIMS)), "CLM")
    remitted = pcns(b"".join(generate_835(CLAIMS)), "CLP")
    assert len(set(claims)) == CLAIMS
    assert set(remitted) == set(claims)


def test_target_bytes_repeats_the_interchange_with_new_control_numbers(tmp_path):
    path = tmp_path / "big.837"
    one = sum(len(c) for c in generate_837p(CLAIMS))
    size = write_file("837p", CLAIMS, path, target_bytes=3 * one + 1)
    assert size == path.stat().st_size == 4 * one
    segments = _segments(path.read_bytes())
    isa13 = [seg[13] for seg in segments if seg[0] == "ISA"]
    assert isa13 == ["000000001", "000000002", "000000003", "000000004"]
    assert [seg[2] for seg in segments if seg[0] == "IEA"] == isa13
    assert [seg[6] for seg in segments if seg[0] == "GS"] == ["1", "2", "3", "4"]


def test_npi_check_digit():
    assert npi_check_digit("123456789") == "3"   # CMS's worked example: 1234567893
