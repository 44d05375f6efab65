"""The claims' totals summed by payer, claim date and first payment date
(``report_total``, see ``store/projections.py``): the report reads these instead of a row
per claim. Filled from the claims already there.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

from x12kit.tracker.store.types import Money

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

NO_DAY = "'0001-01-01'"     # tables.NO_DAY: a date the claim does not have
FILL = (
    "INSERT INTO report_total (payer_id, payer_name, claim_date, first_paid, claims, charge, "
    "paid, adjusted, pr, owing_claims, open_claims) "
    "SELECT payer_id, payer_name, claim_day, paid_day, COUNT(*), SUM(charge_total), "
    "SUM(paid_total), SUM(adjusted_total), SUM(pr_total), "
    "SUM(CASE WHEN pr_total <> 0 THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN charge_total - paid_total - adjusted_total <> 0 THEN 1 ELSE 0 END) "
    "FROM (SELECT claim.*, COALESCE(claim_date, {day}) AS claim_day, "
    "COALESCE(first_paid, {day}) AS paid_day FROM claim WHERE superseded_by IS NULL) AS c "
    "GROUP BY payer_id, payer_name, claim_day, paid_day")


def upgrade():
    op.create_table(
        "report_total",
        sa.Column("payer_id", sa.String(80), primary_key=True),
        sa.Column("payer_name", sa.String(80), primary_key=True),
        sa.Column("claim_date", sa.Date, primary_key=True),
        sa.Column("first_paid", sa.Date, primary_key=True),
        sa.Column("claims", sa.BigInteger, nullable=False),
        sa.Column("charge", Money, nullable=False),
        sa.Column("paid", Money, nullable=False),
        sa.Column("adjusted", Money, nullable=False),
        sa.Column("pr", Money, nullable=False),
        sa.Column("owing_claims", sa.BigInteger, nullable=False),
        sa.Column("open_claims", sa.BigInteger, nullable=False))
    day = NO_DAY if op.get_bind().dialect.name == "sqlite" else f"DATE {NO_DAY}"
    op.execute(FILL.format(day=day))


def downgrade():
    op.drop_table("report_total")
