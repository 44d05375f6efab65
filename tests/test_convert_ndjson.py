"""Typed records (convert --to ndjson): one line per model, each valid against the committed
JSON Schema, which is what the models' type hints make today."""
from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import jsonschema_rs
import pytest

from tests.conftest import FIXTURES, ROOT, corpus_files, corpus_id
from x12kit import X12ReadError
from x12kit.convert.ndjson import write_ndjson
from x12kit.convert.records_schema import records_schema
from x12kit.models import read

SCHEMA_FILE = ROOT / "schemas" / "models.schema.json"
KINDS = ("837P", "837I", "837D", "835", "270", "271", "276", "277", "277CA", "999", "TA1")
SCHEMA = json.loads(SCHEMA_FILE.read_text())
jsonschema.Draft202012Validator.check_schema(SCHEMA)
VALIDATOR = jsonschema_rs.Draft202012Validator(SCHEMA)  # the reference validator is slow


def records(path) -> tuple[list[dict], X12ReadError | None]:
    out = io.BytesIO()
    try:
        write_ndjson(path, out)
        failed = None
    except X12ReadError as error:
        failed = error
    return [json.loads(line) for line in out.getvalue().splitlines()], failed


def test_the_committed_schema_is_what_the_models_make():
    assert json.loads(SCHEMA_FILE.read_text()) == records_schema(), \
        "renew it: python -m x12kit.convert.records_schema > schemas/models.schema.json"


@pytest.mark.parametrize("path", [f for k in KINDS for f in corpus_files(k)], ids=corpus_id)
def test_every_record_of_the_corpus_is_valid_and_one_per_model(path: Path):
    found, failed = records(path)
    if failed is not None:
        assert found[-1] == {"type": "error", "offset": failed.offset, "message": failed.message}
        found = found[:-1]
    else:
        assert [r["type"] for r in found] == [type(m).__name__ for m in read(path)]
    for record in found:
        errors = list(VALIDATOR.iter_errors(record))
        assert not errors, errors[0].message


def test_a_record_that_breaks_the_schema_is_caught():
    record = records(FIXTURES / "claims-837p.x12")[0][0]
    assert VALIDATOR.is_valid(record)
    record["charge"] = 306.0  # a float amount: money is an exact decimal string
    assert not VALIDATOR.is_valid(record)
    del record["charge"]
    assert not VALIDATOR.is_valid(record)


def test_records_carry_the_envelope_they_came_in():
    first = records(FIXTURES / "remittance-835.x12")[0][0]
    assert first["envelope"]["interchange"]["sender"] == "87726"  # ISA06 without its padding
    assert first["envelope"]["group"]["implementation"] == "005010X221A1"
    assert first["envelope"]["set"]["id"] == "835"


def test_unreadable_input_ends_with_an_error_record():
    data = (FIXTURES / "claims-837p.x12").read_bytes()
    cut = data.index(b"CLM*S010000000002")
    broken = data[:cut] + b"CLM*" + b"9" * (1 << 21)  # a segment that never ends
    found, failed = records(broken)
    assert failed is not None and found[-1]["type"] == "error"
    assert [r["pcn"] for r in found[:-1]] == ["A010000000001"]
