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
from x12kit.models.tree import Item, Loop
from x12kit.segment import Delimiters, Segment

from .conftest import corpus_files, corpus_id

built = fields.read_fields is not fields.py_read_fields
built_services = remittance.service_payments is not remittance.py_service_payments
built_claims = remittance.claim_payment is not remittance.py_claim_payment
needs_c = pytest.mark.skipif(not built, reason="x12kit._values was not built here")
BUILDER_MODULES = (remittance, claims)  # each imported the helpers by name
HELPERS = ("sort_content", "read_fields", "read_each", "adjustments")
FILES = [f for kind in ("835", "837P", "837I", "837D", "mixed") for f in corpus_files(kind)]


def test_the_extension_is_there_where_required():
    if os.environ.get("X12KIT_REQUIRE_C") == "1":
        assert built, "x12kit._values is missing: the C compiler or the build failed"
        assert built_services, "x12kit._values has no service_payments: a stale build?"
        assert built_claims, "x12kit._values has no claim_payment: a stale build?"


def test_the_c_reads_segments_as_defined():
    """x12kit/_values.c reads these by field position: this pins what it relies on."""
    assert Segment._fields[0] == "elements" and Segment._fields[4] == "delimiters"
    assert Delimiters._fields[1:3] == ("component", "repetition")
    kinds = (fields.TEXT, fields.MONEY, fields.UNITS, fields.AMOUNT, fields.DATE,
             fields.PROCEDURE)
    assert kinds == tuple(range(6))  # enum kind in _values.c
    # enum service_slot, the fields service_payment() makes after SVC's, and Loop's fields
    assert remittance._SERVICE_SLOTS == {"SVC": 0, "DTM": 1, "CAS": 2, "REF": 3, "AMT": 4,
                                         "LQ": 5}
    assert remittance.ServicePayment._fields[len(remittance._SVC):] == (
        "dates", "adjustments", "allowed", "control_number", "remarks", "references", "loop")
    assert Loop._fields[:2] == ("id", "content")
    # enum claim_slot, the fields claim_payment() makes after the names, and Item's fields
    assert remittance._CLAIM_SLOTS == {"CLP": 0, "NM1": 1, "CAS": 2, "DTM": 3, "AMT": 4,
                                       "REF": 5, "MIA": 6, "MOA": 7}
    assert remittance.ClaimPayment._fields[len(remittance._CLP) + len(remittance._NAMES):] == (
        "adjustments", "inpatient", "outpatient", "dates", "amounts", "references",
        "services", "payment", "loop", "findings", "context")
    assert Item._fields[:2] == ("loop", "context") and Item._fields[3] == "findings"


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
        monkeypatch.setattr(remittance, "service_payments", remittance.py_service_payments)
        monkeypatch.setattr(remittance, "claim_payment", remittance.py_claim_payment)
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
    "CLP*X1*1*0.00*1O.00**MC~NM1*QC~NM1*IL*1*A~NM1*IL*1*B~NM1~MOA***MA01~MOA***MA02~"
    "AMT*AU*0.00~AMT*D8~AMT*ZZ*x~"
    "CAS*CO*45*0.00*1*2*~CAS*PR~CAS~"
    "SVC*HC:99213:25:::::^AD:1*12.5*0*0120**N4:1:2*3~DTM*472*20241399~"
    "LQ*HE*N1~LQ*RX*N2~AMT*B6~REF*6R~"
    "SVC*HC*1~CAS*OA*1*1*1*2*2*2*3*3*3*4*4*4*5*5*5*6*6*6~"
    "AMT*B7*1~AMT*B6*5.10~AMT*B6*6~REF*6R*A~REF*6R*B~LQ*HE~DTM*150****RD8*20240101-20240105~"
    "SE*33*0001~GE*1*1~IEA*1*000000001~"
)


@needs_c
def test_both_ways_read_odd_elements_alike(python_only):
    in_c = _models(ODD_835.encode())
    python_only()
    assert _models(ODD_835.encode()) == in_c
    payment = next(m for m in read(ODD_835.encode()) if isinstance(m, remittance.ClaimPayment))
    assert payment.paid is None and str(payment.charge) == "0.00"
    assert [str(a) for _, a in payment.amounts] == ["0", "0", "0"]  # AMT02 or zero
    assert payment.insured.name == "B" and payment.remarks == ("MA01",)  # last NM1, first MOA
    assert payment.patient.entity == "QC" and payment.inpatient == ()
    first, second = payment.services
    assert first.procedure.modifiers == ("25",) and first.units == 1
    assert first.dates[0].dates is None and first.remarks == ("N1",)
    assert len(second.adjustments) == 6 and second.adjustments[5].quantity == 6
    assert first.allowed is None and first.control_number == ""
    assert str(second.allowed) == "5.10" and second.control_number == "A"  # the first ones
    assert second.remarks == ("",) and second.dates[0].dates.end == date(2024, 1, 5)


@needs_c
@pytest.mark.parametrize("path", corpus_files("835"), ids=corpus_id)
def test_both_ways_read_the_same_service_payments(path, python_only):
    """Each claim payment's 2110s read again by the Python specification alone."""
    payments = _claim_payments(path)
    python_only()
    for payment in payments:
        again = remittance.service_payments(payment.loop.loops())
        assert [_strict(s) for s in again] == [_strict(s) for s in payment.services]


def _claim_payments(path) -> list:
    """The claim payments read before any error (the corpus holds unreadable files too)."""
    found: list = []
    try:
        found.extend(m for m in read(path) if isinstance(m, remittance.ClaimPayment))
    except X12ReadError:
        pass
    return found


def test_the_835_corpus_has_service_payments_to_compare():
    assert sum(len(m.services) for path in corpus_files("835")
               for m in _claim_payments(path)) > 100


def _service_loop(*segments) -> Loop:
    return Loop("2110", tuple(Segment(elements) for elements in segments))


@needs_c
@pytest.mark.parametrize("odd", [
    (("SVC", "HC:1", 12), ),                 # an amount that is not a str
    (("SVC", "HC:1"), ("LQ", 5, "N1")),      # an LQ01 that is not a str
    (("SVC", "HC:1"), ("LQ", "HE", None)),   # a remark that is not a str
    (("SVC", "HC:1"), ("AMT", b"B6", "1")),  # an AMT01 that is not a str
    (("SVC", "HC:1"), ("REF", "6R", 7)),     # a REF02 that is not a str
])
def test_the_c_refuses_elements_that_are_not_text(odd):
    with pytest.raises(TypeError):
        remittance.service_payments([_service_loop(*odd)])


@needs_c
@pytest.mark.parametrize("odd", [
    (("CLP", "X1", 1), ),                    # a CLP02 that is not a str
    (("CLP", "X1"), ("NM1", None, "1")),     # an NM101 that is not a str
    (("CLP", "X1"), ("AMT", "AU", 1)),       # an AMT02 that is not a str
    (("CLP", "X1"), ("DTM", "050", 1)),      # a DTM that values.dtm cannot read
])
def test_the_c_refuses_claim_elements_that_are_not_text(odd):
    item = Item(Loop("2100", tuple(Segment(elements) for elements in odd)), (), None)
    with pytest.raises(TypeError):
        remittance.claim_payment(item, None)


@needs_c
def test_the_c_reads_claim_payments_of_items_only():
    loop = Loop("2100", (Segment(("CLP", "X1")),))
    with pytest.raises(TypeError):
        remittance.claim_payment(loop, None)
    with pytest.raises(IndexError):  # as the specification's clp[0]
        remittance.claim_payment(Item(Loop("2100", ()), (), None), None)


@needs_c
def test_the_c_takes_only_2110_loops_of_a_list():
    other = Loop("2100", (Segment(("SVC", "HC:1")),))
    assert remittance.service_payments([other]) == ()
    with pytest.raises(TypeError):
        remittance.service_payments((other,))
    with pytest.raises(TypeError):
        remittance.service_payments([Segment(("SVC", "HC:1"))])
    with pytest.raises(IndexError):  # as the specification's svc[0]
        remittance.service_payments([_service_loop(("DTM", "472", "20240101"))])


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
