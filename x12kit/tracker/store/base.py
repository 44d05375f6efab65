"""The storage interface the tracker's ingest works through (repository + unit of work).

A ``Store`` opens a ``UnitOfWork``: one database transaction, committed by ``commit`` and
rolled back when the block ends without it. One file is ingested in one unit of work, so a
process killed half-way leaves the store as it was. ``add_document`` takes the file's
content hash inside the transaction: a second ingest of the same content (even a
concurrent one) finds it taken and posts nothing.

Every method takes or returns many rows at once, so a database store can do each with one
set-based statement instead of a round trip per row.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable
from datetime import date
from itertools import islice
from typing import Optional

from x12kit.errors import X12Error
from x12kit.tracker.records import (
    ClaimAnswer, ClaimLine, Entry, Event, Remit, SentClaim, StoredClaim, Unmatched, WaitingAnswer,
)


class DatabaseError(X12Error):
    """The database cannot be opened or refused a statement. The message says which kind
    of failure, and for a connection the driver's first line: never SQL or its values."""


class UnitOfWork(ABC):
    def __enter__(self) -> "UnitOfWork":
        return self

    def __exit__(self, *exc) -> None:
        self.rollback()

    @abstractmethod
    def commit(self) -> None: ...

    @abstractmethod
    def rollback(self) -> None:
        """Undo everything not committed (nothing, after ``commit``)."""

    @abstractmethod
    def add_document(self, sha256: str, kind: str, name: str) -> Optional[int]:
        """The new document's id, or None when that content was ingested before."""

    @abstractmethod
    def add_claims(self, document_id: int, claims: list[SentClaim], state: str) -> list[int]:
        """Store claims sent (with their lines); their ids, in order."""

    @abstractmethod
    def claims_by_pcn(self, pcns: Collection[str]) -> list[StoredClaim]:
        """Claims whose PCN is one of ``pcns`` (lines not loaded)."""

    @abstractmethod
    def claims_by_pcn_prefix(self, prefix: str) -> list[StoredClaim]:
        """Claims whose PCN starts with ``prefix`` and is longer."""

    @abstractmethod
    def claims_by_payer_claim_number(self, numbers: Collection[str]
                                     ) -> list[tuple[str, StoredClaim]]:
        """(number, claim) for each claim an event of which carried one of ``numbers``."""

    @abstractmethod
    def claims_replacing(self, numbers: Collection[str]) -> list[StoredClaim]:
        """Claims whose REF*F8 names one of these payer claim numbers."""

    @abstractmethod
    def claims_in_set(self, sender_id: str, group_control: str,
                      set_control: Optional[str]) -> list[StoredClaim]:
        """Claims sent in that transaction set (GS02, GS06, ST02), or in every set of the
        group when ``set_control`` is None: what a 999 answers."""

    @abstractmethod
    def lines_of(self, claim_ids: Collection[int]) -> dict[int, tuple[ClaimLine, ...]]: ...

    @abstractmethod
    def events_of(self, claim_ids: Collection[int]) -> list[Event]: ...

    @abstractmethod
    def answer_places(self, claim_ids: Collection[int]
                      ) -> list[tuple[int, Optional[date], int, int]]:
        """(claim id, written, document id, position) of each event of these claims but
        their ``sent`` events."""

    @abstractmethod
    def add_events(self, events: list[Event]) -> None: ...

    @abstractmethod
    def set_states(self, changes: list[tuple[int, str, Optional[str]]]) -> None:
        """(claim id, state, payer claim number) for each claim whose events changed."""

    @abstractmethod
    def set_superseded(self, pairs: list[tuple[int, int]]) -> None:
        """(claim id, id of the claim that supersedes it)."""

    @abstractmethod
    def add_entries(self, entries: list[Entry]) -> None: ...

    @abstractmethod
    def entries_of(self, claim_ids: Collection[int]) -> list[Entry]: ...

    @abstractmethod
    def claims_with_status(self, claim_ids: Collection[int],
                           statuses: Collection[str]) -> set[int]:
        """The claims of ``claim_ids`` with an entry posted by a CLP02 in ``statuses``."""

    @abstractmethod
    def add_unmatched(self, document_id: int, remits: list[Remit]) -> None: ...

    @abstractmethod
    def unmatched_pcn_lengths(self) -> set[int]:
        """The lengths of the PCNs still waiting (to look them up by prefix)."""

    @abstractmethod
    def unmatched_by_pcn(self, pcns: Collection[str]) -> list[Unmatched]: ...

    @abstractmethod
    def add_waiting_answers(self, document_id: int, answers: list[ClaimAnswer]) -> None: ...

    @abstractmethod
    def waiting_answers(self, pcns: Collection[str],
                        groups: Collection[tuple[str, str]]) -> list[WaitingAnswer]:
        """Answers waiting for a claim with one of ``pcns``, or (999) for a claim sent in
        one of ``groups`` (sender id, group control number)."""

    @abstractmethod
    def resolve_waiting_answers(self, ids: list[int]) -> None: ...

    @abstractmethod
    def resolve_unmatched(self, pairs: list[tuple[int, int]]) -> None:
        """(unmatched id, claim id): the payment found its claim and was posted."""


class Store(ABC):
    failures: tuple[type[BaseException], ...] = ()   # what ``describe`` turns into DatabaseError

    def describe(self, error: BaseException) -> DatabaseError:
        return DatabaseError(type(error).__name__)

    @abstractmethod
    def unit_of_work(self) -> UnitOfWork: ...

    # read side: outside any ingest
    @abstractmethod
    def find_claims(self, *, ids: Optional[Collection[int]] = None, pcn: Optional[str] = None, billing_npi: Optional[str] = None,
                    state: Optional[str] = None, payer_id: Optional[str] = None,
                    before: Optional[object] = None, limit: Optional[int] = None
                    ) -> list[StoredClaim]:
        """Claims by key or filter, in the order they were stored."""

    @abstractmethod
    def current_claims(self, states: Collection[str], before) -> list[tuple]:
        """(id, claim date, PCN, state) of each claim in one of ``states``, with a claim
        date before ``before``, and not superseded: a few values a claim, so that many
        claims can be listed before they are read in parts."""

    @abstractmethod
    def entries_of(self, claim_ids: Collection[int]) -> list[Entry]: ...

    @abstractmethod
    def history_of(self, claim_ids: Collection[int]) -> list[tuple[Event, str]]:
        """Events with their source document's name."""

    @abstractmethod
    def provider_entries(self) -> list[tuple[Entry, str]]:
        """Provider-level adjustments (PLB) with their source document's name."""

    @abstractmethod
    def unmatched(self) -> list[tuple[Unmatched, str]]:
        """Payments still waiting, with their source document's name."""

    def report(self, as_of) -> dict:
        """The report's document (``x12kit.tracker.report``): database stores only."""
        raise DatabaseError("the report needs a database: sqlite:///PATH.db or postgresql://")

    def close(self) -> None:
        pass


def chunks(items: Iterable, size: int = 500):
    """Lists of at most ``size``: bound parameter counts in IN (...) lists."""
    remaining = iter(items)
    while batch := list(islice(remaining, size)):
        yield batch
