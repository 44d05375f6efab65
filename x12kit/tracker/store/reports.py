"""The report's figures as SQL aggregates (the SQL store only): each section is one
statement over the totals that every posting keeps (``projections.py``): by payer, claim
date and first payment date, and by CAS group and reason, so the database reads neither a
row per claim nor every ledger entry (but the entries of claims now denied)."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from x12kit.tracker.store import tables as t

AGING = ((0, 30, "0-30"), (31, 60, "31-60"), (61, 90, "61-90"), (91, None, "90+"))
TOP = 20


def _bucket(as_of: date):
    claim_date = t.report_total.c.claim_date
    whens = []
    for low, high, name in AGING[:-1]:
        whens.append((claim_date >= as_of - timedelta(days=high), name))
    return sa.case(*whens, else_=AGING[-1][2])     # NO_DAY, a claim without a date, too


def _days_to_payment(c: sa.Connection):
    """Days from claim to first payment; NULL where a claim lacks either date."""
    r = t.report_total.c
    both = (r.claim_date != t.NO_DAY) & (r.first_paid != t.NO_DAY)
    if c.dialect.name == "sqlite":
        days = sa.func.julianday(r.first_paid) - sa.func.julianday(r.claim_date)
    else:
        days = r.first_paid - r.claim_date
    return sa.case((both, days))


def _count(claims):
    """A sum of claim counts, as a whole number (PostgreSQL's sum of BIGINT is NUMERIC)."""
    return sa.cast(sa.func.sum(claims), sa.BigInteger)


def payer_and_aging_rows(c: sa.Connection, as_of: date) -> list:
    """Per payer and aging bucket: claims, sums, the claims and balance still open, and
    the days from claim to first payment (claims paid, their sum, least, most). Read from
    ``report_total`` (superseded claims are not in it): a row per payer, claim date and
    first payment date, not per claim."""
    r = t.report_total.c
    days = _days_to_payment(c)
    bucket = _bucket(as_of).label("bucket")
    return list(c.execute(
        sa.select(r.payer_id, r.payer_name, bucket, _count(r.claims).label("claims"),
                  sa.func.sum(r.charge).label("charge"),
                  sa.func.sum(r.paid).label("paid"),
                  sa.func.sum(r.adjusted).label("adjusted"),
                  sa.func.sum(r.pr).label("pr"),
                  _count(r.owing_claims).label("owing"),
                  _count(r.open_claims).label("open"),
                  sa.func.sum(r.charge - r.paid - r.adjusted).label("balance"),
                  _count(sa.case((days.is_not(None), r.claims), else_=0)).label("paid_claims"),
                  sa.func.sum(days * r.claims).label("days"),
                  sa.func.min(days).label("least"), sa.func.max(days).label("most"))
        .where(r.claims > 0).group_by(r.payer_id, r.payer_name, bucket)))


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
