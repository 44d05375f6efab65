"""The analysts' tables (``x12kit.convert.tables``) and their Parquet files (``parquet``), on
every 837P/I/D and 835 of the corpus: as many rows as the models have items, money that sums
to the models' Decimal totals exactly, dates as dates, files that read back as the rows, row
groups as asked, nothing left behind by a failure, and the findings of validation."""
from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import CORPUS, corpus_files, corpus_id, sources_table
from x12kit import X12ReadError
from x12kit.convert import tables_doc
from x12kit.convert.parquet import ParquetTables, write_parquet
from x12kit.convert.tables import (
    MONEY, TABLE_SCHEMAS, TABLES, TableValueError, finding_rows, rows_of, rows_of_segments,
    rows_to_batch,
)
from x12kit.diagnostics import Diagnostic, Level, Severity
from x12kit.models import Claim, ClaimPayment, ProviderAdjustment, read
from x12kit.reader import read_segments
from x12kit.validate.pipeline import validate, validate_events

FILES = [f for kind in ("837P", "837I", "837D", "835") for f in corpus_files(kind)]
_SOURCES = sources_table()
# the 5010 files (GS08 of a 5010 guide): the models read no 4010 claims, so those give no rows
FILES_5010 = [f for f in FILES if "/ 005010" in _SOURCES.get(corpus_id(f), {}).get("version", "")]
ROOT = Path(__file__).resolve().parents[1]


def _until_unreadable(iterable) -> list:
    """What ``iterable`` yields before the input cannot be read on."""
    found = []
    try:
        found.extend(iterable)
    except X12ReadError:
        pass
    return found


def _by_table(rows: list) -> dict[str, list[dict]]:
    tables = defaultdict(list)
    for table, row in rows:
        tables[table].append(row)
    return tables


def _model_figures(models: list) -> tuple[Counter, dict[str, Decimal]]:
    """Counts and money totals worked out from the models themselves."""
    counts, sums = Counter(), defaultdict(Decimal)
    for m in models:
        if isinstance(m, Claim):
            counts.update(claims=1, service_lines=len(m.lines), diagnoses=len(m.diagnoses))
            sums["claims.charge"] += m.charge or 0
            sums["service_lines.charge"] += sum(line.charge or 0 for line in m.lines)
        elif isinstance(m, ClaimPayment):
            counts.update(claim_payments=1, service_payments=len(m.services),
                          adjustments=len(m.all_adjustments()))
            sums["claim_payments.charge"] += m.charge or 0
            sums["claim_payments.paid"] += m.paid or 0
            sums["service_payments.paid"] += sum(s.paid or 0 for s in m.services)
            sums["adjustments.amount"] += sum(a.amount for a in m.all_adjustments())
        elif isinstance(m, ProviderAdjustment):
            counts.update(provider_adjustments=1)
            sums["provider_adjustments.amount"] += m.amount or 0
    return counts, sums


@pytest.mark.parametrize("path", FILES, ids=corpus_id)
def test_rows_agree_with_the_models(path):
    rows = _by_table(_until_unreadable(rows_of(path)))
    counts, sums = _model_figures(_until_unreadable(read(path)))
    assert Counter({t: len(r) for t, r in rows.items()}) == counts
    for column, total in sums.items():
        table, name = column.split(".")
        assert sum(r[name] or 0 for r in rows[table]) == total, column
    for table, found in rows.items():
        names = TABLE_SCHEMAS[table].names
        for row in found:
            assert list(row) == names
            for field in TABLE_SCHEMAS[table]:
                value = row[field.name]
                if pa.types.is_date32(field.type):
                    assert value is None or type(value) is dt.date, field.name
                elif pa.types.is_decimal(field.type):
                    assert value is None or type(value) is Decimal, field.name


@pytest.mark.parametrize("path", FILES_5010, ids=corpus_id)
def test_parquet_reads_back_as_the_rows(path, tmp_path):
    rows = _by_table(_until_unreadable(rows_of(path, "claims.x12")))
    if not rows:  # no ISA, or a header without claims
        assert not _until_unreadable(read(path))
        return
    with ParquetTables(tmp_path, "out", row_group_rows=7) as tables:
        for table, found in rows.items():
            for row in found:
                tables.add(table, row)
    assert set(tables.paths) == set(rows)
    for table, found in rows.items():
        assert tables.paths[table] == tmp_path / f"out.{table}.parquet"
        written = pq.read_table(tables.paths[table])
        assert written.schema.equals(TABLE_SCHEMAS[table], check_metadata=False)
        assert written.to_pylist() == found


def test_keys_join_lines_and_adjustments_to_their_items():
    claims = _by_table(rows_of(CORPUS / "837I" / "lfhx12__two-claims-single-provider.837i"))
    ids = [c["claim_id"] for c in claims["claims"]]
    assert len(set(ids)) == len(ids) == 2
    for line in claims["service_lines"]:
        assert line["claim_id"] in ids
    payments = _by_table(rows_of(CORPUS / "835" / "lfhx12__managed-care.835"))
    ids = {p["claim_payment_id"] for p in payments["claim_payments"]}
    services = {s["service_payment_id"] for s in payments["service_payments"]}
    assert payments["adjustments"]
    for adjustment in payments["adjustments"]:
        assert adjustment["claim_payment_id"] in ids
        assert (adjustment["service_payment_id"] is None) == (adjustment["level"] == "claim")
        assert adjustment["service_payment_id"] in services | {None}


def test_schema_types():
    assert MONEY == pa.decimal128(18, 2)
    money = {"charge", "paid", "allowed", "amount", "patient_responsibility"}
    for table, schema in TABLE_SCHEMAS.items():
        assert schema.metadata[b"description"]
        for field in schema:
            assert field.metadata[b"description"], (table, field.name)
            if field.name in money:
                assert field.type == MONEY, (table, field.name)
            if field.name.endswith(("_date", "_start", "_end")):
                assert field.type == pa.date32(), (table, field.name)
    assert TABLES == ("claims", "service_lines", "diagnoses", "claim_payments", "adjustments",
                      "service_payments", "provider_adjustments", "findings")


def test_the_document_is_generated_from_the_schemas():
    assert tables_doc.DOC_PATH.read_text(encoding="utf-8") == tables_doc.markdown(), (
        "run: python -m x12kit.convert.tables_doc")


def test_rows_from_segments_are_the_rows_of_the_file():
    path = CORPUS / "835" / "lfhx12__managed-care.835"
    assert list(rows_of_segments(read_segments(path), "x")) == list(rows_of(path, "x"))


def test_a_table_larger_than_a_row_group_gets_several(tmp_path):
    path = CORPUS / "835" / "tastyx12__profee-multiple.edi"
    counts = Counter(t for t, _ in rows_of(path))
    assert counts["service_payments"] > 1000
    paths = write_parquet(path, tmp_path, "p", row_group_rows=1000)
    for table, count in counts.items():
        meta = pq.ParquetFile(paths[table]).metadata
        assert meta.num_rows == count
        assert meta.num_row_groups == math.ceil(count / 1000)


def test_a_failure_midway_leaves_no_file(tmp_path):
    rows = list(rows_of(CORPUS / "835" / "lfhx12__managed-care.835"))
    with pytest.raises(RuntimeError):
        with ParquetTables(tmp_path, "p", row_group_rows=1) as tables:
            for table, row in rows:
                tables.add(table, row)
            assert list(tmp_path.iterdir())  # row groups were written, under other names
            raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == []


def _cut_short(tmp_path) -> Path:
    """A real 835 followed by an interchange header cut short: unreadable past its rows."""
    path = tmp_path / "cut.835"
    path.write_bytes((CORPUS / "835" / "tastyx12__profee-multiple.edi").read_bytes()
                     + b"ISA*00*short~")
    return path


def test_unreadable_input_leaves_no_file(tmp_path):
    path = _cut_short(tmp_path)
    assert _until_unreadable(rows_of(path))  # rows come before the input breaks
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(X12ReadError):
        write_parquet(path, out, "p", row_group_rows=100)
    assert list(out.iterdir()) == []


def test_an_amount_a_column_cannot_hold_is_an_error_with_its_place():
    text = (CORPUS / "835" / "lfhx12__demo.835").read_bytes()
    assert b"CLP*666123*1*211366.97*" in text
    bad = text.replace(b"CLP*666123*1*211366.97*", b"CLP*666123*1*211366.975*")
    with pytest.raises(TableValueError) as raised:
        list(rows_of(bad))
    error = raised.value
    assert (error.table, error.column) == ("claim_payments", "charge")
    assert bad[error.offset:].startswith(b"CLP*")
    assert "211366" not in str(error)


def test_units_past_the_quantity_column_are_an_error_though_money_holds_the_value():
    text = (CORPUS / "837P" / "lfhx12__demo.drug.example10.2.837").read_bytes()
    assert text.count(b"SV1*HC:S9500*1400.00*UN*7.00*") == 1
    # 15 digits, as X12 allows: the line charge (money) holds them, checked first; the units
    # (decimal128(18, 4)) cannot
    big = b"123456789012345"
    bad = text.replace(b"*1400.00*UN*7.00*", b"*" + big + b"*UN*" + big + b"*")
    with pytest.raises(TableValueError) as raised:
        list(rows_of(bad))
    assert (raised.value.table, raised.value.column) == ("service_lines", "units")
    assert bad[raised.value.offset:].startswith(b"LX*")


def _files_with_findings() -> list[Path]:
    return [f for f in FILES if any(r.findings() for r in _until_unreadable(validate(f)))]


@pytest.mark.parametrize("path", _files_with_findings()[:12], ids=corpus_id)
def test_findings_rows_are_the_validators_findings(path):
    reports = _until_unreadable(validate(path))
    expected = sorted((d.offset, d.code) for r in reports for d in r.findings())
    from_events = list(finding_rows(_until_unreadable(validate_events(path)), "f", path))
    from_reports = list(finding_rows(reports, "f"))
    for found in (from_events, from_reports):
        assert sorted((r["offset"] if r["offset"] is not None else -1, r["code"])
                      for r in found) == expected
    lines = path.read_bytes().split(b"\n")
    for row in from_events:
        assert list(row) == TABLE_SCHEMAS["findings"].names
        if row["line"] is not None:  # line and column name the byte at the offset
            line_start = sum(len(line) + 1 for line in lines[:row["line"] - 1])
            assert line_start + row["column"] - 1 == row["offset"]
    rows_to_batch("findings", from_events)  # the schema holds them


def test_findings_rows_carry_no_values():
    finding = Diagnostic("bad-npi", Severity.ERROR, "NM109 is not a valid NPI", Level.ELEMENT,
                         "I12", 120, 4, 3, "NM1", "NM109", "2010AA", 5, value="1234567890")
    (row,) = finding_rows([finding], "f")
    assert "1234567890" not in repr(row)
    assert (row["offset"], row["segment_id"], row["element_ref"], row["snip"]) == (
        120, "NM1", "NM109", 5)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "x12kit.cli", "convert", *args],
                          capture_output=True, text=True, cwd=ROOT)


def test_convert_to_parquet(tmp_path):
    path = CORPUS / "835" / "lfhx12__managed-care.835"
    done = _cli(str(path), "--to", "parquet", "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    rows = _by_table(rows_of(path, str(path)))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{path.name}.{t}.parquet" for t in rows)
    claims = pq.read_table(tmp_path / f"{path.name}.claim_payments.parquet").to_pylist()
    assert claims == rows["claim_payments"]


def test_convert_to_parquet_of_unreadable_input(tmp_path):
    path = _cut_short(tmp_path)
    out = tmp_path / "out"
    done = _cli(str(path), "--to", "parquet", "-o", str(out))
    assert done.returncode == 1
    assert done.stderr.startswith(f"{path}:{path.stat().st_size - 13}: error: ")
    assert "Traceback" not in done.stderr
    assert list(out.iterdir()) == []
    assert _cli(str(path), "--to", "parquet").returncode == 2


def test_each_table_is_made_from_the_transaction_sets_it_names():
    """``TRANSACTIONS_OF_TABLE`` lets a reader of one table skip the other sets: every row of
    every corpus claim and remittance file comes from a set of its table's kind."""
    from x12kit.convert.tables import TRANSACTIONS_OF_TABLE
    seen = set()
    for kind in ("837P", "837I", "837D", "835"):
        for path in corpus_files(kind):
            try:
                st01 = {s.offset: s.element(1) for s in read_segments(path) if s.id == "ST"}
                rows = list(rows_of(path))
            except X12ReadError:
                continue
            for table, row in rows:
                assert st01[row["set_offset"]] in TRANSACTIONS_OF_TABLE[table], (path, table)
                seen.add(table)
    assert seen == set(TRANSACTIONS_OF_TABLE)
