"""Ingest: one file, one unit of work. Records are taken in batches, and every step of a
batch is one call to the store with all of the batch's rows.

Per batch: claims sent are stored with their charges and a ``sent`` event, replacements
and voids mark the claim they name as superseded, and payments that waited for these
claims (and 999/277CA/277 answers that waited for them) are applied. Claim payments are
matched (``matching``) and posted (``posting``), or put in the unmatched list. Answers
add an event to the claims they concern, or wait. Provider-level adjustments are posted as
they are. Then the state of every claim that got an event is folded again from its history
(``states``), so the order files arrive in does not change where a claim ends.
"""
from __future__ import annotations

import gc
from collections import defaultdict
from contextlib import closing, contextmanager
from datetime import date
from typing import NamedTuple, Optional

from x12kit import log
from x12kit.tracker import states
from x12kit.tracker.documents import Record, content, file_kind
from x12kit.tracker.matching import Match, match_answer, match_remit
from x12kit.tracker.posting import (
    CROSSOVER_STATUSES, Finding, charge_entries, payment_entries, provider_entries,
    transfer_entry,
)
from x12kit.tracker.reading import Worker, record_lists
from x12kit.tracker.records import (
    ClaimAnswer, Entry, Event, ProviderLevelAdjustment, Remit, SentClaim, StoredClaim,
)
from x12kit.tracker.store.base import Store, UnitOfWork, chunks

BATCH = 2000


class IngestResult(NamedTuple):
    """What one ingest did: counts and findings (codes and positions, no values)."""

    name: str
    kind: str
    duplicate: bool                 # the same content was ingested before: nothing posted
    claims: int = 0
    payments: int = 0               # claim payments posted
    unmatched: int = 0              # claim payments left waiting
    resolved: int = 0               # waiting payments this file's claims matched
    answers: int = 0                # 999/277CA/277 answers applied to claims
    waiting_answers: int = 0        # answers whose claim has not arrived yet
    entries: int = 0
    findings: tuple[Finding, ...] = ()


def ingest(store: Store, source, name: str, ahead: Optional[Worker] = None) -> IngestResult:
    """``ahead``: the worker reading ``source`` already (``reading.read_ahead``); the
    caller closes it."""
    read = content(source)
    kind = file_kind(read.source)
    with store.unit_of_work() as uow:
        document_id = uow.add_document(read.sha256, kind, name)
        if document_id is None:
            log.event("tracker.duplicate", "info", kind=kind)
            return IngestResult(name, kind, True)
        run = _Run(uow, document_id, kind)
        with closing(record_lists(read.source, BATCH, ahead)) as lists, cycle_collection_paused():
            for batch in lists:
                run.take(batch)
        uow.commit()
    result = run.result(name)
    log.event("tracker.ingested", "info", kind=kind, claims=result.claims,
              payments=result.payments, unmatched=result.unmatched, entries=result.entries)
    return result


@contextmanager
def cycle_collection_paused():
    """An ingest makes millions of short-lived tuples (records, rows, entries) and no
    reference cycles: the cycle collector's passes over them took a quarter of a large
    835's ingest (measured), so it waits until the file is posted, then runs once."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()


class _Run:
    """The state of one ingest: its unit of work, its document and its counts."""

    def __init__(self, uow: UnitOfWork, document_id: int, kind: str) -> None:
        self.uow, self.document_id, self.kind = uow, document_id, kind
        self.counts: dict[str, int] = defaultdict(int)
        self.findings: list[Finding] = []

    def result(self, name: str) -> IngestResult:
        c = self.counts
        return IngestResult(name, self.kind, False, c["claims"], c["payments"], c["unmatched"],
                            c["resolved"], c["answers"], c["waiting answers"], c["entries"],
                            tuple(self.findings))

    def take(self, batch: list[Record]) -> None:
        by_type: dict[type, list] = defaultdict(list)
        for record in batch:
            by_type[type(record)].append(record)
        if by_type[SentClaim]:
            self.claims_sent(by_type[SentClaim])
        if by_type[Remit]:
            self.remits(by_type[Remit])
        if by_type[ProviderLevelAdjustment]:
            self.add_entries([provider_entries(p, self.document_id)
                              for p in by_type[ProviderLevelAdjustment]])
        if by_type[ClaimAnswer]:
            self.answers(by_type[ClaimAnswer])

    def add_entries(self, entries: list[Entry]) -> None:
        self.uow.add_entries(entries)
        self.counts["entries"] += len(entries)

    # 837
    def claims_sent(self, sent: list[SentClaim]) -> None:
        uow = self.uow
        ids = uow.add_claims(self.document_id, sent, states.SUBMITTED)
        self.counts["claims"] += len(ids)
        uow.add_events([Event(i, self.document_id, self.kind, states.SENT, s.frequency,
                              s.claim_date, s.position, None) for i, s in zip(ids, sent)])
        self.add_entries([e for i, s in zip(ids, sent)
                          for e in charge_entries(i, s, self.document_id)])
        replacing = {s.replaces: i for i, s in zip(ids, sent)
                     if s.replaces and s.frequency in ("7", "8")}
        if replacing:
            self.supersede_named(replacing)
        self.waiting_for({s.pcn for s in sent})
        self.answers_waiting_for(sent)

    def waiting_for(self, pcns: set[str]) -> None:
        """Match again the payments that waited for claims with these PCNs (or their
        prefixes, for a payer that truncated CLP01)."""
        lengths = self.uow.unmatched_pcn_lengths()
        if not lengths:
            return
        keys = {p[:n] for p in pcns for n in lengths if n <= len(p)}
        waiting = [u for part in chunks(sorted(keys)) for u in self.uow.unmatched_by_pcn(part)]
        if not waiting:
            return
        waiting.sort(key=lambda u: u.id)
        matched = self.post([u.remit for u in waiting], [u.document_id for u in waiting])
        resolved = [(u.id, claim.id) for u, claim in zip(waiting, matched) if claim]
        self.uow.resolve_unmatched(resolved)
        self.counts["resolved"] += len(resolved)

    # 835
    def remits(self, remits: list[Remit]) -> None:
        matched = self.post(remits, [self.document_id] * len(remits))
        waiting = [r for r, claim in zip(remits, matched) if claim is None]
        if waiting:
            self.uow.add_unmatched(self.document_id, waiting)
            self.counts["unmatched"] += len(waiting)
        self.counts["payments"] += len(remits) - len(waiting)

    def post(self, remits: list[Remit], documents: list[int]) -> list[Optional[StoredClaim]]:
        """Match and post claim payments; the claim each went to (None: no match)."""
        uow = self.uow
        matches = self.match(remits)
        claims = [m.claim for m in matches]
        claim_of = {c.id: c for c in claims if c is not None}
        lines = uow.lines_of(claim_of)
        events, entries = [], []
        for remit, claim, document_id in zip(remits, claims, documents):
            if claim is None:
                continue
            event = states.CLAIM_STATUS_EVENTS.get(remit.status, states.REMIT_OTHER)
            events.append(Event(claim.id, document_id, "835", event, remit.status,
                                remit.written, remit.position, remit.payer_claim_number or None))
            posted, findings = payment_entries(claim.id, remit, lines[claim.id], document_id)
            entries += posted
            self.findings += findings
        self.add_events(events, claim_of)
        self.add_entries(entries)
        self.transfers(set(claim_of))
        self.supersede({r.payer_claim_number for r, c in zip(remits, claims)
                        if c is not None and r.payer_claim_number})
        return claims

    def transfers(self, claim_ids: set[int]) -> None:
        """Keep each crossover claim's PR transfer right (see ``posting``)."""
        crossover = self.uow.claims_with_status(claim_ids, CROSSOVER_STATUSES)
        if not crossover:
            return
        entries: dict[int, list[Entry]] = defaultdict(list)
        for entry in self.uow.entries_of(crossover):
            entries[entry.claim_id].append(entry)
        found = (transfer_entry(i, self.document_id, entries[i]) for i in sorted(crossover))
        self.add_entries([e for e in found if e is not None])

    def match(self, remits: list[Remit]) -> list[Match]:
        uow = self.uow
        by_pcn: dict[str, list[StoredClaim]] = defaultdict(list)
        for part in chunks(sorted({r.pcn for r in remits})):
            for claim in uow.claims_by_pcn(part):
                by_pcn[claim.sent.pcn].append(claim)
        by_number: dict[str, list[StoredClaim]] = defaultdict(list)
        numbers = sorted({r.payer_claim_number for r in remits if r.payer_claim_number})
        for part in chunks(numbers):
            for number, claim in uow.claims_by_payer_claim_number(part):
                by_number[number].append(claim)
        found = []
        for remit in remits:
            candidates = by_pcn.get(remit.pcn) or (
                uow.claims_by_pcn_prefix(remit.pcn) if remit.pcn else [])
            found.append(match_remit(remit, candidates, by_number.get(remit.payer_claim_number,
                                                                      ())))
        return found

    # 999, 277CA, 277
    def answers(self, answers: list[ClaimAnswer]) -> None:
        applied = self.apply(answers, [self.document_id] * len(answers))
        waiting = [a for a, done in zip(answers, applied) if not done]
        if waiting:
            self.uow.add_waiting_answers(self.document_id, waiting)
        self.counts["answers"] += len(answers) - len(waiting)
        self.counts["waiting answers"] += len(waiting)

    def answers_waiting_for(self, sent: list[SentClaim]) -> None:
        """Apply the answers that came before these claims."""
        waiting = self.uow.waiting_answers(
            {s.pcn for s in sent}, {(s.sender_id, s.group_control) for s in sent})
        if waiting:
            applied = self.apply([w.answer for w in waiting], [w.document_id for w in waiting])
            self.uow.resolve_waiting_answers([w.id for w, done in zip(waiting, applied)
                                              if done])

    def apply(self, answers: list[ClaimAnswer], documents: list[int]) -> list[bool]:
        """Add each answer's event to the claims it concerns; whether it found any."""
        uow = self.uow
        keyed = [a for a in answers if a.group_control is None]
        by_pcn: dict[str, list[StoredClaim]] = defaultdict(list)
        for claim in uow.claims_by_pcn(sorted({a.pcn for a in keyed if a.pcn})):
            by_pcn[claim.sent.pcn].append(claim)
        by_number: dict[str, list[StoredClaim]] = defaultdict(list)
        numbers = sorted({a.payer_claim_number for a in keyed if a.payer_claim_number})
        for number, claim in uow.claims_by_payer_claim_number(numbers) if numbers else ():
            by_number[number].append(claim)
        events, applied, claim_of = [], [], {}
        for answer, document_id in zip(answers, documents):
            if answer.group_control is not None:
                claims = uow.claims_in_set(answer.sender_id, answer.group_control,
                                           answer.set_control)
            else:
                one = match_answer(answer, by_pcn.get(answer.pcn, ()),
                                   by_number.get(answer.payer_claim_number, ()))
                claims = [one] if one is not None else []
            events += [Event(c.id, document_id, answer.kind, answer.event, answer.code,
                             answer.written, answer.position, answer.payer_claim_number)
                       for c in claims]
            claim_of.update((c.id, c) for c in claims)
            applied.append(bool(claims))
        self.add_events(events, claim_of)
        self.supersede({e.payer_claim_number for e in events if e.payer_claim_number})
        return applied

    def add_events(self, events: list[Event], claims: dict[int, StoredClaim]) -> None:
        """Add answers' and payments' events to their ``claims`` (by id, as stored), and
        fold each claim's state and payer claim number on. Where a claim's new events all
        come after its others in document order (the usual case: an answer is written
        after what it answers), they are folded on from what the claim has; else all its
        events are folded again."""
        new: dict[int, list[Event]] = defaultdict(list)
        for event in events:
            new[event.claim_id].append(event)
        latest: dict[int, tuple] = {}     # claim id -> the place of its latest answer
        for claim_id, *place in self.uow.answer_places(list(new)):
            latest[claim_id] = max(latest.get(claim_id, _BEFORE_ALL), _place(*place))
        self.uow.add_events(events)
        changes, again = [], []
        for claim_id, found in new.items():
            found.sort(key=document_order)
            first = found[0]
            if latest.get(claim_id, _BEFORE_ALL) >= _place(first.written, first.document_id,
                                                      first.position):
                again.append(claim_id)
                continue
            claim = claims[claim_id]
            changes.append((claim_id, states.fold((e.event for e in found), claim.state),
                            _last_number(found) or claim.payer_claim_number))
        self.uow.set_states(changes)
        self.refold(again)

    def refold(self, claim_ids: list[int]) -> None:
        """Fold each claim's events again, in document order, into its state."""
        history: dict[int, list[Event]] = defaultdict(list)
        for part in chunks(sorted(claim_ids)):
            for event in self.uow.events_of(part):
                history[event.claim_id].append(event)
        changes = []
        for claim_id, events in history.items():
            events.sort(key=document_order)
            changes.append((claim_id, states.fold(e.event for e in events),
                            _last_number(events)))
        self.uow.set_states(changes)

    def supersede(self, numbers: set[str]) -> None:
        """Claims now known by these payer claim numbers are superseded by the
        replacements and voids that name them."""
        if not numbers:
            return
        replacing = self.uow.claims_replacing(sorted(numbers))
        if replacing:
            self.supersede_named({c.sent.replaces: c.id for c in replacing})

    def supersede_named(self, replacing: dict[str, int]) -> None:
        """``replacing``: payer claim number -> the id of the claim that replaces or voids
        the claim known by it."""
        pairs = self.uow.claims_by_payer_claim_number(sorted(replacing))
        self.uow.set_superseded(sorted({(claim.id, replacing[number]) for number, claim in pairs
                                        if claim.id != replacing[number]}))


def document_order(event: Event):
    """Sent first; then by the date the document was written, the order of ingest, and
    the place in the file."""
    return (event.event != states.SENT, *_place(event.written, event.document_id,
                                                event.position))


def _place(written: Optional[date], document_id: int, position: int) -> tuple:
    """Where an answer (any event but ``sent``) stands in ``document_order``."""
    return (written or date.min, document_id, position)


_BEFORE_ALL = _place(None, 0, 0)     # before every answer


def _last_number(events: list[Event]) -> Optional[str]:
    """The payer claim number the last of ``events`` (in document order) that has one
    gives."""
    return next((e.payer_claim_number for e in reversed(events) if e.payer_claim_number),
                None)
