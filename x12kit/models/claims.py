"""837 claims (professional X222, institutional X223, dental X224) as models: one ``Claim`` per
2300 loop, with the parties around it.

Loops: header (BHT, 1000A submitter, 1000B receiver); 2000A billing provider (PRV, 2010AA
billing, 2010AB pay-to); 2000B subscriber (SBR, 2010BA subscriber, 2010BB payer); 2000C
patient, only where the patient is not the subscriber (PAT, 2010CA); 2300 claim (CLM, DTP,
REF, HI, 2310x providers, 2320/2330x other payers); 2400 service line (LX, SV1/SV2/SV3, TOO,
DTP, REF, 2410 drug, 2420x providers, 2430 other payers' line adjudication). Providers are
told apart by their NM101 entity code, which the three guides share (82 rendering, DN
referring, 71 attending, 72 operating ...), not by loop ids, which they do not.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple, Optional

from x12kit.models.fields import (
    MONEY, PROCEDURE, REFERENCE, TEXT, UNITS, adjustments, party_of, read_each, read_fields,
    sort_content,
)
from x12kit.models.tree import Item, Loop
from x12kit.schema.registry import transaction_kind
from x12kit.segment import Segment
from x12kit.models.values import (
    MEMO_SIZE, Adjustment, DatedEvent, DateRange, Party, Procedure, Reference, _dtp, codes_only,
    day, dtp, find_ref, money, new_model, number, padded, period, procedure,
)


# HI01-1 qualifiers (ICD-10, then ICD-9) -> what the code is
HEALTH_CODE_KINDS = {
    "ABK": "principal", "BK": "principal", "ABF": "other", "BF": "other",
    "ABJ": "admitting", "BJ": "admitting", "APR": "reason_for_visit", "PR": "reason_for_visit",
    "ABN": "external_cause", "BN": "external_cause",
    "BBR": "principal_procedure", "BR": "principal_procedure", "CAH": "principal_procedure",
    "BBQ": "procedure", "BQ": "procedure",
    "BG": "condition", "BH": "occurrence", "BI": "occurrence_span", "BE": "value",
    "DR": "drg", "TC": "treatment",
}
DIAGNOSIS_KINDS = frozenset(("principal", "other", "admitting", "reason_for_visit",
                             "external_cause"))
PROCEDURE_KINDS = frozenset(("principal_procedure", "procedure"))


@codes_only("qualifier", "code")
class HealthCode(NamedTuple):
    """One HI composite: qualifier (ABK, ABF, BBR, BG, BE ...), code (ICD-10-CM without its
    dot, ICD-10-PCS, condition or value code), date or period, amount, quantity, and the
    present-on-admission indicator (837I)."""

    qualifier: str
    code: str
    dates: Optional[DateRange] = None
    amount: Optional[Decimal] = None
    quantity: Optional[Decimal] = None
    present_on_admission: str = ""

    @property
    def kind(self) -> str:
        return HEALTH_CODE_KINDS.get(self.qualifier, "")


@codes_only("entity", "taxonomy")
class Provider(NamedTuple):
    """A provider in a role: its NM1 (with address and REFs), its taxonomy (PRV03) and tax
    id (REF*EI, or REF*SY)."""

    entity: str                        # NM101: 85 billing, 87 pay-to, 82 rendering ...
    party: Party
    taxonomy: str = ""
    tax_id: Optional[str] = None

    @property
    def npi(self) -> Optional[str]:
        return self.party.npi


@codes_only("payer_responsibility", "relationship", "claim_filing_indicator")
class Subscriber(NamedTuple):
    """2000B: the insured, with the plan (SBR) and birth date and gender (DMG)."""

    payer_responsibility: str          # SBR01: P primary, S secondary, T tertiary ...
    relationship: str                  # SBR02: 18 self (the subscriber is the patient)
    group_number: str                  # SBR03
    group_name: str                    # SBR04
    insurance_type: str                # SBR05
    claim_filing_indicator: str        # SBR09: MB Medicare B, MC Medicaid, CI commercial ...
    party: Optional[Party]             # 2010BA NM1*IL: NM109 the member id
    birth_date: Optional[date]
    gender: str
    payer: Optional[Party]             # 2010BB NM1*PR: NM109 the payer id


@codes_only("relationship")
class Patient(NamedTuple):
    """2000C, where the patient is not the subscriber: relationship (PAT01) and who."""

    relationship: str
    party: Optional[Party]
    birth_date: Optional[date]
    gender: str


@codes_only("number", "charge", "units")
class ServiceLine(NamedTuple):
    """2400: one service line of a claim (SV1 professional, SV2 institutional, SV3 dental)."""

    number: str                        # LX01
    procedure: Optional[Procedure]     # SV101 / SV202 / SV301
    revenue_code: str                  # SV201 (837I)
    charge: Optional[Decimal]          # SV102 / SV203 / SV302
    unit_type: str                     # SV103 / SV204 (UN units, MJ minutes, DA days)
    units: Optional[Decimal]           # SV104 / SV205 / SV306
    place_of_service: str              # SV105 / SV303
    diagnosis_pointers: tuple[int, ...]  # SV107 / SV311, 1-based into Claim.diagnoses
    oral_cavity: tuple[str, ...]       # SV304 (837D)
    teeth: tuple[tuple[str, tuple[str, ...]], ...]  # TOO: (tooth, surfaces) (837D)
    dates: tuple[DatedEvent, ...]      # DTP*472 service date ...
    control_number: Optional[str]      # REF*6R: the line item control number
    ndc: Optional[str]                 # 2410 LIN*N4
    drug_quantity: Optional[Decimal]   # 2410 CTP04
    drug_unit: str                     # 2410 CTP05-1
    providers: tuple[Provider, ...]    # 2420x
    adjudications: tuple["LineAdjudication", ...]  # 2430: other payers' line results
    references: tuple[Reference, ...]
    loop: Loop

    @property
    def service_dates(self) -> Optional[DateRange]:
        return next((d.dates for d in self.dates if d.qualifier == "472"), None)


@codes_only("payer_id", "paid")
class LineAdjudication(NamedTuple):
    """2430: what another payer did with this line (SVD, CAS, DTP*573)."""

    payer_id: str                      # SVD01
    paid: Optional[Decimal]            # SVD02
    procedure: Optional[Procedure]     # SVD03
    units: Optional[Decimal]           # SVD05
    adjustments: tuple[Adjustment, ...]
    adjudicated: Optional[date]        # DTP*573


@codes_only("payer_responsibility", "paid")
class OtherPayer(NamedTuple):
    """2320/2330: another payer of the claim (coordination of benefits)."""

    payer_responsibility: str          # SBR01
    relationship: str                  # SBR02
    claim_filing_indicator: str        # SBR09
    paid: Optional[Decimal]            # AMT*D: the amount it paid
    remaining_liability: Optional[Decimal]  # AMT*EAF
    adjustments: tuple[Adjustment, ...]  # 2320 CAS: its claim-level adjustments
    subscriber: Optional[Party]        # 2330A
    payer: Optional[Party]             # 2330B
    claim_number: Optional[str]        # 2330B REF*F8: its claim control number
    adjudicated: Optional[date]        # 2330B DTP*573


@codes_only("kind", "pcn", "charge", "frequency")
class Claim(NamedTuple):
    """One claim (2300) with everything around it."""

    kind: str                          # 837P, 837I or 837D
    implementation: str                # ST03 (else GS08)
    pcn: str                           # CLM01: the patient control number
    charge: Optional[Decimal]          # CLM02
    facility_code: str                 # CLM05-1: place of service (P, D) or facility type (I)
    facility_qualifier: str            # CLM05-2: B place of service, A facility type
    frequency: str                     # CLM05-3: 1 original, 7 replacement, 8 void
    provider_signature: str            # CLM06
    assignment: str                    # CLM07
    benefits_assigned: str             # CLM08
    release_of_information: str        # CLM09
    dates: tuple[DatedEvent, ...]      # DTP at claim level (431 onset, 434 statement ...)
    prior_authorization: Optional[str]  # REF*G1
    referral_number: Optional[str]     # REF*9F
    payer_claim_number: Optional[str]  # REF*F8: the payer's number of the claim replaced
    medical_record_number: Optional[str]  # REF*EA
    references: tuple[Reference, ...]
    health_codes: tuple[HealthCode, ...]  # every HI composite, in file order
    lines: tuple[ServiceLine, ...]
    providers: tuple[Provider, ...]    # 2310x: rendering, referring, attending ...
    other_payers: tuple[OtherPayer, ...]
    billing_provider: Optional[Provider]
    pay_to_provider: Optional[Provider]
    subscriber: Optional[Subscriber]
    patient: Optional[Patient]         # None where the subscriber is the patient
    submitter: Optional[Party]         # 1000A
    receiver: Optional[Party]          # 1000B
    transaction_reference: str         # BHT03
    transaction_date: Optional[date]   # BHT04
    loop: Loop                         # the 2300 as read: every segment, typed or not
    context: tuple[Loop, ...]          # the loops around it, as read
    findings: tuple = ()               # the walker's findings inside it

    @property
    def diagnoses(self) -> tuple[HealthCode, ...]:
        """The diagnosis codes in order, the principal one first."""
        found = [c for c in self.health_codes if c.kind in DIAGNOSIS_KINDS]
        return tuple(sorted(found, key=lambda c: c.kind != "principal"))

    @property
    def procedures(self) -> tuple[HealthCode, ...]:
        """ICD-10-PCS procedure codes (837I), the principal one first."""
        found = [c for c in self.health_codes if c.kind in PROCEDURE_KINDS]
        return tuple(sorted(found, key=lambda c: c.kind != "principal_procedure"))

    @property
    def payer(self) -> Optional[Party]:
        return self.subscriber.payer if self.subscriber is not None else None

    @property
    def billing_npi(self) -> Optional[str]:
        return self.billing_provider.npi if self.billing_provider is not None else None

    def provider(self, entity: str) -> Optional[Provider]:
        """The claim's provider of that role (82 rendering, DN referring, 71 attending ...)."""
        return next((p for p in self.providers if p.entity == entity), None)

    @property
    def service_dates(self) -> Optional[DateRange]:
        """The claim's service period: DTP*434 (837I statement dates), else the span of its
        lines' service dates."""
        statement = next((d.dates for d in self.dates if d.qualifier == "434"), None)
        if statement is not None:
            return statement
        spans = [s for s in (line.service_dates for line in self.lines) if s is not None]
        starts = [s.start for s in spans if s.start]
        ends = [s.end for s in spans if s.end]
        return DateRange(min(starts), max(ends)) if starts and ends else None


def health_codes(loop: Loop) -> tuple[HealthCode, ...]:
    """The composites of the loop's HI segments."""
    return _health_codes(loop.segments("HI"))


def _health_codes(his: list[Segment]) -> tuple[HealthCode, ...]:
    found = []
    for hi in his:
        for n in range(1, len(hi.elements)):
            parts = hi.components(n)
            if len(parts) < 2 or not parts[1]:
                continue
            parts += [""] * (9 - len(parts))
            found.append(HealthCode(parts[0], parts[1],
                                    period(parts[2], parts[3]) if parts[3] else None,
                                    money(parts[4]), number(parts[5]), parts[8]))
    return tuple(found)


def provider_of(loop: Optional[Loop], taxonomy_from: Optional[Loop] = None) -> Optional[Provider]:
    """The provider a name loop describes; its PRV stands in the loop, or (2000A) above it."""
    party = party_of(loop)
    if party is None:
        return None
    prv = loop.segment("PRV") or (taxonomy_from.segment("PRV") if taxonomy_from else None)
    tax_id = find_ref(party.references, "EI") or find_ref(party.references, "SY")
    return Provider(party.entity, party, prv.element(3) if prv is not None else "", tax_id)


def _dmg(loop: Optional[Loop]) -> tuple[Optional[date], str]:
    dmg = loop.segment("DMG") if loop is not None else None
    return (day(dmg.element(2)), dmg.element(3)) if dmg is not None else (None, "")


def subscriber_of(loop: Optional[Loop]) -> Optional[Subscriber]:
    if loop is None:
        return None
    sbr = loop.segment("SBR")
    e = sbr.element if sbr is not None else (lambda _n: "")
    name = loop.loop("2010BA")
    born, gender = _dmg(name)
    return Subscriber(e(1), e(2), e(3), e(4), e(5), e(9), party_of(name), born, gender,
                      party_of(loop.loop("2010BB")))


def patient_of(loop: Optional[Loop]) -> Optional[Patient]:
    if loop is None:
        return None
    pat = loop.segment("PAT")
    name = loop.loop("2010CA")
    born, gender = _dmg(name)
    return Patient(pat.element(1) if pat is not None else "", party_of(name), born, gender)


def _providers_of(loops: list[Loop]) -> tuple[Provider, ...]:
    found = [provider_of(child) for child in loops]
    return tuple(p for p in found if p is not None)


def _line_adjudication(loop: Loop) -> LineAdjudication:
    svd = loop.segment("SVD")
    e = svd.element
    done = loop.segment("DTP", "573")
    return LineAdjudication(e(1), money(e(2)), procedure(svd, 3), number(e(5)),
                            adjustments(loop.segments("CAS")),
                            day(done.element(3)) if done is not None else None)


# A 2400's segments by id (``fields.sort_content``), and how each kind of line reads its
# procedure, charge and units
_LINE_SLOTS = {"LX": 0, "SV1": 1, "SV2": 2, "SV3": 3, "DTP": 4, "REF": 5, "TOO": 6}
_SV1 = ((1, PROCEDURE), (2, MONEY), (3, TEXT), (4, MONEY), (5, TEXT))
_SV2 = ((2, PROCEDURE), (1, TEXT), (3, MONEY), (4, TEXT), (5, MONEY))
_SV3 = ((1, PROCEDURE), (2, MONEY), (6, UNITS), (3, TEXT))


def service_line(loop: Loop) -> ServiceLine:
    lx, sv1, sv2, sv3, dtps, refs, toos, children = sort_content(
        loop.content, _LINE_SLOTS, 8)
    provider_loops, adjudications, drug = [], [], None
    for child in children:
        if child.id.startswith("2420"):
            provider_loops.append(child)
        elif child.id == "2430":
            adjudications.append(_line_adjudication(child))
        elif child.id == "2410":
            drug = drug or child
    refs = read_each(refs, REFERENCE, Reference)
    ndc, drug_quantity, drug_unit = _drug(drug) if drug is not None else NO_DRUG
    if sv2:  # the first of each kind reads
        (proc, revenue, charge, unit_type, units), pos = read_fields(sv2[0], _SV2), ""
        pointers, cavity = (), ()
    elif sv3:
        seg = sv3[0]
        proc, charge, units, pos = read_fields(seg, _SV3)
        revenue, unit_type = "", "UN"
        pointers, cavity = _pointers(seg, 11), _cavity(seg)
    elif sv1:
        proc, charge, unit_type, units, pos = read_fields(sv1[0], _SV1)
        revenue, pointers, cavity = "", _pointers(sv1[0], 7), ()
    else:  # no service segment: what the LX has where SV1's elements would be
        e = padded(lx[0], 5) if lx else ("",) * 6
        proc, revenue, charge, unit_type, units, pos = (
            None, "", money(e[2]), e[3], number(e[4]), e[5])
        pointers, cavity = (), ()
    return new_model(ServiceLine, (
        lx[0].element(1) if lx else "", proc, revenue, charge, unit_type, units, pos,
        pointers, cavity, tuple([_tooth(t) for t in toos]), tuple([dtp(s) for s in dtps]),
        find_ref(refs, "6R"), ndc, drug_quantity, drug_unit,
        _providers_of(provider_loops), tuple(adjudications), refs, loop))


def py_service_lines(loops: list[Loop]) -> tuple[ServiceLine, ...]:
    """The service line of each 2400 among a claim's child loops."""
    return tuple([service_line(c) for c in loops if c.id == "2400"])


NO_DRUG = (None, None, "")  # a line's ndc, drug_quantity and drug_unit without a 2410


def _drug(loop: Loop) -> tuple[Optional[str], Optional[Decimal], str]:
    """2410: the NDC (LIN03 where LIN02 is N4), its quantity (CTP04) and unit (CTP05-1)."""
    lin, ctp = loop.segment("LIN"), loop.segment("CTP")
    return (lin.element(3) if lin is not None and lin.element(2) == "N4" else None,
            number(ctp.element(4)) if ctp is not None else None,
            ctp.component(5, 1) if ctp is not None else "")


def _cavity(sv3: Segment) -> tuple[str, ...]:
    """SV304: the oral cavity designation codes (837D)."""
    return tuple(c for c in sv3.components(4) if c) if sv3.element(4) else ()


def _tooth(too: Segment) -> tuple[str, tuple[str, ...]]:
    """TOO: the tooth (TOO02) and its surfaces (TOO03 components)."""
    return (too.element(2), tuple(c for c in too.components(3) if c) if too.element(3) else ())


def _pointers(seg: Segment, n: int) -> tuple[int, ...]:
    """The diagnosis pointers of composite element ``n`` (SV107, SV311)."""
    value = seg.element(n)
    if not value:
        return ()
    d = seg.delimiters
    return _pointers_in(value, d.component, d.repetition)


@lru_cache(maxsize=MEMO_SIZE)
def _pointers_in(value: str, component: str, repetition: str) -> tuple[int, ...]:
    """The pointers of a composite's first repetition (as ``Segment.components`` reads it)."""
    if repetition and repetition in value:
        value = value.split(repetition, 1)[0]
    return tuple(int(p) for p in value.split(component) if p.isascii() and p.isdigit())


try:  # the same, in C (x12kit/_claims.h, part of x12kit._values), where built
    from x12kit._values import bind_lines, service_lines
except ImportError:  # pragma: no cover - a build without a C compiler
    service_lines = py_service_lines
else:
    bind_lines(ServiceLine, _LINE_SLOTS, _SV1, _SV2, _SV3, _dtp, _pointers_in, _cavity, _tooth,
               _drug, NO_DRUG, _providers_of, _line_adjudication)


def other_payer(loop: Loop) -> OtherPayer:
    sbr = loop.segment("SBR")
    e = sbr.element if sbr is not None else (lambda _n: "")
    paid, remaining = loop.segment("AMT", "D"), loop.segment("AMT", "EAF")
    payer_loop = loop.loop("2330B")
    payer_refs = payer_loop.segments("REF") if payer_loop is not None else []
    done = payer_loop.segment("DTP", "573") if payer_loop is not None else None
    return OtherPayer(
        e(1), e(2), e(9), money(paid.element(2)) if paid else None,
        money(remaining.element(2)) if remaining else None, adjustments(loop.segments("CAS")),
        party_of(loop.loop("2330A")), party_of(payer_loop),
        next((s.element(2) for s in payer_refs if s.element(1) == "F8"), None),
        day(done.element(3)) if done is not None else None)


_CLAIM_SLOTS = {"CLM": 0, "REF": 1, "DTP": 2, "HI": 3}  # a 2300's segments by id
_CLAIM_REFERENCES = ("G1", "9F", "F8", "EA")  # prior_authorization .. medical_record_number


def py_claim_fields(loop: Loop) -> Optional[tuple]:
    """The fields of Claim a 2300 holds itself (``pcn`` to ``other_payers``); None where it
    has no CLM."""
    clm, refs, dtps, his, children = sort_content(loop.content, _CLAIM_SLOTS, 5)
    if not clm:
        return None
    clm = clm[0]
    e = padded(clm, 9)
    facility = clm.components(5) + ["", ""]  # CLM05-1..3, "" where absent
    refs = read_each(refs, REFERENCE, Reference)
    return (e[1], money(e[2]), facility[0], facility[1], facility[2], e[6], e[7], e[8], e[9],
            tuple([dtp(s) for s in dtps]), *[find_ref(refs, q) for q in _CLAIM_REFERENCES],
            refs, _health_codes(his), service_lines(children),
            _providers_of([c for c in children if c.id.startswith("2310")]),
            tuple([other_payer(c) for c in children if c.id == "2320"]))


try:  # the same, in C (x12kit/_claims.h), where built
    from x12kit._values import bind_claim_fields, claim_fields
except ImportError:  # pragma: no cover - a build without a C compiler
    claim_fields = py_claim_fields
else:
    bind_claim_fields(_CLAIM_SLOTS, _CLAIM_REFERENCES, HealthCode, period, other_payer)


class ClaimBuilder:
    """Typed claims from the 2300 items of 837 sets. The parties around a claim are read
    once per loop and shared by every claim under it."""

    def __init__(self) -> None:
        self._read: dict[str, tuple[Loop, object]] = {}  # context loop id -> (loop, model)
        self._set_of: Optional[Loop] = None  # the set loop whose facts ``_set`` holds
        self._set: tuple = ()

    def _once(self, loop: Optional[Loop], key: str, read):
        if loop is None:
            return None
        cached = self._read.get(key)
        if cached is not None and cached[0] is loop:
            return cached[1]
        value = read(loop)
        self._read[key] = (loop, value)
        return value

    def _set_facts(self, item: Item, set_loop: Optional[Loop]) -> tuple:
        """What every claim of the set shares: kind, implementation, the header loop, BHT03
        and BHT04; read again only when the set's loop as read changes."""
        if set_loop is None or set_loop is not self._set_of:
            st, gs = item.envelope.header, item.envelope.group
            implementation = (st.element(3) if st is not None else "") or (
                gs.element(8) if gs is not None else "")
            header = set_loop.loop("HEADER") if set_loop is not None else None
            bht = header.segment("BHT") if header is not None else None
            self._set_of, self._set = set_loop, (
                transaction_kind("837", implementation), implementation, header,
                bht.element(3) if bht is not None else "",
                day(bht.element(4)) if bht is not None else None)
        return self._set

    def build(self, item: Item) -> list[Claim]:
        own = claim_fields(item.loop)
        if own is None:
            return []
        # the enclosing loop of each id, the outermost where two share one (as Item.around)
        around = {c.id: c for c in reversed(item.context)}
        kind, implementation, header, reference, created = self._set_facts(
            item, around.get("ST_LOOP"))
        billing = around.get("2000A")
        return [new_model(Claim, (kind, implementation) + own + (
            self._once(billing, "2010AA", lambda b: provider_of(b.loop("2010AA"), b)),
            self._once(billing, "2010AB", lambda b: provider_of(b.loop("2010AB"))),
            self._once(around.get("2000B"), "2000B", subscriber_of),
            self._once(around.get("2000C"), "2000C", patient_of),
            self._once(header, "1000A", lambda h: party_of(h.loop("1000A"))),
            self._once(header, "1000B", lambda h: party_of(h.loop("1000B"))),
            reference, created,
            item.loop, item.context, item.findings))]
