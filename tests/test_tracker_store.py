"""The database stores: the migrations make the schema the queries expect, amounts are
exact, and every 837, 835, 999, 277CA and 277 in the corpus ingests."""
from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from x12kit.diagnostics import X12ReadError
from x12kit.models import read
from x12kit.models.remittance import ClaimPayment
from x12kit.tracker import Tracker
from x12kit.tracker.records import Entry
from x12kit.tracker.store import projections, tables
from x12kit.tracker.store.sql import SqlStore, engine_for

from .conftest import corpus_files
from .tracker_support import database_url  # noqa: F401  (fixture)


def test_the_migrations_make_the_schema_the_queries_use(database_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    SqlStore(database_url).close()
    engine = engine_for(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection),
                                       tables.metadata)
    engine.dispose()
    assert differences == []


def test_a_database_a_newer_x12kit_made_is_refused_in_one_line(tmp_path):
    from click.testing import CliRunner

    from x12kit.cli import main
    from x12kit.tracker.store import DatabaseError
    url = f"sqlite:///{tmp_path / 'newer.db'}"
    SqlStore(url).close()
    engine = engine_for(url)
    with engine.begin() as connection:   # as a later release's migration would leave it
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="newer than this x12kit"):
        SqlStore(url)
    result = CliRunner().invoke(main, ["track", "claims", "--db", url])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "newer than this x12kit" in result.output


def test_opening_again_keeps_the_data_and_the_revision(database_url):
    from tests.test_tracker_scenarios import CLAIMS
    with Tracker(database_url) as tracker:
        tracker.ingest(CLAIMS, "claims.837")
    with Tracker(database_url) as tracker:
        assert len(tracker.claims()) == 13
        assert tracker.ingest(CLAIMS, "claims.837").duplicate


def test_amounts_are_exact_in_the_ledger_and_its_sums(database_url):
    store = SqlStore(database_url)
    amounts = [Decimal("0.10")] * 1000 + [Decimal("-12345678.99"), Decimal("0.01")]
    with store.unit_of_work() as uow:
        document = uow.add_document("0" * 64, "835", "money")
        uow.add_entries([Entry(None, document, "provider", "", "WO", a) for a in amounts])
        uow.commit()
    with store.engine.connect() as c:
        total = c.execute(sa.select(sa.func.sum(tables.entry.c.amount))).scalar_one()
    assert [e.amount for e, _ in store.provider_entries()] == amounts
    assert total == sum(amounts) == Decimal("-12345578.98")
    store.close()


def test_every_corpus_claim_and_payment_file_ingests(tmp_path):
    files = corpus_files("837P") + corpus_files("837I") + corpus_files("837D") + \
        corpus_files("835")
    claims = payments = unreadable = 0
    with Tracker(f"sqlite:///{tmp_path / 'corpus.db'}") as tracker:
        for path in files:
            try:
                models = list(read(path))
            except X12ReadError:       # unreadable: the tracker refuses it, and keeps nothing
                with pytest.raises(X12ReadError):
                    tracker.ingest(path)
                unreadable += 1
                continue
            result = tracker.ingest(path)
            if result.duplicate:       # the corpus holds a few identical contents
                continue
            assert result.claims == sum(1 for m in models if m.__class__.__name__ == "Claim")
            assert result.payments + result.unmatched == sum(
                1 for m in models if isinstance(m, ClaimPayment))
            claims += result.claims
            payments += result.payments + result.unmatched
        answers = [tracker.ingest(path) for kind in ("999", "277CA", "277")
                   for path in corpus_files(kind)]
        listed = tracker.claims()
    assert claims > 100 and payments > 50 and unreadable < 10
    assert len(listed) == claims
    assert sum(a.answers + a.waiting_answers for a in answers) > 10


def test_the_report_sums_the_same_on_every_database(database_url):
    from datetime import date

    from tests.test_tracker_scenarios import FILES
    with Tracker(database_url) as tracker:
        for name, content in FILES.items():
            tracker.ingest(content, name)
        report = tracker.report(date(2025, 1, 15))
    assert report["by_payer"][0]["balance"] == "330.00"
    assert report["days_to_payment"] == {"claims": 7, "average": 15.0, "least": 15,
                                         "most": 15}
    assert report["aging"][2] == {"bucket": "61-90", "claims": 7, "balance": "330.00"}
    assert report["patient_balances"]["claims_with_patient_responsibility"] == 3


def test_the_report_is_the_same_whatever_order_the_files_come_in(database_url, tmp_path):
    from datetime import date

    from tests.test_tracker_scenarios import FILES, ORDERS
    from tests.tracker_support import fresh_postgres
    later_payment_first = ["claims.837", "second.835", "first.835"] + [
        name for name in FILES if name not in ("claims.837", "second.835", "first.835")]
    reports = []
    for n, order in enumerate(ORDERS + [later_payment_first]):
        url = f"sqlite:///{tmp_path / f'order{n}.db'}" if database_url.startswith(
            "sqlite") else fresh_postgres(database_url)
        with Tracker(url) as tracker:
            for name in order:
                tracker.ingest(FILES[name], name)
            reports.append(tracker.report(date(2025, 1, 15)))
    assert all(report == reports[0] for report in reports[1:])
    assert reports[0]["days_to_payment"]["least"] == 15

def test_the_newest_revision_is_alembics_head(database_url):
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from x12kit.tracker.store.sql import MIGRATIONS, is_newest, newest_revision
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    scripts = ScriptDirectory.from_config(config)
    assert newest_revision() == scripts.get_current_head()
    assert all(script.path.split("/")[-1].startswith(script.revision + "_")
               for script in scripts.walk_revisions())
    engine = sa.create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    assert not is_newest(engine)                        # no schema yet
    with Tracker(database_url):
        assert is_newest(engine)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '0003'"))
    assert not is_newest(engine)
    engine.dispose()

def test_the_report_needs_a_database():
    from x12kit.tracker import DatabaseError
    with pytest.raises(DatabaseError, match="needs a database"):
        Tracker("memory://").report()


@pytest.mark.parametrize("settle_every", [2, projections.SETTLE_EVERY])
def test_the_report_totals_equal_the_ledger_sums(database_url, settle_every, monkeypatch):
    from tests.test_tracker_scenarios import FILES, REPLACED
    monkeypatch.setattr(projections, "SETTLE_EVERY", settle_every)
    with Tracker(database_url) as tracker:
        for name in reversed(list(FILES) + list(REPLACED)):    # answers before claims
            tracker.ingest({**FILES, **REPLACED}[name], name)
        summaries = {(c["pcn"], c["frequency"]): c for c in tracker.claims()}
        engine = tracker.store.engine
        with engine.connect() as c:
            kept = {(r.pcn, r.frequency): tuple(f"{v:.2f}" for v in (
                r.charge_total, r.paid_total, r.charge_total - r.paid_total - r.adjusted_total,
                r.pr_total)) for r in c.execute(sa.select(tables.claim))}
            e = tables.entry.c
            summed = set(c.execute(sa.select(e.group_code, e.reason, sa.func.count(),
                                             sa.func.sum(e.amount))
                                   .where(e.kind == "adjustment")
                                   .group_by(e.group_code, e.reason)))
            totals = set(c.execute(sa.select(tables.adjustment_total)))
            by_day = {tuple(r[:4]): tuple(r[4:]) for r in c.execute(
                sa.select(tables.report_total).where(tables.report_total.c.claims != 0))}
            claims = list(c.execute(sa.select(tables.claim)))
    assert kept == {key: (s["charge"], s["paid"], s["balance"], s["patient_responsibility"])
                    for key, s in summaries.items()}
    assert totals == summed
    assert by_day == _report_totals(claims) and len(by_day) > 1


def _report_totals(claims) -> dict:
    """``report_total`` as the claims' own rows sum it."""
    found: dict = {}
    for r in claims:
        if r.superseded_by is not None:
            continue
        key = (r.payer_id, r.payer_name, r.claim_date or tables.NO_DAY,
               r.first_paid or tables.NO_DAY)
        balance = r.charge_total - r.paid_total - r.adjusted_total
        part = (1, r.charge_total, r.paid_total, r.adjusted_total, r.pr_total,
                int(r.pr_total != 0), int(balance != 0))
        found[key] = tuple(a + b for a, b in zip(found.get(key, (0,) * 7), part))
    return found


def test_upgrading_to_the_report_totals_fills_them_from_the_ledger(database_url):
    from tests.test_tracker_scenarios import FILES
    from x12kit.tracker.store.sql import migrate
    with Tracker(database_url) as tracker:
        for name, content in FILES.items():
            tracker.ingest(content, name)
        before = tracker.report()
        migrate(tracker.store.engine, "0002", down=True)     # as a database made before 0003
        migrate(tracker.store.engine)
        assert tracker.report() == before
        assert before["by_payer"][0]["balance"] == "330.00"
