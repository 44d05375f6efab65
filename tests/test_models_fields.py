"""The builders' reading of segments in C (x12kit/_values.c) against its pure-Python
specification (x12kit/models/fields.py): every corpus file, and files generated with the
odd elements the plans must read alike (absent, empty, malformed, zero written as 0.00,
composites with repetitions), give the same models both ways, value for value and type for
type (``Decimal("0.00") == Decimal(0)``, so equality alone would not tell). CI sets
X12KIT_REQUIRE_C=1, so that a build that silently skipped the extension fails.
"""
from __future__ import annotations

import os
from datetime import date
from decimal import Decimal

import pytest

from x12kit import X12ReadError
from x12kit.models import claims, fields, read, remittance
from x12kit.segment import Delimiters, Segment

from .conftest import corpus_files, corpus_id

built = fields.read_fields is not fields.py_read_fields
needs_c = pytest.mark.skipif(not built, reason="x12kit._values was not built here")
BUILDER_MODULES = (remittance, claims)  # each imported the helpers by name
HELPERS = ("sort_content", "read_fields", "read_each", "adjustments")
FILES = [f for kind in ("835", "837P", "837I", "837D", "mixed") for f in corpus_files(kind)]


def test_the_extension_is_there_where_required():
    if os.environ.get("X12KIT_REQUIRE_C") == "1":
        assert built, "x12kit._values is missing: the C compiler or the build failed"


def test_the_c_reads_segments_as_defined():
    """x12kit/_values.c reads these by field position: this pins what it relies on."""
    assert Segment._fields[0] == "elements" and Segment._fields[4] == "delimiters"
    assert Delimiters._fields[1:3] == ("component", "repetition")
    kinds = (fields.TEXT, fields.MONEY, fields.UNITS, fields.AMOUNT, fields.DATE,
             fields.PROCEDURE)
    assert kinds == tuple(range(6))  # enum kind in _values.c


def _strict(value):
    """A value as something whose equality also tells types and written precision apart."""
    if isinstance(value, tuple):
        return (type(value).__name__, tuple(_strict(v) for v in value))
    if isinstance(value, Decimal):
        return ("Decimal", str(value))
    return (type(value).__name__, value)


def _models(source) -> list:
    got: list = []
    try:
        got.extend(_strict(m) for m in read(source))
    except X12ReadError as error:
        got.append(str(error))
    return got


@pytest.fixture
def python_only(monkeypatch):
    """The builders with the pure-Python helpers."""
    def use():
        for module in BUILDER_MODULES:
            for name in HELPERS:
                if hasattr(module, name):
                    monkeypatch.setattr(module, name, getattr(fields, "py_" + name))
    return use


@needs_c
@pytest.mark.parametrize("path", FILES, ids=corpus_id)
def test_both_ways_read_the_same_models(path, python_only):
    in_c = _models(path)
    python_only()
    assert _models(path) == in_c


ODD_835 = (
    "ISA*00*          *00*          *ZZ*A              *ZZ*B              *241120*0930*^*00501"
    "*000000001*0*P*:~GS*HP*A*B*20241120*0930*1*X*005010X221A1~ST*835*0001~"
    "BPR*I*1.00*C*ACH*CCP~TRN*1*9*1~N1*PR*P~N1*PE*Q*XX*1~LX*1~"
    "CLP*X1*1*0.00*1O.00**MC~NM1*QC~NM1*IL*1*A~AMT*AU*0.00~AMT*D8~AMT*ZZ*x~"
    "CAS*CO*45*0.00*1*2*~CAS*PR~CAS~"
    "SVC*HC:99213:25:::::^AD:1*12.5*0*0120**N4:1:2*3~DTM*472*20241399~"
    "LQ*HE*N1~LQ*RX*N2~AMT*B6~REF*6R~"
    "SVC*HC*1~CAS*OA*1*1*1*2*2*2*3*3*3*4*4*4*5*5*5*6*6*6~"
    "SE*22*0001~GE*1*1~IEA*1*000000001~"
)


@needs_c
def test_both_ways_read_odd_elements_alike(python_only):
    in_c = _models(ODD_835.encode())
    python_only()
    assert _models(ODD_835.encode()) == in_c
    payment = next(m for m in read(ODD_835.encode()) if isinstance(m, remittance.ClaimPayment))
    assert payment.paid is None and str(payment.charge) == "0.00"
    assert [str(a) for _, a in payment.amounts] == ["0", "0", "0"]  # AMT02 or zero
    first, second = payment.services
    assert first.procedure.modifiers == ("25",) and first.units == 1
    assert first.dates[0].dates is None and first.remarks == ("N1",)
    assert len(second.adjustments) == 6 and second.adjustments[5].quantity == 6


def test_the_plans_read_each_kind():
    """The specification itself, kind by kind, on one segment."""
    seg = Segment(("X", "a", "1.50", "", "20240229", "HC:1:M^HC:2", "NaN", "bad"),
                  delimiters=Delimiters())
    plan = ((1, fields.TEXT), (2, fields.MONEY), (3, fields.UNITS), (6, fields.AMOUNT),
            (4, fields.DATE), (5, fields.PROCEDURE), (9, fields.MONEY), (7, fields.DATE))
    text, amount, units, zero, day, proc, absent, not_a_date = fields.py_read_fields(seg, plan)
    assert (text, amount, units, zero) == ("a", Decimal("1.50"), Decimal(1), Decimal(0))
    assert (day, absent, not_a_date) == (date(2024, 2, 29), None, None)
    assert (proc.code, proc.modifiers) == ("1", ("M",))
    if built:
        assert _strict(fields.read_fields(seg, plan)) == _strict(
            fields.py_read_fields(seg, plan))
