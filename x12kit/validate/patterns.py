"""One regular expression per segment definition, for the clean case of the element checks.

Most segments of a large file have nothing wrong with them, and checking one element by
element in Python costs microseconds. So a definition is also compiled to a pattern over
the segment's text (its elements joined by the element separator) that the C regex engine
matches in one call. The pattern is a sound shortcut, not a second implementation of the
checks: whatever it matches, the detailed checks would find nothing in; whatever it does not
match goes to the detailed checks, which also cover what the pattern leaves out
(repetitions, implementation regexes, the ISA's separator fields). ``tests/
test_element_patterns.py`` holds it to that against the detailed checks.

How the checks become pattern parts:
- a segment of n elements has a pattern of its own with exactly n - 1 element separators,
  each followed by the element's value or nothing; required elements need a value (none
  may lie past the end), "not used" and undefined ones must be empty;
- a value is a trie of the element's codes, or its type (digits, a real number, a calendar
  date, a time, printable ASCII) within its length; a separator is never part of a value;
- a composite is its components joined by the component separator, built the same way;
- syntax rules (P, R, C, E, L) become regex conditionals on which elements matched a value,
  placed after the last position the rule names; each leaf is decided by ``rule.broken``;
- a DTP03-like value must have the format its DTP02-like qualifier names (D8, RD8...).
"""
from __future__ import annotations

import re
from typing import Callable, Optional

from x12kit.schema.model import CompositeDef, ElementDef, SegmentDef, SyntaxRule
from x12kit.segment import Delimiters

Matcher = Callable[[str], Optional[re.Match]]

_MONTH_DAY = ("(?:(?:0[13578]|1[02])(?:0[1-9]|[12][0-9]|3[01])"
              "|(?:0[469]|11)(?:0[1-9]|[12][0-9]|30)|02(?:0[1-9]|1[0-9]|2[0-8]))")
_YY_LEAP = "(?:[02468][048]|[13579][26])"  # YY divisible by 4 (2000 + YY is then leap)
_CCYY_LEAP = f"(?:[0-9]{{2}}(?:0[48]|[2468][048]|[13579][26])|{_YY_LEAP}00)"
_DATE8 = f"(?:[0-9]{{4}}{_MONTH_DAY}|{_CCYY_LEAP}0229)"
_DATE6 = f"(?:[0-9]{{2}}{_MONTH_DAY}|{_YY_LEAP}0229)"
_HHMM = "(?:[01][0-9]|2[0-3])[0-5][0-9]"
_TIMES = {4: _HHMM, 6: _HHMM + "[0-5][0-9]", 7: _HHMM + "[0-5][0-9][0-9]",
          8: _HHMM + "[0-5][0-9][0-9]{2}"}
_FAIL = "(?!)"
# the formats the detailed checks test a DTP03-like value against, by length
_FORMATS = {"D8": {8: _DATE8}, "RD8": {17: f"{_DATE8}-{_DATE8}"}, "D6": {6: _DATE6},
            "DT": {12: _DATE8 + _HHMM}, "TM": _TIMES}


def compile_segment(definition: SegmentDef, delimiters: Delimiters,
                    count: int) -> Optional[Matcher]:
    """``fullmatch`` of the definition's pattern for segments of ``count`` elements (the id
    included), or None where there is no shortcut. One pattern per count: it then holds
    exactly count - 1 element separators, so a match also proves that no value contains
    one (a segment made in code may), and no element needs an "or the segment ended"."""
    if definition.id == "ISA":  # ISA11 and ISA16 are separators themselves
        return None
    if any(c.isalnum() for c in delimiters):  # the reader refuses these; so do the shapes
        return None
    try:
        pattern = _Builder(definition, delimiters).segment(count)
        return re.compile(pattern).fullmatch if pattern is not None else None
    except (re.error, RecursionError, OverflowError):
        return None


class _Builder:
    """The pattern text of one segment definition under one set of separators."""

    def __init__(self, definition: SegmentDef, delimiters: Delimiters):
        self.definition = definition
        self.seps = {c for c in (delimiters.element, delimiters.component,
                                 delimiters.repetition) if c}
        self.sep = re.escape(delimiters.element)
        self.comp = re.escape(delimiters.component)
        self.char = _char_class(self.seps)      # a character of an AN value
        self.sign = "" if "-" in self.seps else "-?"
        self.formats: dict[int, list[str]] = {}  # qualifier position -> its format groups

    def segment(self, count: int) -> Optional[str]:
        """None when a segment of ``count`` elements always has findings (a required
        element beyond its end)."""
        definition = self.definition
        defs = definition.elements
        if any(d is not None and d.usage == "R" for d in defs[count:]):
            return None
        named = {p for rule in definition.rules for p in rule.positions}
        qualifiers = {q for q, _ in definition.date_formats}
        dated = {p: q for q, p in definition.date_formats}
        due = _due(definition.rules)
        present: dict[int, str] = {}
        parts = [re.escape(definition.id)]
        for p in range(1, count):
            d = defs[p] if p < len(defs) else None
            if p in qualifiers:
                value = self.qualifier(d, p)
            elif p in dated:
                value = self.dated(d, p, dated[p])
            else:
                value = self.element(d, p)
            name = f"e{p}" if p in named and value is not None else None
            parts.append(_slot(value, d is not None and d.usage == "R", name, self.sep))
            if name:
                present[p] = name
            parts += [_rule_test(rule, present) for rule in due.pop(p, ())]
        parts += [_rule_test(rule, present) for rules in due.values() for rule in rules]
        return "".join(parts)

    def element(self, d, p: int) -> Optional[str]:
        """A non-empty value the detailed checks accept, or None: no shortcut."""
        if d is None or d.usage == "N":
            return None
        if isinstance(d, CompositeDef):
            return self.composite(d, p)
        return self.value(d)

    def value(self, d: ElementDef) -> Optional[str]:
        if d.regex is not None:
            return None
        if d.codes is not None:
            codes = sorted(c for c in d.codes if c and not self.seps.intersection(c))
            return _trie(codes) if codes else None
        dtype, low, high = d.data_type, max(d.min_len, 1), d.max_len
        if low > high:
            return None
        if dtype[0] == "N":
            return f"{self.sign}[0-9]{{{low},{high}}}"
        if dtype == "R":
            whole = f"{self.sign}[0-9]{{{low},{high}}}"
            if "." in self.seps:
                return whole
            # the length counts digits only: with its one point a number is one longer
            return (f"{whole}|{self.sign}(?=[0-9.]{{{low + 1},{high + 1}}}(?![0-9.]))"
                    "(?:[0-9]+\\.[0-9]*|\\.[0-9]+)")
        if dtype == "DT":
            return _either({8: _DATE8, 6: _DATE6}, low, high)
        if dtype == "TM":
            return _either(_TIMES, low, high)
        return f"{self.char}{{{low},{high}}}"

    def composite(self, d: CompositeDef, p: int) -> Optional[str]:
        """One repetition of a composite (a repeated one goes to the detailed checks: the
        repetition separator is no value character). Its components are built like the
        elements, except that a composite may end before any of them."""
        comps = d.components
        named = {c for rule in d.rules for c in rule.positions}
        ended = f"(?={self.sep}|\\Z)"
        due = _due(d.rules)
        present: dict[int, str] = {}
        parts = [f"(?!{self.sep}|\\Z)"]  # the composite as a whole is not empty
        for c in range(1, len(comps)):
            cd = comps[c]
            value = None if cd is None or cd.usage == "N" else self.value(cd)
            name = f"e{p}_{c}" if c in named and value is not None else None
            required = cd is not None and cd.usage == "R"
            slot = _slot(value, required, name, self.comp if c > 1 else "")
            # an optional component after the first may be cut off by the composite's end
            parts.append(slot if c == 1 or required else f"(?:{slot}|{ended})")
            if name:
                present[c] = name
            parts += [_rule_test(rule, present) for rule in due.pop(c, ())]
        parts.append(f"(?:{self.comp})*{ended}")  # components past the definition: empty
        parts += [_rule_test(rule, present) for rules in due.values() for rule in rules]
        return "".join(parts)

    # -- date qualifier and value pairs (DTP02/DTP03, DTM05/DTM06) --------------------------
    def qualifier(self, d, p: int) -> Optional[str]:
        """A format qualifier: each format the detailed checks know gets a group that the
        value looks at; its other codes match as usual."""
        plain = self.element(d, p)
        if plain is None:
            return None
        named = [f for f in _FORMATS if d.codes is not None and f in d.codes
                 and not self.seps.intersection(f)]
        self.formats[p] = named
        others = "|".join(_FORMATS)  # a format with no group of its own: no shortcut
        return "|".join([f"(?P<f{p}{f}>{f})" for f in named]
                        + [f"(?!(?:{others})(?:{self.sep}|\\Z)){plain}"])

    def dated(self, d, p: int, q: int) -> Optional[str]:
        """A value in the format its qualifier names, else its plain pattern."""
        plain = self.element(d, p)
        if plain is None:
            return None
        shaped = (isinstance(d, ElementDef) and d.codes is None and d.regex is None
                  and d.data_type not in ("R", "DT", "TM") and d.data_type[0] != "N")
        out = f"(?:{plain})"
        for f in reversed(self.formats.get(q, ())):
            shape = None
            if shaped and not (f == "RD8" and "-" in self.seps):
                shape = _either(_FORMATS[f], max(d.min_len, 1), d.max_len)
            out = f"(?(f{q}{f}){shape or _FAIL}|{out})"
        return out


def _slot(value: Optional[str], required: bool, name: Optional[str], sep: str) -> str:
    """One element or component position: its separator, then a value (a group when a
    rule or a date format looks at it) or, unless required, nothing."""
    if value is None:  # no value the shortcut accepts: it must be empty
        return _FAIL if required else sep
    group = f"(?P<{name}>{value})" if name else f"(?:{value})"
    return sep + group if required else f"{sep}{group}?"


def _due(rules: tuple) -> dict[int, list[SyntaxRule]]:
    """Rules by the last position they name: there all they look at is known."""
    due: dict[int, list[SyntaxRule]] = {}
    for rule in rules:
        due.setdefault(max(rule.positions), []).append(rule)
    return due


def _rule_test(rule: SyntaxRule, present: dict[int, str]) -> str:
    """A zero-width test that fails when the rule is broken: a decision tree over the groups
    of its positions (a position without a group never holds a value)."""
    positions = rule.positions

    def tree(i: int, seen: list[bool]) -> str:
        if i == len(positions):
            return _FAIL if rule.broken(seen) else ""
        name = present.get(positions[i])
        absent = tree(i + 1, seen + [False])
        if name is None:
            return absent
        here = tree(i + 1, seen + [True])
        return here if here == absent else f"(?({name}){here}|{absent})"
    return tree(0, [])


def _trie(words: list[str]) -> str:
    """An alternation of literal codes that the regex engine matches in one pass: codes
    sharing a first character share a branch (a trie), so 1,000 codes cost a few steps;
    codes that end one character on make a character class."""
    branches: dict[str, list[str]] = {}
    ends = False
    for word in words:
        if word:
            branches.setdefault(word[0], []).append(word[1:])
        else:
            ends = True
    last = [re.escape(c) for c, rest in branches.items() if rest == [""]]
    alts = [re.escape(c) + _trie(rest) for c, rest in branches.items() if rest != [""]]
    if last:
        alts.append(f"[{''.join(last)}]" if len(last) > 1 else last[0])
    if not alts:
        return ""
    if len(alts) == 1 and not ends:
        return alts[0]
    return f"(?:{'|'.join(alts)})" + ("?" if ends else "")


def _either(shapes: dict[int, str], low: int, high: int) -> Optional[str]:
    """The shapes whose length is within [low, high], as one alternation (None: none)."""
    fit = [s for n, s in shapes.items() if low <= n <= high]
    return "(?:" + "|".join(fit) + ")" if fit else None


def _char_class(excluded: set) -> str:
    """Printable ASCII (what ``isascii() and isprintable()`` accepts) less the separators,
    as ranges (a short class parses fast)."""
    ranges: list[list[int]] = []
    for c in range(0x20, 0x7F):
        if chr(c) in excluded:
            continue
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return "[" + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "")
                         for a, b in ranges) + "]"
