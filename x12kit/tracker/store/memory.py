"""An in-memory store for the domain's unit tests: the same interface, plain lists and
dicts. A unit of work works on a copy of the data and puts it back on ``commit``."""
from __future__ import annotations

import copy

from x12kit.tracker import states
from x12kit.tracker.records import (
    Entry, Event, Remit, SentClaim, StoredClaim, Unmatched, WaitingAnswer,
)
from x12kit.tracker.store.base import Store, UnitOfWork


class _Data:
    def __init__(self) -> None:
        self.documents: dict[str, tuple[int, str, str]] = {}  # sha256 -> (id, kind, name)
        self.claims: dict[int, StoredClaim] = {}
        self.events: list[Event] = []
        self.entries: list[Entry] = []
        self.unmatched: dict[int, Unmatched] = {}
        self.waiting: dict[int, WaitingAnswer] = {}
        self.next_id = 1

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def document_name(self, document_id: int) -> str:
        return next(name for i, _, name in self.documents.values() if i == document_id)


class MemoryUnitOfWork(UnitOfWork):
    def __init__(self, store: "MemoryStore") -> None:
        self._store = store
        self._d = copy.deepcopy(store.data)

    def commit(self) -> None:
        self._store.data = self._d
        self._d = copy.deepcopy(self._d)

    def rollback(self) -> None:
        self._d = copy.deepcopy(self._store.data)

    def add_document(self, sha256, kind, name):
        if sha256 in self._d.documents:
            return None
        document_id = self._d.new_id()
        self._d.documents[sha256] = (document_id, kind, name)
        return document_id

    def add_claims(self, document_id, claims: list[SentClaim], state):
        ids = []
        for sent in claims:
            claim_id = self._d.new_id()
            self._d.claims[claim_id] = StoredClaim(claim_id, sent, state, None, None)
            ids.append(claim_id)
        return ids

    def _where(self, test) -> list[StoredClaim]:
        return [c._replace(sent=c.sent._replace(lines=())) for c in self._d.claims.values()
                if test(c)]

    def claims_by_pcn(self, pcns):
        pcns = set(pcns)
        return self._where(lambda c: c.sent.pcn in pcns)

    def claims_by_pcn_prefix(self, prefix):
        return self._where(lambda c: c.sent.pcn.startswith(prefix) and c.sent.pcn != prefix)

    def claims_by_payer_claim_number(self, numbers):
        numbers = set(numbers)
        pairs = {(e.payer_claim_number, e.claim_id) for e in self._d.events
                 if e.payer_claim_number in numbers}
        claims = {c.id: c for c in self._where(lambda c: True)}
        return [(number, claims[claim_id]) for number, claim_id in sorted(pairs)]

    def claims_replacing(self, numbers):
        numbers = set(numbers)
        return self._where(lambda c: c.sent.replaces in numbers)

    def claims_in_set(self, sender_id, group_control, set_control):
        return self._where(lambda c: (c.sent.sender_id, c.sent.group_control) == (
            sender_id, group_control) and set_control in (None, c.sent.set_control))

    def lines_of(self, claim_ids):
        return {i: self._d.claims[i].sent.lines for i in claim_ids}

    def events_of(self, claim_ids):
        ids = set(claim_ids)
        return [e for e in self._d.events if e.claim_id in ids]

    def answer_places(self, claim_ids):
        ids = set(claim_ids)
        return [(e.claim_id, e.written, e.document_id, e.position) for e in self._d.events
                if e.claim_id in ids and e.event != states.SENT]

    def add_events(self, events):
        self._d.events.extend(events)

    def set_states(self, changes):
        for claim_id, state, number in changes:
            claim = self._d.claims[claim_id]
            self._d.claims[claim_id] = claim._replace(state=state, payer_claim_number=number)

    def set_superseded(self, pairs):
        for claim_id, by in pairs:
            self._d.claims[claim_id] = self._d.claims[claim_id]._replace(superseded_by=by)

    def add_entries(self, entries):
        self._d.entries.extend(entries)

    def entries_of(self, claim_ids):
        ids = set(claim_ids)
        return [e for e in self._d.entries if e.claim_id in ids]

    def claims_with_status(self, claim_ids, statuses):
        ids = set(claim_ids)
        return {e.claim_id for e in self._d.entries if e.claim_id in ids
                and e.status in statuses}

    def add_unmatched(self, document_id, remits: list[Remit]):
        for remit in remits:
            unmatched_id = self._d.new_id()
            self._d.unmatched[unmatched_id] = Unmatched(unmatched_id, document_id, remit)

    def unmatched_pcn_lengths(self):
        return {len(u.remit.pcn) for u in self._d.unmatched.values()}

    def unmatched_by_pcn(self, pcns):
        pcns = set(pcns)
        return [u for u in self._d.unmatched.values() if u.remit.pcn in pcns]

    def add_waiting_answers(self, document_id, answers):
        for answer in answers:
            waiting_id = self._d.new_id()
            self._d.waiting[waiting_id] = WaitingAnswer(waiting_id, document_id, answer)

    def waiting_answers(self, pcns, groups):
        pcns, groups = set(pcns), set(groups)
        return [w for w in self._d.waiting.values()
                if (w.answer.group_control is None and w.answer.pcn in pcns)
                or (w.answer.sender_id, w.answer.group_control) in groups]

    def resolve_waiting_answers(self, ids):
        for waiting_id in ids:
            del self._d.waiting[waiting_id]

    def resolve_unmatched(self, pairs):
        for unmatched_id, _claim_id in pairs:
            del self._d.unmatched[unmatched_id]


class MemoryStore(Store):
    def __init__(self) -> None:
        self.data = _Data()

    def unit_of_work(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self)

    def find_claims(self, *, ids=None, pcn=None, billing_npi=None, state=None, payer_id=None,
                    before=None, limit=None):
        found = [c for c in self.data.claims.values()
                 if (ids is None or c.id in ids)
                 and (pcn is None or c.sent.pcn == pcn)
                 and (billing_npi is None or c.sent.billing_npi == billing_npi)
                 and (state is None or c.state == state)
                 and (payer_id is None or c.sent.payer_id == payer_id)
                 and (before is None or (c.sent.claim_date and c.sent.claim_date < before))]
        return found[:limit] if limit is not None else found

    def current_claims(self, states, before):
        return [(c.id, c.sent.claim_date, c.sent.pcn, c.state)
                for c in self.data.claims.values()
                if c.state in states and c.superseded_by is None and c.sent.claim_date
                and c.sent.claim_date < before]

    def entries_of(self, claim_ids):
        ids = set(claim_ids)
        return [e for e in self.data.entries if e.claim_id in ids]

    def history_of(self, claim_ids):
        ids = set(claim_ids)
        return [(e, self.data.document_name(e.document_id)) for e in self.data.events
                if e.claim_id in ids]

    def provider_entries(self):
        return [(e, self.data.document_name(e.document_id)) for e in self.data.entries
                if e.kind == "provider"]

    def unmatched(self):
        return [(u, self.data.document_name(u.document_id))
                for u in self.data.unmatched.values()]
