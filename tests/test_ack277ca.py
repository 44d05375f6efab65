"""277CA answering claim files from their own findings (x12kit.acks.ack277ca): one STC per
claim of the sets the 999 accepts, rejections where the findings stand, totals that add up,
clean by x12kit and pyx12, unique control numbers, and a tracker that moves each claim."""
from __future__ import annotations

import io
from datetime import datetime

import pytest

from x12kit import X12ReadError
from x12kit.acks.ack277ca import SetVerdicts, verdicts_of, write_277ca
from x12kit.acks.numbers import ControlNumbers
from x12kit.diagnostics import Diagnostic, Level, Severity
from x12kit.models.claims import Claim
from x12kit.models.reading import read, read_enveloped
from x12kit.models.status import ClaimAcknowledgment, LevelStatus
from x12kit.reader import read_segments
from x12kit.validate.pipeline import validate, validate_events
from x12kit.validate.reports import REJECTED, WITH_ERRORS, SetReport, status_of

from .conftest import FIXTURES, ROOT, corpus_files, corpus_id
from .generate_helpers import pyx12_accepts, x12kit_findings

WHEN = datetime(2024, 11, 6, 10, 0)
CLAIMS = FIXTURES / "claims-837p.x12"
CORPUS_CLAIMS = [f for kind in ("837P", "837I", "837D") for f in corpus_files(kind)]


def answer(source, events=None, numbers=None) -> tuple[bytes, object]:
    out = io.BytesIO()
    events = validate_events(source) if events is None else events
    totals = write_277ca(source, events, out, numbers or ControlNumbers(1), WHEN)
    return out.getvalue(), totals


def answered(data: bytes) -> list[ClaimAcknowledgment]:
    """The claims a 277CA answers (none without one)."""
    return [m for m in read(data) if isinstance(m, ClaimAcknowledgment)] if data else []


def claims_of_accepted_sets(source, claims_answered: bool = False) -> int:
    """Claims in sets the 999 accepts: the set, its group and its interchange without error."""
    accepted = set()
    for report in validate(source, claims_answered=claims_answered):
        if any(d.is_error for d in report.diagnostics):
            continue
        for group in report.groups:
            if not any(d.is_error for d in group.diagnostics):
                accepted |= {s.header.offset for s in group.sets if s.status != REJECTED}
    return sum(isinstance(m, Claim) and env.header.offset in accepted
               for env, m in read_enveloped(source))


def test_every_fixture_claim_is_accepted_with_its_pcn_and_a_payer_claim_number():
    data, totals = answer(CLAIMS)
    claims = [m for m in read(CLAIMS) if isinstance(m, Claim)]
    acks = answered(data)
    assert [a.pcn for a in acks] == [c.pcn for c in claims]
    assert all(a.accepted and [s.code[:2] for s in a.statuses] == [("A2", "20")] for a in acks)
    assert [a.statuses[0].charge for a in acks] == [c.charge for c in claims]
    numbers = [a.payer_claim_number for a in acks]
    assert len(set(numbers)) == len(claims) and all(numbers)
    assert (totals.accepted, totals.rejected, totals.unanswered) == (len(claims), 0, 0)
    assert totals.accepted_amount == sum(c.charge for c in claims)


def test_the_fixture_answer_validates_clean(tmp_path, caplog):
    data, _ = answer(CLAIMS)
    assert x12kit_findings(data) == []
    assert pyx12_accepts(data, tmp_path, caplog)


def _with_finding(source, offset: int, snip: int) -> list:
    """Validation's events of ``source``, with a warning added at the segment at ``offset``
    (an accepted set keeps only warnings: the 999 rejects a set for any error)."""
    events = list(validate_events(source))
    for event in events:
        if isinstance(event, SetReport):
            event.diagnostics.append(Diagnostic(
                "test-finding", Severity.WARNING, "a finding", Level.SEGMENT, offset=offset,
                snip=snip))
    return events


def _offset(source, segment_id: str, n: int, code: str = "") -> int:
    """The offset of the ``n``-th (from 0) segment of that id (and element 01 ``code``)."""
    return [s.offset for s in read_segments(source)
            if s.id == segment_id and (not code or s.element(1) == code)][n]


def test_a_finding_in_a_claim_rejects_that_claim_alone():
    second_claim = _offset(CLAIMS, "CLM", 1)
    data, totals = answer(CLAIMS, _with_finding(CLAIMS, second_claim, snip=3))
    acks = answered(data)
    assert [a.rejected for a in acks] == [False, True, False, False]
    rejected = acks[1]
    assert [s.code[:3] for s in rejected.statuses] == [("A7", "400", "")]
    assert rejected.statuses[0].action == "U" and rejected.payer_claim_number is None
    assert (totals.accepted, totals.rejected) == (3, 1)
    assert totals.rejected_amount == rejected.statuses[0].charge
    assert x12kit_findings(data) == []


def test_a_finding_in_a_subscriber_level_rejects_its_claims_naming_the_subscriber():
    subscriber = _offset(CLAIMS, "NM1", 1, "IL")  # the second claim's subscriber
    data, _ = answer(CLAIMS, _with_finding(CLAIMS, subscriber, snip=5))
    acks = answered(data)
    assert [a.rejected for a in acks] == [False, True, False, False]
    assert acks[1].statuses[0].code[:3] == ("A7", "21", "IL")


def test_totals_count_each_level_and_match_the_claims():
    data, totals = answer(CLAIMS, _with_finding(CLAIMS, _offset(CLAIMS, "CLM", 2), snip=4))
    models = list(read(data))
    acks = [m for m in models if isinstance(m, ClaimAcknowledgment)]
    accepted = [a.statuses[0].charge for a in acks if a.accepted]
    rejected = [a.statuses[0].charge for a in acks if a.rejected]
    for level, counts in (("2200B", ("90", "AA")), ("2200C", ("QA", "QC"))):
        status = next(m for m in models if isinstance(m, LevelStatus) and m.level == level)
        assert dict(status.quantities) == {counts[0]: len(accepted), counts[1]: len(rejected)}
        assert dict(status.amounts) == {"YU": sum(accepted), "YY": sum(rejected)}
        assert status.statuses[0].charge == sum(accepted) + sum(rejected)
    assert (totals.accepted, totals.rejected) == (len(accepted), len(rejected)) == (3, 1)


def test_claims_of_a_rejected_set_are_not_answered():
    source = ROOT / "tests" / "golden" / "837p-two-sets-one-rejected.x12"
    statuses = [s.status for r in validate(source) for s in r.sets]
    assert REJECTED in statuses and set(statuses) != {REJECTED}
    data, totals = answer(source)
    claims = sum(isinstance(m, Claim) for m in read(source))
    assert 0 < totals.accepted + totals.rejected == len(answered(data)) \
        == claims_of_accepted_sets(source) < claims
    assert totals.unanswered == claims - len(answered(data))


def test_a_file_with_nothing_accepted_gets_no_277ca():
    source = ROOT / "tests" / "golden" / "837p-balance-and-npi.x12"
    assert all(s.status == REJECTED for r in validate(source) for s in r.sets)
    data, totals = answer(source)
    assert data == b"" and totals.unanswered > 0 and totals.accepted == totals.rejected == 0


@pytest.mark.parametrize("path", CORPUS_CLAIMS, ids=corpus_id)
def test_every_corpus_claim_file_gets_one_status_per_claim_of_its_accepted_sets(
        path, tmp_path, caplog):
    try:
        events = list(validate_events(path))
    except X12ReadError:
        return  # unreadable: no acknowledgment at all
    data, totals = answer(path, events)
    acks = answered(data)
    assert len(acks) == totals.accepted + totals.rejected == claims_of_accepted_sets(path)
    assert all(len(a.statuses) == 1 for a in acks)
    assert sum(a.rejected for a in acks) == totals.rejected
    claims = sum(isinstance(m, Claim) for m in read(path))
    assert totals.unanswered == claims - len(acks)
    if data:
        assert x12kit_findings(data) == []
        assert pyx12_accepts(data, tmp_path, caplog)


def test_control_numbers_never_repeat_across_runs_with_a_counter(tmp_path):
    counter = tmp_path / "counter"
    seen = []
    for _ in range(2):
        data, _ = answer(CLAIMS, numbers=ControlNumbers(path=counter))
        for seg in read_segments(data):
            if seg.id in ("ISA", "GS", "ST"):
                seen.append(int(seg.element({"ISA": 13, "GS": 6, "ST": 2}[seg.id])))
    assert len(seen) == 6 and len(set(seen)) == 6


def test_verdicts_from_reports_are_those_from_events():
    from_events = verdicts_of(validate_events(CLAIMS)).accepted
    from_reports = verdicts_of(validate(CLAIMS)).accepted
    assert from_events == from_reports and from_events
    assert not SetVerdicts()


def test_the_tracker_moves_every_claim_to_accepted_with_its_payer_claim_number(tmp_path):
    from x12kit.tracker import Tracker
    data, _ = answer(CLAIMS)
    numbers = {a.pcn: a.payer_claim_number for a in answered(data)}
    with Tracker(f"sqlite:///{tmp_path / 'claims.db'}") as tracker:
        tracker.ingest(CLAIMS)
        tracker.ingest(data, name="claims.277ca")
        claims = tracker.claims()
    assert {c["pcn"]: (c["state"], c["payer_claim_number"]) for c in claims} == {
        pcn: ("accepted", number) for pcn, number in numbers.items()}


def test_the_tracker_rejects_the_claim_a_finding_rejects(tmp_path):
    from x12kit.tracker import Tracker
    data, _ = answer(CLAIMS, _with_finding(CLAIMS, _offset(CLAIMS, "CLM", 0), snip=5))
    with Tracker(f"sqlite:///{tmp_path / 'claims.db'}") as tracker:
        tracker.ingest(CLAIMS)
        tracker.ingest(data, name="claims.277ca")
        states = [c["state"] for c in sorted(tracker.claims(), key=lambda c: c["pcn"])]
    pcns = sorted(c.pcn for c in read(CLAIMS) if isinstance(c, Claim))
    assert states == ["rejected" if pcn == "A010000000001" else "accepted" for pcn in pcns]


def test_validate_writes_a_277ca_only_when_asked(tmp_path):
    from click.testing import CliRunner

    from x12kit.cli import main
    plain = CliRunner().invoke(main, ["validate", "--ack-dir", str(tmp_path / "plain"),
                                      str(CLAIMS)])
    assert plain.exit_code == 0, plain.output
    assert [p.suffix for p in (tmp_path / "plain").glob("claims*")] == [".999"]
    assert CliRunner().invoke(main, ["validate", "--277ca", str(CLAIMS)]).exit_code == 2


def test_validate_ack_dir_writes_a_277ca_beside_the_999(tmp_path):
    from click.testing import CliRunner

    from x12kit.cli import main
    result = CliRunner().invoke(main, ["validate", "--ack-dir", str(tmp_path), "--277ca",
                                       str(CLAIMS)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))
    assert written == ["claims-837p.x12.277ca", "claims-837p.x12.999"]
    data = (tmp_path / "claims-837p.x12.277ca").read_bytes()
    assert len(answered(data)) == 4 and x12kit_findings(data) == []
    numbers = [int(s.element({"ISA": 13, "GS": 6, "ST": 2}[s.id]))
               for name in written for s in read_segments(tmp_path / name)
               if s.id in ("ISA", "GS", "ST")]
    assert len(numbers) == 6 and len(set(numbers)) == 6


def test_ack_277ca_writes_only_the_277ca():
    from click.testing import CliRunner

    from x12kit.cli import main
    result = CliRunner().invoke(main, ["ack", "--277ca", str(CLAIMS)])
    assert result.exit_code == 0, result.stderr
    kinds = {s.element(1) for s in read_segments(result.stdout_bytes) if s.id == "ST"}
    assert kinds == {"277"} and len(answered(result.stdout_bytes)) == 4
    refused = CliRunner().invoke(main, ["ack", "--277ca", "-"], input=b"")
    assert refused.exit_code == 2



# -- claims answered one by one: a claim's own errors reject the claim, not its set ----------

WITH_CLAIM_ERRORS = ROOT.parent / "shared" / "corpus" / "837P" / \
    "lfhx12__demo.example2.837"   # two NPIs that fail their check digit, in 2010AA and 2310C


@pytest.mark.parametrize("snip, loop, answered, verdict", [
    (5, "2310C", True, WITH_ERRORS),     # a claim's provider: the 277CA rejects the claim
    (4, "2000B", True, WITH_ERRORS),     # its subscriber's level: the same
    (5, "1000A", True, REJECTED),        # the submitter, in the set's header: the 999's
    (2, "2300", True, REJECTED),         # the structure: always the 999's
    (5, "2310C", False, REJECTED),       # no 277CA: every error rejects the set
])
def test_which_errors_a_277ca_answers_instead_of_the_999(snip, loop, answered, verdict):
    error = Diagnostic("npi-check-digit", Severity.ERROR, "", Level.ELEMENT, "I12", 10, 3, 2,
                       "NM1", "NM109", loop, snip)
    assert status_of([error], claims_answered=answered) == verdict


def test_with_claims_answered_a_claim_error_rejects_the_claim_and_its_set_is_accepted():
    assert [s.status for r in validate(WITH_CLAIM_ERRORS) for s in r.sets] == [REJECTED]
    assert answer(WITH_CLAIM_ERRORS)[0] == b""
    events = list(validate_events(WITH_CLAIM_ERRORS, claims_answered=True))
    assert [e.status for e in events if type(e) is SetReport] == [WITH_ERRORS]
    data, totals = answer(WITH_CLAIM_ERRORS, events)
    (claim,) = answered(data)
    assert claim.rejected and totals.rejected == 1 and totals.accepted == 0
    assert [(s.category, s.entity) for s in claim.statuses[0].codes] == [("A7", "85"),
                                                                          ("A7", "77")]


@pytest.mark.parametrize("path", CORPUS_CLAIMS, ids=corpus_id)
def test_every_corpus_claim_file_answered_claim_by_claim_gets_a_clean_277ca(path, tmp_path,
                                                                             caplog):
    try:
        events = list(validate_events(path, claims_answered=True))
    except X12ReadError:
        return
    if [e.status for e in events if type(e) is SetReport] == \
            [e.status for e in validate_events(path) if type(e) is SetReport]:
        return  # nothing left to the 277CA: the test above answers it
    data, totals = answer(path, events)
    assert len(answered(data)) == claims_of_accepted_sets(path, claims_answered=True)
    if not data:
        return  # its group or interchange is rejected: no claim of it is answered
    assert totals.rejected > 0
    # an NPI that fails its check digit (what rejected the claim) is echoed as received
    assert {getattr(d, "code", d) for d in x12kit_findings(data)} <= {"npi-check-digit",
                                                                     REJECTED}
    assert pyx12_accepts(data, tmp_path, caplog)


def test_validate_and_batch_answer_claim_errors_in_the_277ca(tmp_path):
    """The commands that write a 277CA leave a claim's errors to it: the 999 accepts the set
    with errors (IK5 E), the 277CA rejects the claim, the exit code says something was
    rejected, and batch converts the set."""
    import json

    from click.testing import CliRunner

    from x12kit.cli import main
    result = CliRunner().invoke(main, ["validate", "--ack-dir", str(tmp_path / "acks"),
                                       "--277ca", str(WITH_CLAIM_ERRORS)])
    assert result.exit_code == 1 and "accepted_with_errors (2 error(s))" in result.output
    name = WITH_CLAIM_ERRORS.name
    ik5 = [s.elements[1:] for s in read_segments(tmp_path / "acks" / f"{name}.999")
           if s.id == "IK5"]
    assert ik5 == [("E", "I5")]
    assert [a.rejected for a in answered((tmp_path / "acks" / f"{name}.277ca").read_bytes())
            ] == [True]
    batch = CliRunner().invoke(main, ["batch", str(WITH_CLAIM_ERRORS), "-o",
                                      str(tmp_path / "out"), "--acks", "--to", "ndjson",
                                      "--format", "json"])
    line = json.loads(batch.stdout.splitlines()[0])
    assert line["status"] == "done", batch.output
    assert sorted(p.rsplit(".", 1)[1] for p in line["outputs"]) == ["277ca", "999", "ndjson",
                                                                   "ta1"]
