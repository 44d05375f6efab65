"""``track followup`` (276 status requests for claims with no final answer) and ``track
worklist`` (denied and rejected claims with their reasons in words), issue 11."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from x12kit.cli import main
from x12kit.errors import X12ReadError
from x12kit.models import Claim, ClaimStatusRequest, read
from x12kit.tracker import Tracker
from x12kit.tracker.followup import question, status_requests
from x12kit.tracker.followup_file import write_requests

from .conftest import corpus_files, corpus_id
from .generate_helpers import x12kit_findings
from .test_tracker_scenarios import EXPECTED, FILES
from .tracker_files import Line, Paid, Payment, SentClaim, claims_file, remittance_file
from .tracker_support import database_url  # noqa: F401  (a fixture)

AS_OF = "2025-01-20"          # the scenario claims are dated 2024-11-05: 76 days before
UNANSWERED = {pcn for pcn, figures in EXPECTED.items()
              if figures[0] in ("submitted", "accepted", "pending")}
PHI = ("DOE", "JANE", "M0000")   # the scenario files' patient and member ids


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def filled(url: str, folder, files: dict) -> None:
    for name, content in files.items():
        (folder / name).write_bytes(content)
    result = run("track", "ingest", "--db", url, *(str(folder / n) for n in files))
    assert result.exit_code == 0, result.output


def followup(url: str, folder, days: str = "30", *extra: str):
    return run("track", "followup", "--db", url, "--older-than", days, "--as-of", AS_OF,
               "-o", str(folder / "followup.276"), "--format", "json", *extra)


def test_a_276_asks_about_every_claim_without_a_final_answer(database_url, tmp_path):
    filled(database_url, tmp_path, FILES)
    result = followup(database_url, tmp_path)
    assert result.exit_code == 0, result.stderr
    assert {c["pcn"] for c in json.loads(result.stdout)["asked"]} == UNANSWERED
    written = (tmp_path / "followup.276").read_bytes()
    requests = [m for m in read(written) if isinstance(m, ClaimStatusRequest)]
    assert sorted(r.pcn for r in requests) == sorted(UNANSWERED)
    assert all(r.trace == r.pcn for r in requests)
    # the payer claim number a 277CA gave is asked by, the others have none yet
    assert {r.pcn: r.payer_claim_number for r in requests} == {
        pcn: EXPECTED[pcn][1] for pcn in UNANSWERED}
    # the parties are the claims' own, from the 837 they were sent in
    sent = {c.pcn: c for c in read(tmp_path / "claims.837") if isinstance(c, Claim)}
    for r in requests:
        claim = sent[r.pcn]
        assert (r.subscriber.id, r.subscriber.name) == (claim.subscriber.party.id,
                                                        claim.subscriber.party.name)
        assert r.payer.id == claim.payer.id and r.provider.npi == claim.billing_npi
        assert r.charge == claim.charge
    assert x12kit_findings(written) == []


def test_the_276_travels_the_way_its_claims_did(database_url, tmp_path):
    filled(database_url, tmp_path, FILES)
    followup(database_url, tmp_path)
    isa = (tmp_path / "followup.276").read_bytes()[:106].decode().split("*")
    claims_isa = FILES["claims.837"][:106].decode().split("*")
    assert isa[5:9] == claims_isa[5:9]          # sender and receiver with their qualifiers
    assert b"GS*HR*" in (tmp_path / "followup.276").read_bytes()
    validated = run("validate", str(tmp_path / "followup.276"))
    assert validated.exit_code == 0, validated.stdout


def test_each_envelope_is_one_interchange_in_the_order_it_first_comes(tmp_path):
    """837s of two envelopes, dated so that the first envelope's claims come before and
    after the second's: the first envelope's requests are written as they come, the
    second's wait, and the file holds one interchange each, control numbers rising."""
    def other_sender(content: bytes) -> bytes:
        return content.replace(b"*ZZ*SENDER         ", b"*ZZ*ELSEWHERE      ").replace(
            b"GS*HC*SENDER*", b"GS*HC*ELSEWHERE*")
    files = {"a.837": claims_file([SentClaim("A1", [Line("10.00")]),
                                   SentClaim("A2", [Line("20.00")])], "20240101", 1),
             "b.837": other_sender(claims_file([SentClaim("B1", [Line("30.00")])],
                                               "20240201", 2)),
             "c.837": claims_file([SentClaim("C1", [Line("40.00")])], "20240301", 3)}
    url = f"sqlite:///{tmp_path / 'track.db'}"
    filled(url, tmp_path, files)
    result = followup(url, tmp_path, "0", "--control-number", "7")
    assert result.exit_code == 0, result.stderr
    written = (tmp_path / "followup.276").read_bytes().decode()
    interchanges = [text for text in written.split("ISA*")[1:]]
    assert [text.split("*")[5].strip() for text in interchanges] == ["SENDER", "ELSEWHERE"]
    assert [[m.pcn for m in read(("ISA*" + text).encode())
             if isinstance(m, ClaimStatusRequest)] for text in interchanges] == [
        ["A1", "A2", "C1"], ["B1"]]
    numbers = [int(seg.split("*")[n]) for seg in written.split("~\n")
               for tag, n in (("ISA", 13), ("GS", 6), ("ST", 2)) if seg.startswith(tag + "*")]
    assert numbers == sorted(set(numbers)) and numbers[0] == 7, numbers
    assert [c["pcn"] for c in json.loads(result.stdout)["asked"]] == ["A1", "A2", "B1", "C1"]


def test_no_claim_old_enough_writes_nothing(database_url, tmp_path):
    filled(database_url, tmp_path, FILES)
    result = followup(database_url, tmp_path, "400")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"file": None, "asked": []}
    assert not (tmp_path / "followup.276").exists()


def test_a_claim_whose_837_is_gone_is_named_and_exits_1(database_url, tmp_path):
    filled(database_url, tmp_path, FILES)
    (tmp_path / "claims.837").unlink()
    result = followup(database_url, tmp_path)
    assert result.exit_code == 1
    assert "claim PEND277 (" in result.stderr and "cannot read the 837" in result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(result.stdout)["asked"] == []


def test_followup_and_worklist_print_no_patient(database_url, tmp_path):
    filled(database_url, tmp_path, FILES)
    for fmt in ("text", "json"):
        outputs = [run("track", "worklist", "--db", database_url, "--format", fmt),
                   run("track", "followup", "--db", database_url, "--older-than", "30",
                       "--as-of", AS_OF, "-o", str(tmp_path / f"{fmt}.276"), "--format", fmt)]
        for result in outputs:
            assert result.exit_code == 0, result.stderr
            assert [w for w in PHI if w in result.stdout + result.stderr] == []


def test_the_worklist_gives_rejected_claims_with_their_codes_in_words(database_url, tmp_path):
    filled(database_url, tmp_path, FILES)
    result = run("track", "worklist", "--db", database_url, "--format", "json")
    rejected = {c["pcn"]: c["reasons"] for c in json.loads(result.stdout)["rejected"]}
    assert set(rejected) == {pcn for pcn, f in EXPECTED.items() if f[0] == "rejected"}
    [by_999] = rejected["REJ999"]
    assert (by_999["kind"], by_999["code"], by_999["source"]) == ("999", "R",
                                                                   str(tmp_path / "rejected.999"))
    assert by_999["description"] == {"ack_status": "Rejected"}
    [by_277ca] = rejected["REJ277"]
    assert (by_277ca["kind"], by_277ca["code"]) == ("277CA", "A7:562")
    assert by_277ca["description"]["category"].startswith("Acknowledgement/Rejected for "
                                                          "Invalid Information")


DENIALS = {
    "claims.837": claims_file([SentClaim("DENYME", [Line("80", control="L1"),
                                                    Line("20", "99214", control="L2")])]),
    "denial.835": remittance_file([Payment("DENYME", "4", "100", "0", "D9", [
        Paid("80", "0", [("CO", "50", "80")], control="L1", remarks=["N130", "M15"]),
        Paid("20", "0", [("PR", "204", "20")], "99214", control="L2")])], "20241120", 31),
}


@pytest.fixture
def denied_url(database_url, tmp_path) -> str:
    filled(database_url, tmp_path, DENIALS)
    return database_url


def test_the_worklist_gives_denied_claims_with_carc_and_rarc_in_words(denied_url, tmp_path):
    with Tracker(denied_url) as tracker:
        [denied] = tracker.worklists()["denied"]
    assert (denied["pcn"], denied["payer_claim_number"], denied["charge"]) == (
        "DENYME", "D9", "100.00")
    assert denied["denied_by"] == str(tmp_path / "denial.835")
    reasons = [(r["line"], r["group"], r["reason"], r["amount"]) for r in denied["reasons"]]
    assert reasons == [(1, "CO", "50", "80.00"), (2, "PR", "204", "20.00")]
    assert "medical necessity" in denied["reasons"][0]["description"]
    assert denied["reasons"][0]["group_description"] == "Contractual Obligations"
    remarks = [(r["line"], r["code"]) for r in denied["remarks"]]
    assert remarks == [("L1", "N130"), ("L1", "M15")]
    assert all(r["description"] for r in denied["remarks"])


def test_denied_claims_keep_their_reasons_when_the_835_is_gone(denied_url, tmp_path):
    (tmp_path / "denial.835").unlink()
    result = run("track", "worklist", "--db", denied_url)
    assert result.exit_code == 0
    assert "CO-50" in result.stdout and "the 835 cannot be read again" in result.stdout


def test_the_full_cycle_on_the_fixtures(tmp_path):
    """The README's first command: the claims validated (their 999, and their 277CA where
    validation writes one), the answers and the remittance ingested, then the report, the
    follow-ups and the worklists: every claim paid, nothing left to ask or to fix."""
    from .test_tracker_cli import FIXTURE_FILES
    claims, remittance = FIXTURE_FILES
    acks = tmp_path / "acks"
    assert run("validate", "--ack-dir", str(acks), claims).exit_code == 0
    answers = sorted(str(p) for p in acks.glob("claims-837p.x12.*"))
    url = f"sqlite:///{tmp_path / 'cycle.db'}"
    files = [claims, *answers, remittance]
    for _ in range(2):                          # the second run posts nothing
        ingested = run("track", "ingest", "--db", url, "--format", "json", *files)
        assert ingested.exit_code == 0, ingested.stderr
    assert all(d["duplicate"] for d in json.loads(ingested.stdout)), ingested.stdout
    with Tracker(url) as tracker:
        found = tracker.claims()
        answered = [p.rsplit(".", 1)[1].upper() for p in answers]
        assert {c["state"] for c in found} == {"paid"}
        # in document order, by their own dates: the acks validation writes are dated
        # today, after the fixtures' 2024 remittance
        assert all(sorted(h["kind"] for h in c["history"]) == sorted(["837P", "835",
                                                                      *answered])
                   for c in found)
        [payer] = tracker.report()["by_payer"]
        for figure in ("charge", "paid", "patient_responsibility", "balance"):
            assert payer[figure] == str(sum(Decimal(c[figure]) for c in found)), figure
        assert list(tracker.followups(older_than=0)) == []
        assert tracker.worklists() == {"denied": [], "rejected": []}


def test_a_claim_whose_837_lacks_what_a_276_needs_is_named(tmp_path):
    """A corpus 837 whose subscriber has no name loop: no 276 can ask about its claim."""
    from .conftest import CORPUS
    source = CORPUS / "837P" / "imsweb__x12_missing_required_loop_in_one_repeat.txt"
    url = f"sqlite:///{tmp_path / 'track.db'}"
    assert run("track", "ingest", "--db", url, str(source)).exit_code == 0
    result = run("track", "followup", "--db", url, "--older-than", "0", "-o",
                 str(tmp_path / "f.276"))
    assert result.exit_code == 1
    assert "/subscriber: loop 2100D Subscriber Name: missing-required" in result.stderr
    assert result.stderr.startswith(f"error: {tmp_path / 'f.276'}: claim ")
    assert not (tmp_path / "f.276").exists()


def _codes(data: bytes) -> set[str]:
    return {getattr(f, "code", f) for f in x12kit_findings(data)}


@pytest.mark.parametrize("path", corpus_files("837P") + corpus_files("837I")
                         + corpus_files("837D"), ids=corpus_id)
def test_corpus_claims_give_276s_as_clean_as_their_837(path, tmp_path):
    """Every corpus claim the tracker reads can be asked about: the 276 has no finding
    its 837 did not have already (their NPIs' check digits, say), and only an 837 with
    findings of its own may lack what a 276 needs (a subscriber without a name loop)."""
    with Tracker(f"sqlite:///{tmp_path / 'track.db'}") as tracker:
        try:
            tracker.ingest(path)
        except X12ReadError:
            pytest.skip("the tracker cannot read it (test_tracker_scenarios covers that)")
        claims = list(tracker.followups(older_than=0))
    if not claims:
        pytest.skip("no 5010 claims the tracker reads")
    missing = []
    out = tmp_path / "followup.276"
    _, problems = write_requests(status_requests(map(question, claims), missing), str(out), 1)
    assert missing == []
    own = _codes(path.read_bytes())
    if problems:
        assert own and not out.exists()
        return
    asked = [m for m in read(out) if isinstance(m, ClaimStatusRequest)]
    assert sorted(r.pcn for r in asked) == sorted(c["pcn"] for c in claims)
    assert _codes(out.read_bytes()) <= own
