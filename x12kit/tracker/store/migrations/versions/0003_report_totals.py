"""Totals for the report, kept with each posting (see ``store/projections.py``): per claim
(charge, paid, adjusted, PR, first payment date) and per CAS group and reason. Filled from
the ledger for the claims already there.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

from x12kit.tracker.store.types import Money

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TOTALS = {"charge_total": "kind = 'charge'", "paid_total": "kind = 'payment'",
          "adjusted_total": "kind IN ('adjustment', 'transfer')",
          "pr_total": "kind IN ('adjustment', 'transfer') AND group_code = 'PR'"}


def upgrade():
    with op.batch_alter_table("claim") as claim:
        for name in TOTALS:
            claim.add_column(sa.Column(name, Money, nullable=False, server_default="0"))
        claim.add_column(sa.Column("first_paid", sa.Date))
    for name, where in TOTALS.items():
        op.execute(f"UPDATE claim SET {name} = COALESCE((SELECT SUM(amount) FROM entry "
                   f"WHERE entry.claim_id = claim.id AND {where}), 0)")
    op.execute("UPDATE claim SET first_paid = (SELECT MIN(written) FROM event WHERE "
               "event.claim_id = claim.id AND event.event = 'payment')")
    op.create_index("claim_pr_total", "claim", ["pr_total"])
    op.create_table(
        "adjustment_total",
        sa.Column("group_code", sa.String(2), primary_key=True),
        sa.Column("reason", sa.String(8), primary_key=True),
        sa.Column("count", sa.BigInteger, nullable=False),
        sa.Column("amount", Money, nullable=False))
    op.execute("INSERT INTO adjustment_total (group_code, reason, count, amount) "
               "SELECT group_code, reason, COUNT(*), SUM(amount) FROM entry "
               "WHERE kind = 'adjustment' GROUP BY group_code, reason")


def downgrade():
    op.drop_table("adjustment_total")
    op.drop_index("claim_pr_total", "claim")
    with op.batch_alter_table("claim") as claim:
        for name in (*TOTALS, "first_paid"):
            claim.drop_column(name)
