"""The tracker's first schema: documents, claims and lines, events, ledger entries,
unmatched payments.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

from x12kit.tracker.store.types import Key, Money

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "document",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("ingested_at", sa.DateTime, nullable=False))
    op.create_table(
        "claim",
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
        sa.Column("superseded_by", sa.Integer))
    op.create_table(
        "claim_line",
        sa.Column("claim_id", sa.Integer, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("control_number", sa.String(50)),
        sa.Column("procedure", sa.String(60), nullable=False),
        sa.Column("charge", Money, nullable=False),
        sa.Column("service_date", sa.Date))
    op.create_table(
        "event",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("claim_id", sa.Integer, nullable=False),
        sa.Column("document_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("code", sa.String(12), nullable=False),
        sa.Column("written", sa.Date),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("payer_claim_number", Key()))
    op.create_table(
        "entry",
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
        sa.Column("claim_status", sa.String(2), nullable=False))
    op.create_table(
        "unmatched",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, nullable=False),
        sa.Column("pcn", Key(), nullable=False),
        sa.Column("payer_claim_number", Key(), nullable=False),
        sa.Column("paid", Money, nullable=False),
        sa.Column("remit", sa.Text, nullable=False),
        sa.Column("matched_claim_id", sa.Integer))
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


INDEXES = [
    ("claim_pcn", "claim", ["pcn"]),
    ("claim_state_date", "claim", ["state", "claim_date"]),
    ("claim_payer", "claim", ["payer_id"]),
    ("claim_date", "claim", ["claim_date"]),
    ("claim_replaces", "claim", ["replaces"]),
    ("claim_set", "claim", ["sender_id", "group_control", "set_control"]),
    ("claim_line_claim", "claim_line", ["claim_id"]),
    ("event_claim", "event", ["claim_id"]),
    ("event_payer_claim_number", "event", ["payer_claim_number"]),
    ("entry_claim", "entry", ["claim_id"]),
    ("entry_kind", "entry", ["kind"]),
    ("unmatched_pcn", "unmatched", ["pcn"]),
    ("unmatched_matched", "unmatched", ["matched_claim_id"]),
]


def downgrade():
    for table in ("unmatched", "entry", "event", "claim_line", "claim", "document"):
        op.drop_table(table)
