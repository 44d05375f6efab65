"""The claim-state tracker: what came back (999, 277CA, 277, 835) matched to the claims
sent (837P/I/D), every payment and adjustment posted to an append-only ledger.

    from x12kit.tracker import Tracker
    tracker = Tracker("sqlite:///billing.db")     # or postgresql://...; schema upgraded
    tracker.ingest("claims.837")                  # one file, one transaction
    tracker.claims(state="denied")                # the contract's claim objects
    tracker.followups(older_than=30)              # claims still without an answer (276s)
    tracker.worklists()                           # denied and rejected claims, reasons

The domain (``states``, ``matching``, ``posting``) imports no database code; storage is
behind ``store.base`` (SQLite and PostgreSQL through SQLAlchemy, or in memory).
"""
from __future__ import annotations

import os
from collections import defaultdict
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Iterable, Iterator, Optional

from x12kit.reader import Source, source_name
from x12kit.tracker import reading, states
from x12kit.tracker.ingest import BATCH, IngestResult, document_order, ingest
from x12kit.tracker.store import DEFAULT_URL, DatabaseError, open_store
from x12kit.tracker.store.base import chunks
from x12kit.tracker.summary import amount_text, claim_summary, ledger_rows

__all__ = ["DEFAULT_URL", "DatabaseError", "IngestResult", "Tracker"]

FOLLOWUP_PART = 1000    # claims read at a time by ``followups``


class Tracker:
    """A tracker database, opened (and its schema brought up to date) by URL. A database
    that fails raises ``DatabaseError`` (an ``X12Error``) from any method."""

    def __init__(self, url: str = DEFAULT_URL, read_ahead: Iterable[Source] = ()) -> None:
        """``read_ahead``: files to be ingested whose records worker processes start
        reading now, while the database opens (worth it for the first file only)."""
        self.url = url
        self._ahead = {source: worker for source in read_ahead
                       if (worker := reading.read_ahead(source, BATCH)) is not None}
        try:
            self.store = open_store(url)
        except BaseException:
            self._stop_reading_ahead()
            raise

    def close(self) -> None:
        self._stop_reading_ahead()
        self.store.close()

    def _stop_reading_ahead(self) -> None:
        for worker in self._ahead.values():
            worker.close()
        self._ahead.clear()

    def __enter__(self) -> "Tracker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def _database(self):
        try:
            yield
        except self.store.failures as error:
            raise self.store.describe(error) from None

    def ingest(self, source: Source, name: Optional[str] = None) -> IngestResult:
        """Ingest one file (path, bytes or binary file) in one transaction; the same
        content twice posts nothing new (``IngestResult.duplicate``). Unreadable input
        raises ``X12ReadError`` and leaves the database as it was."""
        ahead = self._ahead.pop(source, None) if isinstance(source, (str, os.PathLike)) else None
        try:
            with self._database():
                return ingest(self.store, source, name or source_name(source), ahead)
        finally:
            if ahead is not None:
                ahead.close()

    def claims(self, *, state: Optional[str] = None, payer: Optional[str] = None,
               older_than: Optional[int] = None, as_of: Optional[date] = None,
               limit: Optional[int] = None) -> list[dict]:
        """Claims as the contract shows them, filtered by state, payer id, or age (claims
        whose claim date is more than ``older_than`` days before ``as_of``, default today)."""
        before = None
        if older_than is not None:
            before = (as_of or date.today()) - timedelta(days=older_than)
        with self._database():
            found = self.store.find_claims(state=state, payer_id=payer, before=before,
                                           limit=limit)
            return self._summaries(found)

    def claim(self, pcn: str, billing_npi: Optional[str] = None) -> list[dict]:
        """Every claim with that PCN (of that billing provider), with its ledger."""
        with self._database():
            return self._with_ledgers(self.store.find_claims(pcn=pcn, billing_npi=billing_npi))

    def followups(self, older_than: int, as_of: Optional[date] = None) -> Iterator[dict]:
        """The claims that want a 276, as ``claims`` shows them: sent more than
        ``older_than`` days before ``as_of`` (as ``claims`` counts), with no final answer
        (``followup.FOLLOWUP_STATES``), and not replaced or voided; oldest first (then by
        PCN). Read from the database ``FOLLOWUP_PART`` claims at a time, as they are taken."""
        from x12kit.tracker.followup import FOLLOWUP_STATES  # it imports the generator
        before = (as_of or date.today()) - timedelta(days=older_than)
        with self._database():
            keys = self.store.current_claims(FOLLOWUP_STATES, before)
        rank = {state: n for n, state in enumerate(FOLLOWUP_STATES)}
        keys.sort(key=lambda k: (k[1], k[2], rank[k[3]], k[0]))
        for part in chunks([k[0] for k in keys], FOLLOWUP_PART):
            with self._database():
                found = {c.id: c for c in self.store.find_claims(ids=part)}
                summaries = self._summaries([found[i] for i in part])
            yield from summaries

    def worklists(self) -> dict:
        """``denied``: denied claims with their reasons (CARC, RARC) in words; ``rejected``:
        rejected claims with their 999/277CA codes in words (``worklists.py``)."""
        # imported here: the report's SQL it reaches imports SQLAlchemy, which an ingest
        # imports only once its worker reads (``Tracker(read_ahead=...)``)
        from x12kit.tracker.worklists import denied_entries, rejected_entry
        with self._database():
            denied = self._with_ledgers(self.store.find_claims(state=states.DENIED))
            rejected = self._summaries(self.store.find_claims(state=states.REJECTED))
        return {"denied": denied_entries(denied),
                "rejected": [rejected_entry(c) for c in rejected]}

    def unmatched(self) -> list[dict]:
        """The claim payments that match no claim yet."""
        with self._database():
            waiting = self.store.unmatched()
        return [{"pcn": u.remit.pcn, "payer_claim_number": u.remit.payer_claim_number or None,
                 "status": u.remit.status, "paid": amount_text(u.remit.paid),
                 "source": source} for u, source in waiting]

    def provider_adjustments(self) -> list[dict]:
        """Every PLB reason posted: provider, reason, reference, amount, source."""
        with self._database():
            posted = self.store.provider_entries()
        return [{"provider_id": e.provider_id, "reason": e.reason, "reference": e.reference,
                 "amount": amount_text(e.amount), "source": source} for e, source in posted]

    def report(self, as_of: Optional[date] = None) -> dict:
        """Totals by payer, aging, adjustments by CARC, days to payment, patient balances,
        PLB and unmatched payments, as of a day (default today)."""
        with self._database():
            return self.store.report(as_of or date.today())

    def _with_ledgers(self, found) -> list[dict]:
        summaries = self._summaries(found)
        entries, sources = defaultdict(list), {}
        for part in chunks([c.id for c in found]):
            for entry in self.store.entries_of(part):
                entries[entry.claim_id].append(entry)
            sources.update((e.document_id, source) for e, source in self.store.history_of(part))
        for claim, summary in zip(found, summaries):
            summary["ledger"] = ledger_rows(entries[claim.id], sources)
        return summaries

    def _summaries(self, claims) -> list[dict]:
        entries, history = defaultdict(list), defaultdict(list)
        for part in chunks([c.id for c in claims]):
            for entry in self.store.entries_of(part):
                entries[entry.claim_id].append(entry)
            for event, source in self.store.history_of(part):
                history[event.claim_id].append((event, source))
        superseding = {c.superseded_by for c in claims if c.superseded_by}
        pcns = {c.id: c.sent.pcn for c in self.store.find_claims(ids=sorted(superseding))} \
            if superseding else {}
        return [claim_summary(c, entries[c.id],
                              sorted(history[c.id], key=lambda h: document_order(h[0])),
                              pcns.get(c.superseded_by))
                for c in claims]
