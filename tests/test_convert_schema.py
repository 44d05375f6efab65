"""The JSON Schema of the document (schemas/x12-document.schema.json): the committed file is
what the generator gives from today's compiled guides, and every corpus document is valid
against it, while a document whose nesting the guide does not allow is not."""
from __future__ import annotations

import json

import jsonschema_rs
import pytest
from jsonschema import Draft202012Validator

from tests.conftest import FIXTURES, ROOT, corpus_files, corpus_id
from tests.test_convert_document import convert
from x12kit.convert.document_schema import schema_text

SCHEMA_FILE = ROOT / "schemas" / "x12-document.schema.json"


@pytest.fixture(scope="module")
def validator():
    """A Rust validator (jsonschema-rs): the reference one takes minutes on the corpus's
    large documents. The schema itself is checked against the metaschema by the reference."""
    schema = json.loads(SCHEMA_FILE.read_text())
    Draft202012Validator.check_schema(schema)
    return jsonschema_rs.Draft202012Validator(schema)


def test_the_committed_schema_is_what_the_generator_gives():
    assert SCHEMA_FILE.read_text() == schema_text(), \
        "regenerate: python -m x12kit.convert.document_schema > schemas/x12-document.schema.json"


@pytest.mark.parametrize("path", corpus_files(), ids=corpus_id)
def test_every_corpus_document_is_valid(path, validator):
    errors = [(list(e.instance_path), e.message[:200])
              for e in validator.iter_errors(json.loads(convert(path)))]
    assert errors == []


def _first(content, test):
    for node in content:
        if test(node):
            return node
        found = "content" in node and _first(node["content"], test)
        if found:
            return found
    return None


@pytest.mark.parametrize("damage", [
    lambda d: _first(d["content"], lambda n: n.get("loop") == "2300").update(loop="2399"),
    lambda d: _first(d["content"], lambda n: n.get("segment") == "CLM").update(segment="CLP"),
    lambda d: _first(d["content"], lambda n: n.get("loop") == "2000B").update(name="Payee"),
    lambda d: _first(d["content"], lambda n: n.get("segment") == "CLM")["elements"]
    ["CLM05"].update(value="11"),
])
def test_a_document_the_guide_does_not_allow_is_invalid(damage, validator):
    document = json.loads(convert(FIXTURES / "claims-837p.x12"))
    assert validator.is_valid(document)
    damage(document)
    assert not validator.is_valid(document)
