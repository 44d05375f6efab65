"""Golden models: every model of a few corpus files as JSON (``to_json``), checked by hand
against the segments when written and compared whole ever after, so any change to what a
model reads shows here as a diff to check again.

Each ``tests/golden/models/*.json`` names its corpus file and lists its models in read order,
each with its class name. The walker's findings are left out (validation's tests own them).
To add one: ``python -m tests.test_models_golden 271/NAME ...`` writes the JSON; then check
every value against the file's segments before committing it.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT
from x12kit.models import read, to_json
from x12kit.models.jsonify import SKIPPED

GOLDEN = Path(__file__).parent / "golden" / "models"
GOLDEN_FILES = sorted(GOLDEN.glob("*.json"))
SKIP = SKIPPED | {"findings"}


def models_json(path: str) -> list[dict]:
    """The models of a corpus file (``835/NAME``) or of a fixture (``fixtures/NAME``)."""
    source = ROOT / path if path.startswith("fixtures/") else CORPUS / path
    return [{"model": type(m).__name__, **to_json(m, SKIP)} for m in read(source)]


@pytest.mark.parametrize("golden", GOLDEN_FILES, ids=lambda p: p.stem)
def test_models_match_golden(golden):
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert models_json(expected["file"]) == expected["models"]


def test_golden_covers_every_kind():
    kinds = {json.loads(p.read_text(encoding="utf-8"))["file"].split("/")[0]
             for p in GOLDEN_FILES}
    assert {"fixtures", "837P", "837I", "835", "270", "271", "276", "277", "277CA", "999",
            "TA1"} <= kinds


def write(corpus_path: str) -> Path:
    target = GOLDEN / (corpus_path.replace("/", "__") + ".json")
    data = {"file": corpus_path, "models": models_json(corpus_path)}
    target.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(write(name))
