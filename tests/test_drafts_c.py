"""Drafting a segment, placing it and finishing one no file held, in C (x12kit/_drafts.c)
against their Python specification (``draft.py_drafted``, ``tree.py_matched``, and
``draft.finish`` with no base).

Every corpus file of the kinds the generator writes is generated from its models as read
and from the same models built anew (their records decoded, no loops: every segment is
drafted and checked), both ways: the same bytes and the same problems. While the C way runs,
each draft it makes is compared with ``py_drafted``'s, each place it finds with
``py_matched``'s, and each new segment it finishes with
the Python ``finish``'s: equal where Python finds no problem, None where it finds one.
Models made wrong on purpose, and values of odd kinds, are compared too. CI sets
X12KIT_REQUIRE_C=1, so that a build that silently skipped the extension fails.
"""
from __future__ import annotations

import functools
import os
import resource
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from x12kit import X12ReadError
from x12kit.generate import draft, tree
from x12kit.generate.draft import Draft, Fixed, Period, Spec
from x12kit.generate.records import decode
from x12kit.models import Claim, ClaimPayment, read
from x12kit.models.jsonify import to_json
from x12kit.models.values import DateRange
from x12kit.schema.registry import default_registry
from x12kit.segment import Delimiters

from .conftest import CORPUS, corpus_id
from .generate_helpers import generated
from .test_generate_roundtrip import FILES

built = draft.finished is not None
needs_c = pytest.mark.skipif(not built, reason="x12kit._drafts was not built here")
OUT = Delimiters()


def test_the_extension_is_there_where_required():
    if os.environ.get("X12KIT_REQUIRE_C") == "1":
        assert built, "x12kit._drafts is missing: the C compiler or the build failed"


def _models(path) -> list:
    try:
        return list(read(path))
    except X12ReadError:
        return []


def _anew(models: list) -> list:
    """The claims and claim payments built anew: each one's record decoded, with no loops as
    read (the other kinds' sets need the context their records carry)."""
    return [decode({"type": type(m).__name__, **to_json(m)}).model for m in models
            if isinstance(m, (Claim, ClaimPayment))]


class _Compared:
    """Spies on the C ``drafted`` and ``matched``, and on ``finish`` for segments no file
    held, comparing each with the Python way as it happens (the emitter numbers HL and LX
    values later, in place)."""

    def __init__(self, monkeypatch):
        self.drafts = self.segments = self.looked = self.matches = 0
        self.mismatches: list = []
        c_drafted, python_finish, c_matched = draft.drafted, draft.finish, tree.matched
        monkeypatch.setattr(draft, "drafted", self._drafted(c_drafted))
        monkeypatch.setattr(tree, "finish", self._finish(python_finish))
        monkeypatch.setattr(tree, "matched", self._matched(c_matched))

    def _drafted(self, c_drafted):
        def spy(*args):
            found = c_drafted(*args)
            expected = draft.py_drafted(*args)
            self.drafts += 1
            if _fields(found) != _fields(expected):
                self.mismatches.append(("drafted", args[0], _fields(found), _fields(expected)))
            return found
        return spy

    def _matched(self, c_matched):
        def spy(table, seg_id, values):
            found, expected = c_matched(table, seg_id, values), tree.py_matched(
                table, seg_id, values)
            self.matches += 1
            if found != expected:
                self.mismatches.append(("matched", seg_id, values, found, expected))
            return found
        return spy

    def _finish(self, python_finish):
        def spy(d, definition, base, out, problems):
            if base is not None:
                return python_finish(d, definition, base, out, problems)
            c_segment = _c_finished(d, definition, out, problems is not None)
            expected, found = _python_finished(d, definition, out, problems is not None)
            self.segments += 1
            if found:
                self.looked += 1
                if c_segment is not None:
                    self.mismatches.append(("a problem unseen", d.id, found))
            elif c_segment != expected or c_segment.delimiters != expected.delimiters:
                self.mismatches.append(("finished", d.id, c_segment, expected))
            if problems is not None:
                problems += found
            return expected
        return spy


def _fields(d: Draft) -> tuple:
    same = d.same
    return (d.id, d.values, d.pointers, d.where, d.defaults, d.given, d.whole,
            None if same is None else (same.func, same.args))


def _c_finished(d: Draft, definition, out: Delimiters, checked: bool):
    entries, formats = draft._new_plan(definition) if definition is not None else ((), None)
    return draft.finished(d.id, d.values, d.pointers, entries if checked else (), formats,
                          out)


def _python_finished(d: Draft, definition, out: Delimiters, checked: bool):
    """``finish`` with the C shortcut off: the segment and the problems found."""
    problems = [] if checked else None
    saved, draft.finished = draft.finished, None
    try:
        seg = draft.finish(d, definition, None, out, problems)
    finally:
        draft.finished = saved
    return seg, problems or []


def _pure_python(monkeypatch) -> None:
    monkeypatch.setattr(draft, "finished", None)
    monkeypatch.setattr(draft, "drafted", draft.py_drafted)
    monkeypatch.setattr(tree, "matched", tree.py_matched)


def _both_ways(models: list, monkeypatch) -> _Compared:
    with monkeypatch.context() as m:
        spies = _Compared(m)
        fast = generated(models, lenient=True)
    with monkeypatch.context() as m:
        _pure_python(m)
        slow = generated(models, lenient=True)
    assert spies.mismatches == []
    assert fast == slow
    return spies


@needs_c
@pytest.mark.parametrize("path", FILES, ids=corpus_id)
def test_corpus_models_are_written_alike_both_ways(path, monkeypatch):
    models = _models(path)
    if not models:
        pytest.skip("no models")
    _both_ways(models, monkeypatch)
    anew = _anew(models)
    if anew:
        _both_ways(anew, monkeypatch)


@needs_c
def test_the_comparison_sees_drafts_and_new_segments(monkeypatch):
    """Guards the test above: built anew, every segment of a claim is drafted and finished
    through the spies, and C finishes most of them itself."""
    claims = _claims()
    spies = _both_ways(claims, monkeypatch)
    assert spies.drafts > 10 * len(claims) and spies.segments > 15 * len(claims)
    assert spies.matches >= spies.segments
    assert spies.looked == 0


def _claims() -> list:
    """The claims of a corpus 837P, built anew."""
    return _anew(_models(CORPUS / "837P" / "lfhx12__demo.example1.837"))


WRONG = {  # a claim field made wrong, and the problem finish reports
    "pcn": ("X" * 39, "too-long"),
    "facility_qualifier": ("ZZ", "unknown-code"),
    "charge": (Decimal("10.125"), "decimals"),
    "release_of_information": ("", "missing-required"),
}


@needs_c
@pytest.mark.parametrize("field", sorted(WRONG))
def test_a_wrong_value_is_left_to_finish_which_reports_it(field, monkeypatch):
    value, code = WRONG[field]
    claims = _claims()
    claims[0] = claims[0]._replace(**{field: value})
    spies = _both_ways(claims, monkeypatch)
    assert spies.looked >= 1
    out, problems = generated(claims, lenient=True)
    assert code in {p.code for p in problems}


@needs_c
def test_a_separator_in_a_name_is_left_to_finish(monkeypatch):
    claims = _claims()
    subscriber = claims[0].subscriber
    claims[0] = claims[0]._replace(subscriber=subscriber._replace(
        party=subscriber.party._replace(name="SMITH*JONES")))
    spies = _both_ways(claims, monkeypatch)
    assert spies.looked >= 1


# -- odd values, one segment at a time -------------------------------------------------------
def _definition(loop_id: str, seg_id: str):
    schema, _ = default_registry().resolve("837", "005010X222A1")
    return next(c for c in schema.loop(loop_id).children if getattr(c, "id", "") == seg_id
                and not hasattr(c, "children"))


def _both(d: Draft, definition, checked: bool = True):
    c_segment = _c_finished(d, definition, OUT, checked)
    expected, problems = _python_finished(d, definition, OUT, checked)
    return c_segment, expected, problems


ODD_DRAFTS = [  # (draft, loop, segment): each finished by C as Python finishes it
    (Draft("DTP", {1: "472", 2: Period(DateRange(date(2024, 1, 2), date(2024, 1, 2)),
                                          "format"),
                   3: Period(DateRange(date(2024, 1, 2), date(2024, 1, 2)), "value")},
           {"DTP01": "/q"}, ""), "2400", "DTP"),
    (Draft("DTP", {1: "472", 2: Period(DateRange(date(2024, 1, 2), date(2024, 1, 9)),
                                          "format"),
                   3: Period(DateRange(date(2024, 1, 2), date(2024, 1, 9)), "value")},
           {"DTP01": "/q", "DTP03": "/d"}, ""), "2400", "DTP"),
    (Draft("SV1", {1: {1: "HC", 2: "99213", 3: "", 4: ""}, 2: "100", 3: "UN", 4: "1",
                   7: {1: "1"}}, {"SV101-2": "/p", "SV102": "/c"}, ""), "2400", "SV1"),
    (Draft("SV1", {1: {1: "HC", 2: "99213"}, 2: "1,00", 3: "UN", 4: "1", 7: {1: "1"}},
           {"SV102": "/c"}, ""), "2400", "SV1"),            # a comma: not digits, counted out
    (Draft("SV1", {1: {1: "HC", 2: "99213"}, 2: "100", 3: "UN", 4: "1", 7: {1: "1"}},
           {}, ""), "2400", "SV1"),                          # nothing typed: nothing checked
    (Draft("SV1", {1: {1: "XX"}, 2: "100", 3: "UN", 4: "1", 7: {1: "1"}},
           {"SV101-1": "/q"}, ""), "2400", "SV1"),           # an unknown code in a part
    (Draft("SV1", {1: {2: "99213"}, 2: "100", 3: "UN", 4: "1", 7: {1: "1"}},
           {}, ""), "2400", "SV1"),                          # a required part missing
    (Draft("SV1", {2: "100", 3: "UN", 4: "1"}, {}, ""), "2400", "SV1"),  # a composite missing
    (Draft("SV1", {1: {1: "HC", 2: "99213"}, 2: "١٠٠", 3: "UN", 4: "1", 7: {1: "1"}},
           {"SV102": "/c"}, ""), "2400", "SV1"),             # digits outside ASCII
    (Draft("NTE", {1: "ADD", 2: "A:B"}, {"NTE02": "/n"}, ""), "2300", "NTE"),
    (Draft("NTE", {1: "ADD", 2: ""}, {"NTE02": "/n"}, ""), "2300", "NTE"),
    (Draft("NTE", {1: "ADD", 2: "x" * 81}, {"NTE02": "/n"}, ""), "2300", "NTE"),
    (Draft("NTE", {1: "ADD", 2: "x" * 81}, {}, ""), "2300", "NTE"),
    (Draft("NTE", {1: "ADD", 2: ("A", "B")}, {"NTE02": "/n"}, ""), "2300", "NTE"),
    (Draft("NTE", {1: "ADD", 200: "x"}, {}, ""), "2300", "NTE"),
]


@needs_c
@pytest.mark.parametrize("case", range(len(ODD_DRAFTS)))
@pytest.mark.parametrize("checked", (True, False))
def test_odd_drafts_are_finished_as_python_finishes_them(case, checked):
    d, loop_id, seg_id = ODD_DRAFTS[case]
    c_segment, expected, problems = _both(d, _definition(loop_id, seg_id), checked)
    if c_segment is not None:
        assert not problems
        assert c_segment == expected and c_segment.delimiters == expected.delimiters


def test_the_odd_drafts_reach_both_outcomes():
    """Guards the test above: some odd drafts are finished in C, some left to Python."""
    if not built:
        pytest.skip("x12kit._drafts was not built here")
    outcomes = {_both(d, _definition(loop, seg))[0] is None for d, loop, seg in ODD_DRAFTS}
    assert outcomes == {True, False}


# segments Python finishes with no problem, then any text in one or two of their elements
# or parts: separators, digits of other scripts, decimals, empty
CLEAN = {
    ("2300", "CLM"): {1: "A1", 2: "100", 5: {1: "11", 2: "B", 3: "1"}, 6: "Y", 7: "A",
                      8: "Y", 9: "Y"},
    ("2400", "SV1"): {1: {1: "HC", 2: "99213"}, 2: "100", 3: "UN", 4: "1", 7: {1: "1"}},
    ("2400", "DTP"): {1: "472", 2: "D8", 3: "20240102"},
}
_TEXT = st.one_of(
    st.text(alphabet=st.sampled_from("0123456789.-*:^~>AZaz é٣\n"), max_size=12),
    st.from_regex(r"-?[0-9]{1,19}(\.[0-9]{0,4})?", fullmatch=True))  # amounts and sizes


def test_the_clean_segments_are_clean():
    for (loop_id, seg_id), values in CLEAN.items():
        assert _both(_typed(seg_id, values), _definition(loop_id, seg_id))[2] == []


def _typed(seg_id: str, values: dict) -> Draft:
    """A draft whose every element and part is typed by a row."""
    pointers = {}
    for p, v in values.items():
        for c in (v if isinstance(v, dict) else (0,)):
            pointers[f"{seg_id}{p:02d}" + (f"-{c}" if c else "")] = "/f"
    return Draft(seg_id, values, pointers, "")


@needs_c
@settings(max_examples=500, deadline=None)
@given(st.sampled_from(sorted(CLEAN)), st.data(), st.booleans())
def test_any_text_is_finished_as_python_finishes_it(where, data, checked):
    loop_id, seg_id = where
    values = dict(CLEAN[where])
    for _ in range(data.draw(st.integers(1, 2))):
        position = data.draw(st.sampled_from(sorted(values) + [10]))
        if isinstance(values.get(position), dict):
            values[position] = {**values[position],
                                data.draw(st.integers(1, 4)): data.draw(_TEXT)}
        else:
            values[position] = data.draw(_TEXT)
    c_segment, expected, problems = _both(_typed(seg_id, values),
                                          _definition(loop_id, seg_id), checked)
    if c_segment is None:
        assert problems or any(not v.isascii() for v in _texts(values))
    else:
        assert not problems
        assert c_segment == expected and c_segment.delimiters == expected.delimiters


def _texts(values: dict) -> list[str]:
    return [t for v in values.values() for t in (v.values() if isinstance(v, dict) else [v])]


@needs_c
def test_a_draft_with_no_definition_is_built_unchecked():
    d = Draft("ZZZ", {1: "A", 3: {1: "B", 2: ""}}, {}, "")
    c_segment = draft.finished(d.id, d.values, d.pointers, (), None, OUT)
    assert c_segment == draft.finish(d, None, None, OUT, [])
    assert c_segment.elements == ("ZZZ", "A", "", "B")


class _Model:
    """A model of every kind of value a row reads."""

    charge = Decimal("12.50")
    big = Decimal("1E+3")
    day = date(2024, 2, 29)
    early = date(999, 1, 1)
    count = 7
    nothing = None
    name = "SMITH"
    span = ("A", "B")


ODD_SPEC = Spec("ZZZ", (("ZZZ01", "charge"), ("ZZZ02", "big"), ("ZZZ03", "day"),
                        ("ZZZ04", "early"), ("ZZZ05", "count"), ("ZZZ06", "nothing"),
                        ("ZZZ07-1", "name"), ("ZZZ07-2", "charge"), ("ZZZ07-3", "nothing"),
                        ("ZZZ08", Fixed("X")), ("ZZZ09", ("span", lambda m: m.span)),
                        ("ZZZ10", ("", lambda m: Period(None, "value")))),
                lambda seg, m: True)


@needs_c
def test_odd_values_are_drafted_as_python_drafts_them():
    plan = draft._drafting(ODD_SPEC)
    args = (ODD_SPEC.id, plan.rows, plan.pointers, plan.defaults, ODD_SPEC.same, _Model(),
            "/m")
    assert _fields(draft.drafted(*args)) == _fields(draft.py_drafted(*args))
    assert draft.drafted(*args).values[4] == draft.py_text(date(999, 1, 1))


@needs_c
def test_an_error_of_a_row_comes_through():
    spec = Spec("ZZZ", (("ZZZ01", ("", lambda m: 1 / 0)),))
    plan = draft._drafting(spec)
    with pytest.raises(ZeroDivisionError):
        draft.drafted(spec.id, plan.rows, plan.pointers, plan.defaults, None, _Model(), "")
    with pytest.raises(AttributeError):
        draft.drafted("ZZZ", ((1, None, 0, "absent_field"),), (), frozenset(), None,
                      _Model(), "")


@needs_c
@pytest.mark.parametrize("args", [
    ("ZZZ", ((1,),), (), frozenset(), None, _Model(), ""),
    ("ZZZ", ((1, None, "0", "name"),), (), frozenset(), None, _Model(), ""),
    ("ZZZ", (), (("ZZZ01",),), frozenset(), None, _Model(), ""),
    ("ZZZ", (), (("ZZZ01", 5),), frozenset(), None, _Model(), ""),
    ("ZZZ", [], (), frozenset(), None, _Model(), ""),
])
def test_malformed_rows_raise_type_errors_not_crashes(args):
    with pytest.raises(TypeError):
        draft.drafted(*args)


@needs_c
@pytest.mark.parametrize("entries,out", [
    (((1,),), OUT), ((("1", "X", True, None, None),), OUT),
    (((1, "X", True, None, (5,)),), OUT), ((), ("*", ":")), ((), None),
])
def test_malformed_plans_raise_type_errors_not_crashes(entries, out):
    with pytest.raises(TypeError):
        draft.finished("ZZZ", {1: "A"}, {}, entries, None, out)


@needs_c
def test_many_calls_leave_memory_flat():
    d, loop_id, seg_id = ODD_DRAFTS[2]
    definition = _definition(loop_id, seg_id)
    entries, formats = draft._new_plan(definition)
    plan = draft._drafting(ODD_SPEC)
    model = _Model()
    table = tree._segment_table(default_registry().resolve("837", "005010X222A1")[0].loop(
        "2400"))

    def rounds(n: int) -> None:
        for _ in range(n):
            tree.matched(table, "DTP", {1: "472"})
            tree.matched(table, "SV1", {1: {1: "HC"}})
            draft.finished(d.id, d.values, d.pointers, entries, formats, OUT)
            draft.finished("NTE", {1: "ADD", 2: "x" * 81}, {"NTE02": "/n"}, entries, None,
                           OUT)
            draft.drafted(ODD_SPEC.id, plan.rows, plan.pointers, plan.defaults,
                          ODD_SPEC.same, model, "/m")
    rounds(20_000)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rounds(100_000)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 8_000  # KB


class _Text(str):
    pass


@needs_c
@pytest.mark.parametrize("value", [
    "A", "", _Text("B"), None, Decimal("12.50"), Decimal("1E+3"), Decimal("-0.00"),
    date(2024, 2, 29), date(999, 1, 1), datetime(2024, 1, 2, 3, 4), 7, True,
    draft.Absent(int), draft.Default(Decimal(1)),
])
def test_text_is_python_text(value):
    assert draft.text(value) == draft.py_text(value)
    assert type(draft.text(value)) is type(draft.py_text(value))


@needs_c
def test_text_of_what_has_none_raises_as_python():
    for call in (draft.text, draft.py_text):
        with pytest.raises(TypeError):
            call(object())


def test_same_for_binds_the_model_second():
    same = draft._same_for(lambda seg, model: (seg, model), "model")
    assert isinstance(same, functools.partial) and same("seg") == ("seg", "model")


@needs_c
@pytest.mark.parametrize("values", [
    {1: "472", 2: "D8"}, {1: "454"}, {1: "999"}, {}, {1: {1: "472"}}, {1: {2: "472"}},
    {1: Period(None, "format")}, {1: ("472",)},
])
def test_odd_values_are_placed_as_python_places_them(values):
    schema, _ = default_registry().resolve("837", "005010X222A1")
    table = tree._segment_table(schema.loop("2400"))
    for seg_id in ("DTP", "REF", "SV1", "ZZZ"):
        assert tree.matched(table, seg_id, values) == tree.py_matched(table, seg_id, values)


@needs_c
@pytest.mark.parametrize("args", [
    ({"DTP": (((0,),), None)}, "DTP", {}), ({"DTP": ((), )}, "DTP", {}),
    ({"DTP": (((0, (1, 0)),), None)}, "DTP", {}), ({}, 5, {}), ({}, "DTP"),
])
def test_malformed_tables_raise_type_errors_not_crashes(args):
    with pytest.raises(TypeError):
        tree.matched(*args)
