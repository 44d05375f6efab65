"""Totals kept beside the ledger for the report: each claim's charge, paid, adjusted and
patient-responsibility totals and its first payment's date (columns of ``claim``), and the
count and sum of each CAS group and reason (``adjustment_total``).

They are a projection of the ledger, not its truth: every posting adds its amounts to them
in the same transaction, so they always equal the ledger's sums (``test_tracker_store``
checks it), and the report reads one row per claim instead of summing every entry.
``track claims`` and ``track claim`` still sum the entries themselves.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import sqlalchemy as sa

from x12kit.tracker.records import ZERO, Entry, Event

ADJUSTING = ("adjustment", "transfer")


def claim_deltas(entries: list[Entry]) -> dict[int, list[Decimal]]:
    """Per claim: what the entries add to charge, paid, adjusted and PR."""
    deltas: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO, ZERO])
    for e in entries:
        if e.claim_id is None:
            continue
        d = deltas[e.claim_id]
        if e.kind == "charge":
            d[0] += e.amount
        elif e.kind == "payment":
            d[1] += e.amount
        elif e.kind in ADJUSTING:
            d[2] += e.amount
            if e.group == "PR":
                d[3] += e.amount
    return deltas


def adjustment_deltas(entries: list[Entry]) -> dict[tuple[str, str], list]:
    found: dict[tuple[str, str], list] = defaultdict(lambda: [0, ZERO])
    for e in entries:
        if e.kind == "adjustment":
            total = found[(e.group, e.reason)]
            total[0] += 1
            total[1] += e.amount
    return found


class Projections:
    """Adds postings to the totals, with the driver's executemany (``Driver``'s
    conversions)."""

    def __init__(self, dialect, driver) -> None:
        self.driver = driver
        self.mark = driver.mark
        self.earliest = "min" if dialect.name == "sqlite" else "least"

    def add(self, connection: sa.Connection, entries: list[Entry]) -> None:
        money, m = self.driver.money, self.mark
        claims = claim_deltas(entries)
        if claims:
            connection.exec_driver_sql(
                f"UPDATE claim SET charge_total = charge_total + {m}, "
                f"paid_total = paid_total + {m}, adjusted_total = adjusted_total + {m}, "
                f"pr_total = pr_total + {m} WHERE id = {m}",
                [(*(money(a) for a in d), claim_id) for claim_id, d in claims.items()])
        adjustments = adjustment_deltas(entries)
        if adjustments:
            connection.exec_driver_sql(
                f"INSERT INTO adjustment_total (group_code, reason, count, amount) "
                f"VALUES ({m}, {m}, {m}, {m}) ON CONFLICT (group_code, reason) DO UPDATE SET "
                f"count = adjustment_total.count + excluded.count, "
                f"amount = adjustment_total.amount + excluded.amount",
                [(g, r, n, money(a)) for (g, r), (n, a) in adjustments.items()])

    def paid_on(self, connection: sa.Connection, events: list[Event]) -> None:
        """Each claim's first payment date: the earliest of its payment events."""
        paid = [(self.driver.day(e.written), self.driver.day(e.written), e.claim_id)
                for e in events if e.event == "payment" and e.written is not None]
        if paid:
            m = self.mark
            connection.exec_driver_sql(
                f"UPDATE claim SET first_paid = {self.earliest}(COALESCE(first_paid, {m}), {m}) "
                f"WHERE id = {m}", paid)
