"""Totals kept beside the ledger for the report: each claim's charge, paid, adjusted and
patient-responsibility totals and its first payment's date (columns of ``claim``), and the
count and sum of each CAS group and reason (``adjustment_total``).

They are a projection of the ledger, not its truth: every posting adds its amounts to them
in the same transaction, so they always equal the ledger's sums (``test_tracker_store``
checks it). ``track claims`` and ``track claim`` still sum the entries themselves.

``report_total`` sums the claims' totals once more, by payer, claim date and first payment
date (superseded claims left out), so the report reads a row per such key instead of one
per claim. A claim's part in it changes whenever its totals, first payment or supersession
do: the unit of work notes each claim's part before it first changes (``touching``), and
``settle`` later takes the old parts out and puts the current ones in, as one upsert per
key. It settles at commit, and whenever ``SETTLE_EVERY`` claims wait, so memory stays
bounded by that whatever the size of the file.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from typing import Iterable, Optional

import sqlalchemy as sa

from x12kit.tracker.records import ZERO, Entry, Event
from x12kit.tracker.store.tables import NO_DAY

ADJUSTING = ("adjustment", "transfer")
SETTLE_EVERY = 5000
PARTS = ("charge_total", "paid_total", "adjusted_total", "pr_total")
CLAIM_PARTS = (f"SELECT id, payer_id, payer_name, claim_date, first_paid, {', '.join(PARTS)}, "
               f"superseded_by FROM claim WHERE id IN ({{in_list}})")
SUMS = ("claims", "charge", "paid", "adjusted", "pr", "owing_claims", "open_claims")
REPORT_UPSERT = (
    f"INSERT INTO report_total (payer_id, payer_name, claim_date, first_paid, "
    f"{', '.join(SUMS)}) VALUES ({{marks}}) "
    f"ON CONFLICT (payer_id, payer_name, claim_date, first_paid) DO UPDATE SET "
    + ", ".join(f"{name} = report_total.{name} + excluded.{name}" for name in SUMS))

Part = tuple   # (key, sums): a claim's part in report_total, values as the driver gives them


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
        self.no_day = driver.day(NO_DAY)
        self.before: dict[int, Optional[Part]] = {}   # claim id -> its part before the changes

    def add(self, connection: sa.Connection, entries: list[Entry]) -> None:
        money, m = self.driver.money, self.mark
        claims = claim_deltas(entries)
        self.touching(connection, claims)
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
        self.touching(connection, [claim_id for *_, claim_id in paid])
        if paid:
            m = self.mark
            connection.exec_driver_sql(
                f"UPDATE claim SET first_paid = {self.earliest}(COALESCE(first_paid, {m}), {m}) "
                f"WHERE id = {m}", paid)

    def touching(self, connection: sa.Connection, claim_ids: Iterable[int],
                 new: bool = False) -> None:
        """These claims are about to change (``new``: they were just added): note their
        part in ``report_total`` as it is, once per unit of work."""
        if len(self.before) >= SETTLE_EVERY:
            self.settle(connection)
        ids = [i for i in claim_ids if i not in self.before]
        parts = {} if new else self._parts(connection, ids)
        for claim_id in ids:
            self.before[claim_id] = parts.get(claim_id)

    def settle(self, connection: sa.Connection) -> None:
        """Bring ``report_total`` up to date with the claims touched since the last time."""
        if not self.before:
            return
        changes: dict[tuple, list] = defaultdict(lambda: [0] * len(SUMS))
        for parts, sign in ((self.before.values(), -1),
                            (self._parts(connection, self.before).values(), 1)):
            for part in parts:
                if part is not None:
                    key, sums = part
                    change = changes[key]
                    for n, value in enumerate(sums):
                        change[n] += sign * value
        self.before = {}
        rows = [(*key, *change) for key, change in sorted(changes.items()) if any(change)]
        self.driver.update(connection, REPORT_UPSERT.replace(
            "{marks}", self.driver.marks(4 + len(SUMS))), rows)

    def _parts(self, connection: sa.Connection, claim_ids: Iterable[int]) -> dict[int, Part]:
        """Each claim's part in ``report_total``, as it is now (none once superseded)."""
        found = {}
        for (claim_id, payer_id, payer_name, claim_date, first_paid, charge, paid, adjusted, pr,
             superseded_by) in self.driver.select_in(connection, CLAIM_PARTS, claim_ids):
            if superseded_by is None:
                key = (payer_id, payer_name, claim_date or self.no_day,
                       first_paid or self.no_day)
                balance = charge - paid - adjusted
                found[claim_id] = (key, (1, charge, paid, adjusted, pr, int(pr != 0),
                                         int(balance != 0)))
        return found
