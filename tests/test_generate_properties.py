"""Random valid models generate files that validate clean, with x12kit (SNIP 1-5) and pyx12.

The models vary what a billing system or a payer varies (control numbers, charges, payments,
units, how many lines and claims) around real clean claims and payments from the fixtures,
so that code sets (ICD-10-CM, CPT, NPI, ZIP) stay real. The amounts balance by
construction: an 837's CLM02 is the sum of its lines, an 835's adjustments explain every
difference between charge and payment and BPR02 is the sum of the claims' payments.
The same random claims are made 837I and 837D claims too (pyx12 has no 837D map). 270
inquiries are built from their typed fields alone (no file to carry from); pyx12 has no 270
map, so x12kit alone checks them. Examples are few: pyx12 takes a while per file.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings, strategies as st

from x12kit.models import Adjustment, DatedEvent, DateRange, Procedure, Reference, read
from x12kit.models.tree import Loop
from x12kit.segment import Segment

from .conftest import FIXTURES
from .generate_helpers import generated, pyx12_accepts, x12kit_findings

CLAIMS = list(read(FIXTURES / "claims-837p.x12"))
PAYMENTS = list(read(FIXTURES / "remittance-835.x12"))
SETTINGS = settings(max_examples=6, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

cents = st.integers(min_value=100, max_value=2_000_00).map(lambda c: Decimal(c).scaleb(-2))
identifiers = st.text("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=1, max_size=20)


@st.composite
def claims(draw):
    template = draw(st.sampled_from(CLAIMS))
    first = template.lines[0]
    lines = []
    for n in range(draw(st.integers(1, 4))):
        lines.append(first._replace(
            charge=draw(cents), units=Decimal(draw(st.integers(1, 9))),
            references=(Reference("6R", f"L{n + 1}"),), control_number=f"L{n + 1}"))
    return template._replace(pcn=draw(identifiers), lines=tuple(lines),
                             charge=sum((line.charge for line in lines), Decimal(0)))


@st.composite
def services(draw, template):
    charge = draw(cents)
    paid = Decimal(draw(st.integers(1, int(charge * 100)))).scaleb(-2)  # BPR02 > 0
    patient = Decimal(draw(st.integers(0, int((charge - paid) * 100)))).scaleb(-2)
    found = [Adjustment(group, reason, amount) for group, reason, amount in (
        ("CO", "45", charge - paid - patient), ("PR", "3", patient)) if amount]
    return template._replace(charge=charge, paid=paid, adjustments=tuple(found),
                             allowed=paid + patient)


@st.composite
def payments(draw):
    found = []
    for n in range(draw(st.integers(1, 3))):
        template = draw(st.sampled_from(PAYMENTS))
        lines = draw(st.lists(services(template.services[0]), min_size=1, max_size=3))
        total = (lambda f: sum((getattr(s, f) for s in lines), Decimal(0)))
        patient = sum((a.amount for s in lines for a in s.adjustments if a.group == "PR"),
                      Decimal(0))
        found.append(template._replace(pcn=f"{draw(identifiers)}{n}", services=tuple(lines),
                                       charge=total("charge"), paid=total("paid"),
                                       patient_responsibility=patient, adjustments=()))
    header = PAYMENTS[0].payment._replace(
        amount=sum((c.paid for c in found), Decimal(0)))
    return [c._replace(payment=header) for c in found]


@SETTINGS
@given(st.lists(claims(), min_size=1, max_size=3))
def test_random_claims_generate_clean_837p(tmp_path, caplog, models):
    out, problems = generated(models)
    assert problems == []
    assert x12kit_findings(out) == []
    assert pyx12_accepts(out, tmp_path, caplog)


@SETTINGS
@given(payments())
def test_random_payments_generate_clean_835(tmp_path, caplog, models):
    out, problems = generated(models)
    assert problems == []
    assert x12kit_findings(out) == []
    assert pyx12_accepts(out, tmp_path, caplog)


# -- 270 inquiries and 276 status requests from typed fields alone ----------------------------
def _inquiry_templates():
    from .test_generate_inquiries import FILES, _typed_only
    found = []
    for path in FILES:
        if x12kit_findings(path.read_bytes()) == []:
            found += [_typed_only(m) for m in read(path) if m.level == "2000C"]
    return found


INQUIRIES = _inquiry_templates()
SERVICE_TYPES = ("1", "30", "33", "35", "47", "86", "88", "98", "AL", "MH", "UC")
names = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=20)
days = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def inquiries(draw):
    template = draw(st.sampled_from(INQUIRIES))
    member_id = draw(st.text("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=2, max_size=20))
    subscriber = template.subscriber._replace(name=draw(names), first_name=draw(names),
                                              id=member_id)
    asked = tuple(template.inquiries[0]._replace(service_types=tuple(draw(st.lists(
        st.sampled_from(SERVICE_TYPES), min_size=1, max_size=4, unique=True))))
        for _ in range(draw(st.integers(1, 3))))
    when = draw(days)
    return template._replace(
        subscriber=subscriber, inquiries=asked,
        traces=tuple(t._replace(number=draw(identifiers)) for t in template.traces),
        dates=tuple(d._replace(dates=DateRange(when, when)) for d in template.dates))


@SETTINGS
@given(st.lists(inquiries(), min_size=1, max_size=4))
def test_random_inquiries_generate_a_clean_270(models):
    out, problems = generated(models)
    assert problems == []
    assert x12kit_findings(out) == []


# -- 837I and 837D: the same random claims, as a hospital's and a dentist's ----------------
NO_LOOP = Loop("", ())
INSTITUTIONAL_LINE = {"procedure": Procedure("HC", "99213"), "revenue_code": "0510"}
DENTAL_LINE = {"procedure": Procedure("AD", "D0120"), "revenue_code": ""}


def _as_kind(claim, kind: str, implementation: str, line_fields: dict, taxonomy: str,
             **claim_fields):
    lines = tuple(line._replace(unit_type="UN", place_of_service="", diagnosis_pointers=(),
                                loop=NO_LOOP, **line_fields) for line in claim.lines)
    return claim._replace(kind=kind, implementation=implementation, lines=lines,
                          billing_provider=claim.billing_provider._replace(taxonomy=taxonomy),
                          **claim_fields)


def institutional(claim):
    """An 837I claim: revenue codes on SV2, a facility type, statement dates (DTP*434) and
    the institutional claim code (CL1), which no model field types: it rides in the loop."""
    day = claim.lines[0].service_dates.start
    own = tuple(c for c in claim.loop.content if c.__class__ is Segment)
    return _as_kind(claim, "837I", "005010X223A2", INSTITUTIONAL_LINE, "282N00000X",
                    facility_code="13", facility_qualifier="A", provider_signature="",
                    providers=(), dates=(DatedEvent("434", DateRange(day, day)),),
                    loop=Loop("2300", own + (Segment(("CL1", "1", "1", "01")),)))


def dental(claim):
    return _as_kind(claim, "837D", "005010X224A2", DENTAL_LINE, "1223G0001X")


@SETTINGS
@given(st.lists(claims(), min_size=1, max_size=3))
def test_random_claims_generate_clean_837i(tmp_path, caplog, models):
    out, problems = generated([institutional(c) for c in models])
    assert problems == []
    assert x12kit_findings(out) == []
    assert pyx12_accepts(out, tmp_path, caplog)


@SETTINGS
@given(st.lists(claims(), min_size=1, max_size=3))
def test_random_claims_generate_clean_837d(models):
    out, problems = generated([dental(c) for c in models])
    assert problems == []
    assert x12kit_findings(out) == []
