"""The builders' reading of segments in C (x12kit/_values.c) against its pure-Python
specification (x12kit/models/fields.py): every corpus file, and files generated with the
odd elements the plans must read alike (absent, empty, malformed, zero written as 0.00,
composites with repetitions), give the same models both ways, value for value and type for
type (``Decimal("0.00") == Decimal(0)``, so equality alone would not tell). CI sets
X12KIT_REQUIRE_C=1, so that a build that silently skipped the extension fails.
"""
from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import example, given, settings, strategies as st

from x12kit import X12ReadError
from x12kit.models import claims, fields, read, remittance
from x12kit.models.tree import Item, Loop
from x12kit.segment import Delimiters, Segment

from .conftest import corpus_files, corpus_id

built = fields.read_fields is not fields.py_read_fields
built_services = remittance.service_payments is not remittance.py_service_payments
built_claims = remittance.claim_payment is not remittance.py_claim_payment
built_lines = claims.service_lines is not claims.py_service_lines
built_claim_fields = claims.claim_fields is not claims.py_claim_fields
built_parties = fields.party_of is not fields.py_party_of
needs_c = pytest.mark.skipif(not built, reason="x12kit._values was not built here")
BUILDER_MODULES = (remittance, claims)  # each imported the helpers by name
HELPERS = ("sort_content", "read_fields", "read_each", "adjustments", "party_of")
FILES = [f for kind in ("835", "837P", "837I", "837D", "mixed") for f in corpus_files(kind)]


def test_the_extension_is_there_where_required():
    if os.environ.get("X12KIT_REQUIRE_C") == "1":
        assert built, "x12kit._values is missing: the C compiler or the build failed"
        assert built_services, "x12kit._values has no service_payments: a stale build?"
        assert built_claims, "x12kit._values has no claim_payment: a stale build?"
        assert built_lines, "x12kit._values has no service_lines: a stale build?"
        assert built_claim_fields, "x12kit._values has no claim_fields: a stale build?"
        assert built_parties, "x12kit._values has no party_of: a stale build?"


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
    # x12kit/_claims.h: enum line_slot, enum line_field, and the service plans it places
    assert claims._LINE_SLOTS == {"LX": 0, "SV1": 1, "SV2": 2, "SV3": 3, "DTP": 4, "REF": 5,
                                  "TOO": 6}
    assert claims.ServiceLine._fields == (
        "number", "procedure", "revenue_code", "charge", "unit_type", "units",
        "place_of_service", "diagnosis_pointers", "oral_cavity", "teeth", "dates",
        "control_number", "ndc", "drug_quantity", "drug_unit", "providers", "adjudications",
        "references", "loop")
    assert (len(claims._SV1), len(claims._SV2), len(claims._SV3)) == (5, 5, 4)
    # x12kit/_claims.h: enum slot_2300, and the Claim fields claim_fields() makes
    assert claims._CLAIM_SLOTS == {"CLM": 0, "REF": 1, "DTP": 2, "HI": 3}
    own = 2 + 3 + 4 + 1 + len(claims._CLAIM_REFERENCES) + 5
    assert claims.Claim._fields[2:2 + own] == (
        "pcn", "charge", "facility_code", "facility_qualifier", "frequency",
        "provider_signature", "assignment", "benefits_assigned", "release_of_information",
        "dates", "prior_authorization", "referral_number", "payer_claim_number",
        "medical_record_number", "references", "health_codes", "lines", "providers",
        "other_payers")


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
        monkeypatch.setattr(claims, "service_lines", claims.py_service_lines)
        monkeypatch.setattr(claims, "claim_fields", claims.py_claim_fields)
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


@needs_c
@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789.-+eE sN", max_size=12))
@example("-.5")
@example("1.")
@example(".")
@example("--1")
@example("1.2.3")
@example("0.00")
@example("-0")
def test_amounts_and_dates_read_as_python_reads_them(text):
    """_values.c reads plain decimal numbers itself and remembers amounts and dates by their
    characters (x12kit/_text_memo.h); values.money and values.day stay the specification,
    read twice so that the second reading comes from the memo."""
    seg = Segment(("AMT", text, text, text, text), delimiters=Delimiters())
    plan = ((1, fields.MONEY), (2, fields.AMOUNT), (3, fields.UNITS), (4, fields.DATE))
    for _ in range(2):
        assert _strict(fields.read_fields(seg, plan)) == _strict(fields.py_read_fields(seg, plan))


@needs_c
def test_many_amounts_and_dates_of_one_length_read_each_as_itself():
    """More texts of one length than the memo has slots, each read twice: slots are shared
    and replaced, and a text must never get another's value."""
    amounts = [f"{n / 100:.2f}".rjust(7, "0") for n in range(0, 1_000_000, 97)]
    days = [(date(2020, 1, 1) + timedelta(days=n)).strftime("%Y%m%d") for n in range(6000)]
    segments = [Segment(("AMT", a, d), delimiters=Delimiters()) for a, d in zip(amounts, days)]
    plan = ((1, fields.MONEY), (2, fields.DATE))
    for _ in range(2):
        got = fields.read_each(segments, plan, None)
        assert got == tuple((Decimal(a), datetime.strptime(d, "%Y%m%d").date())
                            for a, d in zip(amounts, days))


@needs_c
def test_many_dates_of_service_read_each_as_itself(python_only):
    """DTM and DTP segments are read by values._dtm and values._dtp and remembered by their
    elements in C: more of them than the memo has slots, some alike but for one element,
    some of more elements than it keeps, or not ASCII, each read as the specification reads
    it."""
    def dtm(n: int) -> tuple:
        day = (date(2020, 1, 1) + timedelta(days=n % 1500)).strftime("%Y%m%d")
        if n % 7 == 0:
            return ("DTM", "150", "", "", "", "RD8", f"{day}-{day}")
        return ("DTM", ("472", "150", "151")[n % 3], day if n % 11 else "2024\u00e9101")
    loops = [_service_loop(("SVC", "HC:1", "1", "1"), dtm(n), dtm(n + 1)) for n in range(3000)]
    in_c = [_strict(s) for s in remittance.service_payments(loops)]
    assert in_c == [_strict(s) for s in remittance.service_payments(loops)]   # from the memo
    python_only()
    assert [_strict(s) for s in remittance.service_payments(loops)] == in_c


CLAIM_FILES = [f for kind in ("837P", "837I", "837D", "mixed") for f in corpus_files(kind)]


def _claims(path) -> list:
    """The claims read before any error (the corpus holds unreadable files too)."""
    found: list = []
    try:
        found.extend(m for m in read(path) if isinstance(m, claims.Claim))
    except X12ReadError:
        pass
    return found


@needs_c
@pytest.mark.parametrize("path", CLAIM_FILES, ids=corpus_id)
def test_both_ways_read_the_same_service_lines(path, python_only):
    """Each claim's 2400s read again by the Python specification alone."""
    found = _claims(path)
    python_only()
    for claim in found:
        again = claims.service_lines(claim.loop.loops())
        assert [_strict(s) for s in again] == [_strict(s) for s in claim.lines]


def test_the_837_corpus_has_service_lines_of_each_kind_to_compare():
    """(Its 837D files are 4010, which the models do not read: ODD_837D stands in for SV3.)"""
    lines = [line for path in CLAIM_FILES for claim in _claims(path) for line in claim.lines]
    assert len(lines) > 100
    assert any(line.revenue_code for line in lines)           # SV2 (837I)
    assert any(line.ndc for line in lines)                    # 2410 LIN
    assert any(line.adjudications for line in lines)          # 2430


ODD_837 = (
    "ISA*00*          *00*          *ZZ*A              *ZZ*B              *241120*0930*^*00501"
    "*000000001*0*P*:~GS*HC*A*B*20241120*0930*1*X*005010X222A1~ST*837*0001*005010X222A1~"
    "BHT*0019*00*1*20241120*0930*CH~NM1*41*2*S*****46*1~PER*IC*S*TE*1~NM1*40*2*R*****46*2~"
    "HL*1**20*1~NM1*85*2*B*****XX*1~N3*A~N4*C*S*1~REF*EI*1~"
    "HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*L*F****MI*1~NM1*PR*2*P*****PI*1~"
    "CLM*P1*3O***11:B^21:A:7*Y*A*Y~REF*G1*PA~REF*G1*PB~DTP*431*D8*20241001~HI*ABK:R51~"
    "LX*1~SV1*HC:99213:25^HC:1*1O.00*UN*0.00*11**1:x:2^3~DTP*472*D8*20241399~"
    "REF*6R~REF*6R*A~LIN**N4*0001~CTP****2*UN:x~"
    "LX*2~SV1*HC:1*0*MJ**~SV1*HC:2*5~"
    "LX~"
    "SE*26*0001~GE*1*1~IEA*1*000000001~"
)


@needs_c
def test_both_ways_read_odd_service_lines_alike(python_only):
    in_c = _models(ODD_837.encode())
    python_only()
    assert _models(ODD_837.encode()) == in_c
    claim = next(m for m in read(ODD_837.encode()) if isinstance(m, claims.Claim))
    assert claim.charge is None and claim.release_of_information == ""  # CLM09 absent
    assert (claim.facility_code, claim.facility_qualifier, claim.frequency) == ("11", "B", "")
    assert claim.prior_authorization == "PA" and claim.dates[0].qualifier == "431"
    first, second, third = claim.lines
    assert first.charge is None and str(first.units) == "0.00"  # "1O.00" is no amount
    assert first.diagnosis_pointers == (1, 2) and first.procedure.modifiers == ("25",)
    assert first.dates[0].dates is None and first.control_number == ""  # the first REF*6R
    assert (first.ndc, str(first.drug_quantity), first.drug_unit) == ("0001", "2", "UN")
    assert second.procedure.code == "1" and second.diagnosis_pointers == ()  # the first SV1
    assert (second.unit_type, second.units, second.place_of_service) == ("MJ", None, "")
    assert (third.number, third.procedure, third.charge, third.ndc) == ("", None, None, None)


ODD_HI = (  # HI composites the readers must read alike: repeated, empty, dated, counted
    ("HI", "ABK:E119^ABF:X", "ABF:", "ABF", "", "BH:11:D8:20240101", "BH:12:RD8:20240101-20240105"),
    ("HI", "BE:80:::12.5", "BE:81:::abc:2", "BR:3E0234Z:D8:20240101:::::Y", "BG:1:::::::N:X"),
    ("HI", "BH:13:D8:2024013X"),
)


@needs_c
@pytest.mark.parametrize("repetition", ["^", ""])
def test_both_ways_read_odd_health_codes_alike(repetition):
    delimiters = Delimiters()._replace(repetition=repetition)
    loop = Loop("2300", (Segment(("CLM", "P1", "1"), delimiters=delimiters),) + tuple(
        Segment(elements, delimiters=delimiters) for elements in ODD_HI))
    in_c, in_python = claims.claim_fields(loop), claims.py_claim_fields(loop)
    assert in_c == in_python
    found = in_c[-4]  # health codes: after the references (pinned above)
    assert [(type(a), type(b)) for a, b in zip(found, in_python[-4])] == [
        (claims.HealthCode, claims.HealthCode)] * len(found)
    for c_code, py_code in zip(found, in_python[-4]):
        assert [type(v) for v in c_code] == [type(v) for v in py_code]
    codes = [(h.qualifier, h.code) for h in found]
    first = ("ABK", "E119") if repetition else ("ABK", "E119^ABF")
    assert codes[0] == first and ("ABF", "") not in codes and len(found) == 8
    assert found[2].dates.start.day == 1 and found[2].dates.end.day == 5  # RD8
    assert str(found[3].amount) == "12.5" and found[4].amount is None  # "abc"
    assert found[4].quantity == 2 and found[5].present_on_admission == "Y"
    assert found[7].dates is None  # a date that is not one


ODD_PARTIES = [  # NM1 loops the readers must read alike
    (("NM1", "IL", "1", "L", "F", "M", "DR", "JR", "MI", "1"), ("N3", "A", "B"),
     ("N4", "C", "", "9", "", "", "", "", "ON"), ("REF", "SY", "9"), ("REF", "Y4")),
    (("N3", "A"), ("NM1", "85"), ("NM1", "82", "2"), ("N4",), ("REF",)),  # the first NM1
    (("NM1", "QC", "1", "L"), ("N4", "C", "S", "1", "US")),             # no N3
    (("N3", "A"), ("REF", "EI", "1")),                                   # no NM1: None
    (),
]


@needs_c
@pytest.mark.parametrize("odd", ODD_PARTIES)
def test_both_ways_read_odd_parties_alike(odd):
    loop = Loop("2010BA", tuple(Segment(e) for e in odd) + (Loop("2010X", ()),))
    found = fields.party_of(loop)
    assert _strict(found) == _strict(fields.py_party_of(loop))
    assert fields.party_of(None) is None
    if odd is ODD_PARTIES[0]:
        assert (found.name, found.first_name, found.middle_name, found.suffix, found.id) == (
            "L", "F", "M", "JR", "1")  # NM106 (a prefix) is not kept
        assert (found.address.line2, found.address.state, found.address.postal_code) == (
            "B", "ON", "9")  # no N4-02: the country subdivision, N4-08
        assert [tuple(r) for r in found.references] == [("SY", "9"), ("Y4", "")]
    elif odd is ODD_PARTIES[1]:
        assert found.entity == "85" and found.address.city == ""


@needs_c
@pytest.mark.parametrize("odd", [Loop("2010BA", None), "2010BA",
                                 Loop("2010BA", (Segment(("NM1", 7)),))])
def test_the_c_refuses_party_loops_that_are_not_loops_of_text(odd):
    with pytest.raises(TypeError):
        fields.party_of(odd)


def _line_loop(*segments) -> Loop:
    return Loop("2400", tuple(Segment(elements) for elements in segments))


@needs_c
@pytest.mark.parametrize("odd", [
    (("LX", 1), ),                           # an LX01 that is not a str
    (("LX", "1"), ("SV1", "HC:1", 12)),      # an SV102 that is not a str
    (("LX", "1"), ("SV1", "HC:1", "1", "UN", "1", "", "", None)),  # SV107 not a str
    (("LX", "1"), ("SV3", "AD:1", 5)),       # an SV302 that is not a str
    (("LX", "1"), ("SV2", b"0120")),         # an SV201 that is not a str
    (("LX", "1"), ("REF", "6R", 7)),         # a REF02 that is not a str
    (("LX", 1, "5.00"), ),                   # no service segment, and an LX01 not a str
])
def test_the_c_refuses_line_elements_that_are_not_text(odd):
    with pytest.raises(TypeError):
        claims.service_lines([_line_loop(*odd)])


@needs_c
def test_the_c_takes_only_2400_loops_of_a_list():
    other = Loop("2300", (Segment(("SV1", "HC:1")),))
    assert claims.service_lines([other]) == ()
    with pytest.raises(TypeError):
        claims.service_lines((other,))
    with pytest.raises(TypeError):
        claims.service_lines([Segment(("LX", "1"))])
    with pytest.raises(TypeError):  # a child of a 2400 that is not a loop
        claims.service_lines([Loop("2400", (Segment(("LX", "1")), ("2410",)))])


ODD_837D = (
    "ISA*00*          *00*          *ZZ*A              *ZZ*B              *241120*0930*^*00501"
    "*000000001*0*P*:~GS*HC*A*B*20241120*0930*1*X*005010X224A2~ST*837*0001*005010X224A2~"
    "BHT*0019*00*1*20241120*0930*CH~NM1*41*2*S*****46*1~PER*IC*S*TE*1~NM1*40*2*R*****46*2~"
    "HL*1**20*1~NM1*85*2*B*****XX*1~N3*A~N4*C*S*1~REF*EI*1~"
    "HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*L*F****MI*1~NM1*PR*2*P*****PI*1~"
    "CLM*D1*30***11:B:1*Y*A*Y*Y~"
    "LX*1~SV3*AD:D2150*1O.00**L:R::^U*******1:x:3^2~TOO*JP*3*M:O::^D~DTP*472*D8*20241101~"
    "LX*2~SV3*AD:D1110*5*11***2~TOO*JP*4~REF*6R*7~"
    "SE*18*0001~GE*1*1~IEA*1*000000001~"
)


@needs_c
def test_both_ways_read_odd_dental_lines_alike(python_only):
    in_c = _models(ODD_837D.encode())
    python_only()
    assert _models(ODD_837D.encode()) == in_c
    first, second = next(m for m in read(ODD_837D.encode())
                         if isinstance(m, claims.Claim)).lines
    assert first.oral_cavity == ("L", "R") and first.teeth == (("3", ("M", "O")),)
    assert first.diagnosis_pointers == (1, 3) and first.charge is None
    assert (first.unit_type, first.units, first.place_of_service) == ("UN", 1, "")
    assert (second.place_of_service, second.units, second.oral_cavity) == ("11", 2, ())
    assert second.teeth == (("4", ()),) and second.control_number == "7"


@needs_c
@pytest.mark.parametrize("odd", [
    (("CLM", 1), ),                          # a CLM01 that is not a str
    (("CLM", "P1", "1", "", "", 11), ),      # a CLM05 that is not a str
    (("CLM", "P1", "1", "", "", "", "Y", None), ),  # a CLM07 that is not a str
    (("CLM", "P1"), ("REF", "G1", 7)),       # a REF02 that is not a str
    (("CLM", "P1"), ("DTP", "431", "D8", 1)),  # a DTP that values.dtp cannot read
])
def test_the_c_refuses_2300_elements_that_are_not_text(odd):
    loop = Loop("2300", tuple(Segment(elements, delimiters=Delimiters()) for elements in odd))
    with pytest.raises(TypeError):
        claims.claim_fields(loop)


@needs_c
@pytest.mark.parametrize("separator", ["component", "repetition"])
def test_the_c_refuses_separators_that_are_not_text(separator):
    odd = Delimiters()._replace(**{separator: None})
    with pytest.raises(TypeError):  # CLM05, a composite
        claims.claim_fields(Loop("2300", (Segment(("CLM", "P1", "1", "", "", "11:B:1"),
                                                  delimiters=odd),)))
    with pytest.raises(TypeError):  # SV107, the diagnosis pointers
        claims.service_lines([_line_loop()._replace(content=(
            Segment(("SV1", "", "", "", "", "", "", "1:2"), delimiters=odd),))])


@needs_c
def test_the_c_reads_claim_fields_of_2300_loops_only():
    assert claims.claim_fields(Loop("2300", (Segment(("REF", "G1", "A")),))) is None  # no CLM
    with pytest.raises(TypeError):
        claims.claim_fields(Segment(("CLM", "P1")))
    with pytest.raises(TypeError):  # a child of a 2300 that is not a loop
        claims.claim_fields(Loop("2300", (Segment(("CLM", "P1")), ("2400",))))
