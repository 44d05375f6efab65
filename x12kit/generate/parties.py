"""Tables shared by every transaction: names (NM1, N1) with address and references, dates.

A party's loop (2010AA, 1000A, 2330B ...) is found in the guide by the entity code its NM1
carries (``name_loop``), so no table lists which loop holds a rendering or a referring
provider: the compiled guide knows.
"""
from __future__ import annotations

from typing import Optional

from x12kit.generate.draft import Draft, Fixed, Period, Spec, by_identity, draft
from x12kit.generate.tree import Node
from x12kit.models.tree import Loop
from x12kit.models.values import DatedEvent, Party, Reference, dtm, dtp, ref
from x12kit.schema.model import LoopDef, SegmentDef

NM1 = Spec("NM1", (("NM101", "entity"), ("NM102", "entity_type"), ("NM103", "name"),
                   ("NM104", "first_name"), ("NM105", "middle_name"), ("NM107", "suffix"),
                   ("NM108", "id_qualifier"), ("NM109", "id")))
N1 = Spec("N1", (("N101", "entity"), ("N102", "name"), ("N103", "id_qualifier"),
                 ("N104", "id")))
N3 = Spec("N3", (("N301", "line1"), ("N302", "line2")))
N4 = Spec("N4", (("N401", "city"), ("N402", "state"), ("N403", "postal_code"),
                 ("N404", "country")))
REF = Spec("REF", (("REF01", "qualifier"), ("REF02", "value")), lambda s, m: ref(s) == m)
DTP = Spec("DTP", (("DTP01", "qualifier"), ("DTP02", ("dates", lambda e: Period(e.dates,
                                                                                  "format"))),
                   ("DTP03", ("dates", lambda e: Period(e.dates, "value")))),
           lambda s, m: dtp(s) == m)
DTM = Spec("DTM", (("DTM01", "qualifier"), ("DTM02", ("dates", lambda e: e.dates and
                                                      e.dates.start))),
           lambda s, m: dtm(s) == m)
DMG_ROWS = (("DMG01", Fixed("D8")), ("DMG02", "birth_date"), ("DMG03", "gender"))
PARTY_IDS = frozenset(("NM1", "N1", "N3", "N4", "REF"))  # and DMG where a model types it


def party_drafts(party: Party, where: str, name: Spec = NM1) -> list[Draft]:
    """The name segment, N3/N4 where the party has an address, and its REFs."""
    drafts = [draft(name, party, where)]
    if party.address is not None:
        if party.address.line1 or party.address.line2:
            drafts.append(draft(N3, party.address, f"{where}/address"))
        drafts.append(draft(N4, party.address, f"{where}/address"))
    drafts += references(party.references, f"{where}/references")
    return drafts


def references(refs: tuple[Reference, ...], where: str) -> list[Draft]:
    return [draft(REF, r, f"{where}/{n}") for n, r in enumerate(refs)]


def dated(events: tuple[DatedEvent, ...], where: str, spec: Spec = DTP) -> list[Draft]:
    return [draft(spec, e, f"{where}/{n}") for n, e in enumerate(events)]


def party_node(loop_id: str, party: Optional[Party], where: str, raw: Optional[Loop],
               extra: list[Draft] = (), name: Spec = NM1) -> Optional[Node]:
    if party is None:
        return None
    return Node(loop_id, party_drafts(party, where, name) + list(extra), raw=raw,
                typed=PARTY_IDS)


def name_loop(parent: LoopDef, entity: str) -> Optional[str]:
    """The child loop of ``parent`` whose NM1 (or N1) lists ``entity`` in its element 01."""
    return _named_loops(parent).get(entity)


@by_identity
def _named_loops(parent: LoopDef) -> dict[str, str]:
    """Per entity code, the first child loop of ``parent`` whose NM1 (or N1) lists it."""
    found: dict[str, str] = {}
    for child in parent.children:
        if not isinstance(child, LoopDef):
            continue
        first = next((c for c in child.children if isinstance(c, SegmentDef)), None)
        if first is not None and first.id in ("NM1", "N1") and first.qualifier is not None:
            for entity in first.qualifier.codes:
                found.setdefault(entity, child.id)
    return found


def raw_named(raw: Optional[Loop], loop_id: str, entity: str) -> Optional[Loop]:
    """The child loop of a loop as read with that id whose NM1 names ``entity``."""
    if raw is None:
        return None
    for child in raw.loops(loop_id):
        first = child.segment("NM1") or child.segment("N1")
        if first is not None and first.element(1) == entity:
            return child
    return None
