"""The tracker's scenarios, each with its expected figures per claim, on every store; each
run in file order, in other orders, and with every file ingested twice."""
from __future__ import annotations

import itertools

import pytest

from x12kit.tracker import Tracker

from .tracker_files import (
    Line, Paid, Payment, SentClaim, ack_999_file, claim_ack_file, claims_file, remittance_file,
    status_file,
)
from .tracker_support import tracker_url  # noqa: F401  (fixture)

TRUNCATED = "TRUNCATEDPCN000000001234"
AMBIGUOUS = ("AMBIGUOUSPCN00000000001", "AMBIGUOUSPCN00000000002")

CLAIMS = claims_file([
    SentClaim("FULL", [Line("100")]),
    SentClaim("PARTIAL", [Line("120", "99214", "P1"), Line("80", "85025", "P2")]),
    SentClaim("DENIED", [Line("150")]),
    SentClaim("DEDUCTIBLE", [Line("90")]),
    SentClaim("REVFIX", [Line("100")]),
    SentClaim("REVONLY", [Line("100")]),
    SentClaim("SECONDARY", [Line("100")]),
    SentClaim(TRUNCATED, [Line("60", date="20241001")]),
    SentClaim(AMBIGUOUS[0], [Line("50")]),
    SentClaim(AMBIGUOUS[1], [Line("50")]),
    SentClaim("REJ277", [Line("30")]),
    SentClaim("ACK277", [Line("30")]),
    SentClaim("PEND277", [Line("30")]),
])
REJECTED_CLAIMS = claims_file([SentClaim("REJ999", [Line("40")])], control=2)
ACCEPTED_999 = ack_999_file(1, "A", "20241106", 21)
REJECTED_999 = ack_999_file(2, "R", "20241106", 22)
CLAIM_ACKS = claim_ack_file([("REJ277", "A7:562:85", None), ("ACK277", "A2:20", "K1")],
                            "20241108", 23)
STATUSES = status_file([("PEND277", "P1:20", None)], "20241115", 24)

FIRST_REMIT = remittance_file([
    Payment("FULL", "1", "100", "100", "F1", [Paid("100", "100")]),
    Payment("PARTIAL", "1", "200", "110", "P1", [
        Paid("120", "50", [("CO", "45", "20"), ("PR", "1", "50")], "99214", "P1"),
        Paid("80", "60", [("PR", "2", "20")], "85025", "P2")], patient_responsibility="70"),
    Payment("DENIED", "4", "150", "0", "D1", cas=[("CO", "50", "150")]),
    Payment("DEDUCTIBLE", "1", "90", "0", "E1", [Paid("90", "0", [("PR", "1", "90")])],
            patient_responsibility="90"),
    Payment("REVFIX", "1", "100", "80", "X1", [Paid("100", "80", [("CO", "45", "20")])]),
    Payment("REVONLY", "1", "100", "100", "R1", [Paid("100", "100")]),
    Payment("SECONDARY", "1", "100", "70", "S1",
            [Paid("100", "70", [("CO", "45", "10"), ("PR", "1", "20")])],
            patient_responsibility="20"),
    Payment(TRUNCATED[:20], "1", "60", "60", "T1", [Paid("60", "60", date="20241001")]),
    Payment(AMBIGUOUS[0][:20], "1", "50", "50", "A1", [Paid("50", "50")]),
    Payment("NOSUCHCLAIM", "1", "75", "75", "U1", [Paid("75", "75")]),
], "20241120", 11, plb=[("WO", "REF1", "25.00"), ("L6", "INT1", "-3.50")])

SECOND_REMIT = remittance_file([
    Payment("REVFIX", "22", "-100", "-80", "X1", [Paid("-100", "-80", [("CO", "45", "-20")])]),
    Payment("REVFIX", "1", "100", "90", "X2", [Paid("100", "90", [("CO", "45", "10")])]),
    Payment("REVONLY", "22", "-100", "-100", "R1", [Paid("-100", "-100")]),
], "20241205", 12)

SECONDARY_REMIT = remittance_file([
    Payment("SECONDARY", "2", "100", "15", "S2",
            [Paid("100", "15", [("OA", "23", "80"), ("PR", "2", "5")])],
            patient_responsibility="5"),
], "20241210", 13, payer="99999")

FILES = {"claims.837": CLAIMS, "rejected.837": REJECTED_CLAIMS, "accepted.999": ACCEPTED_999,
         "rejected.999": REJECTED_999, "acks.277ca": CLAIM_ACKS, "status.277": STATUSES,
         "first.835": FIRST_REMIT, "second.835": SECOND_REMIT, "secondary.835": SECONDARY_REMIT}

# pcn -> state, payer claim number, charge, paid, adjustments, patient resp., balance
EXPECTED = {
    "FULL": ("paid", "F1", "100.00", "100.00", {}, "0.00", "0.00"),
    "PARTIAL": ("paid", "P1", "200.00", "110.00", {"CO": "20.00", "PR": "70.00"}, "70.00",
                "0.00"),
    "DENIED": ("denied", "D1", "150.00", "0.00", {"CO": "150.00"}, "0.00", "0.00"),
    "DEDUCTIBLE": ("paid", "E1", "90.00", "0.00", {"PR": "90.00"}, "90.00", "0.00"),
    "REVFIX": ("paid", "X2", "100.00", "90.00", {"CO": "10.00"}, "0.00", "0.00"),
    "REVONLY": ("reversed", "R1", "100.00", "0.00", {}, "0.00", "100.00"),
    "SECONDARY": ("paid", "S2", "100.00", "85.00", {"CO": "10.00", "PR": "5.00"}, "5.00",
                  "0.00"),
    TRUNCATED: ("paid", "T1", "60.00", "60.00", {}, "0.00", "0.00"),
    AMBIGUOUS[0]: ("submitted", None, "50.00", "0.00", {}, "0.00", "50.00"),
    AMBIGUOUS[1]: ("submitted", None, "50.00", "0.00", {}, "0.00", "50.00"),
    "REJ999": ("rejected", None, "40.00", "0.00", {}, "0.00", "40.00"),
    "REJ277": ("rejected", None, "30.00", "0.00", {}, "0.00", "30.00"),
    "ACK277": ("accepted", "K1", "30.00", "0.00", {}, "0.00", "30.00"),
    "PEND277": ("pending", None, "30.00", "0.00", {}, "0.00", "30.00"),
}
UNMATCHED = [(AMBIGUOUS[0][:20], "A1", "50.00", "first.835"),
             ("NOSUCHCLAIM", "U1", "75.00", "first.835")]

ORDERS = [
    list(FILES),                                  # as they were written
    list(reversed(FILES)),                        # every answer before its claim
    ["first.835", "status.277", "claims.837", "rejected.999", "secondary.835",
     "rejected.837", "second.835", "acks.277ca", "accepted.999"],
]


def figures(claim: dict) -> tuple:
    nonzero = {g: a for g, a in claim["adjustments"].items() if a != "0.00"}
    return (claim["state"], claim["payer_claim_number"], claim["charge"], claim["paid"],
            nonzero, claim["patient_responsibility"], claim["balance"])


def ingest_all(tracker: Tracker, names, twice: bool = False) -> list:
    results = []
    for name in names:
        results.append(tracker.ingest(FILES[name], name))
        if twice:
            results.append(tracker.ingest(FILES[name], name))
    return results


@pytest.mark.parametrize("order", range(len(ORDERS)))
@pytest.mark.parametrize("twice", [False, True], ids=["once", "twice"])
def test_scenarios_end_with_the_expected_figures(tracker_url, order, twice):
    with Tracker(tracker_url) as tracker:
        results = ingest_all(tracker, ORDERS[order], twice)
        assert {c["pcn"]: figures(c) for c in tracker.claims()} == EXPECTED
        waiting = sorted((u["pcn"], u["payer_claim_number"], u["paid"], u["source"])
                         for u in tracker.unmatched())
        assert waiting == UNMATCHED
        assert [r.duplicate for r in results] == [False, True] * len(FILES) if twice else \
            [False] * len(FILES)
        assert {(p["reason"], p["amount"]) for p in tracker.provider_adjustments()} == {
            ("WO", "25.00"), ("L6", "-3.50")}


def test_a_second_ingest_of_the_same_content_posts_nothing(tracker_url):
    with Tracker(tracker_url) as tracker:
        first = tracker.ingest(CLAIMS, "claims.837")
        before = tracker.claim("FULL")
        again = tracker.ingest(CLAIMS, "renamed.837")
        assert (first.duplicate, first.claims) == (False, len(EXPECTED) - 1)
        assert (again.duplicate, again.claims, again.entries) == (True, 0, 0)
        assert tracker.claim("FULL") == before


def test_payments_that_wait_are_posted_when_their_claim_arrives(tracker_url):
    with Tracker(tracker_url) as tracker:
        early = tracker.ingest(FIRST_REMIT, "first.835")
        assert (early.payments, early.unmatched) == (0, 10)
        late = tracker.ingest(CLAIMS, "claims.837")
        assert late.resolved == 8        # all but the ambiguous and the unknown
        assert len(tracker.unmatched()) == 2


def test_history_is_in_document_order_with_its_sources(tracker_url):
    with Tracker(tracker_url) as tracker:
        ingest_all(tracker, ["second.835", "claims.837", "first.835"])
        history = tracker.claim("REVFIX")[0]["history"]
    assert [(h["source"], h["kind"], h["event"]) for h in history] == [
        ("claims.837", "837P", "sent"), ("first.835", "835", "payment"),
        ("second.835", "835", "reversal"), ("second.835", "835", "payment")]


def test_the_ledger_keeps_every_entry_and_reversals_are_negative(tracker_url):
    with Tracker(tracker_url) as tracker:
        ingest_all(tracker, ["claims.837", "first.835", "second.835"])
        ledger = tracker.claim("REVFIX")[0]["ledger"]
    payments = [(row["source"], row["amount"]) for row in ledger if row["kind"] == "payment"]
    assert payments == [("first.835", "80.00"), ("second.835", "-80.00"),
                        ("second.835", "90.00")]
    assert all(row["line"] == 1 for row in ledger)


@pytest.mark.parametrize("order", list(itertools.permutations(["first", "secondary"])))
def test_a_crossover_payment_takes_over_the_patient_responsibility(tracker_url, order):
    with Tracker(tracker_url) as tracker:
        ingest_all(tracker, ["claims.837"] + [f"{name}.835" for name in order])
        claim = tracker.claim("SECONDARY")[0]
    kinds = sorted((row["kind"], row["group"], row["amount"]) for row in claim["ledger"]
                   if row["kind"] in ("transfer", "prior_payer"))
    assert kinds == [("prior_payer", "OA", "80.00"), ("transfer", "PR", "-20.00")]


def test_answers_that_come_before_their_claims_wait_for_them(tracker_url):
    with Tracker(tracker_url) as tracker:
        early = [tracker.ingest(FILES[name], name) for name in ("rejected.999", "acks.277ca")]
        assert [(r.answers, r.waiting_answers) for r in early] == [(0, 1), (0, 2)]
        late = tracker.ingest(REJECTED_CLAIMS, "rejected.837")
        assert [c["state"] for c in tracker.claim("REJ999")] == ["rejected"]
        history = tracker.claim("REJ999")[0]["history"]
        assert [(h["kind"], h["event"], h["code"]) for h in history] == [
            ("837P", "sent", "1"), ("999", "set_rejected", "R")]
        assert late.claims == 1


def test_a_999_that_accepts_the_set_leaves_its_claims_submitted(tracker_url):
    with Tracker(tracker_url) as tracker:
        tracker.ingest(CLAIMS, "claims.837")
        result = tracker.ingest(ACCEPTED_999, "accepted.999")
        claims = tracker.claims()
    assert result.answers == 1
    assert {c["state"] for c in claims} == {"submitted"}
    assert all([h["event"] for h in c["history"]] == ["sent", "set_accepted"] for c in claims)



KNOWN_NUMBER = {
    "known.837": claims_file([SentClaim("KNOWN", [Line("30")])], control=7),
    "known.277ca": claim_ack_file([("KNOWN", "A2:20", "K7")], "20241108", 25),
    "known.277": status_file([("KNOWN", "P1:20", None)], "20241115", 26),
}


@pytest.mark.parametrize("order", [list(KNOWN_NUMBER), list(reversed(KNOWN_NUMBER))])
def test_a_later_answer_without_a_payer_claim_number_keeps_the_one_known(tracker_url, order):
    with Tracker(tracker_url) as tracker:
        for name in order:
            tracker.ingest(KNOWN_NUMBER[name], name)
        claim = tracker.claim("KNOWN")[0]
    assert (claim["state"], claim["payer_claim_number"]) == ("pending", "K7")


REPLACED = {
    "original.837": claims_file([SentClaim("ORIG", [Line("100")]),
                                 SentClaim("VOIDME", [Line("80")])], control=5),
    "original.835": remittance_file([
        Payment("ORIG", "1", "100", "60", "OR1", [Paid("100", "60", [("CO", "45", "40")])]),
        Payment("VOIDME", "1", "80", "80", "V1", [Paid("80", "80")])], "20241120", 31),
    "replacement.837": claims_file([
        SentClaim("ORIG", [Line("120")], frequency="7", replaces="OR1"),
        SentClaim("VOIDME", [Line("80")], frequency="8", replaces="V1")],
        date="20241125", control=6),
    "replacement.835": remittance_file([
        Payment("ORIG", "1", "120", "90", "OR2", [Paid("120", "90", [("CO", "45", "30")])],
                frequency="7")], "20241210", 32),
}
# (pcn, frequency) -> state, payer claim number, charge, paid, adjustments, PR, balance,
# and the PCN and frequency of the claim that supersedes it
REPLACED_EXPECTED = {
    ("ORIG", "1"): ("paid", "OR1", "100.00", "60.00", {"CO": "40.00"}, "0.00", "0.00", "7"),
    ("ORIG", "7"): ("paid", "OR2", "120.00", "90.00", {"CO": "30.00"}, "0.00", "0.00", None),
    ("VOIDME", "1"): ("paid", "V1", "80.00", "80.00", {}, "0.00", "0.00", "8"),
    ("VOIDME", "8"): ("submitted", None, "0.00", "0.00", {}, "0.00", "0.00", None),
}
REPLACED_ORDERS = [list(REPLACED), list(reversed(REPLACED)),
                   ["replacement.837", "original.835", "replacement.835", "original.837"]]


@pytest.mark.parametrize("order", range(len(REPLACED_ORDERS)))
def test_replacements_and_voids_supersede_the_claim_they_name(tracker_url, order):
    with Tracker(tracker_url) as tracker:
        for name in REPLACED_ORDERS[order]:
            tracker.ingest(REPLACED[name], name)
        claims = tracker.claims()
        assert tracker.unmatched() == []
    by_id = {(c["pcn"], c["frequency"]): c for c in claims}
    superseding = {c["pcn"]: f for (_, f), c in by_id.items() if f != "1"}
    assert {key: figures(c) + (superseding[c["pcn"]] if c["superseded_by"] else None,)
            for key, c in by_id.items()} == REPLACED_EXPECTED
