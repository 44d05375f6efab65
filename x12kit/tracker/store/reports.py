"""The report's figures as SQL aggregates (the SQL store only): each section is one
statement over the claims' totals and the adjustment totals that every posting keeps
(``projections.py``), so the database reads a row per claim, not every ledger entry."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from x12kit.tracker.store import tables as t

AGING = ((0, 30, "0-30"), (31, 60, "31-60"), (61, 90, "61-90"), (91, None, "90+"))
TOP = 20


def _bucket(as_of: date):
    claim_date = t.claim.c.claim_date
    whens = []
    for low, high, name in AGING[:-1]:
        whens.append((claim_date >= as_of - timedelta(days=high), name))
    return sa.case(*whens, else_=AGING[-1][2])


def _days_to_payment(c: sa.Connection):
    k = t.claim.c
    if c.dialect.name == "sqlite":
        return sa.func.julianday(k.first_paid) - sa.func.julianday(k.claim_date)
    return k.first_paid - k.claim_date


def payer_and_aging_rows(c: sa.Connection, as_of: date) -> list:
    """Per payer and aging bucket: claims, sums, the claims and balance still open, and
    the days from claim to first payment (count, sum, least, most). Superseded claims
    (replaced or voided) are left out. One pass over the claims."""
    k = t.claim.c
    balance = k.charge_total - k.paid_total - k.adjusted_total
    days = _days_to_payment(c)
    bucket = _bucket(as_of).label("bucket")
    return list(c.execute(
        sa.select(k.payer_id, k.payer_name, bucket, sa.func.count().label("claims"),
                  sa.func.sum(k.charge_total).label("charge"),
                  sa.func.sum(k.paid_total).label("paid"),
                  sa.func.sum(k.adjusted_total).label("adjusted"),
                  sa.func.sum(k.pr_total).label("pr"),
                  sa.func.sum(sa.case((k.pr_total != 0, 1), else_=0)).label("owing"),
                  sa.func.sum(sa.case((balance != 0, 1), else_=0)).label("open"),
                  sa.func.sum(balance).label("balance"),
                  sa.func.count(days).label("paid_claims"),
                  sa.func.sum(days).label("days"), sa.func.min(days).label("least"),
                  sa.func.max(days).label("most"))
        .where(k.superseded_by.is_(None)).group_by(k.payer_id, k.payer_name, bucket)))


def adjustment_rows(c: sa.Connection) -> list:
    """Adjustments by group and CARC: entries and amount, and the amount on claims now
    denied (their entries, found through the state index)."""
    e, a = t.entry.c, t.adjustment_total.c
    denied = (sa.select(e.group_code, e.reason, sa.func.sum(e.amount).label("amount"))
              .join(t.claim, t.claim.c.id == e.claim_id)
              .where((t.claim.c.state == "denied") & (e.kind == "adjustment"))
              .group_by(e.group_code, e.reason).subquery())
    return list(c.execute(
        sa.select(a.group_code, a.reason, a.count, a.amount,
                  sa.func.coalesce(denied.c.amount, 0).label("denied"))
        .outerjoin(denied, (denied.c.group_code == a.group_code)
                   & (denied.c.reason == a.reason))
        .where(a.count > 0).order_by(a.group_code, a.reason)))


def largest_patient_balances(c: sa.Connection) -> list:
    k = t.claim.c
    return list(c.execute(sa.select(k.pcn, k.billing_npi, k.pr_total.label("pr"))
                          .where((k.pr_total > 0) & k.superseded_by.is_(None))
                          .order_by(k.pr_total.desc(), k.id).limit(TOP)))


def provider_adjustment_rows(c: sa.Connection) -> list:
    e = t.entry.c
    return list(c.execute(sa.select(e.reason, sa.func.count().label("count"),
                                    sa.func.sum(e.amount).label("amount"))
                          .where(e.kind == "provider").group_by(e.reason).order_by(e.reason)))


def unmatched_row(c: sa.Connection):
    u = t.unmatched.c
    return c.execute(sa.select(sa.func.count().label("count"),
                               sa.func.coalesce(sa.func.sum(u.paid), 0).label("paid"))
                     .where(u.matched_claim_id.is_(None))).one()
