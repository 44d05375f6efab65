"""Answers (999, 277CA, 277) that come before their claims wait, as 835 payments do.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

from x12kit.tracker.store.types import Key

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "waiting_answer",
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
        sa.Column("applied", sa.Boolean, nullable=False))
    op.create_index("waiting_answer_pcn", "waiting_answer", ["pcn"])
    op.create_index("waiting_answer_group", "waiting_answer", ["sender_id", "group_control"])


def downgrade():
    op.drop_table("waiting_answer")
