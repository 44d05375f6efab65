"""``x12kit track``: the command-line contract other tools read (issue 11)."""
from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

from click.testing import CliRunner

from x12kit.cli import main

from .conftest import FIXTURES
from .test_tracker_scenarios import CLAIMS, FIRST_REMIT

AMOUNT = re.compile(r"^-?\d+\.\d\d$")
CLAIM_FIELDS = {"pcn", "billing_npi", "payer_claim_number", "state", "charge", "paid",
                "adjustments", "patient_responsibility", "balance", "history"}
FIXTURE_FILES = [str(FIXTURES / "claims-837p.x12"), str(FIXTURES / "remittance-835.x12")]
# names and member ids that stand in the fixtures: never in what the commands log or print
PHI = ("CLARK", "FLORES", "X1114844163", "19740612", "9375 RIVER")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'track.db'}"


def test_ingest_then_claims_as_json_follow_the_contract(tmp_path):
    first = run("track", "ingest", "--db", db(tmp_path), *FIXTURE_FILES)
    assert first.exit_code == 0, first.output
    listed = run("track", "claims", "--db", db(tmp_path), "--format", "json")
    claims = json.loads(listed.output)
    assert len(claims) == 4
    for claim in claims:
        assert CLAIM_FIELDS <= set(claim)
        assert claim["state"] == "paid"
        amounts = [claim[k] for k in ("charge", "paid", "patient_responsibility", "balance")]
        assert all(AMOUNT.match(a) for a in amounts + list(claim["adjustments"].values()))
        assert [h["kind"] for h in claim["history"]] == ["837P", "835"]
        assert [h["source"] for h in claim["history"]] == FIXTURE_FILES


def test_the_same_file_again_says_it_posted_nothing(tmp_path):
    run("track", "ingest", "--db", db(tmp_path), FIXTURE_FILES[0])
    again = run("track", "ingest", "--db", db(tmp_path), FIXTURE_FILES[0])
    assert again.exit_code == 0
    assert "already ingested: nothing new posted" in again.output


def test_unmatched_lists_payments_without_a_claim_until_it_arrives(tmp_path):
    (tmp_path / "first.835").write_bytes(FIRST_REMIT)
    (tmp_path / "claims.837").write_bytes(CLAIMS)
    run("track", "ingest", "--db", db(tmp_path), str(tmp_path / "first.835"))
    before = json.loads(run("track", "unmatched", "--db", db(tmp_path), "--format",
                            "json").output)
    assert len(before) == 10
    assert set(before[0]) >= {"pcn", "payer_claim_number", "paid", "source"}
    run("track", "ingest", "--db", db(tmp_path), str(tmp_path / "claims.837"))
    after = json.loads(run("track", "unmatched", "--db", db(tmp_path), "--format",
                           "json").output)
    assert sorted(u["pcn"] for u in after) == ["AMBIGUOUSPCN00000000", "NOSUCHCLAIM"]


def test_claims_filter_by_state(tmp_path):
    for name, content in (("claims.837", CLAIMS), ("first.835", FIRST_REMIT)):
        (tmp_path / name).write_bytes(content)
        run("track", "ingest", "--db", db(tmp_path), str(tmp_path / name))
    denied = json.loads(run("track", "claims", "--db", db(tmp_path), "--state", "denied",
                            "--format", "json").output)
    assert [c["pcn"] for c in denied] == ["DENIED"]


def test_claim_shows_history_ledger_and_balance(tmp_path):
    run("track", "ingest", "--db", db(tmp_path), *FIXTURE_FILES)
    shown = run("track", "claim", "A010000000003", "--db", db(tmp_path))
    assert shown.exit_code == 0
    assert "history:" in shown.output and "ledger:" in shown.output
    assert shown.output.count("payment ") == 5   # one history event, four line payments
    assert "balance 0.00" in shown.output
    assert run("track", "claim", "NOSUCH", "--db", db(tmp_path)).exit_code == 1


def test_unreadable_files_and_bad_urls_fail_without_a_traceback(tmp_path):
    bad = tmp_path / "bad.x12"
    bad.write_bytes(b"NOT X12 AT ALL")
    result = run("track", "ingest", "--db", db(tmp_path), str(bad), FIXTURE_FILES[0])
    assert result.exit_code == 1
    assert re.search(rf"^{re.escape(str(bad))}:\d+:\d+: error: ", result.output, re.M)
    assert "Traceback" not in result.output
    assert "4 claims" in result.output          # the next file was still ingested
    assert run("track", "claims", "--db", "mysql://x").exit_code == 2
    unreachable = run("track", "claims", "--db", f"sqlite:///{tmp_path}/no/such/dir/x.db")
    assert unreachable.exit_code == 1 and "x12kit: error: database: " in unreachable.output


def test_ingest_output_and_logs_carry_no_patient_values(tmp_path):
    result = CliRunner().invoke(main, ["-vv", "track", "ingest", "--db", db(tmp_path),
                                       "--format", "json", *FIXTURE_FILES])
    assert result.exit_code == 0
    assert "tracker.ingested" in result.output           # the log events are there
    assert not [value for value in PHI if value in result.output]


def _scenario_db(tmp_path) -> str:
    from .test_tracker_scenarios import FILES
    for name, content in FILES.items():
        (tmp_path / name).write_bytes(content)
    run("track", "ingest", "--db", db(tmp_path), *(str(tmp_path / n) for n in FILES))
    return db(tmp_path)


def test_report_as_json_has_the_scenarios_figures(tmp_path):
    url = _scenario_db(tmp_path)
    report = json.loads(run("track", "report", "--db", url, "--as-of", "2025-01-15",
                            "--format", "json").output)
    claims = json.loads(run("track", "claims", "--db", url, "--format", "json").output)
    payer = report["by_payer"][0]
    assert (payer["payer_id"], payer["claims"]) == ("87726", len(claims))
    assert payer["balance"] == f"{sum(Decimal(c['balance']) for c in claims):.2f}" == "330.00"
    assert payer["paid"] == f"{sum(Decimal(c['paid']) for c in claims):.2f}"
    assert [(a["bucket"], a["claims"]) for a in report["aging"]] == [
        ("0-30", 0), ("31-60", 0), ("61-90", 7), ("90+", 0)]
    denied = {(a["group"], a["reason"]): a["on_denied_claims"]
              for a in report["adjustments_by_carc"]}
    assert denied[("CO", "50")] == "150.00" and denied[("CO", "45")] == "0.00"
    words = {a["reason"]: a["description"] for a in report["adjustments_by_carc"]}
    assert "fee schedule" in words["45"] and "Usage" not in words["45"]
    assert report["days_to_payment"] == {"claims": 7, "average": 15.0, "least": 15,
                                         "most": 15}
    assert report["patient_balances"]["total"] == "165.00"
    assert [b["pcn"] for b in report["patient_balances"]["largest"]] == [
        "DEDUCTIBLE", "PARTIAL", "SECONDARY"]
    assert [(p["reason"], p["amount"], p["description"]) for p in
            report["provider_adjustments"]] == [("L6", "-3.50", "Interest Owed"),
                                                ("WO", "25.00", "Overpayment Recovery")]
    assert report["unmatched"] == {"count": 2, "paid": "125.00"}


def test_report_as_text_and_csv_show_the_same_figures(tmp_path):
    url = _scenario_db(tmp_path)
    text = run("track", "report", "--db", url, "--as-of", "2025-01-15").output
    rows = list(csv.reader(io.StringIO(run("track", "report", "--db", url, "--as-of",
                                           "2025-01-15", "--format", "csv").output)))
    assert "balance 330.00" in text and "61-90: 7 claims, balance 330.00" in text
    assert ["aging", "61-90", "", "7", "330.00"] in rows
    assert rows[0][0] == "section" and {r[0] for r in rows[1:]} >= {
        "by_payer", "aging", "adjustments_by_carc", "days_to_payment", "patient_balances",
        "provider_adjustments", "unmatched"}
