"""The tracker's view of a file: its content hash, its kind from its own envelope, and its
business items as tracker records (``records.py``), built from the models.

Kinds come from the envelope of each set: ST01 with GS08 (837 005010X222 -> 837P, X223 ->
837I, X224 -> 837D; 277 005010X214 -> 277CA, else 277). A file's kind is its first set's,
or ``mixed``.
"""
from __future__ import annotations

import hashlib
import os
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Iterator, Mapping, NamedTuple, Optional, Union

from x12kit.models import Claim, ClaimPayment, ProviderAdjustment, read_items
from x12kit.models.acks import GroupAcknowledgment, SetResponse
from x12kit.models.status import ClaimAcknowledgment, ClaimStatus
from x12kit.models.reading import BUILDERS
from x12kit.frames import SET, EnvelopeFrames
from x12kit.models.values import day
from x12kit.reader import Source, iter_chunks, read_segments
from x12kit.tracker import states
from x12kit.tracker.records import (
    ZERO, Adjustment, ClaimAnswer, ClaimLine, ProviderLevelAdjustment, Remit, RemitLine, SentClaim,
)
from x12kit.walk.events import Envelope

CENT = Decimal("0.01")
new = tuple.__new__  # a record from all its fields, without NamedTuple's Python-level __new__
CLAIM_KINDS = {"X222": "837P", "X223": "837I", "X224": "837D"}


class Content(NamedTuple):
    """A source read once for its hash; ``source`` reads it again for the records."""

    source: Source
    sha256: str


def content(source: Source) -> Content:
    """Hash the content (gzip undone). Streams (stdin, file objects) are read into memory
    once, because they cannot be read twice; paths and bytes are read where they are."""
    if not isinstance(source, (str, os.PathLike, bytes, bytearray, memoryview)) or \
            str(source) == "-":
        source = b"".join(iter_chunks(source))
    digest = hashlib.sha256()
    for chunk in iter_chunks(source):
        digest.update(chunk)
    return Content(source, digest.hexdigest())


def set_kind(envelope: Envelope) -> str:
    st, gs = envelope.header, envelope.group
    st01 = st.element(1) if st is not None else ""
    guide = (st.element(3) if st is not None else "") or (gs.element(8) if gs is not None else "")
    if st01 == "837":
        return CLAIM_KINDS.get(guide[6:10], "837")
    if st01 == "277" and guide[6:10] == "X214":
        return "277CA"
    return st01


def file_kind(source: Source) -> str:
    """The kind of the file's first set, from its envelope (reads up to the first ST)."""
    frames = EnvelopeFrames()
    for seg in read_segments(source):
        moved = frames.follow(seg)
        if moved is not None and moved.opened is not None and moved.opened.depth == SET:
            return set_kind(frames.envelope())
    return "unknown"


class Same(dict):
    """One object for equal amounts (to the cent) and days: ``same[value]``. A list of
    records pickled to the ingest's process (``reading``) then holds each value once and
    refers to it after, which halves the pickling (measured on the bench's 835). The reader
    empties it after each list it sends, so it holds one list's values at most."""

    def __missing__(self, value):
        self[value] = value
        return value


class _Itself(dict):
    """``same[value]`` is ``value``: records read in the ingest's own process share
    nothing."""

    def __missing__(self, value):
        return value


Record = Union[SentClaim, Remit, ProviderLevelAdjustment, ClaimAnswer]


def records(source: Source, same: Mapping = _Itself()) -> Iterator[Record]:
    """The tracker records of every item of ``source``, in file order; ``same`` (a
    ``Same``) shares their equal amounts and days."""
    builders: dict[str, object] = {}
    answered_by_set = None   # the last 999 group whose sets had their own IK5
    for position, item in enumerate(read_items(read_segments(source)), 1):
        st = item.envelope.header
        st01 = st.element(1) if st is not None else ""
        builder = builders.get(st01)
        if builder is None and st01 in BUILDERS:
            builder = builders[st01] = BUILDERS[st01]()
        if builder is None:
            continue
        for model in builder.build(item):
            if isinstance(model, SetResponse):
                answered_by_set = item.envelope.group
            elif isinstance(model, GroupAcknowledgment) and \
                    answered_by_set is item.envelope.group:
                continue             # AK9 sums up the IK5s already taken
            record = to_record(model, item.envelope, position, same)
            if record is not None:
                yield record


def to_record(model, envelope: Envelope, position: int,
              same: Mapping = _Itself()) -> Optional[Record]:
    """The record of one model; ``same`` (a ``Same``) shares equal amounts and days."""
    if isinstance(model, Claim):
        return sent_claim(model, envelope, position, same)
    if isinstance(model, ClaimPayment):
        return remit(model, envelope, position, same)
    if isinstance(model, ProviderAdjustment):
        return provider_adjustment(model, envelope, position)
    if isinstance(model, (SetResponse, GroupAcknowledgment)):
        return set_answer(model, envelope, position)
    if isinstance(model, (ClaimAcknowledgment, ClaimStatus)):
        return claim_answer(model, envelope, position)
    return None


def _amount(value: Optional[Decimal]) -> Decimal:
    """Money to the cent (the guides allow two decimal places); absent or unreadable as
    zero (validation, not the tracker, reports it)."""
    return value.quantize(CENT, ROUND_HALF_EVEN) if value is not None else ZERO


def _procedure(proc) -> str:
    return ":".join((proc.code,) + proc.modifiers) if proc is not None else ""


def _group_date(envelope: Envelope) -> Optional[date]:
    return day(envelope.group.element(4)) if envelope.group is not None else None


def sent_claim(claim: Claim, envelope: Envelope, position: int, same: Mapping) -> SentClaim:
    payer = claim.payer
    span = claim.service_dates
    lines = tuple([new(ClaimLine, (
        int(line.number) if line.number.isdigit() else n, line.control_number,
        _procedure(line.procedure), same[_amount(line.charge)],
        same[dates.start] if (dates := line.service_dates) else None))
        for n, line in enumerate(claim.lines, 1)])
    gs, st = envelope.group, envelope.header
    return SentClaim(
        claim.billing_npi or "", claim.pcn, claim.kind, payer.id if payer else "",
        payer.name if payer else "", same[_amount(claim.charge)],
        same[claim.transaction_date or _group_date(envelope)],
        same[span.start] if span else None, same[span.end] if span else None,
        claim.frequency,
        claim.payer_claim_number, gs.element(6) if gs is not None else "",
        st.element(2) if st is not None else "", gs.element(2) if gs is not None else "",
        lines, position)


def _line_date(service) -> Optional[date]:
    for event in service.dates:
        if event.qualifier in ("472", "150") and event.dates is not None:
            return event.dates.start
    return None


def _claim_span(payment: ClaimPayment, lines: tuple[RemitLine, ...]):
    found = {e.qualifier: e.dates for e in payment.dates if e.dates is not None}
    start, end = found.get("232"), found.get("233")
    if start or end:
        return (start or end).start, (end or start).end
    days = [line.service_date for line in lines if line.service_date]
    return (min(days), max(days)) if days else (None, None)


def _adjustments(found) -> tuple[Adjustment, ...]:
    return tuple([new(Adjustment, (a.group, a.reason, a.amount)) for a in found])


def remit(payment: ClaimPayment, envelope: Envelope, position: int, same: Mapping) -> Remit:
    header = payment.payment
    lines = tuple([new(RemitLine, (
        s.control_number, _procedure(s.billed_procedure), same[_amount(s.charge)],
        same[_amount(s.paid)], same[_line_date(s)], _adjustments(s.adjustments)))
        for s in payment.services])
    start, end = _claim_span(payment, lines)
    payer = header.payer
    payer_id = (payer.id if payer is not None and payer.id else None) or next(
        (r.value for r in header.references if r.qualifier == "2U"), None)
    return Remit(
        payment.pcn, payment.status, same[_amount(payment.charge)],
        same[_amount(payment.paid)], payment.payer_claim_number, payment.frequency,
        header.payee.npi if header.payee is not None else None,
        payer_id, same[start], same[end],
        same[header.production_date or header.payment_date or _group_date(envelope)],
        position,
        _adjustments(payment.adjustments), lines)


def provider_adjustment(adj: ProviderAdjustment, envelope: Envelope,
                        position: int) -> ProviderLevelAdjustment:
    header = adj.payment
    payer = header.payer
    return ProviderLevelAdjustment(
        adj.provider_id, adj.reason, adj.reference, _amount(adj.amount),
        payer.id if payer is not None and payer.id else None,
        header.production_date or header.payment_date or _group_date(envelope), position)


REJECTING = frozenset(("R", "M", "W", "X"))   # IK501 / AK901: the set or group rejected


def set_answer(model, envelope: Envelope, position: int) -> Optional[ClaimAnswer]:
    """A 999's verdict on a claim set (IK5), or on a whole group it rejects (AK9 R): the
    claims it concerns are those sent in that set or group. Sets of other kinds than 837
    (a 999 may answer any group) concern no claim."""
    group = model.group
    if group is None or group.functional_id != "HC":
        return None
    whole_group = isinstance(model, GroupAcknowledgment)
    if whole_group and model.status not in REJECTING:
        return None                  # the group's sets each have their own IK5
    event = states.SET_REJECTED if model.status in REJECTING else states.SET_ACCEPTED
    gs = envelope.group
    return ClaimAnswer(
        "999", event, model.status, None, None, None, group.control_number,
        None if whole_group else model.control_number, gs.element(3) if gs else "",
        _group_date(envelope), position)


def claim_answer(model, envelope: Envelope, position: int) -> ClaimAnswer:
    """A 277CA's (TRN02 the PCN) or a 277's (REF*EJ the PCN) statuses of one claim."""
    if isinstance(model, ClaimAcknowledgment):
        kind, provider = "277CA", model.billing_provider
        event = (states.ACK_REJECTED if model.rejected else
                 states.ACKNOWLEDGED if model.accepted else states.STATUS_OTHER)
    else:
        kind, provider = "277", model.provider
        categories = {c.category[:1] for s in model.statuses for c in s.codes}
        event = states.STATUS_PENDING if "P" in categories else states.STATUS_OTHER
    first = model.statuses[0] if model.statuses else None
    code = f"{first.code.category}:{first.code.status}" if first else ""
    written = (first.effective if first else None) or _group_date(envelope)
    return ClaimAnswer(kind, event, code, provider.npi if provider is not None else None,
                       model.pcn or None, model.payer_claim_number, None, None, None,
                       written, position)
