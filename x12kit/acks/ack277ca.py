"""277CA claim acknowledgments (005010X214) answering a claim file (837P/I/D) from its own
validation findings.

Theory of operation. A 277CA answers the claims of the transaction sets its 999 accepted (a
rejected set, group or interchange rejects every claim in it; the 999 has said so, and the
277CA leaves them out). In a set the 999 accepted, each claim is accepted (STC A2:20,
accepted for processing, with a payer claim number in REF*1K) unless findings stand in its
own segments or in those of its parties' levels (billing provider 2000A, subscriber 2000B,
patient 2000C): then it is rejected (STC03 U), one status per kind of finding, the first in
STC01 and up to two more in STC10 and STC11: the category and claim status code come from
the finding's SNIP level (``REJECTIONS``), the entity code from the name loop it stands in
(NM101: 85 billing provider, IL subscriber, 82 rendering ...). The 999 rejects a set for
any error, so the findings of an accepted set are warnings: noted in the 999 (IK5 E), they
are where the payer's claim edits reject a claim.

The answer mirrors the submission: per 837 set one 277CA set (2200B TRN02 the 837's BHT03),
2000A the payer (the 837's receiver, 1000B), 2000B the submitter (1000A), per billing
provider level a 2000C (2200C TRN02 the 837's HL01 of that level), per claim a 2000D
(2200D TRN02 the PCN). The models (``LevelStatus``, ``ClaimAcknowledgment``) are written by
``x12kit.generate``, so element positions come from the compiled X214 guide.

The payer claim number of an accepted claim is ``GS02-ISA13-ST02-N`` of the claim file: the
submitter's application code, the interchange and set control numbers, and the claim's
ordinal in its set (from 1). The same file answered twice gives the same numbers.

Memory. The totals (QTY and AMT of 2200B and 2200C) come before the claims they count, so
the claim file is read twice: once to count, once to write; what is held between the passes
is the verdict of each set and the findings of the accepted ones (few, and capped by
validation), and the totals per set and per provider level, never a claim past its own.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import BinaryIO, NamedTuple, Optional

from ..diagnostics import Diagnostic, Level, Severity
from ..generate.writing import Generator
from ..models.claims import Claim
from ..models.reading import read_enveloped
from ..models.status import ClaimAcknowledgment, LevelStatus, Status, StatusCode
from ..models.tree import Loop
from ..models.values import DatedEvent, DateRange, Party, Reference
from ..reader import Source
from ..segment import Segment
from ..validate.reports import (REJECTED, GroupEnd, GroupStart, InterchangeEnd,
                                InterchangeReport, InterchangeStart, SetReport, events_of)
from .numbers import ControlNumbers
from .reply import reply_options

IMPLEMENTATION = "005010X214"
ACCEPTED_CLAIM = StatusCode("A2", "20", "")  # accepted into adjudication: for processing
RECEIVED_BATCH = StatusCode("A1", "20", "")  # 2200B and 2200C: the batch received
ACCEPT, REJECT = "WQ", "U"                    # STC03 action codes
# SNIP level of a finding -> STC01-1 category, STC01-2 claim status code
REJECTIONS = {
    1: ("A3", "21"),   # returned as unprocessable: missing or invalid information
    2: ("A3", "21"),
    3: ("A7", "400"),  # rejected for invalid information: claim is out of balance
    4: ("A6", "21"),   # rejected for missing information (a situational rule)
    5: ("A7", "21"),   # rejected for invalid information (a code set)
}
MAX_STATUSES = 3       # STC01, STC10, STC11
# STC01-3 entity codes X214 lists for a claim (2200D): a name loop's NM101 outside it is left out
ENTITIES = frozenset(("03", "1P", "1Z", "40", "41", "71", "72", "73", "77", "82", "85", "87",
                      "DK", "DN", "DQ", "FA", "GB", "HK", "IL", "LI", "MSC", "PR", "PRP", "QB",
                      "QC", "QD", "SEP", "TL", "TTP", "TU"))
RECEIVED_TOTALS = (("90", "AA"), ("YU", "YY"))  # 2200B QTY accepted/rejected, AMT the same
PROVIDER_TOTALS = (("QA", "QC"), ("YU", "YY"))  # 2200C


class Totals(NamedTuple):
    """Claims answered in a set, a provider level or a whole file."""

    accepted: int = 0
    rejected: int = 0
    accepted_amount: Decimal = Decimal(0)
    rejected_amount: Decimal = Decimal(0)
    unanswered: int = 0    # claims of sets the 999 rejected (write_277ca's counts only)

    def plus(self, rejected: bool, charge: Decimal) -> "Totals":
        if rejected:
            return self._replace(rejected=self.rejected + 1,
                                 rejected_amount=self.rejected_amount + charge)
        return self._replace(accepted=self.accepted + 1,
                             accepted_amount=self.accepted_amount + charge)

    @property
    def charge(self) -> Decimal:
        return self.accepted_amount + self.rejected_amount


# -- what validation said of each set ----------------------------------------------------------

class SetVerdicts:
    """From validation's events (or whole reports): which 837 sets the 999 accepted, and the
    findings of those, by the byte offset of the segment each concerns. Sets are known by the
    offset of their ST."""

    def __init__(self) -> None:
        self.accepted: dict[int, dict[int, list[Diagnostic]]] = {}
        self.group: list[int] = []        # the accepted sets of the open group
        self.interchange: list[int] = []  # and of the open interchange

    def feed(self, event) -> None:
        kind = type(event)
        if kind is InterchangeStart:
            self.interchange = []
        elif kind is GroupStart:
            self.group = []
        elif kind is SetReport:
            if event.header.element(1) == "837" and event.status != REJECTED:
                self.accepted[event.header.offset] = _by_offset(event.diagnostics)
                self.group.append(event.header.offset)
                self.interchange.append(event.header.offset)
        elif kind is GroupEnd:
            if any(d.is_error for d in event.diagnostics):  # the 999's AK9 R
                self._reject(self.group)
        elif kind is InterchangeEnd and any(d.is_error for d in event.diagnostics):
            self._reject(self.interchange)                  # the TA1's R

    def feed_report(self, report: InterchangeReport) -> None:
        for event in events_of(report):
            self.feed(event)

    def _reject(self, offsets: list[int]) -> None:
        for offset in offsets:
            self.accepted.pop(offset, None)

    def __bool__(self) -> bool:
        return bool(self.accepted)


def verdicts_of(events: Iterable) -> SetVerdicts:
    """``SetVerdicts`` of validation events or ``InterchangeReport`` values."""
    found = SetVerdicts()
    for event in events:
        if isinstance(event, InterchangeReport):
            found.feed_report(event)
        else:
            found.feed(event)
    return found


def _by_offset(found: Iterable[Diagnostic]) -> dict[int, list[Diagnostic]]:
    """The findings a claim can own (about a segment or an element, not the set's envelope),
    by the offset of their segment."""
    kept: dict[int, list[Diagnostic]] = {}
    for d in found:
        if d.level in (Level.SEGMENT, Level.ELEMENT) and d.severity is not Severity.INFO \
                and d.offset >= 0:
            kept.setdefault(d.offset, []).append(d)
    return kept


# -- one claim's verdict -----------------------------------------------------------------------

def claim_statuses(claim: Claim, findings: dict[int, list[Diagnostic]]) -> list[StatusCode]:
    """The rejection statuses of a claim (none: accepted), from the findings in its segments
    and in its parties' levels, in file order, one per distinct status."""
    if not findings:
        return []
    found: list[StatusCode] = []
    for offset, entity in _segments(claim):
        for d in findings.get(offset, ()):
            category, status = REJECTIONS[min(max(d.snip, 1), 5)]
            code = StatusCode(category, status, entity)
            if code not in found:
                found.append(code)
    return found[:MAX_STATUSES]


def _segments(claim: Claim) -> Iterator[tuple[int, str]]:
    """(offset, entity code) of each segment of the claim and of its parties' levels: the
    entity is the NM101 of the name loop a segment stands in (of an HL level, that of its
    first name loop); "" for the claim's own segments."""
    for level in claim.context:
        if level.id.startswith("2000"):  # not the set's header: that is the 999's to judge
            yield from _marked(level, _level_entity(level))
    yield from _marked(claim.loop, "")


def _marked(loop: Loop, entity: str) -> Iterator[tuple[int, str]]:
    for x in loop.content:
        if x.__class__ is Segment:
            yield x.offset, entity
        else:
            yield from _marked(x, _nm101(x) or entity)


def _nm101(loop: Loop) -> str:
    first = next(iter(loop.content), None)
    if first.__class__ is Segment and first.elements[0] == "NM1" and first.element(1) in ENTITIES:
        return first.element(1)
    return ""


def _level_entity(level: Loop) -> str:
    return next((_nm101(x) for x in level.content if x.__class__ is Loop and _nm101(x)), "")


# -- the models ----------------------------------------------------------------------------------

def _party(party: Optional[Party], entity: str, qualifier: str = "") -> Optional[Party]:
    """A party as the 277CA names it: code, names and id, no address or references."""
    if party is None:
        return None
    return Party(entity, party.entity_type if entity != "PR" else "2", party.name,
                 party.first_name, party.middle_name, party.suffix,
                 qualifier or party.id_qualifier, party.id)


def _patient(claim: Claim) -> Optional[Party]:
    """2100D: the patient's name, with the subscriber's member id (a dependent has none)."""
    member = claim.subscriber.party if claim.subscriber is not None else None
    named = claim.patient.party if claim.patient is not None else member
    if named is None:
        return None
    qualifier = member.id_qualifier if member is not None and member.id_qualifier in (
        "II", "MI") else "MI"
    return Party("QC", "1", named.name, named.first_name, named.middle_name, named.suffix,
                 qualifier, member.id if member is not None else "")


def _service_period(claim: Claim) -> tuple[DatedEvent, ...]:
    """DTP*472: the claim's service dates, first to last (its lines', else its own 472 or
    statement dates)."""
    spans = [e.dates for line in claim.lines for e in line.dates if e.qualifier == "472"]
    spans = spans or [e.dates for e in claim.dates if e.qualifier in ("472", "434")]
    days = [d for span in spans if span is not None for d in span if d is not None]
    return (DatedEvent("472", DateRange(min(days), max(days))),) if days else ()


def _status(code: StatusCode, on: Optional[date], action: str, charge: Decimal,
            more: tuple[StatusCode, ...] = ()) -> Status:
    return Status(code, on, action, charge, None, None, "", None, "", more, "")


def _level(level: str, trace: str, totals: Totals, codes, party, payer, on) -> LevelStatus:
    (accepted_qty, rejected_qty), (accepted_amt, rejected_amt) = codes
    quantities = ((accepted_qty, Decimal(totals.accepted)),) * bool(totals.accepted) + (
        (rejected_qty, Decimal(totals.rejected)),) * bool(totals.rejected)
    amounts = ((accepted_amt, totals.accepted_amount),) * bool(totals.accepted) + (
        (rejected_amt, totals.rejected_amount),) * bool(totals.rejected)
    return LevelStatus(level, trace, (_status(RECEIVED_BATCH, on, ACCEPT, totals.charge),),
                       quantities, amounts, party, payer, (), Loop(level, ()), ())


def _payer_claim_number(group: Segment, isa: Segment, st: Segment, ordinal: int) -> str:
    return f"{group.element(2)}-{isa.element(13)}-{st.element(2)}-{ordinal}"


# -- the two passes --------------------------------------------------------------------------

class _Claim(NamedTuple):
    """A claim of an accepted set, read and judged."""

    envelope: object         # its ISA, GS and ST
    claim: Claim
    provider_level: int      # the offset of its billing provider's HL: its 2000C
    ordinal: int             # in its set, from 1
    statuses: list           # its rejection statuses (none: accepted)


def _judged(source: Source, verdicts: SetVerdicts, skipped: list) -> Iterator[_Claim]:
    """The claims of the sets ``verdicts`` accepted, judged; ``skipped`` counts the others."""
    ordinal, last_set = 0, None
    for envelope, model in read_enveloped(source):
        if not isinstance(model, Claim):
            continue
        set_offset = envelope.header.offset
        findings = verdicts.accepted.get(set_offset)
        if findings is None:
            skipped[0] += 1
            continue
        ordinal = ordinal + 1 if set_offset == last_set else 1
        last_set = set_offset
        level = next((c for c in model.context if c.id == "2000A"), None)
        hl = level.content[0].offset if level is not None and level.content else -1
        yield _Claim(envelope, model, hl, ordinal, claim_statuses(model, findings))


def write_277ca(claim_source: Source, events_or_verdicts, out: BinaryIO,
                numbers: ControlNumbers, when: Optional[datetime] = None) -> Totals:
    """Write to ``out`` the 277CA answering ``claim_source`` (a path or bytes: it is read
    twice) from its validation (``validate_events`` events, ``validate`` reports, or
    ``SetVerdicts``): one interchange per interchange of the claim file with an accepted
    837 set, nothing where there is none. Control numbers come from ``numbers``. The claims
    answered, accepted and rejected, with their charges, and those left unanswered."""
    verdicts = events_or_verdicts if isinstance(events_or_verdicts, SetVerdicts) \
        else verdicts_of(events_or_verdicts)
    when = when or datetime.now()
    if not verdicts:
        return Totals(unanswered=sum(isinstance(m, Claim) for _, m in read_enveloped(
            claim_source)))
    sets: dict[int, Totals] = {}
    providers: dict[int, Totals] = {}
    skipped = [0]
    for judged in _judged(claim_source, verdicts, skipped):
        charge, rejected = judged.claim.charge or Decimal(0), bool(judged.statuses)
        st = judged.envelope.header.offset
        sets[st] = sets.get(st, Totals()).plus(rejected, charge)
        providers[judged.provider_level] = providers.get(
            judged.provider_level, Totals()).plus(rejected, charge)
    writer = _Writer(out, numbers, when, sets, providers)
    for judged in _judged(claim_source, verdicts, [0]):
        writer.add(judged)
    writer.close()
    total = Totals(unanswered=skipped[0])
    for counted in sets.values():
        total = total._replace(
            accepted=total.accepted + counted.accepted, rejected=total.rejected + counted.rejected,
            accepted_amount=total.accepted_amount + counted.accepted_amount,
            rejected_amount=total.rejected_amount + counted.rejected_amount)
    return total


class _Writer:
    """The second pass: the models of each judged claim, with the levels it opens, into one
    ``Generator`` per interchange of the claim file."""

    def __init__(self, out: BinaryIO, numbers: ControlNumbers, when: datetime,
                 sets: dict[int, Totals], providers: dict[int, Totals]) -> None:
        self.out, self.numbers, self.when = out, numbers, when
        self.sets, self.providers = sets, providers
        self.generator: Optional[Generator] = None
        self.isa: Optional[Segment] = None
        self.set = self.provider = -1

    def add(self, judged: _Claim) -> None:
        envelope, claim = judged.envelope, judged.claim
        if envelope.interchange is not self.isa:
            self.close()
            self.isa = envelope.interchange
            # the 277CA goes back: from the claim file's receiver to its sender
            self.generator = Generator(self.out, reply_options(
                envelope.interchange, self.when, envelope.group), self.numbers)
        today = self.when.date()
        payer = _party(claim.receiver, "PR", "46")
        st = envelope.header.offset
        if st != self.set:
            self.set, self.provider = st, -1
            self.generator.add(_level("2200B", claim.transaction_reference, self.sets[st],
                                      RECEIVED_TOTALS, _party(claim.submitter, "41"), payer,
                                      today), set_id=st)
        billing = _party(claim.billing_provider.party, "85") \
            if claim.billing_provider is not None else None
        if judged.provider_level != self.provider:
            self.provider = judged.provider_level
            hl = claim.context[[c.id for c in claim.context].index("2000A")].content[0]
            self.generator.add(_level("2200C", hl.element(1), self.providers[self.provider],
                                      PROVIDER_TOTALS, billing, payer, None), set_id=st)
        self.generator.add(self._answer(judged, payer, billing, today), set_id=st)

    def _answer(self, judged: _Claim, payer, billing, today: date) -> ClaimAcknowledgment:
        claim, statuses = judged.claim, judged.statuses
        charge = claim.charge or Decimal(0)
        if statuses:
            status, number = _status(statuses[0], today, REJECT, charge, tuple(statuses[1:])), None
        else:
            status = _status(ACCEPTED_CLAIM, today, ACCEPT, charge)
            e = judged.envelope
            number = _payer_claim_number(e.group, e.interchange, e.header, judged.ordinal)
        bill_type = claim.facility_code + claim.frequency if claim.facility_qualifier == "A" \
            else None
        trace = tuple(Reference("D9", r.value) for r in claim.references if r.qualifier == "D9")
        return ClaimAcknowledgment(
            claim.pcn, number, bill_type, _service_period(claim), trace, (), payer,
            _party(claim.submitter, "41"), billing, (status,), _patient(claim),
            Loop("2200D", ()), ())

    def close(self) -> None:
        if self.generator is not None:
            self.generator.close()
            self.generator = None
