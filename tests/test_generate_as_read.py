"""Models left as read are written from their loops (``x12kit.generate.as_read``): the same
bytes and problems as the typed path, and a model changed in any way is written from its
values."""
from __future__ import annotations

from decimal import Decimal

import pytest

from x12kit.generate import GenerateError, as_read, claim_sets, writing
from x12kit.generate.records import decode
from x12kit.models import Claim, ClaimPayment, read
from x12kit.models.jsonify import to_json
from x12kit.models.values import Adjustment
from x12kit.reader import read_segments

from .generate_helpers import generated, set_bodies
from .test_generate_roundtrip import FILES

CLAIM_FILES = [f for f in FILES if f.parent.name.startswith("837") or f.parent.name == "835"]
CLAIMS_837P = "837P/lfhx12__demo.example1.837"
PAYMENTS_835 = "835/edi835aff__nevada_medicaid.txt"
UNBALANCED_837P = "837P/imsweb__x12_many_claims.txt"  # claims whose CLM02 is not their lines'



def _typed_only(monkeypatch) -> None:
    """No model is taken as left as read: every segment is drafted."""
    monkeypatch.setattr(as_read.ClaimsAsRead, "unchanged", lambda self, claim: False)
    monkeypatch.setattr(claim_sets, "payment_unchanged", lambda model: False)


def _models(name: str) -> list:
    return list(read(next(f for f in CLAIM_FILES if f"{f.parent.name}/{f.name}" == name)))


def _own(name: str):
    path = next(f for f in CLAIM_FILES if f"{f.parent.name}/{f.name}" == name)
    return next(iter(read_segments(path))).delimiters


@pytest.mark.parametrize("path", CLAIM_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_shortcut_writes_what_the_typed_path_writes(path, monkeypatch):
    models = list(read(path))
    own = next(iter(read_segments(path))).delimiters
    for options in ({}, {"delimiters": own}):
        fast = generated(models, lenient=True, **options)
        with monkeypatch.context() as m:
            _typed_only(m)
            typed = generated(models, lenient=True, **options)
        assert fast == typed


def test_models_read_from_a_well_formed_file_are_left_as_read():
    claims = _models(CLAIMS_837P)
    check = as_read.ClaimsAsRead()
    assert claims and all(check.unchanged(c) for c in claims)
    payments = [m for m in _models(PAYMENTS_835) if isinstance(m, ClaimPayment)]
    assert payments and all(as_read.payment_unchanged(m) for m in payments)


def test_a_claim_whose_charge_is_replaced_is_written_from_its_values():
    claim = next(c for c in _models(CLAIMS_837P) if len(c.lines) >= 2)
    line = claim.lines[0]
    new_charge = line.charge + 7
    changed = claim._replace(
        charge=claim.charge + 7,
        lines=(line._replace(charge=new_charge),) + claim.lines[1:])
    assert not as_read.ClaimsAsRead().unchanged(changed)
    out, problems = generated([changed], delimiters=_own(CLAIMS_837P))
    clm = next(s for s in set_bodies(out) if s[0] == "CLM")
    assert Decimal(clm[2]) == claim.charge + 7
    sv1 = [s for s in set_bodies(out) if s[0] == "SV1"]
    assert Decimal(sv1[0][2]) == new_charge and problems == []


def test_a_claim_with_a_line_removed_is_written_without_it():
    claim = next(c for c in _models(CLAIMS_837P) if len(c.lines) >= 2)
    kept = claim.lines[:-1]
    changed = claim._replace(lines=kept, charge=sum((line.charge for line in kept),
                                                    Decimal(0)))
    assert not as_read.ClaimsAsRead().unchanged(changed)
    before, _ = generated([claim], delimiters=_own(CLAIMS_837P))
    after, problems = generated([changed], delimiters=_own(CLAIMS_837P))
    lines = [s for s in set_bodies(after) if s[0] == "LX"]
    assert len(lines) == len(kept) == len([s for s in set_bodies(before) if s[0] == "LX"]) - 1
    assert problems == []


def test_a_payment_with_an_adjustment_added_is_written_with_it():
    payment = next(m for m in _models(PAYMENTS_835) if isinstance(m, ClaimPayment))
    added = Adjustment("OA", "23", Decimal("1.25"))
    changed = payment._replace(adjustments=payment.adjustments + (added,))
    assert not as_read.payment_unchanged(changed)
    out, _ = generated([changed], lenient=True, delimiters=_own(PAYMENTS_835))
    cas = [s for s in set_bodies(out) if s[0] == "CAS" and s[1] == "OA"]
    assert ("CAS", "OA", "23", "1.25") in cas


def test_a_model_built_anew_from_its_record_is_not_left_as_read():
    claim = _models(CLAIMS_837P)[0]
    rebuilt = decode({"type": "Claim", **to_json(claim)}).model
    assert isinstance(rebuilt, Claim) and rebuilt.pcn == claim.pcn
    assert not as_read.ClaimsAsRead().unchanged(rebuilt)
    payment = next(m for m in _models(PAYMENTS_835) if isinstance(m, ClaimPayment))
    rebuilt = decode({"type": "ClaimPayment", **to_json(payment)}).model
    assert rebuilt.pcn == payment.pcn and not as_read.payment_unchanged(rebuilt)


def test_problems_of_claims_left_as_read_are_found_as_by_the_typed_path(monkeypatch):
    """Claims of a file whose charges do not add up, left as read: ``lenient=False`` raises
    with the same problems, places and all, whichever path writes them."""
    claims = _models(UNBALANCED_837P)
    check = as_read.ClaimsAsRead()
    assert all(check.unchanged(c) for c in claims)
    with pytest.raises(GenerateError) as fast:
        generated(claims)
    _typed_only(monkeypatch)
    with pytest.raises(GenerateError) as typed:
        generated(claims)
    assert "unbalanced" in {p.code for p in fast.value.problems}
    assert fast.value.problems == typed.value.problems


def test_a_loop_too_large_to_remember_its_shape_is_drafted(monkeypatch):
    """Shapes are remembered, so a loop of more entries than MAX_SHAPE_ENTRIES has none
    (hostile input must not fill memory) and takes the typed path: the same bytes."""
    models = _models(CLAIMS_837P)
    expected = generated(models, lenient=True)
    taken = []
    as_written = writing.as_written
    monkeypatch.setattr(writing, "as_written", lambda *a: taken.append(1) or as_written(*a))
    assert generated(models, lenient=True) == expected and taken  # the shortcut, as a rule
    taken.clear()
    monkeypatch.setattr(as_read, "MAX_SHAPE_ENTRIES", 3)
    assert all(as_read.shape(c.loop) is None for c in models)
    assert generated(models, lenient=True) == expected and not taken


def test_a_new_mix_of_parts_written_alike_before_takes_the_shortcut(monkeypatch):
    """Shapes are checked in parts (a loop's outline, each child loop's shape): a claim
    payment whose services mix layouts seen, each, in payments written before takes the
    shortcut although its whole shape is new, and is written as the typed path writes it."""
    from bench.generate import generate_835
    payments = [m for m in read(b"".join(generate_835(300))) if isinstance(m, ClaimPayment)]
    by_parts = {}
    for p in payments:
        outline, children = as_read.shape(p.loop)
        by_parts.setdefault(outline, []).append((set(children), p))
    mixed = next((first, second, both)
                 for found in by_parts.values() for ca, first in found for cb, second in found
                 for cab, both in found if ca and cb and not ca & cb and cab == ca | cb)
    typed_runs = []
    emit = writing.Emitter.emit
    monkeypatch.setattr(writing.Emitter, "emit", lambda self, node, *a, **k: (
        typed_runs.append(node.loop_id), emit(self, node, *a, **k))[1])
    fast, _ = generated(list(mixed), lenient=True)
    assert typed_runs.count("2100") == 2  # the third payment: the shortcut
    monkeypatch.setattr(writing.Emitter, "emit", emit)
    _typed_only(monkeypatch)
    assert generated(list(mixed), lenient=True)[0] == fast
