"""Totals kept beside the ledger for the report: each claim's charge, paid, adjusted and
patient-responsibility totals and its first payment's date (columns of ``claim``), and the
count and sum of each CAS group and reason (``adjustment_total``).

They are a projection of the ledger, not its truth: every posting adds its amounts to them
in the same transaction, so they always equal the ledger's sums (``test_tracker_store``
checks it). ``track claims`` and ``track claim`` still sum the entries themselves.

``report_total`` sums the claims' totals once more, by payer, claim date and first payment
date (superseded claims left out), so the report reads a row per such key instead of one
per claim. A claim's part in it changes whenever its totals, first payment or supersession
do: before a claim first changes in a unit of work its part is taken out (``touching``),
and ``settle`` puts the parts of the claims touched back, as they are then; each is one
SQL upsert summed by key per 500 claims. It settles at commit, and whenever
``SETTLE_EVERY`` claims wait, so memory stays bounded by that whatever the file's size.
A touched claim's own totals and first payment wait in memory until then too, and are
written to its row in one statement however many lists of entries changed them (nothing
reads them in between but ``settle``).
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from typing import Iterable

import sqlalchemy as sa

from x12kit.tracker.records import ZERO, Entry, Event
from x12kit.tracker.store.base import chunks
from x12kit.tracker.store.tables import NO_DAY

ADJUSTING = ("adjustment", "transfer")
SETTLE_EVERY = 10000   # claims: a few hundred bytes each while they wait
REPORT_SUMS = ("claims", "charge", "paid", "adjusted", "pr", "owing_claims", "open_claims")
# the claims' parts in report_total, taken out ({sign} "-") or put in (""), summed by key
REPORT_PARTS = (
    "INSERT INTO report_total (payer_id, payer_name, claim_date, first_paid, "
    f"{', '.join(REPORT_SUMS)}) "
    "SELECT payer_id, payer_name, COALESCE(claim_date, {m}), COALESCE(first_paid, {m}), "
    "{sign}COUNT(*), {sign}SUM(charge_total), {sign}SUM(paid_total), "
    "{sign}SUM(adjusted_total), {sign}SUM(pr_total), "
    "{sign}SUM(CASE WHEN pr_total <> 0 THEN 1 ELSE 0 END), "
    "{sign}SUM(CASE WHEN charge_total - paid_total - adjusted_total <> 0 THEN 1 ELSE 0 END) "
    "FROM claim WHERE superseded_by IS NULL AND id {in_list} GROUP BY 1, 2, 3, 4 "
    "ON CONFLICT (payer_id, payer_name, claim_date, first_paid) DO UPDATE SET "
    + ", ".join(f"{name} = report_total.{name} + excluded.{name}" for name in REPORT_SUMS))


def _unchanged() -> list:
    """A claim's changes, none yet: charge, paid, adjusted, PR, first payment date."""
    return [ZERO, ZERO, ZERO, ZERO, None]


def add_deltas(entries: list[Entry], deltas: dict[int, list]) -> None:
    """Add to each claim's ``_unchanged`` list what the entries add to its charge, paid,
    adjusted and PR."""
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
        self.touched: set[int] = set()   # claims whose old part is out of report_total
        # the touched claims' changes (``_unchanged``) not yet written to their rows
        self.changes: dict[int, list] = defaultdict(_unchanged)

    def add(self, connection: sa.Connection, entries: list[Entry]) -> None:
        money, m = self.driver.money, self.mark
        self.touching(connection, {e.claim_id for e in entries if e.claim_id is not None})
        add_deltas(entries, self.changes)
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
        paid = [e for e in events if e.event == "payment" and e.written is not None]
        self.touching(connection, [e.claim_id for e in paid])
        for e in paid:
            change = self.changes[e.claim_id]
            change[4] = min(change[4] or e.written, e.written)

    def touching(self, connection: sa.Connection, claim_ids: Iterable[int],
                 new: bool = False) -> None:
        """These claims are about to change (``new``: they were just added, and count in
        no total yet): take their part out of ``report_total``, once, until ``settle``."""
        if len(self.touched) >= SETTLE_EVERY:
            self.settle(connection)
        ids = [i for i in claim_ids if i not in self.touched]
        if not new:
            self._parts(connection, "-", ids)
        self.touched.update(ids)

    def settle(self, connection: sa.Connection) -> None:
        """Write the changes of every claim touched since the last time to its row, and
        put its part back in ``report_total``, as the claim is now."""
        if self.changes:
            money, day, m = self.driver.money, self.driver.day, self.mark
            # the earliest of the first payment dates stored and changed, either absent
            first_paid = f"COALESCE({self.earliest}(first_paid, {m}), first_paid, {m})"
            connection.exec_driver_sql(
                f"UPDATE claim SET charge_total = charge_total + {m}, "
                f"paid_total = paid_total + {m}, adjusted_total = adjusted_total + {m}, "
                f"pr_total = pr_total + {m}, first_paid = {first_paid} WHERE id = {m}",
                [(money(charge), money(paid), money(adjusted), money(pr), day(first),
                  day(first), claim_id)
                 for claim_id, (charge, paid, adjusted, pr, first) in self.changes.items()])
            self.changes.clear()
        self._parts(connection, "", sorted(self.touched))
        self.touched = set()

    def _parts(self, connection: sa.Connection, sign: str, claim_ids: list[int]) -> None:
        statement = REPORT_PARTS.replace("{sign}", sign).replace("{m}", self.mark)
        for part in chunks(claim_ids):
            connection.exec_driver_sql(statement.replace("{in_list}", self.driver.in_list(
                len(part))), (self.no_day, self.no_day, *self.driver.in_values(part)))
