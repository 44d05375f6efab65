"""Reprs of the models carry codes, amounts and keys, never the PHI the models hold: no name,
member or provider id, address, message text or copied bad value of any model read from the
corpus of 270/271, 276/277, 277CA, 999 and TA1 shows in its repr."""
from __future__ import annotations

import pytest

from tests.conftest import corpus_files, corpus_id
from x12kit import X12ReadError
from x12kit.models import read, to_json

KINDS = ("270", "271", "276", "277", "277CA", "999", "TA1")
PRIVATE = frozenset(("name", "first_name", "middle_name", "id", "line1", "line2", "city",
                     "postal_code", "bad_value", "messages", "plan"))


def _private_values(value, found: set) -> set:
    if isinstance(value, dict):
        for key, v in value.items():
            if key in PRIVATE:
                found.update(x for x in (v if isinstance(v, list) else [v])
                             if isinstance(x, str) and len(x) >= 4)
            else:
                _private_values(v, found)
    elif isinstance(value, list):
        for v in value:
            _private_values(v, found)
    return found


def _models(path) -> list:
    found = []
    try:
        found.extend(read(path))
    except X12ReadError:
        pass
    return found


@pytest.mark.parametrize("path", [f for k in KINDS for f in corpus_files(k)], ids=corpus_id)
def test_reprs_show_no_private_values(path):
    for model in _models(path):
        shown = repr(model)
        leaked = [v for v in _private_values(to_json(model), set()) if repr(v) in shown]
        assert not leaked, f"{type(model).__name__} repr shows {len(leaked)} private values"


def test_private_values_are_found():
    """The check above looks at real values: the corpus models hold names and ids."""
    values = set()
    for path in corpus_files("271")[:5]:
        for model in _models(path):
            _private_values(to_json(model), values)
    assert values
