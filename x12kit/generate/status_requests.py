"""276 claim status requests from their typed fields: the HL tree built from the parties.

For requests that carry no loops read from a file (a billing system's own data); those that
do are written by ``levels.LevelSetWriter``. Levels: 2000A payer, 2000B receiver (who asks),
2000C service provider, 2000D subscriber (with the patient's DMG when the patient is the
subscriber), 2000E dependent; each claim asked about is a 2200D or 2200E (TRN, REF, AMT*T3,
DTP*472) with its lines (2210D/E: SVC, REF, DTP).
"""
from __future__ import annotations

from x12kit.generate.claims import procedure_rows
from x12kit.generate.draft import Draft, Fixed, Spec, draft
from x12kit.generate.hltree import PartySetWriter, party_level
from x12kit.generate.parties import DMG_ROWS, dated, party_drafts, references
from x12kit.generate.tree import Node
from x12kit.models.status import ClaimStatusRequest

TRN = Spec("TRN", (("TRN01", Fixed("1")), ("TRN02", "trace")))
CHARGE = Spec("AMT", (("AMT01", Fixed("T3")), ("AMT02", "charge")))
DMG = Spec("DMG", DMG_ROWS)
SVC = Spec("SVC", procedure_rows("SVC01", "procedure") + (
    ("SVC02", "charge"), ("SVC04", "revenue_code"), ("SVC07", "units")))
UPPER = (("2000A", "20", "2100A", "payer", "2000B"), ("2000B", "21", "2100B", "receiver",
                                                        "2000C"),
         ("2000C", "19", "2100C", "provider", "2000D"))


class StatusRequestSetWriter(PartySetWriter):
    """One 276 set of claim status requests built from their typed fields."""

    transaction, implementation, structure = "276", "005010X212", "0010"
    order = ("2000A", "2000B", "2000C", "2000D", "2000E")

    @staticmethod
    def _key(model) -> tuple:
        return model.payer, model.receiver, model.provider, model.subscriber

    def _flush(self) -> None:
        if not self.held:
            return
        first, place = self.held[0]
        parent = ""
        for loop_id, code, name_loop, field, below in UPPER:
            party = getattr(first, field)
            parent = self.levels.level(loop_id, party, lambda: party_level(
                loop_id, code, name_loop, party, f"/{field}", below), parent, place)
        own = [(m, p) for m, p in self.held if m.dependent is None]
        dependents = [(m, p) for m, p in self.held if m.dependent is not None]
        with self.g.tagged(place):
            subscriber = self.g.emit(_person(
                "2000D", "22", "2100D", first.subscriber, "/subscriber", own[0][0] if own
                else None, bool(dependents), "2200D", own), self.levels.defs["2000D"], parent)
        while dependents:
            dependent = dependents[0][0].dependent
            same = [(m, p) for m, p in dependents if m.dependent == dependent]
            dependents = [(m, p) for m, p in dependents if m.dependent != dependent]
            with self.g.tagged(same[0][1]):
                self.g.emit(_person("2000E", "23", "2100E", dependent, "/dependent", same[0][0],
                                    False, "2200E", same), self.levels.defs["2000E"],
                            subscriber)
        self.held = []


def _person(loop_id: str, code: str, name_loop: str, party, where: str, patient,
            has_dependents: bool, claim_loop: str, claims: list) -> Node:
    """2000D or 2000E: HL, the patient's DMG, the name loop and the claims asked about."""
    drafts = [Draft("HL", {3: code, 4: "1" if has_dependents else "0"}, {}, where)]
    if patient is not None and (patient.birth_date or patient.gender):
        drafts.append(draft(DMG, patient, ""))
    name = [Node(name_loop, party_drafts(party, where))] if party is not None else []
    return Node(loop_id, drafts, name + [_claim(claim_loop, m) for m, _ in claims],
                later=frozenset(("2000E",)))


def _claim(loop_id: str, request: ClaimStatusRequest) -> Node:
    drafts = [draft(TRN, request, "")] + references(request.references, "/references")
    if request.charge is not None:
        drafts.append(draft(CHARGE, request, ""))
    drafts += dated(request.dates, "/dates")
    line_loop = "2210" + loop_id[-1]
    lines = [Node(line_loop, [draft(SVC, line, f"/lines/{n}")] + references(
        line.references, f"/lines/{n}/references") + dated(line.dates, f"/lines/{n}/dates"))
        for n, line in enumerate(request.lines)]
    return Node(loop_id, drafts, lines)
