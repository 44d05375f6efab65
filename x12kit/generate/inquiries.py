"""270 eligibility inquiries from their typed fields: the HL tree built from the parties.

For inquiries that carry no loops read from a file (a billing system's own data); those
that do are written by ``levels.LevelSetWriter``. The levels are shared by consecutive
inquiries that name the same information source (2000A/2100A), receiver (2000B/2100B) and
subscriber (2000C/2100C); a subscriber's inquiries are held until the next subscriber, to
know whether its HL has dependents below it (HL04). The subscriber's own questions (2110C)
stand in its 2100C, a dependent's (2110D) in the 2000D under it.
"""
from __future__ import annotations

from x12kit.generate.claims import procedure_rows
from x12kit.generate.draft import Draft, Spec, draft
from x12kit.generate.hltree import PartySetWriter, party_level
from x12kit.generate.parties import DMG_ROWS, dated, party_drafts, references
from x12kit.generate.tree import Node
from x12kit.models.eligibility import EligibilityInquiry

TRN = Spec("TRN", (("TRN01", "trace_type"), ("TRN02", "number"), ("TRN03", "originator"),
                   ("TRN04", "supplemental")))
EQ = Spec("EQ", (("EQ01", ("service_types", lambda q: tuple(q.service_types))),) +
          procedure_rows("EQ02", "procedure") + (("EQ03", "coverage_level"),))
DMG = Spec("DMG", DMG_ROWS)
SUBSCRIBER, DEPENDENT = "2000C", "2000D"


class InquirySetWriter(PartySetWriter):
    """One 270 set of inquiries built from their typed fields."""

    transaction, implementation, structure = "270", "005010X279A1", "0022"
    order = ("2000A", "2000B", "2000C", "2000D")

    @staticmethod
    def _key(model) -> tuple:
        return model.source, model.receiver, model.subscriber

    def _flush(self) -> None:
        if not self.held:
            return
        first, place = self.held[0]
        source = self.levels.level("2000A", first.source, lambda: party_level(
            "2000A", "20", "2100A", first.source, "/source", "2000B"), "", place)
        receiver = self.levels.level("2000B", first.receiver, lambda: party_level(
            "2000B", "21", "2100B", first.receiver, "/receiver", "2000C"), source, place)
        own = next(((m, p) for m, p in self.held if m.level == SUBSCRIBER), None)
        dependents = [(m, p) for m, p in self.held if m.level == DEPENDENT]
        with self.g.tagged(own[1] if own else place):
            subscriber = self.g.emit(self._person(own[0] if own else first, SUBSCRIBER,
                                                  bool(dependents), own is not None),
                                     self.levels.defs[SUBSCRIBER], receiver)
        for model, at in dependents:
            with self.g.tagged(at):
                self.g.emit(self._person(model, DEPENDENT, False, True),
                            self.levels.defs[DEPENDENT], subscriber)
        self.held = []

    @staticmethod
    def _person(model: EligibilityInquiry, level: str, has_dependents: bool,
                asks: bool) -> Node:
        """2000C or 2000D: HL, TRN; the name loop with DMG and DTP, and the questions."""
        name_loop, ask_loop = ("2100C", "2110C") if level == SUBSCRIBER else ("2100D", "2110D")
        party = model.subscriber if level == SUBSCRIBER else model.dependent
        where = "/subscriber" if level == SUBSCRIBER else "/dependent"
        drafts = [Draft("HL", {3: "22" if level == SUBSCRIBER else "23",
                               4: "1" if has_dependents else "0"}, {}, where)]
        name = party_drafts(party, where) if party is not None else []
        children = []
        if asks:
            drafts += [draft(TRN, t, f"/traces/{n}") for n, t in enumerate(model.traces)]
            if model.birth_date or model.gender:
                name.append(draft(DMG, model, ""))
            name += dated(model.dates, "/dates")
            children = [Node(ask_loop, [draft(EQ, q, f"/inquiries/{n}")] + dated(
                q.dates, f"/inquiries/{n}/dates") + references(
                q.references, f"/inquiries/{n}/references"))
                for n, q in enumerate(model.inquiries)]
        return Node(level, drafts, [Node(name_loop, name, children)],
                    later=frozenset(("2000D",)))

