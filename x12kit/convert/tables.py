"""Analysts' tables: claims, claim payments and validation findings as flat rows.

Every model of a file becomes rows of one or more tables (a claim: a ``claims`` row, a
``service_lines`` row per line, a ``diagnoses`` row per diagnosis code; a claim payment: a
``claim_payments`` row, a ``service_payments`` row per service line, an ``adjustments`` row
per CAS triple of either). ``TABLE_SCHEMAS`` (``table_schemas``) documents each table and
column once. The Parquet writer is ``x12kit.convert.parquet``.

Every row says where it came from: ``source`` (the file name as the caller gave it), ISA13,
GS06, ST02 and the byte offset of its set's ST. Rows of one claim share ``claim_id`` (source,
set offset and the claim's ordinal in its set), rows of one claim payment ``claim_payment_id``,
so the tables join without a database. Money is ``decimal128(18, 2)``, quantities
``decimal128(18, 4)``: exact, as the models' ``Decimal`` values are; a value they cannot hold
exactly raises ``TableValueError`` naming its place, never rounded. Dates are ``date32``.

Rows hold the file's values (member ids, birth dates: PHI) in their data columns, as any
conversion does; errors name places and columns only.
"""
from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Optional

import pyarrow as pa

from x12kit.convert.table_schemas import MONEY, QUANTITY, TABLE_SCHEMAS, TABLES
from x12kit.diagnostics import Diagnostic
from x12kit.errors import X12Error
from x12kit.models.claims import Claim, ServiceLine
from x12kit.models.reading import models_of
from x12kit.models.remittance import ClaimPayment, ProviderAdjustment, ServicePayment
from x12kit.models.values import DateRange
from x12kit.places import LineLocator
from x12kit.reader import Source, read_segments, source_name
from x12kit.segment import Segment
from x12kit.validate.reports import (
    GroupEnd, GroupStart, InterchangeEnd, InterchangeReport, InterchangeStart, SetReport, Stray,
    in_file_order,
)
from x12kit.walk.events import NO_ENVELOPE, Envelope

__all__ = ["TABLES", "TABLE_SCHEMAS", "MONEY", "QUANTITY", "Row", "TableValueError", "rows_of",
           "rows_of_segments", "finding_rows", "rows_to_batch", "values_to_batch"]

Row = dict


class TableValueError(X12Error):
    """A value a table column cannot hold exactly (an amount with three decimals)."""

    def __init__(self, table: str, column: str, offset: int) -> None:
        self.table, self.column, self.offset = table, column, offset
        self.message = (f"{table}.{column}: the value does not fit "
                        f"{TABLE_SCHEMAS[table].field(column).type} exactly")
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"byte {self.offset}: {self.message}"


# -- rows from models ----------------------------------------------------------------------

def rows_of(source: Source, name: Optional[str] = None,
            registry=None) -> Iterator[tuple[str, Row]]:
    """(table, row) for every row of every claim and claim payment of ``source`` (a path,
    ``-``, bytes or a binary file), one business item at a time. ``name`` is the ``source``
    column (default: the path as given)."""
    return rows_of_segments(read_segments(source), name or source_name(source), registry)


def rows_of_segments(segments: Iterable[Segment], name: str,
                     registry=None) -> Iterator[tuple[str, Row]]:
    """``rows_of`` from segments already read (a byte range of whole sets, say)."""
    places = _Places(name)
    for envelope, model in models_of(segments, registry):
        rows = ROWS_OF_MODEL.get(type(model))
        if rows is not None:
            yield from rows(places.of(envelope), model)


class _Places:
    """The provenance columns of the set now being read, and the ordinals counted in it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._header: Optional[Segment] = None
        self._set: Row = {}
        self._counts: dict[str, int] = {}

    def of(self, envelope: Envelope) -> "_Places":
        if envelope.header is not self._header or not self._set:
            self._header = envelope.header
            self._set = provenance(self.name, envelope)
            self._counts = {}
        return self

    def row(self) -> Row:
        return dict(self._set)

    def count(self, kind: str) -> int:
        self._counts[kind] = n = self._counts.get(kind, 0) + 1
        return n

    @property
    def key(self) -> str:
        return f"{self.name}@{self._set['set_offset']}"


def provenance(name: str, envelope: Envelope) -> Row:
    isa, gs, st = envelope
    return {"source": name,
            "interchange_control": isa.element(13).strip() if isa is not None else None,
            "group_control": gs.element(6) if gs is not None else None,
            "set_control": st.element(2) if st is not None else None,
            "set_offset": st.offset if st is not None else None}


def _claim_rows(places: _Places, claim: Claim) -> Iterator[tuple[str, Row]]:
    ordinal = places.count("claim")
    claim_id = f"{places.key}#{ordinal}"
    at = _offset(claim.loop)
    diagnoses = claim.diagnoses
    yield "claims", _claim_row(places.row(), claim, diagnoses, claim_id, ordinal, at)
    for n, line in enumerate(claim.lines, 1):
        yield "service_lines", _line_row(places.row(), line, claim_id, n)
    for n, code in enumerate(diagnoses, 1):
        row = places.row()
        row.update(claim_id=claim_id, diagnosis_ordinal=n, kind=code.kind,
                   qualifier=code.qualifier, code=code.code,
                   present_on_admission=code.present_on_admission)
        yield "diagnoses", row


def _claim_row(row: Row, claim: Claim, diagnoses: tuple, claim_id: str, ordinal: int,
               at: int) -> Row:
    billing, subscriber, patient = claim.billing_provider, claim.subscriber, claim.patient
    payer = claim.payer
    person = patient or subscriber
    row.update(
        claim_id=claim_id, claim_ordinal=ordinal, kind=claim.kind,
        implementation=claim.implementation, pcn=claim.pcn,
        charge=_exact("claims", "charge", claim.charge, at),
        facility_code=claim.facility_code, facility_qualifier=claim.facility_qualifier,
        frequency=claim.frequency, assignment=claim.assignment,
        benefits_assigned=claim.benefits_assigned,
        release_of_information=claim.release_of_information,
        prior_authorization=claim.prior_authorization, referral_number=claim.referral_number,
        payer_claim_number=claim.payer_claim_number,
        medical_record_number=claim.medical_record_number,
        **_span("service", claim.service_dates),
        billing_npi=claim.billing_npi,
        billing_tax_id=billing.tax_id if billing else None,
        billing_taxonomy=billing.taxonomy if billing else None,
        billing_name=billing.party.name if billing else None,
        rendering_npi=_npi(claim.provider("82")), referring_npi=_npi(claim.provider("DN")),
        attending_npi=_npi(claim.provider("71")),
        payer_responsibility=subscriber.payer_responsibility if subscriber else None,
        claim_filing_indicator=subscriber.claim_filing_indicator if subscriber else None,
        group_number=subscriber.group_number if subscriber else None,
        payer_id=payer.id if payer else None, payer_name=payer.name if payer else None,
        subscriber_id=subscriber.party.id if subscriber and subscriber.party else None,
        patient_relationship=person.relationship if person else None,
        patient_birth_date=person.birth_date if person else None,
        patient_gender=person.gender if person else None,
        principal_diagnosis=next((d.code for d in diagnoses if d.kind == "principal"), None),
        diagnosis_count=len(diagnoses), line_count=len(claim.lines),
        transaction_reference=claim.transaction_reference,
        transaction_date=claim.transaction_date)
    return row


def _line_row(row: Row, line: ServiceLine, claim_id: str, ordinal: int) -> Row:
    at = _offset(line.loop)
    proc = line.procedure
    row.update(
        claim_id=claim_id, line_ordinal=ordinal, line_number=line.number,
        procedure_qualifier=proc.qualifier if proc else None,
        procedure_code=proc.code if proc else None,
        modifiers=list(proc.modifiers) if proc else [],
        revenue_code=line.revenue_code,
        charge=_exact("service_lines", "charge", line.charge, at),
        unit_type=line.unit_type,
        units=_exact("service_lines", "units", line.units, at),
        place_of_service=line.place_of_service,
        diagnosis_pointers=list(line.diagnosis_pointers),
        **_span("service", line.service_dates),
        control_number=line.control_number, ndc=line.ndc,
        drug_quantity=_exact("service_lines", "drug_quantity", line.drug_quantity, at),
        drug_unit=line.drug_unit,
        rendering_npi=_npi(next((p for p in line.providers if p.entity == "82"), None)))
    return row


def _payment_rows(places: _Places, payment: ClaimPayment) -> Iterator[tuple[str, Row]]:
    ordinal = places.count("claim_payment")
    payment_id = f"{places.key}#{ordinal}"
    yield "claim_payments", _claim_payment_row(places.row(), payment, payment_id, ordinal)
    n = 0
    at = _offset(payment.loop)
    for adjustment in payment.adjustments:
        n += 1
        yield "adjustments", _adjustment_row(places.row(), adjustment, payment_id, None, n, at)
    for s, service in enumerate(payment.services, 1):
        service_id = f"{payment_id}/{s}"
        yield "service_payments", _service_row(places.row(), service, payment_id, service_id,
                                               s)
        at = _offset(service.loop)
        for adjustment in service.adjustments:
            n += 1
            yield "adjustments", _adjustment_row(places.row(), adjustment, payment_id,
                                                 service_id, n, at)


def _claim_payment_row(row: Row, payment: ClaimPayment, payment_id: str, ordinal: int) -> Row:
    at = _offset(payment.loop)
    dates = {d.qualifier: d.dates for d in payment.dates}
    header = payment.payment
    payer, payee = header.payer, header.payee
    received = dates.get("050")
    row.update(
        claim_payment_id=payment_id, claim_payment_ordinal=ordinal, pcn=payment.pcn,
        status=payment.status,
        charge=_exact("claim_payments", "charge", payment.charge, at),
        paid=_exact("claim_payments", "paid", payment.paid, at),
        patient_responsibility=_exact("claim_payments", "patient_responsibility",
                                      payment.patient_responsibility, at),
        filing_indicator=payment.filing_indicator,
        payer_claim_number=payment.payer_claim_number, facility_code=payment.facility_code,
        frequency=payment.frequency, drg=payment.drg,
        statement_start=_start(dates.get("232")),
        statement_end=_end(dates.get("233") or dates.get("232")),
        received_date=_start(received),
        patient_id=payment.patient.id if payment.patient else None,
        insured_id=payment.insured.id if payment.insured else None,
        rendering_npi=payment.rendering_provider.npi if payment.rendering_provider else None,
        remark_codes=list(payment.remarks), service_count=len(payment.services),
        payer_id=payer.id if payer else None, payer_name=payer.name if payer else None,
        payee_id_qualifier=payee.id_qualifier if payee else None,
        payee_id=payee.id if payee else None,
        trace_number=header.trace_number, payment_method=header.method,
        payment_date=header.payment_date)
    return row


def _service_row(row: Row, service: ServicePayment, payment_id: str, service_id: str,
                 ordinal: int) -> Row:
    at = _offset(service.loop)
    proc, sent = service.procedure, service.submitted_procedure
    dates = {d.qualifier: d.dates for d in service.dates}
    one_day = dates.get("472")
    row.update(
        claim_payment_id=payment_id, service_payment_id=service_id, service_ordinal=ordinal,
        procedure_qualifier=proc.qualifier if proc else None,
        procedure_code=proc.code if proc else None,
        modifiers=list(proc.modifiers) if proc else [],
        charge=_exact("service_payments", "charge", service.charge, at),
        paid=_exact("service_payments", "paid", service.paid, at),
        allowed=_exact("service_payments", "allowed", service.allowed, at),
        revenue_code=service.revenue_code,
        units=_exact("service_payments", "units", service.units, at),
        submitted_procedure_code=sent.code if sent else None,
        submitted_units=_exact("service_payments", "submitted_units", service.submitted_units,
                               at),
        service_start=_start(one_day or dates.get("150")),
        service_end=_end(one_day or dates.get("151")),
        control_number=service.control_number, remark_codes=list(service.remarks))
    return row


def _adjustment_row(row: Row, adjustment, payment_id: str, service_id: Optional[str],
                    ordinal: int, at: int) -> Row:
    row.update(
        claim_payment_id=payment_id, service_payment_id=service_id,
        level="claim" if service_id is None else "service", adjustment_ordinal=ordinal,
        group_code=adjustment.group, reason_code=adjustment.reason,
        amount=_exact("adjustments", "amount", adjustment.amount, at),
        quantity=_exact("adjustments", "quantity", adjustment.quantity, at))
    return row


def _provider_adjustment_rows(places: _Places,
                              adjustment: ProviderAdjustment) -> Iterator[tuple[str, Row]]:
    row = places.row()
    header = adjustment.payment
    at = row["set_offset"] if row["set_offset"] is not None else -1
    row.update(
        provider_adjustment_ordinal=places.count("provider_adjustment"),
        provider_id=adjustment.provider_id, fiscal_period_end=adjustment.fiscal_period_end,
        reason_code=adjustment.reason, reference=adjustment.reference,
        amount=_exact("provider_adjustments", "amount", adjustment.amount, at),
        trace_number=header.trace_number, payment_date=header.payment_date,
        payer_id=header.payer.id if header.payer else None)
    yield "provider_adjustments", row


# model type -> its rows, given the places of its set
ROWS_OF_MODEL = {Claim: _claim_rows, ClaimPayment: _payment_rows,
                 ProviderAdjustment: _provider_adjustment_rows}
# The transaction sets (ST01) whose models give each table's rows: a reader of one table
# may leave the others out (the findings table is every set's)
TRANSACTIONS_OF_TABLE = {
    **dict.fromkeys(("claims", "service_lines", "diagnoses"), frozenset({"837"})),
    **dict.fromkeys(("claim_payments", "adjustments", "service_payments",
                     "provider_adjustments"), frozenset({"835"})),
}


def _exact(table: str, column: str, value: Optional[Decimal], at: int) -> Optional[Decimal]:
    """``value`` where its column's decimal type holds it exactly; else TableValueError."""
    if value is None:
        return None
    kind, held = _DECIMAL_COLUMNS[table, column]
    if value in held:
        return value
    if abs(value) >= 10 ** (kind.precision - kind.scale) or (
            value.quantize(Decimal(1).scaleb(-kind.scale)) != value):
        raise TableValueError(table, column, at)
    if len(held) >= MAX_HELD:
        held.clear()
    held.add(value)
    return value


# Values seen to fit each decimal type: files repeat their amounts, and the check costs more
# than a set lookup. Bounded, so memory stays flat on files that never repeat.
MAX_HELD = 4096
_HELD: dict[pa.DataType, set[Decimal]] = {MONEY: set(), QUANTITY: set()}
_DECIMAL_COLUMNS = {(table, field.name): (field.type, _HELD[field.type])
                    for table, schema in TABLE_SCHEMAS.items() for field in schema
                    if pa.types.is_decimal(field.type)}


def _offset(loop) -> int:
    """Byte offset of a loop's first segment: the place an error names."""
    first = loop.content[0] if loop is not None and loop.content else None
    return first.offset if isinstance(first, Segment) else -1


def _npi(provider) -> Optional[str]:
    return provider.npi if provider is not None else None


def _span(prefix: str, dates: Optional[DateRange]) -> Row:
    return {f"{prefix}_start": _start(dates), f"{prefix}_end": _end(dates)}


def _start(dates: Optional[DateRange]):
    return dates.start if dates is not None else None


def _end(dates: Optional[DateRange]):
    return dates.end if dates is not None else None


# -- findings -------------------------------------------------------------------------------

def finding_rows(findings_or_events: Iterable, name: str,
                 lines_from: Optional[Source] = None) -> Iterator[Row]:
    """The ``findings`` rows of validation's output: the events of ``validate_events``
    (each finding with its interchange, group and set), ``InterchangeReport`` values, or
    bare ``Diagnostic`` values (no envelope then). ``lines_from``, a path that can be read
    again (or a function that opens the file anew), fills ``line`` and ``column`` (one more
    pass over it, only when there are findings)."""
    locator = LineLocator(lines_from) if lines_from is not None and \
        LineLocator.can_read_again(lines_from) else None
    for envelope, found in _placed_findings(findings_or_events):
        for d in sorted(found, key=in_file_order):
            yield _finding_row(provenance(name, envelope), d, locator)


def _placed_findings(things: Iterable) -> Iterator[tuple[Envelope, Iterable[Diagnostic]]]:
    """(envelope, findings) of each event, report or finding, in the order given."""
    isa = gs = None
    for thing in things:
        kind = type(thing)
        if kind is Diagnostic:
            yield NO_ENVELOPE, (thing,)
        elif kind is InterchangeStart:
            isa = thing.header
        elif kind is GroupStart:
            gs = thing.header
        elif kind is SetReport:
            yield Envelope(isa, gs, thing.header), thing.diagnostics
        elif kind is GroupEnd:
            yield Envelope(isa, thing.header), thing.diagnostics
        elif kind is InterchangeEnd:
            yield Envelope(thing.header), thing.diagnostics
        elif kind is Stray:
            yield NO_ENVELOPE, (thing.diagnostic,)
        elif kind is InterchangeReport:
            yield Envelope(thing.header), thing.diagnostics
            for group in thing.groups:
                yield Envelope(thing.header, group.header), group.diagnostics
                for report in group.sets:
                    yield Envelope(thing.header, group.header, report.header), \
                        report.diagnostics


def _finding_row(row: Row, d: Diagnostic, locator: Optional[LineLocator]) -> Row:
    line_column = locator.locate(d.offset) if locator is not None else None
    row.update(
        offset=d.offset if d.offset >= 0 else None,
        line=line_column[0] if line_column else None,
        column=line_column[1] if line_column else None,
        segment_number=d.segment_number or None, segment_id=d.segment_id,
        element_ref=d.element_ref, loop_id=d.loop_id, code=d.code, level=d.level.value,
        ack_code=d.ack_code, snip=d.snip, severity=d.severity.value, message=d.message)
    return row


# -- Arrow ----------------------------------------------------------------------------------

# a row -> its values in the table's column order (KeyError for a column the row lacks)
ROW_VALUES = {table: operator.itemgetter(*schema.names)
              for table, schema in TABLE_SCHEMAS.items()}


def rows_to_batch(table: str, rows: list[Row]) -> pa.RecordBatch:
    """A list of one table's rows as an Arrow record batch of the table's schema."""
    return values_to_batch(table, [ROW_VALUES[table](row) for row in rows])


def values_to_batch(table: str, values: list[tuple]) -> pa.RecordBatch:
    """Rows as tuples of ``ROW_VALUES`` (a quarter of a dict's memory) as a record batch."""
    schema = TABLE_SCHEMAS[table]
    columns = zip(*values) if values else [()] * len(schema)
    return pa.RecordBatch.from_arrays(
        [pa.array(column, field.type) for column, field in zip(columns, schema)], schema=schema)
