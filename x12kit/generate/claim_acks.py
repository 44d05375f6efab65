"""277CA claim acknowledgments (005010X214) from their typed fields: the HL tree built from
the parties.

For models that carry no loops read from a file (an acknowledgment x12kit makes itself,
``x12kit.acks.ack277ca``); those that do are written by ``levels.LevelSetWriter``. The models
come in the order of the tree: a ``LevelStatus`` of level 2200B opens the information source
(2000A: the payer, with the set's own trace and today's receipt and process dates in 2200A)
and the information receiver (2000B: the submitter answered, with the batch's statuses and
totals); a ``LevelStatus`` of level 2200C opens a billing provider (2000C) with its totals;
each ``ClaimAcknowledgment`` is then one patient level (2000D) under the provider open, with
its claim (2200D: TRN*2 the PCN, STC, REF*1K, DTP*472). A claim whose parties differ from
the levels open opens bare levels from its own parties, and the guide's required 2200B and
2200C statuses are then reported missing.
"""
from __future__ import annotations

from x12kit.generate.draft import Draft, Spec, draft
from x12kit.generate.hltree import PartyLevels
from x12kit.generate.parties import dated, party_drafts, references
from x12kit.generate.tree import Node, child_loop
from x12kit.models.status import ClaimAcknowledgment, LevelStatus
from x12kit.models.values import Reference


def _code(field: str, part: int, of: int = -1):
    """A row source: a component of a status code (STC01) or of an additional one (STC10,
    STC11: ``of`` 0 and 1)."""
    if of < 0:
        return field, lambda s: s.code[part]
    return field, lambda s: s.additional[of][part] if len(s.additional) > of else ""


STC = Spec("STC", (
    ("STC01-1", _code("code", 0)), ("STC01-2", _code("code", 1)), ("STC01-3", _code("code", 2)),
    ("STC02", "effective"), ("STC03", "action"), ("STC04", "charge"), ("STC05", "paid"),
    ("STC10-1", _code("additional", 0, 0)), ("STC10-2", _code("additional", 1, 0)),
    ("STC10-3", _code("additional", 2, 0)),
    ("STC11-1", _code("additional", 0, 1)), ("STC11-2", _code("additional", 1, 1)),
    ("STC11-3", _code("additional", 2, 1)),
    ("STC12", "message")))
QTY = Spec("QTY", (("QTY01", ("", lambda p: p[0])), ("QTY02", ("", lambda p: p[1]))))
AMT = Spec("AMT", (("AMT01", ("", lambda p: p[0])), ("AMT02", ("", lambda p: p[1]))))
TRN_SOURCE = "1"      # TRN01 of 2200A and 2200C: the current transaction's trace
TRN_REFERENCED = "2"  # TRN01 of 2200B and 2200D: the submitted batch's or claim's number
RECEIVED, PROCESSED = "050", "009"  # 2200A DTP01
LEVELS = (("2000A", "20", "2100A"), ("2000B", "21", "2100B"), ("2000C", "19", "2100C"))


def _trn(kind: str, trace: str, where: str) -> Draft:
    return Draft("TRN", {1: kind, 2: trace}, {"TRN02": f"{where}/trace"}, where)


def _totals(status: LevelStatus, where: str) -> list[Draft]:
    """STC, then QTY and AMT: the level's statuses and its accepted and rejected totals."""
    drafts = [draft(STC, s, f"{where}/statuses/{n}") for n, s in enumerate(status.statuses)]
    drafts += [draft(QTY, q, f"{where}/quantities/{n}") for n, q in enumerate(status.quantities)]
    return drafts + [draft(AMT, a, f"{where}/amounts/{n}") for n, a in enumerate(status.amounts)]


def _level(loop_id: str, party, where: str, own: list, below: str) -> Node:
    """An upper level: HL (a level ``below`` it comes later), its name loop and its 2200x."""
    code, name_loop = next((c, n) for level, c, n in LEVELS if level == loop_id)
    hl = Draft("HL", {3: code, 4: "1"}, {}, where)
    name = [Node(name_loop, party_drafts(party, where))] if party is not None else []
    return Node(loop_id, [hl], name + own, later=frozenset((below,)))


class ClaimAckSetWriter:
    """One 277CA set built from typed ``LevelStatus`` and ``ClaimAcknowledgment`` models."""

    transaction, implementation = "277", "005010X214"

    def __init__(self, generator, first, schema) -> None:
        self.g = generator
        self.schema = schema
        self.levels = PartyLevels(generator, schema, ("2000A", "2000B", "2000C", "2000D"))

    @classmethod
    def set_key(cls, model) -> tuple:
        return (cls.transaction, cls.implementation, "typed")

    def start(self, first, place: str) -> None:
        """BHT: hierarchical structure 0085, purpose 08 (status), the set's control number as
        reference, the date and time of generation, transaction type TH (receipt
        acknowledgment)."""
        when = self.g.when
        bht = Draft("BHT", {1: "0085", 2: "08", 3: self.g.st_number,
                            4: when.strftime("%Y%m%d"), 5: when.strftime("%H%M"), 6: "TH"},
                    {}, "")
        self.g.emit(Node("HEADER", [bht]), child_loop(self.schema.root, "HEADER"))

    def add(self, model, place: str) -> None:
        if isinstance(model, LevelStatus):
            self._level_status(model, place)
        elif isinstance(model, ClaimAcknowledgment):
            self._claim(model, place)

    def close(self) -> None:
        pass

    def _level_status(self, status: LevelStatus, place: str) -> None:
        """A new level each time: two providers of one party are two 2000C levels."""
        own = [Node("2200" + status.level[-1], [_trn(
            TRN_SOURCE if status.level == "2200C" else TRN_REFERENCED, status.trace, "")]
            + _totals(status, ""))]
        if status.level == "2200B":
            source = self._source(status.payer, (status.payer, status.trace), place)
            self.levels.level("2000B", (status.party, status.trace), lambda: _level(
                "2000B", status.party, "/party", own, "2000C"), source, place)
        elif status.level == "2200C":
            receiver = self.levels.open["2000B"][1] if "2000B" in self.levels.open else ""
            self.levels.level("2000C", (status.party, status.trace), lambda: _level(
                "2000C", status.party, "/party", own, "2000D"), receiver, place)

    def _source(self, payer, key, place: str) -> str:
        """The HL01 of the information source level of ``payer``, opened under ``key``
        unless a claim (``key`` None) finds it open. 2200A's trace is the set's own control
        number, its receipt and process dates the generation's."""
        when = self.g.when.strftime("%Y%m%d")
        own = [Node("2200A", [_trn(TRN_SOURCE, self.g.st_number, "/payer")] + [
            Draft("DTP", {1: qualifier, 2: "D8", 3: when}, {}, "/payer")
            for qualifier in (RECEIVED, PROCESSED)])]
        found = self.levels.open.get("2000A")
        if key is None:
            if found is not None and found[0][0] == payer:
                return found[1]
            key = (payer, None)
        return self.levels.level("2000A", key, lambda: _level(
            "2000A", payer, "/payer", own, "2000B"), "", place)

    def _open_for(self, loop_id: str, party, parent: str, place: str) -> str:
        """The HL01 of the open level of ``party``, else a bare level opened for it."""
        found = self.levels.open.get(loop_id)
        if found is not None and found[0][0] == party:
            return found[1]
        below = {"2000B": "2000C", "2000C": "2000D"}[loop_id]
        return self.levels.level(loop_id, (party, None), lambda: _level(
            loop_id, party, "", [], below), parent, place)

    def _claim(self, claim: ClaimAcknowledgment, place: str) -> None:
        source = self._source(claim.payer, None, place)
        receiver = self._open_for("2000B", claim.receiver, source, place)
        provider = self._open_for("2000C", claim.billing_provider, receiver, place)
        with self.g.tagged(place):
            self.g.emit(_patient(claim), self.levels.defs["2000D"], provider)


def _patient(claim: ClaimAcknowledgment) -> Node:
    """2000D: HL*PT, the patient's name (2100D) and the claim (2200D)."""
    hl = Draft("HL", {3: "PT"}, {}, "")
    name = [Node("2100D", party_drafts(claim.patient, "/patient"))] \
        if claim.patient is not None else []
    refs = [Reference("1K", claim.payer_claim_number)] if claim.payer_claim_number else []
    refs += [r for r in claim.references if r.qualifier not in ("1K", "BLT")]
    refs += [Reference("BLT", claim.bill_type)] if claim.bill_type else []
    drafts = [Draft("TRN", {1: TRN_REFERENCED, 2: claim.pcn}, {"TRN02": "/pcn"}, "")]
    drafts += [draft(STC, s, f"/statuses/{n}") for n, s in enumerate(claim.statuses)]
    drafts += references(tuple(refs), "/references") + dated(claim.dates, "/dates")
    return Node("2000D", [hl], name + [Node("2200D", drafts)])
