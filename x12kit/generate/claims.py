"""837 claims (P, I, D) as loop trees: the tables from ``Claim`` and its parts to segments.

Each function turns one part of a claim into a ``Node``; where each segment and loop goes is
the compiled guide's business (``tree.Emitter``). Which loop holds a provider is found by its
entity code (``parties.name_loop``), so the three guides share these tables although their
2310x/2420x loop ids differ. The set's HL tree (2000A billing provider, 2000B subscriber,
2000C patient, then the 2300 claims) is put together by ``x12kit.generate.writing``.
"""
from __future__ import annotations

import functools
from decimal import Decimal
from typing import Optional

from x12kit.generate.draft import Absent, Draft, Fixed, Part, Spec, draft, text, unless_default
from x12kit.generate.parties import (
    DMG_ROWS, dated, name_loop, party_node, raw_named, references,
)
from x12kit.generate.problems import Problem
from x12kit.generate.tree import Node, child_loop, holds_segment, segment_index
from x12kit.models.claims import Claim, HealthCode, OtherPayer, Provider, ServiceLine, health_codes
from x12kit.models.tree import Loop
from x12kit.models.values import Adjustment, Procedure, adjustments, procedure
from x12kit.schema.model import LoopDef, SegmentDef
from x12kit.segment import Segment

BHT = Spec("BHT", (("BHT01", Fixed("0019")), ("BHT02", Fixed("00")),
                   ("BHT03", "transaction_reference"), ("BHT04", "transaction_date"),
                   ("BHT06", Fixed("CH"))))
CLM = Spec("CLM", (("CLM01", "pcn"), ("CLM02", "charge"), ("CLM05-1", "facility_code"),
                   ("CLM05-2", "facility_qualifier"), ("CLM05-3", "frequency"),
                   ("CLM06", "provider_signature"), ("CLM07", "assignment"),
                   ("CLM08", "benefits_assigned"), ("CLM09", "release_of_information")))
SBR = Spec("SBR", (("SBR01", "payer_responsibility"), ("SBR02", "relationship"),
                   ("SBR03", "group_number"), ("SBR04", "group_name"),
                   ("SBR05", "insurance_type"), ("SBR09", "claim_filing_indicator")))
OTHER_SBR = Spec("SBR", (("SBR01", "payer_responsibility"), ("SBR02", "relationship"),
                         ("SBR09", "claim_filing_indicator")))
DMG = Spec("DMG", DMG_ROWS)
PAT = Spec("PAT", (("PAT01", "relationship"),))
LIN = Spec("LIN", (("LIN02", Fixed("N4")), ("LIN03", "ndc")))
CTP = Spec("CTP", (("CTP04", "drug_quantity"), ("CTP05-1", "drug_unit")))
ADJUDICATED = Spec("DTP", (("DTP01", Fixed("573")), ("DTP02", Fixed("D8")),
                           ("DTP03", "adjudicated")))
HI_SIZE = 12
CAS_SIZE = 6  # adjustment triples per CAS segment


NO_PROCEDURE = ("",) * 7


def procedure_parts(found: Optional[Procedure]) -> tuple:
    """A procedure composite's components: qualifier, code, four modifiers, description."""
    if found is None:
        return NO_PROCEDURE
    modifiers = found.modifiers[:4]
    return (found.qualifier, found.code, *modifiers, *("",) * (4 - len(modifiers)),
            found.description)


def procedure_rows(ref: str, field: str) -> tuple:
    """Rows of a procedure composite."""
    return tuple((f"{ref}-{n}", Part(field, procedure_parts, n)) for n in range(1, 8))


def _pointer_parts(pointers: tuple[int, ...]) -> tuple:
    """A diagnosis pointer composite's components; a pointer the model could not read as a
    number (SV107 "1.00") stays as the file wrote it."""
    found = tuple(str(p) for p in pointers[:4])
    return found + (Absent(int),) * (4 - len(found))


def _pointer_rows(ref: str) -> tuple:
    return tuple((f"{ref}-{n}", Part("diagnosis_pointers", _pointer_parts, n))
                 for n in range(1, 5))


def _cavity_parts(areas: tuple[str, ...]) -> tuple:
    """SV304, the oral cavity designations: up to five."""
    return tuple(areas[:5]) + ("",) * (5 - len(areas[:5]))


SV1 = Spec("SV1", procedure_rows("SV101", "procedure") + (
    ("SV102", "charge"), ("SV103", "unit_type"), ("SV104", "units"),
    ("SV105", "place_of_service")) + _pointer_rows("SV107"))
SV2 = Spec("SV2", (("SV201", "revenue_code"),) + procedure_rows("SV202", "procedure") + (
    ("SV203", "charge"), ("SV204", "unit_type"), ("SV205", "units")))
SV3 = Spec("SV3", procedure_rows("SV301", "procedure") + (
    ("SV302", "charge"), ("SV303", "place_of_service")) + tuple(
    (f"SV304-{n}", Part("oral_cavity", _cavity_parts, n)) for n in range(1, 6)) + (
    ("SV306", unless_default("units", Decimal(1))),) + _pointer_rows("SV311"))
SERVICE = {"837P": SV1, "837I": SV2, "837D": SV3}
SVD = Spec("SVD", (("SVD01", "payer_id"), ("SVD02", "paid")) + procedure_rows(
    "SVD03", "procedure") + (("SVD05", "units"),),
    lambda seg, m: (seg.element(1), seg.element(2), procedure(seg, 3), seg.element(5)) == (
        m.payer_id, text(m.paid), m.procedure, text(m.units)))


class ClaimTables:
    """The 837 tables bound to one guide's loop definitions."""

    def __init__(self, schema, problems: list) -> None:
        self.schema = schema
        self.problems = problems
        self.claim_def = schema.loop("2300")
        self.line_def = schema.loop("2400")

    # -- the HL levels -----------------------------------------------------------------
    def header(self, claim: Claim, raw: Optional[Loop], when, reference: str) -> Node:
        """HEADER: BHT, 1000A submitter, 1000B receiver. A claim that names no transaction
        reference or date gets ``reference`` (the set's control number) and ``when``."""
        bht = draft(BHT, claim, "")
        values = {**bht.values, 5: when.strftime("%H%M")}
        values[3] = values[3] or reference
        values[4] = values[4] or when.strftime("%Y%m%d")
        # BHT05, the time: the model keeps the date only, so a file's own time is kept
        bht = bht._replace(values=values, defaults=bht.defaults | {5})
        children = [n for n in (
            party_node("1000A", claim.submitter, "/submitter", _loop(raw, "1000A")),
            party_node("1000B", claim.receiver, "/receiver", _loop(raw, "1000B"))) if n]
        return Node("HEADER", [bht], children, raw)

    def billing(self, claim: Claim, raw: Optional[Loop]) -> Node:
        """2000A: HL 20, PRV (taxonomy), 2010AA billing and 2010AB pay-to providers."""
        hl = Draft("HL", {3: "20", 4: "1"}, {}, "/billing_provider")
        drafts = [hl]
        billing, pay_to = claim.billing_provider, claim.pay_to_provider
        if billing is not None and billing.taxonomy:
            drafts.append(prv(self.schema.loop("2000A"), billing.taxonomy,
                              "/billing_provider/taxonomy"))
        children = [n for n in (
            party_node("2010AA", billing.party if billing else None, "/billing_provider/party",
                       _loop(raw, "2010AA")),
            party_node("2010AB", pay_to.party if pay_to else None, "/pay_to_provider/party",
                       _loop(raw, "2010AB"))) if n]
        return Node("2000A", drafts, children, raw, later=frozenset(("2000B",)))

    def subscriber(self, claim: Claim, raw: Optional[Loop], has_patients: bool) -> Node:
        """2000B: HL 22, SBR, 2010BA subscriber (DMG), 2010BB payer; claims added after."""
        sub = claim.subscriber
        hl = Draft("HL", {3: "22", 4: "1" if has_patients else "0"}, {}, "/subscriber")
        later = frozenset(("2300", "2000C"))
        if sub is None:
            return Node("2000B", [hl], raw=raw, later=later)
        children = [n for n in (
            party_node("2010BA", sub.party, "/subscriber/party", _loop(raw, "2010BA"),
                       _demographics(sub, "/subscriber")),
            party_node("2010BB", sub.payer, "/subscriber/payer", _loop(raw, "2010BB")))
            if n]
        return Node("2000B", [hl, draft(SBR, sub, "/subscriber")], children, raw, later=later)

    def patient(self, claim: Claim, raw: Optional[Loop]) -> Node:
        """2000C: HL 23, PAT, 2010CA patient (DMG); claims added after."""
        pat = claim.patient
        hl = Draft("HL", {3: "23", 4: "0"}, {}, "/patient")
        children = [n for n in (party_node("2010CA", pat.party, "/patient/party",
                                           _loop(raw, "2010CA"),
                                           _demographics(pat, "/patient")),) if n]
        return Node("2000C", [hl, draft(PAT, pat, "/patient")], children, raw,
                    later=frozenset(("2300",)))

    # -- the claim -----------------------------------------------------------------------
    def claim(self, claim: Claim) -> Node:
        """2300: CLM, DTP, REF, HI, the 2310x providers, 2320 other payers, 2400 lines."""
        raw = claim.loop if claim.loop.content else None
        drafts = [draft(CLM, claim, "")] + dated(claim.dates, "/dates") + references(
            claim.references, "/references") + self.health_codes(claim.health_codes)
        children = self.providers(self.claim_def, claim.providers, "/providers", raw)
        children += [self.other_payer(p, f"/other_payers/{n}", _nth(raw, "2320", n))
                     for n, p in enumerate(claim.other_payers)]
        children += [self.line(claim.kind, line, f"/lines/{n}")
                     for n, line in enumerate(claim.lines)]
        return Node("2300", drafts, children, raw)

    def health_codes(self, codes: tuple[HealthCode, ...]) -> list[Draft]:
        """HI segments: a composite joins the segment before it while the guide lists its
        qualifier at the next position there (837P: ABK then up to eleven ABF), else it
        starts a new HI."""
        drafts: list[Draft] = []
        held: list[tuple[int, HealthCode]] = []
        definition: Optional[SegmentDef] = None
        for n, code in enumerate(codes):
            if definition is None or not _fits(definition, len(held) + 1, code.qualifier):
                if held:
                    drafts.append(_hi(held))
                held = []
                at = segment_index(self.claim_def, "HI", lambda p, c, q=code.qualifier: q)
                definition = self.claim_def.children[at] if at is not None else None
            held.append((n, code))
        if held:
            drafts.append(_hi(held))
        return drafts

    def providers(self, parent: LoopDef, providers: tuple[Provider, ...], where: str,
                  raw: Optional[Loop]) -> list[Node]:
        nodes = []
        for n, provider in enumerate(providers):
            loop_id = name_loop(parent, provider.entity)
            if loop_id is None:
                self.problems.append(Problem(
                    "unknown-code", f"{where}/{n}/entity", "NM101 Entity Identifier Code",
                    f"names no provider loop of {parent.id} in this guide"))
                continue
            loop_def = child_loop(parent, loop_id)
            extra = []
            if provider.taxonomy and holds_segment(loop_def, "PRV"):
                extra.append(prv(loop_def, provider.taxonomy, f"{where}/{n}/taxonomy"))
            nodes.append(party_node(loop_id, provider.party, f"{where}/{n}/party",
                                    raw_named(raw, loop_id, provider.entity), extra))
        return nodes

    def other_payer(self, payer: OtherPayer, where: str, raw: Optional[Loop]) -> Node:
        """2320: SBR, CAS, AMT*D/EAF; 2330A its subscriber, 2330B the payer (DTP*573)."""
        drafts = [draft(OTHER_SBR, payer, where)] + cas_drafts(payer.adjustments,
                                                               f"{where}/adjustments")
        for qualifier, field in (("D", "paid"), ("EAF", "remaining_liability")):
            if getattr(payer, field) is not None:
                drafts.append(Draft("AMT", {1: qualifier, 2: text(getattr(payer, field))},
                                    {"AMT02": f"{where}/{field}"}, where))
        payer_extra = [draft(ADJUDICATED, payer, where)] if payer.adjudicated else []
        children = [n for n in (
            party_node("2330A", payer.subscriber, f"{where}/subscriber", _loop(raw, "2330A")),
            party_node("2330B", payer.payer, f"{where}/payer", _loop(raw, "2330B"),
                       payer_extra)) if n]
        return Node("2320", drafts, children, raw,
                    frozenset(("CAS", ("AMT", "D"), ("AMT", "EAF"))))

    def line(self, kind: str, line: ServiceLine, where: str) -> Node:
        """2400: LX, SV1/SV2/SV3, TOO, DTP, REF; 2410 drug, 2420x providers, 2430."""
        raw = line.loop if line.loop.content else None
        drafts = [Draft("LX", {}, {}, where), draft(SERVICE.get(kind, SV1), line, where)]
        for n, (tooth, surfaces) in enumerate(line.teeth):
            values = {1: "JP", 2: tooth}
            if surfaces:
                values[3] = {c: s for c, s in enumerate(surfaces, 1)}
            drafts.append(Draft("TOO", values, {"TOO02": f"{where}/teeth/{n}"}, where,
                                frozenset((1,))))
        drafts += dated(line.dates, f"{where}/dates") + references(line.references,
                                                                   f"{where}/references")
        children = []
        if line.ndc:
            children.append(Node("2410", [draft(LIN, line, where), draft(CTP, line, where)],
                                 raw=_loop(raw, "2410")))
        elif raw is not None and raw.loop("2410") is not None:
            children.append(Node("2410", [], raw=raw.loop("2410")))  # a LIN without N4
        children += self.providers(self.line_def, line.providers, f"{where}/providers", raw)
        for n, done in enumerate(line.adjudications):
            at = f"{where}/adjudications/{n}"
            adjudication = [draft(SVD, done, at)] + cas_drafts(done.adjustments,
                                                               f"{at}/adjustments")
            if done.adjudicated:
                adjudication.append(draft(ADJUDICATED, done, at))
            children.append(Node("2430", adjudication, raw=_nth(raw, "2430", n),
                                 typed=frozenset(("CAS", ("DTP", "573")))))
        return Node("2400", drafts, children, raw, frozenset(("TOO",)))


def prv(loop_def: LoopDef, taxonomy: str, where: str) -> Draft:
    """PRV: provider code (PRV01) and qualifier (PRV02) where the guide lists one code for
    the loop (BI billing, PE performing, AT attending: PXC), then the taxonomy code."""
    definition = next(c for c in loop_def.children if isinstance(c, SegmentDef) and
                      c.id == "PRV")
    values = {3: taxonomy}
    for position in (1, 2):
        element = definition.elements[position]
        if element is not None and element.codes is not None and len(element.codes) == 1:
            values[position] = next(iter(element.codes))
    return Draft("PRV", values, {"PRV03": where}, where, frozenset((1, 2)))


def cas_drafts(found: tuple[Adjustment, ...], where: str) -> list[Draft]:
    """CAS segments: one per group code, up to six (reason, amount, quantity) triples."""
    segments: list[tuple[dict, dict]] = []  # (values, pointers) of each CAS
    for n, adjustment in enumerate(found):
        if not segments or segments[-1][0][1] != adjustment.group or len(
                segments[-1][0]) > 3 * (CAS_SIZE - 1) + 1:
            segments.append(({1: adjustment.group}, {"CAS01": f"{where}/{n}/group"}))
        values, pointers = segments[-1]
        at = 2 + 3 * ((len(values) - 1) // 3)
        values.update({at: adjustment.reason, at + 1: text(adjustment.amount),
                       at + 2: text(adjustment.quantity)})
        pointers.update({f"CAS{at:02d}": f"{where}/{n}/reason",
                         f"CAS{at + 1:02d}": f"{where}/{n}/amount"})
    return [Draft("CAS", values, pointers, where, same=functools.partial(
        _same_adjustments, values), whole=True) for values, pointers in segments]


def _same_adjustments(values: dict, seg: Segment) -> bool:
    return adjustments([seg]) == adjustments([Segment(
        ("CAS",) + tuple(values.get(p, "") for p in range(1, max(values) + 1)))])


def _fits(definition: SegmentDef, position: int, qualifier: str) -> bool:
    if position > HI_SIZE or position >= len(definition.elements):
        return False
    element = definition.elements[position]
    if element is None or element.usage == "N":
        return False
    first = element.components[1] if len(element.components) > 1 else None
    return first is not None and (first.codes is None or qualifier in first.codes)


def _hi(held: list[tuple[int, HealthCode]]) -> Draft:
    values, pointers = {}, {}
    for position, (n, code) in enumerate(held, 1):
        dates = code.dates
        parts = {1: code.qualifier, 2: code.code}
        if dates is not None:
            one = dates.start == dates.end
            parts[3] = "D8" if one else "RD8"
            parts[4] = text(dates.start) if one else f"{text(dates.start)}-{text(dates.end)}"
        parts.update({5: text(code.amount), 6: text(code.quantity),
                      9: code.present_on_admission})
        values[position] = parts
        pointers[f"HI{position:02d}-2"] = f"/health_codes/{n}/code"
        pointers[f"HI{position:02d}-1"] = f"/health_codes/{n}/qualifier"
    codes = tuple(code for _, code in held)
    return Draft("HI", values, pointers, f"/health_codes/{held[0][0]}",
                 same=lambda seg: health_codes(Loop("2300", (seg,))) == codes, whole=True)


def _demographics(who, where: str) -> list[Draft]:
    return [draft(DMG, who, where)] if who.birth_date or who.gender else []


def check_balance(claim: Claim, problems: list) -> None:
    """CLM02 is the sum of the lines' charges (837 guides, 2300 CLM02 note): checked for
    every claim, whether its loop is written from its fields or as it was read."""
    charges = [line.charge for line in claim.lines]
    if claim.charge is None or not charges or any(c is None for c in charges):
        return
    if sum(charges, Decimal(0)) != claim.charge:
        problems.append(Problem("unbalanced", "/charge", "CLM02 Total Claim Charge Amount",
                                "is not the sum of the service lines' charges"))


def _loop(raw: Optional[Loop], loop_id: str) -> Optional[Loop]:
    return raw.loop(loop_id) if raw is not None else None


def _nth(raw: Optional[Loop], loop_id: str, n: int) -> Optional[Loop]:
    found = raw.loops(loop_id) if raw is not None else []
    return found[n] if n < len(found) else None
