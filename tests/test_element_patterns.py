"""The whole-segment patterns (``x12kit.validate.patterns``) against the detailed element
checks: a segment a pattern accepts must have no element findings. Random segments are
built for every segment definition of every registered guide from values near each check's
edges (codes, lengths, dates, times, numbers, separators, rules' presence combinations)."""
from __future__ import annotations

import os
import random

from x12kit.schema import default_registry
from x12kit.schema.model import CompositeDef, SegmentDef
from x12kit.segment import Delimiters, Segment
from x12kit.validate import elements
from x12kit.validate.elements import _check_elements, check_segment
from x12kit.validate.patterns import compile_segment

DELIMITERS = [Delimiters(), Delimiters("|", ">", "^", "~"), Delimiters("*", ":", "", "~"),
              Delimiters("-", ".", "^", "~")]
EDGE_VALUES = ["", "0", "1", "-1", "1.", ".5", "-.5", "1.2.3", "-", ".", "12345678901234567890",
               "20240229", "20230229", "20000229", "19000229", "20241301", "20240431", "000229",
               "240230", "2359", "2400", "235960", "2359599", "23595999", "D8", "RD8", "D6",
               "DT", "TM", "20240101-20240131", "20240101-2024013", "202401011230",
               "a", "A B", "é", "\udcff", "\t", "X" * 81]


def _definitions(schema):
    seen = {}
    for loop in schema.loops():
        for child in loop.children:
            if isinstance(child, SegmentDef):
                seen[id(child)] = child
    seen.update({id(d): d for d in schema.envelope.values()})
    return list(seen.values())


def _values(d, rng: random.Random, delims: Delimiters) -> str:
    """A value for an element or component definition, often valid, often just not."""
    pick = rng.random()
    if d is None or pick < 0.15:
        return rng.choice(EDGE_VALUES + [delims.component, delims.repetition or "^",
                                         "A" + delims.component + "B"])
    if d.codes and pick < 0.6:
        return rng.choice(sorted(d.codes))
    n = rng.choice([d.min_len - 1, d.min_len, d.max_len, d.max_len + 1,
                    rng.randint(max(d.min_len, 1), max(d.max_len, 1))])
    n = max(n, 0)
    if d.data_type[0] == "N" or d.data_type == "R":
        digits = "".join(rng.choice("0123456789") for _ in range(min(n, 30)))
        if d.data_type == "R" and digits and rng.random() < 0.5:
            at = rng.randint(0, len(digits))
            digits = digits[:at] + "." + digits[at:]
        return ("-" if rng.random() < 0.2 else "") + digits
    if d.data_type == "DT":
        return rng.choice(["20240229", "20230229", "20241231", "20241232", "240101", "2024011"])
    if d.data_type == "TM":
        return rng.choice(["1200", "2400", "120000", "1200001", "12000012", "12", "1260"])
    return "".join(rng.choice("AZaz09 -.,/&#") for _ in range(min(n, 90)))


def _element(d, rng, delims) -> str:
    if rng.random() < 0.3:
        return ""
    if isinstance(d, CompositeDef):
        parts = [_values(c, rng, delims) if rng.random() < 0.7 else ""
                 for c in d.components[1:]]
        if rng.random() < 0.1:
            parts.append(_values(None, rng, delims))
        while parts and rng.random() < 0.3:
            parts.pop()
        return delims.component.join(parts)
    return _values(d, rng, delims)


def _segments(definition: SegmentDef, rng: random.Random, delims: Delimiters, count: int):
    for _ in range(count):
        els = [definition.id] + [_element(d, rng, delims) for d in definition.elements[1:]]
        if rng.random() < 0.1:
            els.append(rng.choice(["", "X"]))
        cut = len(els)
        while cut > 1 and (rng.random() < 0.2 or not els[cut - 1]):
            cut -= 1
        yield Segment(tuple(els[:cut]), delimiters=delims)


def _definitions_of_every_guide() -> list[SegmentDef]:
    """Each distinct segment definition of the registered guides (the 837 guides and their
    errata share most of theirs)."""
    registry = default_registry()
    unique = {}
    for key in registry.keys():
        for definition in _definitions(registry.load(key)):
            unique.setdefault(definition, None)
    return list(unique)


def _disagreements(definitions: list, count: int, seed: int, delimiters: list) -> list:
    """Segments on which ``check_segment`` (pattern first) and the detailed checks differ;
    with no ``delimiters``, the definitions take turns with each set of separators."""
    rng = random.Random(seed)
    wrong = []
    for n, definition in enumerate(definitions):
        for delims in delimiters or [DELIMITERS[n % len(DELIMITERS)]]:
            for seg in _segments(definition, rng, delims, count):
                if check_segment(seg, definition, "") != _check_elements(seg, definition, ""):
                    wrong.append((definition.loop_id, seg.elements))
    return wrong


# X12KIT_PATTERN_ROUNDS=20 for a long run (about a minute a round, every definition with
# every set of separators)
ROUNDS = int(os.environ.get("X12KIT_PATTERN_ROUNDS", "0"))


def test_a_pattern_never_accepts_a_segment_with_findings(monkeypatch):
    monkeypatch.setattr(elements, "COMPILE_AFTER", 1)
    monkeypatch.setattr(elements, "_entries", {})
    monkeypatch.setattr(elements, "_latest", {})
    definitions = _definitions_of_every_guide()
    assert _disagreements(definitions, 4, 5010, []) == []
    for seed in range(ROUNDS):
        assert _disagreements(definitions, 60, seed, DELIMITERS) == []


def test_a_clean_segment_matches_its_pattern():
    schema = default_registry().load("837P")
    nm1 = schema.segment("2010AA", "NM1", "85")
    dtp = schema.segment("2400", "DTP", "472")
    assert compile_segment(nm1, Delimiters(), 10)("NM1*85*2*CLINIC*****XX*1234567893")
    assert not compile_segment(nm1, Delimiters(), 9)("NM1*85*2*CLINIC*****XX")  # P0809
    assert compile_segment(nm1, Delimiters(), 3) is None  # NM103 is required
    dates = compile_segment(dtp, Delimiters(), 4)
    assert dates("DTP*472*D8*20240229") and dates("DTP*472*RD8*20240101-20240131")
    assert not dates("DTP*472*D8*20230229") and not dates("DTP*472*D8*20240101-20240131")


def test_check_segment_gives_the_same_findings_before_and_after_compiling():
    schema = default_registry().load("837P")
    sv1 = schema.segment("2400", "SV1")
    good = Segment(("SV1", "HC:99213", "60", "UN", "1", "", "", "1"))
    bad = Segment(("SV1", "HC:99213", "6O", "UN", "1", "", "", "1"))
    before = [check_segment(s, sv1, "2400") for s in (good, bad)]
    for _ in range(20):
        after = [check_segment(s, sv1, "2400") for s in (good, bad)]
    assert before == after and after[0] == [] and after[1]
