"""Rules hear loop ends from the walk (issue 9, "One walk"): a rule's close handlers run
exactly where the walk's loop events end the loops it names, whichever segment ends them,
though the feed steps the events only on the segment ids that can end those loops; and a
claim's finding lands on that claim, made where its 2300 ends."""
from __future__ import annotations

from decimal import Decimal
from functools import partial

import pytest

from tests.conftest import CORPUS, FIXTURES, corpus_files, corpus_id
from tests.test_rules_snip3 import P837, interchange
from x12kit.diagnostics import X12ReadError
from x12kit.reader import read_segments
from x12kit.schema import find_schema
from x12kit.segment import SET_EDGES
from x12kit.validate.rules import RuleFeed, rules_for
from x12kit.walk import LoopEvents, walk_stream

END = "end"   # heard at the set's end: its SE, what cuts the set short, or the input's end
CLAIM_LOOPS = {"837": ("2300", "2000B"), "835": ("2100",)}   # the loops the rules close


def _placed(source) -> list:
    placed = []
    try:
        placed.extend(walk_stream(read_segments(source)))
    except X12ReadError:
        pass  # what was read before the fault is what is checked
    return placed


def _with_schemas(placed: list) -> list:
    """Each placed segment with the schema of the set an ST opens (None for the others)."""
    out, gs08 = [], ""
    for p in placed:
        seg = p.segment
        sid = seg.elements[0]
        if sid == "GS":
            gs08 = seg.element(8)
        out.append((p, find_schema(seg.element(1), seg.element(3), gs08) if sid == "ST"
                    else None))
    return out


def _fed(placed: list, make_rules) -> list:
    """(segment number or END, what the rules returned there) over each set with a schema,
    fed through a ``RuleFeed`` as the pipeline feeds it: ST and SE are not fed, the set's
    end is ``finish``. ``make_rules(schema, at)``: the set's rules; ``at[0]`` holds the
    number of the segment being fed."""
    out, feed, at = [], None, [None]
    for p, schema in _with_schemas(placed):
        sid = p.segment.elements[0]
        if feed is not None and sid in SET_EDGES:
            at[0] = END
            out.append((END, feed.finish()))
            feed = None
        if schema is not None:
            feed = RuleFeed(make_rules(schema, at), schema)
        elif feed is not None:
            at[0] = p.segment.number
            out.append((at[0], feed.segment(p)))
    if feed is not None:
        at[0] = END
        out.append((END, feed.finish()))
    return out


def _walk_ends(placed: list, loops_of) -> list:
    """(loop id, segment number or END) of each end of a loop ``loops_of(schema)`` names,
    inside the sets with a schema, from the loop events of every segment (no feed, no rule)."""
    events, ends, loops = LoopEvents(), [], None
    for p, schema in _with_schemas(placed):
        seg = p.segment
        step = events.every_step(p)
        if loops is not None:
            at = END if seg.elements[0] in SET_EDGES else seg.number
            ends += [(loop, at) for loop in step.closed if loop in loops]
            if seg.elements[0] in SET_EDGES:
                loops = None
        if schema is not None:
            loops = loops_of(schema)
    if loops is not None:
        ends += [(loop, END) for loop in events.close() if loop in loops]
    return ends


class _Probe:
    """A rule that only listens: it notes each end of the loops it names, with the number of
    the segment being fed when it heard it."""

    snip = 3

    def __init__(self, loops, at: list, heard: list) -> None:
        self.loops, self.at, self.heard = loops, at, heard

    def each_handler(self):
        return []

    def each_closer(self):
        return [(loop_id, partial(self._end, loop_id)) for loop_id in self.loops]

    def _end(self, loop_id: str) -> None:
        self.heard.append((loop_id, self.at[0]))

    def finish(self):
        return []


def _heard(placed: list, loops_of) -> list:
    heard: list = []
    _fed(placed, lambda schema, at: [_Probe(loops_of(schema), at, heard)])
    return heard


def _claim_loops(schema) -> tuple:
    return CLAIM_LOOPS.get(schema.transaction, ())


def _every_loop(schema) -> tuple:
    return tuple({loop.id for loop in schema.loops()})


CLAIM_FILES = [p for kind in ("837P", "837I", "837D", "835") for p in corpus_files(kind)]


@pytest.mark.parametrize("path", CLAIM_FILES + sorted(FIXTURES.glob("*.x12")), ids=corpus_id)
def test_close_handlers_hear_each_end_of_the_claim_loops_where_the_walk_ends_it(path):
    placed = _placed(path)
    assert _heard(placed, _claim_loops) == _walk_ends(placed, _claim_loops)


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.x12")) + [
    CORPUS / "837P" / "imsweb__x12_complex.txt", CORPUS / "837I" / "vscodeedi__complete.edi",
    CORPUS / "835" / "oopfactory__835_WithMultipleInterchanges.txt"], ids=corpus_id)
def test_any_loop_a_rule_names_is_heard_where_it_ends(path):
    """One loop at a time, every loop of the guide: the segment ids the feed steps on
    (``events.ending_ids``) depend on the loops named."""
    placed = _placed(path)
    loops = {loop for schema in (s for _, s in _with_schemas(placed) if s is not None)
             for loop in _every_loop(schema)}
    assert loops
    for loop_id in sorted(loops):
        only = lambda schema, loop_id=loop_id: (loop_id,)  # noqa: E731
        assert _heard(placed, only) == _walk_ends(placed, only), loop_id


def _claim_charge_findings(placed: list) -> list:
    """(where it was made, the CLM it sits on) of each claim-charge-unbalanced finding."""
    fed = _fed(placed, lambda schema, at: rules_for(schema.key, 3))
    return [(at, d.set_position) for at, found in fed for d in found
            if d.code == "claim-charge-unbalanced"]


def _unbalanced_claims(placed: list) -> tuple[list, set]:
    """From the walk's loop events alone: (where its 2300 ends, its CLM) of each claim whose
    CLM02 is not the sum of its SV102, and the segments that ended a 2300."""
    events, claims, enders = LoopEvents(), [], set()
    clm = lines = None
    for p in placed:
        seg = p.segment
        step = events.every_step(p)
        if "2300" in step.closed and clm is not None:
            at = END if seg.elements[0] in SET_EDGES else seg.number
            enders.add((seg.elements[0], step.opened[-1:]))
            if Decimal(clm.element(2)) != lines:
                claims.append((at, clm.set_position))
            clm = None
        if "2300" in step.opened:
            clm, lines = seg, Decimal(0)
        elif seg.elements[0] == "SV1" and step.loop_id == "2400":
            lines += Decimal(seg.element(2))
    return claims, enders


def test_issue9_claims_ended_by_a_new_subscriber_level_are_judged_there():
    """A real file whose claims each end where the next subscriber's HL opens a 2000B,
    without a CLM in between (the last at the set's end): each unbalanced claim's finding
    sits on its CLM and is made at that HL."""
    placed = _placed(CORPUS / "837P" / "oopfactory__MedicaidExample.txt")
    expected, enders = _unbalanced_claims(placed)
    assert ("HL", ("2000B",)) in enders and len(expected) > 1
    assert _claim_charge_findings(placed) == expected


def test_issue9_a_claim_ended_by_a_patient_level_is_judged_there():
    """Claim lines followed by a 2000C HL under the same subscriber, that patient's claim,
    then a new subscriber without a claim: the first claim (unbalanced) is judged at the
    2000C HL, the patient's (unbalanced) at the next subscriber's HL, and nothing is
    carried from one claim to the next."""
    subscriber = P837.replace("HL*2*1*22*0~\nSBR*P*18*", "HL*2*1*22*1~\nSBR*P**")
    first_claim = subscriber.replace("SV1*HC:36415*40*", "SV1*HC:36415*45*")
    patient = """HL*3*2*23*0~
PAT*19~
NM1*QC*1*DOE*JOHN~
N3*2 ELM ST~
N4*PHOENIX*AZ*85004~
DMG*D8*20100612*M~
CLM*PCN2*80***11:B:1*Y*A*Y*Y~
HI*ABK:E119~
LX*1~
SV1*HC:99213*70*UN*1***1~
DTP*472*D8*20240102~
HL*4*1*22*0~
SBR*P*18*GRP2******CI~
NM1*IL*1*ROE*RICK****MI*X124~
NM1*PR*2*PAYER*****PI*87726~
"""
    placed = _placed(interchange(first_claim + patient, "837P"))
    expected, enders = _unbalanced_claims(placed)
    assert ("HL", ("2000C",)) in enders and ("HL", ("2000B",)) in enders
    assert len(expected) == 2
    assert _claim_charge_findings(placed) == expected
