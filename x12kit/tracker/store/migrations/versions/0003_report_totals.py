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
# one pass over the ledger: every claim's sums, then one update joined to them
SUMS = ", ".join(f"SUM(CASE WHEN {where} THEN amount ELSE 0 END) AS {name}"
                 for name, where in TOTALS.items())
FILL = (f"UPDATE claim SET {', '.join(f'{name} = sums.{name}' for name in TOTALS)} "
        f"FROM (SELECT claim_id, {SUMS} FROM entry WHERE claim_id IS NOT NULL "
        f"GROUP BY claim_id) AS sums WHERE claim.id = sums.claim_id")
FIRST_PAID = ("UPDATE claim SET first_paid = paid.first FROM (SELECT claim_id, "
              "MIN(written) AS first FROM event WHERE event = 'payment' GROUP BY claim_id) "
              "AS paid WHERE claim.id = paid.claim_id")


def upgrade():
    with op.batch_alter_table("claim") as claim:
        for name in TOTALS:
            claim.add_column(sa.Column(name, Money, nullable=False, server_default="0"))
        claim.add_column(sa.Column("first_paid", sa.Date))
    op.execute(FILL)
    op.execute(FIRST_PAID)
    op.create_index("claim_pr_total", "claim", ["pr_total"])
    # PLB entries are the only ones looked up by kind: an index of them alone leaves the
    # planner the claim's state index and entry_claim for the report's denials
    op.drop_index("entry_kind", "entry")
    op.create_index("entry_provider", "entry", ["kind"], sqlite_where=sa.text("kind = 'provider'"),
                    postgresql_where=sa.text("kind = 'provider'"))
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
    op.drop_index("entry_provider", "entry")
    op.create_index("entry_kind", "entry", ["kind"])
    op.drop_table("adjustment_total")
    op.drop_index("claim_pr_total", "claim")
    with op.batch_alter_table("claim") as claim:
        for name in (*TOTALS, "first_paid"):
            claim.drop_column(name)
