"""Deterministic generator of large, realistic HIPAA 5010 files for benchmarks.

Two kinds:

* ``837p``: 005010X222A1 professional claims (CMS-1500). One interchange, one group, ST sets of
  at most ``claims_per_st`` claims; in each set several billing providers (2000A, NPI with a
  valid check digit), each with subscribers (2000B/2010BA/2010BB), sometimes a patient (2000C),
  and 1-3 claims per subscriber (2300 CLM/HI, 1-6 service lines 2400 LX/SV1/DTP*472/REF*6R).
  CLM02 is the sum of the lines' SV102.
* ``835``: 005010X221A1 remittance for the same claims (same seed gives the same PCNs, charges,
  procedure codes and dates): one ST per billing provider (payer -> payee), BPR/TRN/DTM*405,
  N1*PR, N1*PE, LX, then CLP/CAS/NM1/DTM and SVC/DTM*472/CAS/REF*6R/AMT*B6/LQ per line, and
  sometimes PLB. Balanced as SNIP 3 wants: per line SVC02 - SVC03 = sum of the line's CAS, per
  claim CLP03 - CLP04 = claim CAS + line CAS, per set BPR02 = sum CLP04 - sum PLB. Includes
  denials (CLP02 4), claim-level adjustments and reversal + corrected-payment pairs (CLP02 22).

Everything comes from ``random.Random(seed)`` and fixed dates, never the wall clock, so the same
arguments give the same bytes. Output comes in chunks of about ``chunk_bytes``; memory is bounded
by one ST set: its claims are drawn as objects before they are written, and the 835 also holds
the set's bytes, because BPR02 comes before the claims it totals. With ``repeat`` (what
``--target-bytes`` uses) one interchange's ST sets are held once and written again under new
ISA13/GS06 control numbers, so PCNs repeat across interchanges.

    python bench/generate.py 837p --claims 50000 -o /tmp/x.837
    python bench/generate.py 835 --claims 50000 -o /tmp/x.835
    python bench/generate.py 837p --claims 20000 --target-bytes 1000000000 -o /tmp/big.837
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
from dataclasses import dataclass
from typing import Callable, Iterator

DEFAULT_SEED = 5010
CLAIMS_PER_ST = 5000
CHUNK_BYTES = 1 << 16

SUBMIT_DATE = dt.date(2024, 11, 5)   # BHT04 / GS04 of the 837
REMIT_DATE = dt.date(2024, 11, 20)   # DTM*405 / BPR16 of the 835
FIRST_DOS = dt.date(2024, 1, 2)      # dates of service fall in FIRST_DOS + 0..299 days

# ICD-10-CM codes billable for 2024 dates of service, stored without the dot.
DIAGNOSES = (
    "E119", "E1165", "E785", "E039", "I10", "I2510", "J069", "J0190", "J209", "J029",
    "M5450", "M25561", "M179", "N390", "R519", "R1084", "R0789", "F419", "F329", "G4733",
    "K219", "L309", "Z0000", "Z0001", "Z23", "Z1231", "Z79899", "Z7984",
)
# CPT/HCPCS code -> (typical charge in dollars, max units)
PROCEDURES = {
    "99213": (125, 1), "99214": (185, 1), "99203": (160, 1), "99204": (250, 1),
    "99395": (220, 1), "99396": (240, 1), "G0439": (190, 1), "36415": (15, 1),
    "85025": (35, 1), "80053": (55, 1), "80061": (60, 1), "83036": (45, 1),
    "93000": (60, 1), "71046": (90, 1), "97110": (75, 4), "97140": (70, 3),
    "90471": (30, 2), "90686": (40, 1), "20610": (210, 1), "J1030": (25, 4),
    "81002": (12, 1), "87880": (28, 1), "96372": (40, 2), "11721": (95, 1),
}
EM_CODES = ("99213", "99214", "99203", "99204")
PROCEDURE_CODES = tuple(PROCEDURES)
OTHER_CODES = tuple(code for code in PROCEDURES if code not in EM_CODES)
TAXONOMIES = ("207Q00000X", "207R00000X", "208D00000X", "261QP2300X", "225100000X", "213E00000X")
PLACES = ("11",) * 14 + ("22", "02", "19", "81")
LAST_NAMES = (
    "SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS", "RODRIGUEZ",
    "MARTINEZ", "HERNANDEZ", "LOPEZ", "GONZALEZ", "WILSON", "ANDERSON", "THOMAS", "TAYLOR",
    "MOORE", "JACKSON", "MARTIN", "LEE", "PEREZ", "THOMPSON", "WHITE", "HARRIS", "SANCHEZ",
    "CLARK", "RAMIREZ", "LEWIS", "ROBINSON", "WALKER", "YOUNG", "ALLEN", "KING", "WRIGHT",
    "SCOTT", "TORRES", "NGUYEN", "HILL", "FLORES", "GREEN", "ADAMS", "NELSON", "BAKER",
)
FIRST_NAMES = (
    "JAMES", "MARY", "ROBERT", "PATRICIA", "JOHN", "JENNIFER", "MICHAEL", "LINDA", "DAVID",
    "ELIZABETH", "WILLIAM", "BARBARA", "RICHARD", "SUSAN", "JOSEPH", "JESSICA", "THOMAS",
    "SARAH", "CHARLES", "KAREN", "MARIA", "DANIEL", "NANCY", "MATTHEW", "LISA", "ANTHONY",
    "BETTY", "MARK", "MARGARET", "SANDRA", "ASHLEY", "KEVIN", "EMILY", "BRIAN", "DONNA",
)
STREETS = ("MAIN ST", "OAK AVE", "MAPLE DR", "CEDAR LN", "PARK BLVD", "ELM ST", "LAKE RD",
           "HILL ST", "WASHINGTON AVE", "SUNSET BLVD", "RIVER RD", "PINE ST")
CITIES = (("COLUMBUS", "OH", "43215"), ("AUSTIN", "TX", "78701"), ("DENVER", "CO", "80202"),
          ("RALEIGH", "NC", "27601"), ("MADISON", "WI", "53703"), ("TAMPA", "FL", "33602"),
          ("PHOENIX", "AZ", "85004"), ("BOISE", "ID", "83702"), ("DAYTON", "OH", "45402"),
          ("RENO", "NV", "89501"), ("ALBANY", "NY", "12207"), ("SALEM", "OR", "97301"))
CLINIC_WORDS = ("FAMILY", "MEDICAL", "PRIMARY", "CARE", "HEALTH", "VALLEY", "RIVERSIDE",
                "SUMMIT", "COMMUNITY", "PHYSICIANS", "INTERNAL", "MEDICINE", "ASSOCIATES")
PAYERS = (("BLUE RIVER HEALTH PLAN", "54771", "CI", "12"),
          ("GREAT LAKES MUTUAL", "60054", "CI", "12"),
          ("SUMMIT HMO", "87726", "HM", "HM"),
          ("STATE MEDICAID PROGRAM", "SKCO0", "MC", "MC"))
DENIALS = (("16", "MA130"), ("29", "N30"), ("50", "N115"), ("97", "M15"), ("B7", "N290"))


def npi_check_digit(base9: str) -> str:
    """Luhn check digit of a 9-digit NPI base, with the 80840 card-issuer prefix (constant 24)."""
    total = 24
    for i, ch in enumerate(reversed(base9)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def make_npi(rng: random.Random) -> str:
    base = str(rng.choice("12")) + "".join(rng.choice("0123456789") for _ in range(8))
    return base + npi_check_digit(base)


def money(cents: int) -> str:
    """X12 decimal (R) text of an amount in cents: 125, 12.5, 12.34, -3."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    if frac == 0:
        return f"{sign}{whole}"
    if frac % 10 == 0:
        return f"{sign}{whole}.{frac // 10}"
    return f"{sign}{whole}.{frac:02d}"


# ---------------------------------------------------------------------------------------------
# The claim model both kinds render
# ---------------------------------------------------------------------------------------------

@dataclass(slots=True)
class Party:
    last: str
    first: str            # "" for an organization
    ident: str            # NPI for providers, member id for subscribers
    street: str
    city: str
    state: str
    zip9: str
    dob: str = ""
    gender: str = ""


@dataclass(slots=True)
class Provider:
    org: Party
    tin: str
    taxonomy: str
    fee_factor: float
    renderers: tuple[Party, ...]   # individual rendering providers (2310B) of a group practice


@dataclass(slots=True)
class Line:
    code: str
    modifier: str
    charge: int            # cents, all units
    units: int
    dos: str
    pointers: str          # SV107 composite, e.g. "1:2"
    control: str           # REF*6R


@dataclass(slots=True)
class Claim:
    pcn: str
    subscriber: Party
    patient: Party | None  # None when the patient is the subscriber
    relationship: str      # PAT01 when patient is set
    place: str
    frequency: str         # CLM05-3: 1 original, 7 replacement
    diagnoses: tuple[str, ...]
    lines: list[Line]
    renderer: Party | None
    original_icn: str = ""


@dataclass(slots=True)
class ProviderBlock:
    provider: Provider
    subscribers: list[tuple[Party, Party | None, str, list[Claim]]]

    def claim_count(self) -> int:
        return sum(len(claims) for _, _, _, claims in self.subscribers)


class _Model:
    """Draws providers, subscribers and claims from one RNG; the 837 and 835 share it."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.seed = seed
        self.payer = self.rng.choice(PAYERS)
        self.pcn_serial = 0
        self.member_serial = self.rng.randrange(10_000_000, 90_000_000)

    def address(self) -> tuple[str, str, str, str]:
        rng = self.rng
        city, state, zip5 = rng.choice(CITIES)
        return (f"{rng.randrange(10, 9999)} {rng.choice(STREETS)}", city, state,
                f"{zip5}{rng.randrange(1000, 9999)}")

    def person(self, ident: str, adult: bool = True) -> Party:
        rng = self.rng
        year = rng.randrange(1940, 2004) if adult else rng.randrange(2006, 2023)
        return Party(rng.choice(LAST_NAMES), rng.choice(FIRST_NAMES), ident, *self.address(),
                     dob=f"{year}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}",
                     gender=rng.choice("FM"))

    def provider(self) -> Provider:
        rng = self.rng
        words = rng.sample(CLINIC_WORDS, 3)
        org = Party(" ".join(words) + rng.choice((" LLC", " PC", " GROUP", "")), "",
                    make_npi(rng), *self.address())
        renderers = tuple(Party(rng.choice(LAST_NAMES), rng.choice(FIRST_NAMES), make_npi(rng),
                                "", "", "", "") for _ in range(rng.randrange(1, 6)))
        return Provider(org, f"{rng.randrange(10, 99)}{rng.randrange(1000000, 9999999)}",
                        rng.choice(TAXONOMIES), rng.uniform(0.9, 1.6), renderers)

    def claim(self, provider: Provider, subscriber: Party, patient: Party | None,
              relationship: str) -> Claim:
        rng = self.rng
        self.pcn_serial += 1
        pcn = f"{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{self.seed % 1000:03d}{self.pcn_serial:09d}"
        dx = tuple(rng.sample(DIAGNOSES, rng.choice((1, 1, 2, 2, 3, 4))))
        dos = (FIRST_DOS + dt.timedelta(days=rng.randrange(300))).strftime("%Y%m%d")
        lines = []
        n_lines = rng.choice((1, 1, 2, 2, 2, 3, 3, 4, 5, 6))
        codes = [rng.choice(EM_CODES)] + rng.sample(OTHER_CODES, n_lines - 1)
        for i, code in enumerate(codes, 1):
            fee, max_units = PROCEDURES[code]
            units = rng.randrange(1, max_units + 1)
            charge = round(fee * provider.fee_factor) * 100 * units
            modifier = "25" if i == 1 and n_lines > 1 and rng.random() < 0.4 else ""
            pointed = rng.sample(range(1, len(dx) + 1), rng.randrange(1, min(4, len(dx)) + 1))
            pointers = ":".join(str(p) for p in sorted(pointed))
            lines.append(Line(code, modifier, charge, units, dos, pointers, f"{self.pcn_serial}L{i}"))
        frequency = "7" if rng.random() < 0.02 else "1"
        return Claim(pcn, subscriber, patient, relationship, rng.choice(PLACES), frequency, dx,
                     lines, rng.choice(provider.renderers) if rng.random() < 0.7 else None,
                     f"{rng.randrange(10**13, 10**14)}" if frequency == "7" else "")

    def block(self, max_claims: int) -> ProviderBlock:
        """One billing provider with up to ``max_claims`` claims over its subscribers."""
        rng = self.rng
        provider = self.provider()
        want = min(max_claims, rng.randrange(20, 2000))
        subscribers, count = [], 0
        while count < want:
            self.member_serial += rng.randrange(1, 50)
            subscriber = self.person(f"{rng.choice('WXYZ')}{self.member_serial}{rng.randrange(10, 99)}")
            patient, relationship = None, ""
            if rng.random() < 0.15:
                relationship = rng.choice(("19", "19", "01"))
                patient = self.person("", adult=relationship == "01")
            n = min(want - count, rng.choice((1, 1, 1, 2, 2, 3)))
            subscribers.append((subscriber, patient, relationship,
                                [self.claim(provider, subscriber, patient, relationship)
                                 for _ in range(n)]))
            count += n
        return ProviderBlock(provider, subscribers)

    def sets(self, claims: int, claims_per_st: int) -> Iterator[list[ProviderBlock]]:
        """ST sets as lists of provider blocks; each set holds at most ``claims_per_st`` claims."""
        left = claims
        while left > 0:
            room = min(left, claims_per_st)
            left -= room
            blocks = []
            while room > 0:
                blocks.append(self.block(room))
                room -= blocks[-1].claim_count()
            yield blocks


# ---------------------------------------------------------------------------------------------
# Writing segments
# ---------------------------------------------------------------------------------------------

class _Out:
    """Collects segments and hands them out as byte chunks; counts segments for SE01."""

    def __init__(self, newline: bool, chunk_bytes: int):
        self.term = "~\n" if newline else "~"
        self.parts: list[str] = []
        self.size = 0
        self.chunk_bytes = chunk_bytes
        self.count = 0

    def seg(self, *elements: str) -> None:
        text = "*".join(elements) + self.term
        self.parts.append(text)
        self.size += len(text)
        self.count += 1

    def full(self) -> bool:
        return self.size >= self.chunk_bytes

    def take(self) -> bytes:
        data = "".join(self.parts).encode("ascii")
        self.parts.clear()
        self.size = 0
        return data


class _Interchange:
    """One ISA..IEA of one kind: header and trailer by control number, and the ST sets."""

    def __init__(self, kind: str, seed: int, claims: int, claims_per_st: int, newline: bool,
                 chunk_bytes: int):
        self.kind, self.seed, self.claims, self.claims_per_st = kind, seed, claims, claims_per_st
        self.newline, self.chunk_bytes = newline, chunk_bytes
        payer_id = _Model(seed).payer[1]
        if kind == "837p":
            self.sender, self.receiver, self.date = "CLEARHOUSE01", payer_id, SUBMIT_DATE
            self.gs01, self.guide = "HC", "005010X222A1"
        else:
            self.sender, self.receiver, self.date = payer_id, "CLEARHOUSE01", REMIT_DATE
            self.gs01, self.guide = "HP", "005010X221A1"
        self.st_count = 0

    def header(self, control: int) -> bytes:
        out = _Out(self.newline, self.chunk_bytes)
        out.seg("ISA", "00", " " * 10, "00", " " * 10, "ZZ", f"{self.sender:<15}", "ZZ",
                f"{self.receiver:<15}", self.date.strftime("%y%m%d"), "0930", "^", "00501",
                f"{control:09d}", "0", "P", ":")
        out.seg("GS", self.gs01, self.sender, self.receiver, self.date.strftime("%Y%m%d"), "0930",
                str(control), "X", self.guide)
        return out.take()

    def trailer(self, control: int) -> bytes:
        out = _Out(self.newline, self.chunk_bytes)
        out.seg("GE", str(self.st_count), str(control))
        out.seg("IEA", "1", f"{control:09d}")
        return out.take()

    def body(self) -> Iterator[bytes]:
        """The ST sets, as chunks; sets ``st_count`` for the trailer."""
        model = _Model(self.seed)
        out = _Out(self.newline, self.chunk_bytes)
        adjudicator = random.Random(self.seed * 7919 + 835)
        self.st_count = 0
        for blocks in model.sets(self.claims, self.claims_per_st):
            if self.kind == "837p":
                self.st_count += 1
                yield from _st_837p(out, self.st_count, blocks, model)
            else:
                for block in blocks:   # one 835 per payee
                    self.st_count += 1
                    yield from _st_835(out, self.st_count, block, model, adjudicator)
        yield out.take()


def _party_address(out: _Out, party: Party) -> None:
    out.seg("N3", party.street)
    out.seg("N4", party.city, party.state, party.zip9)


def _st_837p(out: _Out, st_number: int, blocks: list[ProviderBlock], model: _Model) -> Iterator[bytes]:
    payer_name, payer_id, filing, _ = model.payer
    start = out.count
    control = f"{st_number:04d}"
    out.seg("ST", "837", control, "005010X222A1")
    out.seg("BHT", "0019", "00", f"B{model.seed % 10000:04d}{st_number:05d}",
            SUBMIT_DATE.strftime("%Y%m%d"), "0930", "CH")
    out.seg("NM1", "41", "2", "CENTRAL CLAIMS CLEARINGHOUSE", "", "", "", "", "46", "CLEARHOUSE01")
    out.seg("PER", "IC", "EDI SUPPORT", "TE", "8005550199")
    out.seg("NM1", "40", "2", payer_name, "", "", "", "", "46", payer_id)
    hl = 0
    for block in blocks:
        hl += 1
        provider_hl = hl
        p = block.provider
        out.seg("HL", str(hl), "", "20", "1")
        out.seg("PRV", "BI", "PXC", p.taxonomy)
        out.seg("NM1", "85", "2", p.org.last, "", "", "", "", "XX", p.org.ident)
        _party_address(out, p.org)
        out.seg("REF", "EI", p.tin)
        for subscriber, patient, relationship, claims in block.subscribers:
            hl += 1
            subscriber_hl = hl
            out.seg("HL", str(hl), str(provider_hl), "22", "1" if patient else "0")
            out.seg("SBR", "P", "" if patient else "18", f"GRP{subscriber.ident[-5:]}", "", "", "",
                    "", "", filing)
            out.seg("NM1", "IL", "1", subscriber.last, subscriber.first, "", "", "", "MI",
                    subscriber.ident)
            _party_address(out, subscriber)
            if not patient:
                out.seg("DMG", "D8", subscriber.dob, subscriber.gender)
            out.seg("NM1", "PR", "2", payer_name, "", "", "", "", "PI", payer_id)
            if patient:
                hl += 1
                out.seg("HL", str(hl), str(subscriber_hl), "23", "0")
                out.seg("PAT", relationship)
                out.seg("NM1", "QC", "1", patient.last, patient.first)
                _party_address(out, patient)
                out.seg("DMG", "D8", patient.dob, patient.gender)
            for claim in claims:
                _claim_837p(out, claim)
                if out.full():
                    yield out.take()
    out.seg("SE", str(out.count - start + 1), control)


def _claim_837p(out: _Out, claim: Claim) -> None:
    total = sum(line.charge for line in claim.lines)
    out.seg("CLM", claim.pcn, money(total), "", "", f"{claim.place}:B:{claim.frequency}",
            "Y", "A", "Y", "Y")
    if claim.frequency == "7":
        out.seg("REF", "F8", claim.original_icn)
    out.seg("HI", *(("ABK:" if i == 0 else "ABF:") + code for i, code in enumerate(claim.diagnoses)))
    if claim.renderer:
        r = claim.renderer
        out.seg("NM1", "82", "1", r.last, r.first, "", "", "", "XX", r.ident)
    for i, line in enumerate(claim.lines, 1):
        out.seg("LX", str(i))
        code = f"HC:{line.code}:{line.modifier}" if line.modifier else f"HC:{line.code}"
        out.seg("SV1", code, money(line.charge), "UN", str(line.units), "", "", line.pointers)
        out.seg("DTP", "472", "D8", line.dos)
        out.seg("REF", "6R", line.control)


# --- 835 ---------------------------------------------------------------------------------------

@dataclass(slots=True)
class _Adjudicated:
    status: str
    charge: int
    paid: int
    patient_resp: int
    icn: str
    claim_cas: list[tuple[str, str, int]]
    lines: list[tuple[Line, int, list[tuple[str, list[tuple[str, int]]]], int, str]]

    def negated(self, icn: str) -> "_Adjudicated":
        return _Adjudicated(
            "22", -self.charge, -self.paid, -self.patient_resp, icn,
            [(g, r, -a) for g, r, a in self.claim_cas],
            [(line, -paid, [(g, [(r, -a) for r, a in triples]) for g, triples in cas], -allowed, remark)
             for line, paid, cas, allowed, remark in self.lines])


def _adjudicate(rng: random.Random, claim: Claim, rates: dict[str, float]) -> _Adjudicated:
    """Pay a claim: contractual CO-45 to the allowed amount, PR deductible/coinsurance/copay."""
    denied = rng.random() < 0.04
    denial = rng.choice(DENIALS)
    deductible_left = rng.choice((0, 0, 0, 5000, 15000, 25000))
    copay = rng.choice((0, 0, 2000, 2500, 4000))
    lines = []
    for i, line in enumerate(claim.lines):
        if denied or rng.random() < 0.02:
            reason, remark = denial if denied else ("97", "M15")
            lines.append((line, 0, [("CO", [(reason, line.charge)])], 0, remark))
            continue
        allowed = min(line.charge, round(line.charge * rates[line.code]))
        pr: list[tuple[str, int]] = []
        rest = allowed
        if deductible_left and rest:
            d = min(deductible_left, rest)
            deductible_left -= d
            rest -= d
            pr.append(("1", d))
        if copay and i == 0 and rest:
            c = min(copay, rest)
            rest -= c
            pr.append(("3", c))
        elif rest and rng.random() < 0.3:
            c = rest // 5
            rest -= c
            pr.append(("2", c))
        cas = []
        if line.charge - allowed:
            cas.append(("CO", [("45", line.charge - allowed)]))
        if pr:
            cas.append(("PR", pr))
        lines.append((line, rest, cas, allowed, ""))
    charge = sum(line.charge for line in claim.lines)
    paid = sum(paid for _, paid, _, _, _ in lines)
    claim_cas = []
    if paid and rng.random() < 0.03:   # claim-level reduction, e.g. sequestration
        seq = paid * 2 // 100
        if seq:
            claim_cas.append(("CO", "253", seq))
            paid -= seq
    patient = sum(a for _, _, cas, _, _ in lines for g, triples in cas if g == "PR" for _, a in triples)
    icn = f"{rng.randrange(10**13, 10**14)}"
    return _Adjudicated("4" if denied else "1", charge, paid, patient, icn, claim_cas, lines)


def _claim_835(out: _Out, claim: Claim, adj: _Adjudicated, filing: str) -> None:
    out.seg("CLP", claim.pcn, adj.status, money(adj.charge), money(adj.paid),
            money(adj.patient_resp) if adj.patient_resp else "", filing, adj.icn, claim.place,
            claim.frequency)
    for group, reason, amount in adj.claim_cas:
        out.seg("CAS", group, reason, money(amount))
    subscriber, patient = claim.subscriber, claim.patient
    if patient:
        out.seg("NM1", "QC", "1", patient.last, patient.first)
        out.seg("NM1", "IL", "1", subscriber.last, subscriber.first, "", "", "", "MI", subscriber.ident)
    else:
        out.seg("NM1", "QC", "1", subscriber.last, subscriber.first, "", "", "", "MI", subscriber.ident)
    if claim.renderer:
        r = claim.renderer
        out.seg("NM1", "82", "1", r.last, r.first, "", "", "", "XX", r.ident)
    out.seg("DTM", "050", SUBMIT_DATE.strftime("%Y%m%d"))
    for line, paid, cas, allowed, remark in adj.lines:
        code = f"HC:{line.code}:{line.modifier}" if line.modifier else f"HC:{line.code}"
        out.seg("SVC", code, money(line.charge if adj.status != "22" else -line.charge),
                money(paid), "", str(line.units))
        out.seg("DTM", "472", line.dos)
        for group, triples in cas:
            flat = []
            for reason, amount in triples:
                flat += [reason, money(amount), ""]
            while flat and flat[-1] == "":
                flat.pop()
            out.seg("CAS", group, *flat)
        out.seg("REF", "6R", line.control)
        if allowed:
            out.seg("AMT", "B6", money(allowed))
        if remark:
            out.seg("LQ", "HE", remark)


def _st_835(out: _Out, st_number: int, block: ProviderBlock, model: _Model,
            rng: random.Random) -> Iterator[bytes]:
    payer_name, payer_id, _, filing = model.payer
    rates = {code: rng.uniform(0.45, 0.9) for code in PROCEDURE_CODES}
    body = _Out(out.term == "~\n", 1 << 62)
    total = 0
    for _, _, _, claims in block.subscribers:
        for claim in claims:
            adj = _adjudicate(rng, claim, rates)
            if rng.random() < 0.005:   # take back an earlier payment, then pay it again
                earlier = _adjudicate(rng, claim, rates)
                if earlier.status != "4":
                    _claim_835(body, claim, earlier.negated(earlier.icn), filing)
                    total += -earlier.paid
            _claim_835(body, claim, adj, filing)
            total += adj.paid
    plb: list[tuple[str, str, int]] = []
    if total > 5000 and rng.random() < 0.2:
        plb.append(("WO", f"WO:{rng.randrange(10**13, 10**14)}", rng.randrange(1000, min(total, 50000))))
    if rng.random() < 0.1:
        plb.append(("L6", "L6", -rng.randrange(1, 2500)))
    payment = total - sum(a for _, _, a in plb)
    if payment < 0:   # carry the negative balance forward
        plb.append(("FB", f"FB:{rng.randrange(10**9, 10**10)}", payment))
        payment = 0

    p = block.provider
    start = out.count
    control = f"{st_number:04d}"
    date = REMIT_DATE.strftime("%Y%m%d")
    trace = f"{rng.randrange(10**9, 10**10)}"
    out.seg("ST", "835", control)
    if payment == 0:
        out.seg("BPR", "H", "0", "C", "NON", "", "", "", "", "", "", "", "", "", "", "", date)
    elif rng.random() < 0.7:
        out.seg("BPR", "I", money(payment), "C", "ACH", "CCP", "01", "041000124", "DA",
                "8872310045", "1" + payer_id.rjust(9, "0")[-9:], "", "01",
                f"0{rng.randrange(10**7, 10**8)}", "DA", f"{rng.randrange(10**9, 10**10)}", date)
    else:
        out.seg("BPR", "I", money(payment), "C", "CHK", "", "", "", "", "", "", "", "", "", "", "", date)
    out.seg("TRN", "1", trace, "1" + payer_id.rjust(9, "0")[-9:])
    out.seg("DTM", "405", date)
    out.seg("N1", "PR", payer_name)
    out.seg("N3", "PO BOX 4410")
    out.seg("N4", "COLUMBUS", "OH", "432154410")
    out.seg("PER", "BL", "PROVIDER SERVICES", "TE", "8005550142")
    out.seg("N1", "PE", p.org.last, "XX", p.org.ident)
    _party_address(out, p.org)
    out.seg("REF", "TJ", p.tin)
    out.seg("LX", "1")
    yield out.take()
    data = body.take()
    for i in range(0, len(data), out.chunk_bytes):
        yield data[i:i + out.chunk_bytes]
    out.count += body.count
    for _, ref, amount in plb:
        out.seg("PLB", p.org.ident, "20241231", ref, money(amount))
    out.seg("SE", str(out.count - start + 1), control)


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------

def _generate(kind: str, claims: int, seed: int, repeat: int, claims_per_st: int,
              newline: bool, chunk_bytes: int) -> Iterator[bytes]:
    if claims < 1 or repeat < 1:
        raise ValueError("claims and repeat must be at least 1")
    interchange = _Interchange(kind, seed, claims, claims_per_st, newline, chunk_bytes)
    if repeat == 1:
        yield interchange.header(1)
        yield from interchange.body()
        yield interchange.trailer(1)
        return
    # Repeat one interchange's ST sets under fresh ISA13/GS06 control numbers: cheap to make
    # gigabytes this way; the sets of one interchange (``claims`` claims) are held once.
    body = list(interchange.body())
    for control in range(1, repeat + 1):
        yield interchange.header(control)
        yield from body
        yield interchange.trailer(control)


def generate_837p(claims: int, seed: int = DEFAULT_SEED, *, repeat: int = 1,
                  claims_per_st: int = CLAIMS_PER_ST, newline: bool = True,
                  chunk_bytes: int = CHUNK_BYTES) -> Iterator[bytes]:
    """An 837P (005010X222A1) interchange of ``claims`` claims, as byte chunks."""
    return _generate("837p", claims, seed, repeat, claims_per_st, newline, chunk_bytes)


def generate_835(claims: int, seed: int = DEFAULT_SEED, *, repeat: int = 1,
                 claims_per_st: int = CLAIMS_PER_ST, newline: bool = True,
                 chunk_bytes: int = CHUNK_BYTES) -> Iterator[bytes]:
    """An 835 (005010X221A1) interchange remitting the claims ``generate_837p`` makes with the
    same ``claims`` and ``seed``, as byte chunks."""
    return _generate("835", claims, seed, repeat, claims_per_st, newline, chunk_bytes)


GENERATORS: dict[str, Callable[..., Iterator[bytes]]] = {"837p": generate_837p, "835": generate_835}


def write_file(kind: str, claims: int, path: str | os.PathLike, seed: int = DEFAULT_SEED, *,
               target_bytes: int | None = None, **options) -> int:
    """Write a generated file to ``path`` (via a temporary name, renamed when complete); with
    ``target_bytes``, repeat the interchange until the file is at least that large. Returns
    the number of bytes written."""
    generator = GENERATORS[kind]
    repeat = 1
    if target_bytes:
        one = sum(len(c) for c in generator(claims, seed, **options))
        repeat = max(1, -(-target_bytes // one))
    tmp = f"{os.fspath(path)}.tmp{os.getpid()}"
    written = 0
    with open(tmp, "wb") as f:
        for chunk in generator(claims, seed, repeat=repeat, **options):
            f.write(chunk)
            written += len(chunk)
    os.replace(tmp, path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=sorted(GENERATORS))
    parser.add_argument("--claims", type=int, default=1000, help="claims per interchange")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--claims-per-st", type=int, default=CLAIMS_PER_ST)
    parser.add_argument("--target-bytes", type=float, default=None,
                        help="repeat the interchange until the file is about this size (1e9 = 1 GB)")
    parser.add_argument("--no-newlines", action="store_true", help="no line break after '~'")
    parser.add_argument("-o", "--output", required=True, help="output path ('-' for stdout)")
    args = parser.parse_args(argv)
    options = {"claims_per_st": args.claims_per_st, "newline": not args.no_newlines}
    target = int(args.target_bytes) if args.target_bytes else None
    if args.output == "-":
        if target:
            parser.error("--target-bytes needs a file output")
        for chunk in GENERATORS[args.kind](args.claims, args.seed, **options):
            sys.stdout.buffer.write(chunk)
        return 0
    size = write_file(args.kind, args.claims, args.output, args.seed, target_bytes=target, **options)
    print(f"{args.output}: {size} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
