"""SNIP 2 element checks of one placed segment against its compiled definition.

Each finding is a ``Diagnostic`` with ``element_ref`` ("CLM05-3"), ``ack_code`` = the 999
IK403 code and the offending value only in ``value`` (never in the message: PHI):

  1 required element missing        2 conditional required missing (P, R, C, L rules)
  3 too many elements               4 too short            5 too long
  6 invalid character / not a number of its type           7 invalid code value
  8 invalid date                    9 invalid time         10 exclusion violated (E rule)
  12 too many repetitions           13 too many components
  I10 "not used" element present    I12 implementation pattern (regex) not matched

IK402 wants the data element number: ``data_element(definition, ref)`` gives it.

This runs on every segment of very large files, so the common case is cheap: once a
definition has been used a few times, a clean segment is recognised by one regex match of
its text (``patterns``); only segments that do not match are checked element by element.
"""
from __future__ import annotations

import re
from typing import Optional

from x12kit.diagnostics import Diagnostic, Level, Severity
from x12kit.schema.model import CompositeDef, ElementDef, SegmentDef
from x12kit.segment import Delimiters, Segment
from x12kit.validate.patterns import compile_segment

_SPECS = {
    "1": ("element-missing", "required element {ref} missing"),
    "2": ("element-conditional-missing", "element {ref} required by syntax rule {rule}"),
    "3": ("element-too-many", "element {ref} is beyond the last element of the segment"),
    "4": ("element-too-short", "element {ref} shorter than {n}"),
    "5": ("element-too-long", "element {ref} longer than {n}"),
    "6": ("element-invalid-character", "element {ref} has characters invalid for type {t}"),
    "7": ("element-invalid-code", "element {ref} has a code value not allowed here"),
    "8": ("element-invalid-date", "element {ref} is not a valid date"),
    "9": ("element-invalid-time", "element {ref} is not a valid time"),
    "10": ("element-exclusion", "element {ref} excluded by syntax rule {rule}"),
    "12": ("element-too-many-repetitions", "element {ref} repeats more than {n} times"),
    "13": ("element-too-many-components", "element {ref} has more components than defined"),
    "I10": ("element-not-used", "element {ref} is marked not used"),
    "I12": ("element-pattern", "element {ref} does not match the guide's pattern"),
}
_REAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\Z")
_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_valid_dates: dict[str, bool] = {}


def data_element(definition: SegmentDef, ref: str) -> str:
    """The data element number (IK402) of an element or component ref of this segment."""
    for d in definition.elements:
        if d is None:
            continue
        if d.ref == ref:
            return d.data_ele
        if isinstance(d, CompositeDef):
            for c in d.components:
                if c is not None and c.ref == ref:
                    return c.data_ele
    return ""


def _date(value: str) -> bool:
    """CCYYMMDD, or YYMMDD (ISA09), a real calendar day."""
    known = _valid_dates.get(value)
    if known is not None:
        return known
    ok = False
    if len(value) in (6, 8) and value.isascii() and value.isdigit():
        year = int(value[:-4]) if len(value) == 8 else 2000 + int(value[:2])
        month, day = int(value[-4:-2]), int(value[-2:])
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        ok = 1 <= month <= 12 and 1 <= day <= (_DAYS[month] if month != 2 or leap else 28)
    if len(_valid_dates) > 50_000:
        _valid_dates.clear()
    _valid_dates[value] = ok
    return ok


def _time(value: str) -> bool:
    """HHMM, HHMMSS, HHMMSSd or HHMMSSdd."""
    if len(value) not in (4, 6, 7, 8) or not (value.isascii() and value.isdigit()):
        return False
    return value[:2] <= "23" and value[2:4] <= "59" and (len(value) == 4 or value[4:6] <= "59")


def _format_ok(fmt: str, value: str) -> Optional[bool]:
    """A DTP03/DTM06 value against its format qualifier; None for formats not checked."""
    if fmt == "D8":
        return len(value) == 8 and _date(value)
    if fmt == "RD8":
        start, dash, end = value.partition("-")
        return bool(dash) and len(start) == 8 == len(end) and _date(start) and _date(end)
    if fmt == "D6":
        return len(value) == 6 and _date(value)
    if fmt == "DT":
        return len(value) == 12 and _date(value[:8]) and _time(value[8:])
    if fmt == "TM":
        return _time(value)
    return None


class _Check:
    """Findings of one segment: collects (ack code, ref, value, template fields)."""

    __slots__ = ("seg", "loop_id", "found")

    def __init__(self, seg: Segment, loop_id: str):
        self.seg, self.loop_id, self.found = seg, loop_id, []

    def add(self, ack: str, ref: str, value: str = "", **fmt) -> None:
        code, template = _SPECS[ack]
        seg = self.seg
        self.found.append(Diagnostic(
            code, Severity.ERROR, template.format(ref=ref, **fmt), Level.ELEMENT, ack,
            seg.offset, seg.number, seg.set_position, seg.elements[0], ref, self.loop_id, 2,
            value))

    def value(self, d: ElementDef, v: str) -> None:
        """One non-empty value of a simple element (or component)."""
        dtype = d.data_type
        if dtype[0] == "N" or dtype == "R":
            core = v[1:] if v[:1] == "-" else v
            ok = (core.isascii() and core.isdigit()) if dtype != "R" else bool(_REAL.match(v))
            if not ok:
                self.add("6", d.ref, v, t=dtype)
            size = len(core) - core.count(".")
        else:
            size = len(v)
            if dtype == "DT":
                if not _date(v):
                    self.add("8", d.ref, v)
            elif dtype == "TM":
                if not _time(v):
                    self.add("9", d.ref, v)
            elif not (v.isascii() and v.isprintable()):
                self.add("6", d.ref, v, t=dtype)
        if size < d.min_len:
            self.add("4", d.ref, v, n=d.min_len)
        elif size > d.max_len:
            self.add("5", d.ref, v, n=d.max_len)
        if d.codes is not None and v not in d.codes:
            self.add("7", d.ref, v)
        if d.regex is not None and not re.search(d.regex, v):
            self.add("I12", d.ref, v)

    def simple(self, d: ElementDef, v: str, split: bool) -> None:
        if d.usage == "N":
            self.add("I10", d.ref, v)
            return
        delims = self.seg.delimiters
        if split and delims.component in v:
            self.add("13", d.ref, v)
            return
        if split and delims.repetition and delims.repetition in v:
            reps = v.split(delims.repetition)
            if len(reps) > d.repeat:
                self.add("12", d.ref, v, n=d.repeat)
            for rep in reps:
                if rep:
                    self.value(d, rep)
            return
        if d.codes is not None and v in d.codes and d.regex is None:
            return  # a listed code: length and characters were the guide's to get right
        self.value(d, v)

    def composite(self, d: CompositeDef, v: str) -> None:
        if d.usage == "N":
            self.add("I10", d.ref, v)
            return
        rep = self.seg.delimiters.repetition
        reps = v.split(rep) if rep and rep in v else (v,)
        if len(reps) > d.repeat:
            self.add("12", d.ref, v, n=d.repeat)
        for one in reps:
            if one:
                self.components(d, one.split(self.seg.delimiters.component))

    def components(self, d: CompositeDef, parts: list[str]) -> None:
        comps = d.components
        if len(parts) >= len(comps) and any(parts[len(comps) - 1:]):
            self.add("13", d.ref, self.seg.delimiters.component.join(parts))
        comp = self.seg.delimiters.component
        for c in range(1, len(comps)):
            cd = comps[c]
            pv = parts[c - 1] if c <= len(parts) else ""
            if not pv:
                if cd is not None and cd.usage == "R":
                    self.add("1", cd.ref)
            elif cd is None:
                self.add("13", f"{d.ref}-{c}", pv)
            elif cd.usage == "N":
                self.add("I10", cd.ref, pv)
            elif not _fast_ok(cd, pv, "", comp):
                self.value(cd, pv)
        for rule in d.rules:
            present = [p <= len(parts) and parts[p - 1] != "" for p in rule.positions]
            if rule.broken(present):
                self.rule(rule, present, lambda p: f"{d.ref}-{p}")

    def rule(self, rule, present: list[bool], ref) -> None:
        """Findings of a syntax rule already known to be broken (see ``SyntaxRule.broken``)."""
        kind, positions = rule.kind, rule.positions
        if kind == "E":
            for p in [p for p, here in zip(positions, present) if here][1:]:
                self.add("10", ref(p), rule=rule.code)
            return
        if kind == "R":
            missing = positions[:1]
        elif kind == "L":
            missing = positions[1:2]
        else:  # P: every absent one; C: the absent ones after the first
            start = 1 if kind == "C" else 0
            missing = [p for p, here in zip(positions[start:], present[start:]) if not here]
        for p in missing:
            self.add("2", ref(p), rule=rule.code)


def _fast_ok(d: ElementDef, v: str, rep: str, comp: str) -> bool:
    """The common clean case of a simple element, decided with C-level string calls only."""
    if d.usage == "N" or d.regex is not None:
        return False
    codes = d.codes
    if codes is not None:
        return v in codes
    if comp in v or (rep and rep in v):
        return False
    dtype = d.data_type
    if dtype == "AN":
        return d.min_len <= len(v) <= d.max_len and v.isascii() and v.isprintable()
    if dtype == "N0" or dtype == "ID":
        return d.min_len <= len(v) <= d.max_len and v.isascii() and (
            v.isprintable() if dtype == "ID" else v.isdigit())
    if dtype == "DT":
        return d.min_len <= len(v) <= d.max_len and _valid_dates.get(v) is True
    return False


# A definition's pattern is compiled on its COMPILE_AFTER-th use at an element count: a
# file of one claim uses each definition a few times and is checked sooner without
# compiling (about a millisecond each).
COMPILE_AFTER = 8
_MAX_MATCHERS = 4096
# The first _MAX_CLEAN texts a pattern matched are remembered: most segments of a file
# repeat one seen before (LX*1, DTP*472*D8*<date>, the SV1 of a common procedure), and a
# set lookup costs a fraction of a match (element checks of a 10,000-claim file: -20 %).
# A remembered text has exactly count - 1 separators, so an equal text of as many
# elements is the same segment.
_MAX_CLEAN = 1024
# By id(definition) for the delimiters last used: [definition, delimiters, element
# separator, {element count: uses so far (int), (fullmatch, clean texts), or False for no
# shortcut}]; other delimiters' entries by (id(definition), delimiters). An entry keeps
# its definition so that the id is not reused while the entry lives.
_entries: dict[tuple[int, Delimiters], list] = {}
_latest: dict[int, list] = {}


def _entry(definition: SegmentDef, delimiters: Delimiters) -> list:
    key = (id(definition), delimiters)
    entry = _entries.get(key)
    if entry is None:
        if len(_entries) >= _MAX_MATCHERS:
            _entries.clear()
            _latest.clear()
        entry = _entries[key] = [definition, delimiters, delimiters.element, {}]
    _latest[key[0]] = entry
    return entry


def _warm(entry: list, count: int, uses: int):
    """Count a use of the definition at this element count; compile on the
    COMPILE_AFTER-th. The shortcut, or None (not yet, or there is none)."""
    uses += 1
    if uses < COMPILE_AFTER:
        entry[3][count] = uses
        return None
    match = compile_segment(entry[0], entry[1], count)
    shortcut = entry[3][count] = (match, set()) if match is not None else False
    return shortcut or None


def check_segment(seg: Segment, definition: SegmentDef, loop_id: str = "") -> list[Diagnostic]:
    """Element findings of one segment; an empty list when it is clean."""
    els, _, _, _, delims, _ = seg
    entry = _latest.get(id(definition))
    if entry is None or (entry[1] is not delims and entry[1] != delims):
        entry = _entry(definition, delims)
    shortcut = entry[3].get(len(els), 0)
    if shortcut.__class__ is int:
        shortcut = _warm(entry, len(els), shortcut)
    if shortcut:
        text = entry[2].join(els)
        match, clean = shortcut
        if text in clean:
            return []
        if match(text):
            if len(clean) < _MAX_CLEAN:
                clean.add(text)
            return []
    return _check_elements(seg, definition, loop_id)


def compiled(definition: SegmentDef, delimiters: Delimiters, count: int):
    """The shortcut ``check_segment`` has compiled for segments of ``count`` elements: the
    pattern's ``fullmatch``, False where there is none, None where it is not compiled yet.
    For the validation lane in C (x12kit/_lane.c), which matches the element texts itself:
    a match means no findings, as here."""
    entry = _latest.get(id(definition))
    if entry is None or (entry[1] is not delimiters and entry[1] != delimiters):
        return None
    shortcut = entry[3].get(count)
    if shortcut is None or shortcut.__class__ is int:
        return None
    return shortcut[0] if shortcut else False


def _check_elements(seg: Segment, definition: SegmentDef, loop_id: str) -> list[Diagnostic]:
    """The detailed checks, element by element."""
    els = seg.elements
    defs = definition.elements
    n, ndefs = len(els), len(defs)
    check: Optional[_Check] = None
    split = els[0] != "ISA"  # ISA11 and ISA16 hold the separators themselves
    delims = seg.delimiters
    rep, comp = delims.repetition, delims.component
    for i in range(1, n if n < ndefs else ndefs):
        v = els[i]
        d = defs[i]
        if not v:
            if d is None or d.usage != "R":
                continue
        elif d is not None and split and d.__class__ is ElementDef and _fast_ok(d, v, rep, comp):
            continue
        check = check or _Check(seg, loop_id or definition.loop_id)
        if not v:
            check.add("1", d.ref)
        elif d is None:
            check.add("I10", f"{els[0]}{i:02d}", v)
        elif d.__class__ is CompositeDef:
            check.composite(d, v)
        else:
            check.simple(d, v, split)
    for i in range(ndefs, n):
        if els[i]:
            check = check or _Check(seg, loop_id or definition.loop_id)
            check.add("3", f"{els[0]}{i:02d}", els[i])
    for i in range(n, ndefs):
        d = defs[i]
        if d is not None and d.usage == "R":
            check = check or _Check(seg, loop_id or definition.loop_id)
            check.add("1", d.ref)
    for rule in definition.rules:
        present = [p < n and els[p] != "" for p in rule.positions]
        if rule.broken(present):
            check = check or _Check(seg, loop_id or definition.loop_id)
            check.rule(rule, present, lambda p: defs[p].ref if p < ndefs and defs[p]
                       else f"{els[0]}{p:02d}")
    for q, p in definition.date_formats:
        if p < n and els[p] and q < n and els[q] and _format_ok(els[q], els[p]) is False:
            check = check or _Check(seg, loop_id or definition.loop_id)
            check.add("9" if els[q] == "TM" else "8", defs[p].ref, els[p])
    return check.found if check is not None else []
