"""The tracker's tables, for the queries (the migrations in ``migrations/versions`` create
them; ``test_tracker_store`` checks that both agree).

document: one row per file content ingested (its SHA-256 is unique: the same content is
posted once). claim, claim_line: what was sent, with the state and payer claim number the
events lead to (derived, kept for queries). event: each thing a document said of a claim.
entry: the append-only ledger. unmatched: claim payments waiting for their claim;
waiting_answer: 999, 277CA and 277 answers waiting for theirs. The claim's ``*_total``
columns, adjustment_total and report_total are the report's projection of the ledger
(projections.py).
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from x12kit.tracker.store.types import Key, Money

metadata = sa.MetaData()

document = sa.Table(
    "document", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("ingested_at", sa.DateTime, nullable=False),
)

claim = sa.Table(
    "claim", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("document_id", sa.Integer, nullable=False),
    sa.Column("billing_npi", sa.String(15), nullable=False),
    sa.Column("pcn", Key(), nullable=False),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("payer_id", sa.String(80), nullable=False),
    sa.Column("payer_name", sa.String(80), nullable=False),
    sa.Column("charge", Money, nullable=False),
    sa.Column("claim_date", sa.Date),
    sa.Column("service_start", sa.Date),
    sa.Column("service_end", sa.Date),
    sa.Column("frequency", sa.String(2), nullable=False),
    sa.Column("replaces", Key()),
    sa.Column("group_control", sa.String(9), nullable=False),
    sa.Column("set_control", sa.String(9), nullable=False),
    sa.Column("sender_id", sa.String(15), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("state", sa.String(12), nullable=False),
    sa.Column("payer_claim_number", Key()),
    sa.Column("superseded_by", sa.Integer),
    # the report's totals, a projection of the ledger (projections.py)
    sa.Column("charge_total", Money, nullable=False, server_default="0"),
    sa.Column("paid_total", Money, nullable=False, server_default="0"),
    sa.Column("adjusted_total", Money, nullable=False, server_default="0"),
    sa.Column("pr_total", Money, nullable=False, server_default="0"),
    sa.Column("first_paid", sa.Date),
)

claim_line = sa.Table(
    "claim_line", metadata,
    sa.Column("claim_id", sa.Integer, nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("control_number", sa.String(50)),
    sa.Column("procedure", sa.String(60), nullable=False),
    sa.Column("charge", Money, nullable=False),
    sa.Column("service_date", sa.Date),
)

event = sa.Table(
    "event", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("claim_id", sa.Integer, nullable=False),
    sa.Column("document_id", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("event", sa.String(16), nullable=False),
    sa.Column("code", sa.String(12), nullable=False),
    sa.Column("written", sa.Date),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("payer_claim_number", Key()),
)

entry = sa.Table(
    "entry", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("claim_id", sa.Integer),
    sa.Column("document_id", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(12), nullable=False),
    sa.Column("group_code", sa.String(2), nullable=False),
    sa.Column("reason", sa.String(8), nullable=False),
    sa.Column("amount", Money, nullable=False),
    sa.Column("line_number", sa.Integer),
    sa.Column("provider_id", sa.String(50)),
    sa.Column("reference", sa.String(50)),
    sa.Column("claim_status", sa.String(2), nullable=False),
)

unmatched = sa.Table(
    "unmatched", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("document_id", sa.Integer, nullable=False),
    sa.Column("pcn", Key(), nullable=False),
    sa.Column("payer_claim_number", Key(), nullable=False),
    sa.Column("paid", Money, nullable=False),
    sa.Column("remit", sa.Text, nullable=False),
    sa.Column("matched_claim_id", sa.Integer),
)

adjustment_total = sa.Table(
    "adjustment_total", metadata,
    sa.Column("group_code", sa.String(2), primary_key=True),
    sa.Column("reason", sa.String(8), primary_key=True),
    sa.Column("count", sa.BigInteger, nullable=False),
    sa.Column("amount", Money, nullable=False),
)

# the claims' totals summed by payer, claim date and first payment date: the report's
# totals by payer, aging and days to payment read these rows, not the claims
# (projections.py). NO_DAY stands for a date the claim does not have.
report_total = sa.Table(
    "report_total", metadata,
    sa.Column("payer_id", sa.String(80), primary_key=True),
    sa.Column("payer_name", sa.String(80), primary_key=True),
    sa.Column("claim_date", sa.Date, primary_key=True),
    sa.Column("first_paid", sa.Date, primary_key=True),
    sa.Column("claims", sa.BigInteger, nullable=False),
    sa.Column("charge", Money, nullable=False),
    sa.Column("paid", Money, nullable=False),
    sa.Column("adjusted", Money, nullable=False),
    sa.Column("pr", Money, nullable=False),
    sa.Column("owing_claims", sa.BigInteger, nullable=False),    # with PR
    sa.Column("open_claims", sa.BigInteger, nullable=False),     # with a balance
)
NO_DAY = date(1, 1, 1)

waiting_answer = sa.Table(
    "waiting_answer", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("document_id", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("event", sa.String(16), nullable=False),
    sa.Column("code", sa.String(12), nullable=False),
    sa.Column("billing_npi", sa.String(15)),
    sa.Column("pcn", Key()),
    sa.Column("payer_claim_number", Key()),
    sa.Column("group_control", sa.String(9)),
    sa.Column("set_control", sa.String(9)),
    sa.Column("sender_id", sa.String(15)),
    sa.Column("written", sa.Date),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("applied", sa.Boolean, nullable=False),
)

INDEXES = [
    sa.Index("claim_pcn", claim.c.pcn),
    sa.Index("claim_state_date", claim.c.state, claim.c.claim_date),
    sa.Index("claim_payer", claim.c.payer_id),
    sa.Index("claim_date", claim.c.claim_date),
    sa.Index("claim_replaces", claim.c.replaces),
    sa.Index("claim_pr_total", claim.c.pr_total),
    sa.Index("claim_set", claim.c.sender_id, claim.c.group_control, claim.c.set_control),
    sa.Index("claim_line_claim", claim_line.c.claim_id),
    sa.Index("event_claim", event.c.claim_id),
    sa.Index("event_payer_claim_number", event.c.payer_claim_number),
    sa.Index("entry_claim", entry.c.claim_id),
    sa.Index("entry_provider", entry.c.kind, sqlite_where=entry.c.kind == "provider",
             postgresql_where=entry.c.kind == "provider"),
    sa.Index("unmatched_pcn", unmatched.c.pcn),
    sa.Index("unmatched_matched", unmatched.c.matched_claim_id),
    sa.Index("waiting_answer_pcn", waiting_answer.c.pcn),
    sa.Index("waiting_answer_group", waiting_answer.c.sender_id, waiting_answer.c.group_control),
]
