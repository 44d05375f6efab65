"""276 claim status requests for the claims that got no final answer (``track followup``).

A claim wants a follow-up when it was sent long enough ago and is still ``submitted``,
``accepted`` or ``pending``: no 835 paid or denied it and nothing rejected it (a reversed
claim is left out too: its payer answered, and a corrected payment is what it waits for).

The tracker keeps no names, member ids or birth dates (``records.py``), and a 276 needs
them (X212 2100D: the subscriber's name and member id; 2000D/E DMG). So the questions are
built from the claims as sent: the 837 each claim was ingested from (the source of its
``sent`` event) is read again, and its ``Claim`` model gives the parties. Per X212, the 276
travels the way its claim did: ISA/GS sender and receiver are the 837's; 2100A the payer
(2010BB), 2100B the information receiver who asks (the 837's submitter, 1000A), 2100C the
billing provider with its NPI, 2100D the subscriber, 2100E the patient where it is a
dependent. Each 2200D/E asks by TRN02 = the PCN (the 277 echoes it back, the tracker's key),
REF*1K the payer claim number once known, REF*BLT the bill type of an institutional claim,
REF*EJ the PCN, AMT*T3 the charge, DTP*472 the service dates.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Iterator, NamedTuple, Optional

from x12kit.errors import X12ReadError
from x12kit.generate import EnvelopeOptions
from x12kit.models import Claim
from x12kit.models.reading import read_enveloped
from x12kit.models.status import ClaimStatusRequest
from x12kit.models.tree import Loop
from x12kit.models.values import DatedEvent, Party, Reference
from x12kit.tracker import states

FOLLOWUP_STATES = (states.SUBMITTED, states.ACCEPTED, states.PENDING)
ASKED_FIELDS = ("pcn", "billing_npi", "payer_id", "payer_claim_number", "state", "claim_date",
                "charge")
NO_LOOP = Loop("", ())


class Question(NamedTuple):
    """A claim to ask about: its key, the 837 it was sent in, its payer claim number."""

    billing_npi: str
    pcn: str
    source: str                      # the 837 as ingested (its path)
    payer_claim_number: Optional[str]


class Missing(NamedTuple):
    """A claim whose 837 could not be read again: no question can be built for it."""

    billing_npi: str
    pcn: str
    source: str
    reason: str


def question(claim: dict) -> Question:
    """The question about a claim summary (``Tracker.claims``): its 837 is the source of
    its ``sent`` event."""
    sent = next(h["source"] for h in claim["history"] if h["event"] == states.SENT)
    return Question(claim["billing_npi"], claim["pcn"], sent, claim["payer_claim_number"])


def status_request(claim: Claim, payer_claim_number: Optional[str]) -> ClaimStatusRequest:
    """The 276 question about one claim sent, built from its 837 model."""
    subscriber, patient = claim.subscriber, claim.patient
    billing = claim.billing_provider.party if claim.billing_provider is not None else None
    about = patient if patient is not None else subscriber
    bill_type = _bill_type(claim)
    references = tuple(Reference(qualifier, value) for qualifier, value in (
        ("1K", payer_claim_number), ("BLT", bill_type), ("EJ", claim.pcn)) if value)
    span = claim.service_dates
    return ClaimStatusRequest(
        trace=claim.pcn, payer_claim_number=payer_claim_number, bill_type=bill_type,
        dates=(DatedEvent("472", span),) if span is not None else (),
        references=references, lines=(), payer=_named(claim.payer, "PR"),
        receiver=_named(claim.submitter, "41"), provider=_provider(billing),
        pcn=claim.pcn, charge=claim.charge,
        subscriber=_named(subscriber.party if subscriber else None, "IL"),
        dependent=_named(patient.party, "QC") if patient is not None else None,
        birth_date=about.birth_date if about is not None else None,
        gender=about.gender if about is not None else "", loop=NO_LOOP, context=())


def _bill_type(claim: Claim) -> Optional[str]:
    """REF*BLT, which X212 asks of an institutional claim: the facility type code and the
    frequency (CLM05-1 and CLM05-3 of the 837I)."""
    if claim.kind != "837I" or claim.facility_qualifier != "A":
        return None
    return claim.facility_code + claim.frequency


def _named(party: Optional[Party], entity: str) -> Optional[Party]:
    """The party in the 276's role (its NM101), with the name and id it had: no address."""
    if party is None:
        return None
    return Party(entity, party.entity_type, party.name, party.first_name, party.middle_name,
                 party.suffix, party.id_qualifier, party.id)


def _provider(party: Optional[Party]) -> Optional[Party]:
    """2100C: the service provider by NPI (X212: NM108 XX)."""
    if party is None:
        return None
    return Party("1P", party.entity_type or "2", party.name, party.first_name,
                 party.middle_name, party.suffix, "XX", party.npi or party.id)


def envelope_of(isa, gs) -> EnvelopeOptions:
    """The 276's envelope: the same sender and receiver as the 837 it asks about."""
    return EnvelopeOptions(
        sender_qualifier=isa.element(5), sender_id=isa.element(6).strip(),
        receiver_qualifier=isa.element(7), receiver_id=isa.element(8).strip(),
        usage=isa.element(15) or "P",
        group_sender=gs.element(2) if gs is not None else "",
        group_receiver=gs.element(3) if gs is not None else "")


def status_requests(questions: Iterable[Question], missing: list[Missing]
                    ) -> Iterator[tuple[EnvelopeOptions, ClaimStatusRequest]]:
    """The status requests, each with the envelope it goes in (one interchange each), as
    the 837s are read: each 837 once, in the order of its first question, its claims in
    file order. The claims whose 837 could not be read again, or no longer holds them, are
    added to ``missing`` as each 837 is done."""
    wanted: dict[str, dict[tuple[str, str], list[Question]]] = defaultdict(
        lambda: defaultdict(list))
    for q in questions:     # claims that share a key (a PCN sent twice) in the order given
        wanted[q.source][(q.billing_npi, q.pcn)].append(q)
    for source, keys in wanted.items():
        try:
            for envelope, model in read_enveloped(source):
                waiting = keys.get((model.billing_npi or "", model.pcn)) \
                    if isinstance(model, Claim) else None
                if waiting:
                    yield (envelope_of(envelope.interchange, envelope.group),
                           status_request(model, waiting.pop(0).payer_claim_number))
        except (X12ReadError, OSError) as error:
            reason = getattr(error, "strerror", None) or type(error).__name__
            missing += [Missing(q.billing_npi, q.pcn, source, f"cannot read the 837: {reason}")
                        for left in keys.values() for q in left]
            continue
        missing += [Missing(q.billing_npi, q.pcn, source, "the 837 no longer holds the claim")
                    for left in keys.values() for q in left]


def asked_row(claim: dict) -> dict:
    """What ``track followup`` lists of a claim a 276 asks about (``Tracker.followups``)."""
    return {k: claim[k] for k in ASKED_FIELDS}


def asked_rows(rows: list[dict], missing: list[Missing]) -> list[dict]:
    """The ``asked_row``s of the claims a 276 asks about: those whose 837 was read."""
    missed = {(m.billing_npi, m.pcn) for m in missing}
    return [row for row in rows if (row["billing_npi"], row["pcn"]) not in missed]
