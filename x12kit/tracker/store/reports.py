"""The report's figures as SQL aggregates over the ledger (the SQL store only): each
section is one statement, so the database does the sums and Python gets a few rows."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from x12kit.tracker.store import tables as t

AGING = ((0, 30, "0-30"), (31, 60, "31-60"), (61, 90, "61-90"), (91, None, "90+"))
TOP = 20


def _sum_where(condition):
    return sa.func.coalesce(sa.func.sum(sa.case((condition, t.entry.c.amount), else_=0)), 0)


def _claim_sums():
    """Per claim: charge, paid, adjusted (CAS and transfers), patient responsibility."""
    e = t.entry.c
    adjusted = e.kind.in_(("adjustment", "transfer"))
    return (sa.select(e.claim_id.label("claim_id"),
                      _sum_where(e.kind == "charge").label("charge"),
                      _sum_where(e.kind == "payment").label("paid"),
                      _sum_where(adjusted).label("adjusted"),
                      _sum_where(adjusted & (e.group_code == "PR")).label("pr"))
            .where(e.claim_id.is_not(None)).group_by(e.claim_id).subquery("sums"))


def _bucket(as_of: date):
    claim_date = t.claim.c.claim_date
    whens = []
    for low, high, name in AGING[:-1]:
        whens.append((claim_date >= as_of - timedelta(days=high), name))
    return sa.case(*whens, else_=AGING[-1][2])


def payer_and_aging_rows(c: sa.Connection, as_of: date) -> list:
    """Per payer and aging bucket: claims, sums, and the claims and balance still open.
    Superseded claims (replaced or voided) are left out."""
    s = _claim_sums()
    balance = s.c.charge - s.c.paid - s.c.adjusted
    bucket = _bucket(as_of).label("bucket")
    query = (sa.select(t.claim.c.payer_id, t.claim.c.payer_name, bucket,
                       sa.func.count().label("claims"),
                       sa.func.sum(s.c.charge).label("charge"),
                       sa.func.sum(s.c.paid).label("paid"),
                       sa.func.sum(s.c.adjusted).label("adjusted"),
                       sa.func.sum(s.c.pr).label("pr"),
                       sa.func.sum(sa.case((s.c.pr != 0, 1), else_=0)).label("owing"),
                       sa.func.sum(sa.case((balance != 0, 1), else_=0)).label("open"),
                       sa.func.sum(balance).label("balance"))
             .join(s, s.c.claim_id == t.claim.c.id)
             .where(t.claim.c.superseded_by.is_(None))
             .group_by(t.claim.c.payer_id, t.claim.c.payer_name, bucket))
    return list(c.execute(query))


def adjustment_rows(c: sa.Connection) -> list:
    """Adjustments by group and CARC: entries, amount, and the denied claims among them."""
    e = t.entry.c
    denied = sa.case((t.claim.c.state == "denied", e.amount), else_=0)
    return list(c.execute(
        sa.select(e.group_code, e.reason, sa.func.count().label("count"),
                  sa.func.sum(e.amount).label("amount"),
                  sa.func.coalesce(sa.func.sum(denied), 0).label("denied"))
        .join(t.claim, t.claim.c.id == e.claim_id)
        .where(e.kind == "adjustment").group_by(e.group_code, e.reason)
        .order_by(e.group_code, e.reason)))


def days_to_payment_row(c: sa.Connection):
    """Claims with a payment, and the average, least and most days from the claim date to
    the first payment's date."""
    ev = t.event.c
    first = (sa.select(ev.claim_id, sa.func.min(ev.written).label("paid_on"))
             .where(ev.event == "payment").group_by(ev.claim_id).subquery())
    if c.dialect.name == "sqlite":
        days = sa.func.julianday(first.c.paid_on) - sa.func.julianday(t.claim.c.claim_date)
    else:
        days = first.c.paid_on - t.claim.c.claim_date
    return c.execute(sa.select(sa.func.count().label("claims"),
                               sa.func.avg(days).label("average"),
                               sa.func.min(days).label("least"),
                               sa.func.max(days).label("most"))
                     .join(first, first.c.claim_id == t.claim.c.id)
                     .where(t.claim.c.claim_date.is_not(None))).one()


def largest_patient_balances(c: sa.Connection) -> list:
    s = _claim_sums()
    return list(c.execute(sa.select(t.claim.c.pcn, t.claim.c.billing_npi, s.c.pr)
                          .join(s, s.c.claim_id == t.claim.c.id)
                          .where((s.c.pr > 0) & t.claim.c.superseded_by.is_(None))
                          .order_by(s.c.pr.desc(), t.claim.c.id).limit(TOP)))


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
