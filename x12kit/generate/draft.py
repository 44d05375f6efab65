"""Segments drafted from a model by a table, then finished against the guide.

A table row says which model field fills which element: ``("CLM02", "charge")``. A ``Spec``
lists the rows of one segment; ``draft(spec, model, where)`` reads the fields and gives a
``Draft``: the segment id and its typed element values by position, with the JSON pointer of
the field each came from. Nothing here knows a segment's layout: the element position is the
reference itself (``SV101-2`` is element 1, component 2) and ``finish`` takes names, codes,
lengths and usage from the compiled guide's ``SegmentDef``, so a bad value is reported with
the guide's own element name.

``finish`` lays the draft over the segment it replaces, when the model was read from a file:
elements the table does not type (CLM11 related causes, NM106 ...) keep what the file had.

Where ``x12kit/_drafts.c`` was built, ``drafted`` (the body of ``draft``) is its C version,
with ``py_drafted`` its specification; and ``finish`` hands a segment no file held to C's
``finished`` first, which gives it where it finds no problem and None otherwise, so that
every problem is still found and worded here. A model built anew (a billing system's own,
or ``x12kit build``'s from records) has every segment drafted and finished this way.
"""
from __future__ import annotations

import functools
import operator
import typing
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple, Optional, Union

from x12kit.generate.problems import Problem
from x12kit.models.values import day, money
from x12kit.schema.model import CompositeDef, ElementDef, SegmentDef
from x12kit.segment import NO_LAYOUT, Delimiters, Segment, parse_ref

MONEY = "782"  # the monetary amount data element: at most two decimals (X12.6 R, 5010 guides)


class Fixed(NamedTuple):
    """A constant element value (``("BHT01", Fixed("0019"))``): written in a new segment, and
    where the segment read from a file left the element empty."""

    value: str


class Part(NamedTuple):
    """Component ``n`` of a composite whose components ``parts`` gives, all at once, from
    one field of the model: ``("SV101-2", Part("procedure", procedure_parts, 2))``. The
    row of each component reads the field, and C reads it once for all of them."""

    field: str
    parts: Callable[[Any], tuple]
    n: int


# A row's source: a field name of the model, a constant, a part of a composite, or
# (pointer name, function of model)
Source = Union[str, Fixed, Part, tuple[str, Callable[[Any], Any]]]


class Spec(NamedTuple):
    """How one segment is drafted: its id and its rows (element reference, source).

    ``same(segment, model)`` tells, where the text can hold more than the model keeps (a
    DT date's time, an SV306 left out because it is 1), whether the segment the model was
    read from says just what the model says: then that segment is written unchanged."""

    id: str
    rows: tuple[tuple[str, Source], ...]
    same: Optional[Callable[[Segment, Any], bool]] = None


class Draft(NamedTuple):
    id: str
    values: dict          # position -> text, or {component: text} for a composite
    pointers: dict        # element reference -> JSON pointer of the field it came from
    where: str            # JSON pointer of the model the segment comes from
    defaults: frozenset = frozenset()  # positions given by ``Fixed``: the file's value wins
    given: dict = {}      # (position, component) -> the model's value, where read from a field
    same: Optional[Callable[[Segment], bool]] = None  # is a read segment this very model?
    whole: bool = False   # every element is typed (CAS, HI, PLB): none is kept from the file


def py_text(value) -> str:
    """A model value as element text: Decimal without exponent, dates as CCYYMMDD. ``text``
    is its C version where x12kit/_drafts.c was built."""
    kind = value.__class__  # the common kinds first, by exact class
    if kind is Decimal:
        return format(value, "f")
    if kind is date:
        return value.strftime("%Y%m%d")
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (Absent, Default)):
        return ""
    raise TypeError(f"no element text for {type(value).__name__}")


_FIELD, _FIXED, _READ, _PART = 0, 1, 2, 3  # a row's kinds, as x12kit/_drafts.c reads them


def by_identity(build):
    """Memoise ``build(x)`` by the identity of ``x``: a spec, segment or loop definition is
    a module or registry constant, and hashing one (functions, dicts and all) would cost
    more than building. ``x`` is kept alongside, so its id is not reused."""
    memo: dict[int, tuple[object, object]] = {}

    @functools.wraps(build)
    def cached(x):
        hit = memo.get(id(x))
        if hit is None or hit[0] is not x:
            hit = memo[id(x)] = (x, build(x))
        return hit[1]
    return cached


@by_identity
def _rows(spec: Spec) -> tuple:
    """A spec's rows with their references parsed once: (ref, position, component, kind,
    source, pointer suffix)."""
    found = []
    for ref, source in spec.rows:
        _, position, component = parse_ref(ref)
        if isinstance(source, Fixed):
            found.append((ref, position, component, _FIXED, source.value, ""))
        elif isinstance(source, Part):
            found.append((ref, position, component, _PART, source, "/" + source.field))
        elif isinstance(source, str):
            found.append((ref, position, component, _FIELD, source, "/" + source))
        else:
            found.append((ref, position, component, _READ, source[1],
                          "/" + source[0] if source[0] else ""))
    return tuple(found)


class _Drafting(NamedTuple):
    """What drafting a spec's segment takes, worked out once per spec."""

    rows: tuple          # (position, component, kind, source) per row
    pointers: tuple      # (element reference, pointer suffix) per row
    defaults: frozenset  # positions given by ``Fixed``


@by_identity
def _drafting(spec: Spec) -> _Drafting:
    rows = _rows(spec)
    return _Drafting(tuple((position, component, kind, source)
                           for _, position, component, kind, source, _ in rows),
                     tuple((ref, suffix) for ref, _, _, _, _, suffix in rows),
                     frozenset(position for _, position, _, kind, _, _ in rows
                               if kind == _FIXED))


def draft(spec: Spec, model, where: str) -> Draft:
    plan = _drafting(spec)
    return drafted(spec.id, plan.rows, plan.pointers, plan.defaults, spec.same, model, where)


def py_drafted(seg_id: str, rows: tuple, pointer_rows: tuple, defaults: frozenset,
               same: Optional[Callable], model, where: str) -> Draft:
    """The draft of one segment from ``model`` by a spec's rows (``_Drafting``) and its
    ``same``: the specification of ``drafted`` in C (x12kit/_drafts.c)."""
    values: dict = {}
    # the model's values that are not text, for ``_laid_over`` to read a file's text as
    # (a text value is its own element text, which ``_laid_over`` falls back to)
    given = {}
    for position, component, kind, source in rows:
        if kind == _FIXED:
            value = source
        else:
            value = (getattr(model, source) if kind == _FIELD else source(model)
                     if kind == _READ else _part(source, model))
            if value.__class__ is not str:
                given[position, component or 0] = (
                    value if value is not None or kind != _FIELD else _absent(model, source))
        if component is None:
            values[position] = value if value.__class__ in _KEPT else text(value)
        else:
            values.setdefault(position, {})[component] = (
                value if value.__class__ is str else text(value))
    pointers = {ref: where + suffix for ref, suffix in pointer_rows}
    return Draft(seg_id, values, pointers, where, defaults, given,
                 None if same is None else _same_for(same, model))


def _part(source: Part, model):
    return source.parts(getattr(model, source.field))[source.n - 1]


def _same_for(same: Callable[[Segment, Any], bool], model) -> Callable[[Segment], bool]:
    """A draft's ``same`` from its spec's ``same(segment, model)``."""
    return functools.partial(_model_second, same, model)


def _model_second(same: Callable[[Segment, Any], bool], model, seg: Segment) -> bool:
    return same(seg, model)


def made(spec: Spec, model, out: Delimiters) -> Segment:
    """The segment ``spec`` drafts from ``model`` where no file held one, as ``finish``
    gives it with no definition and no problems looked for, with no ``Draft`` between: a
    writer that echoes what it received unchecked makes many (the 999 of a file with many
    errors), and a draft's pointers and read values would serve no one."""
    width, rows = _plan(spec)
    elements = [spec.id] + [""] * width
    composites = None
    for position, component, read in rows:
        value = read(model)
        if value.__class__ is not str:
            value = "" if value is None else text(value) if component else _settled(value, out)
        if component is None:
            elements[position] = value
        else:
            if composites is None:
                composites = {}
            composites.setdefault(position, {})[component] = value
    if composites is not None:
        for position, parts in composites.items():
            elements[position] = _composite(parts, out)
    return Segment(tuple(_trimmed(elements)), delimiters=out)


def _settled(value, out: Delimiters) -> str:
    if value.__class__ is Period:
        return value.text(None)
    if value.__class__ is tuple:
        return (out.repetition or "^").join(value)
    return text(value)


@by_identity
def _plan(spec: Spec) -> tuple:
    """(the last position, (position, component, reader of the model) per row) of a spec."""
    rows = tuple((position, component, _reader(kind, source))
                 for _, position, component, kind, source, _ in _rows(spec))
    return max(r[0] for r in rows), rows


def _reader(kind: int, source) -> Callable[[Any], Any]:
    if kind == _FIXED:
        return lambda _model: source
    if kind == _PART:
        return functools.partial(_part, source)
    return operator.attrgetter(source) if kind == _FIELD else source


def new_segment(seg_id: str, values: dict, out: Delimiters) -> Segment:
    """A segment no file held, from its element values by position (a composite's as
    {component: text}), unchecked."""
    return Segment(tuple(_trimmed(_new_elements(seg_id, values, None, out))), delimiters=out)


def value_in(values: dict, position: int, component: int = 0) -> str:
    """The drafted text of an element (or of a composite's component) in a draft's
    values."""
    found = values.get(position, "")
    if isinstance(found, dict):
        return found.get(component or 1, "")
    return found if not component or component == 1 else ""


def finish(d: Draft, definition: Optional[SegmentDef], base: Optional[Segment],
           out: Delimiters, problems: Optional[list]) -> Segment:
    """The segment: ``base``'s elements (or none) with the drafted ones laid over, checked
    against ``definition``; problems are appended to ``problems`` (None: none are looked
    for, by a writer that echoes what it received, right or wrong: an acknowledgment)."""
    if base is None:
        if finished is not None:  # the same in C, where it finds no problem
            entries, formats = _new_plan(definition) if definition is not None else _NO_PLAN
            seg = finished(d.id, d.values, d.pointers, entries if problems is not None else (),
                           formats, out)
            if seg is not None:
                return seg
        # a new segment is drafted in the separators it is written in, so a value is
        # written as it is (a ":" is data where ">" separates components)
        elements = _new_elements(d.id, d.values, definition, out)
        delimiters = out
    else:
        if d.same is not None and d.same(base):
            return base
        delimiters = base.delimiters
        elements = _laid_over(d, definition, base)
        if elements is None:
            return base  # the model says what the file said: its segment, unchecked, as it was
    if definition is not None and problems is not None:
        _check(d, definition, elements, delimiters, out, base is None, problems)
    return settled_over(elements, base, delimiters)


def settled_over(elements: list, base: Optional[Segment], delimiters: Delimiters) -> Segment:
    """The segment of ``elements`` written over ``base`` (None: a new one): trailing empty
    elements the file wrote stay (they are its bytes); none are added."""
    keep = len(base.elements) if base is not None and not base.elements[-1] else 1
    return Segment(tuple(_trimmed(elements, keep)), delimiters=delimiters)


def _new_elements(seg_id: str, values: dict, definition: Optional[SegmentDef],
                  out: Delimiters) -> list:
    """The elements of a segment no file held: each drafted value at its position."""
    elements = [seg_id] + [""] * max(values, default=0)
    for position, value in values.items():
        kind = value.__class__
        if kind is dict:  # a composite's parts
            value = _composite(value, out)
        elif kind is not str:
            value = _settled_new(value, _format_codes(definition, position), out)
        elements[position] = value
    return elements


def _composite(parts: dict, out: Delimiters) -> str:
    """A composite's text from its parts by component (1 up)."""
    return out.component.join(_trimmed([parts.get(c, "") for c in range(1, max(parts) + 1)]))


def _laid_over(d: Draft, definition: Optional[SegmentDef], base: Segment) -> Optional[list]:
    """``base``'s elements with the drafted ones laid over where the text the file wrote
    does not read as the model's value; None where nothing changes."""
    delimiters = base.delimiters
    for position, value in d.values.items():
        if value.__class__ is Period:
            d.values[position] = value.text(_format_codes(definition, position))
        elif value.__class__ is tuple:
            d.values[position] = (delimiters.repetition or "^").join(value)
    elements = list(base.elements) if not d.whole else [d.id]
    changed = False
    defaults, given = d.defaults, d.given
    for position, value in d.values.items():
        if position in defaults and base.element(position):
            continue
        if value.__class__ is dict:  # a composite: laid over its first repetition
            width = max(value)
            repeated = base.repetitions(position) if position < len(
                elements) and elements[position] else [""]
            parts = repeated[0].split(delimiters.component) if repeated[0] else []
            parts += [""] * (width - len(parts))
            for c, part in value.items():
                if not _reads_as(parts[c - 1], given.get((position, c), part)):
                    parts[c - 1] = part
            value = (delimiters.repetition or "^").join(
                [delimiters.component.join(_trimmed(parts))] + repeated[1:])
        if position >= len(elements):
            elements += [""] * (position + 1 - len(elements))
        model_value = given.get((position, 0), value)
        written = elements[position]
        if not (written == model_value if model_value.__class__ is str
                else _reads_as(written, model_value)):
            changed = changed or written != value
            elements[position] = value
    if not changed if not d.whole else \
            tuple(_trimmed(elements)) == tuple(_trimmed(list(base.elements))):
        return None
    return elements


def _format_codes(definition: Optional[SegmentDef], position: int):
    """The date formats the guide allows for the date at ``position`` (or the format
    element itself), None where it does not say."""
    if definition is None:
        return None
    for fmt, value in definition.date_formats:
        if position in (fmt, value):
            element = definition.elements[fmt]
            return element.codes if element is not None else None
    return None


def _reads_as(written: str, value) -> bool:
    """Does the text a file wrote read as the model's value? Then it is written as it was
    ("5.00" for Decimal 5; a malformed date the model reads as None stays)."""
    kind = value.__class__
    if kind is str:
        return written == value
    if kind is Default:  # left out, or written as the very value
        return not written or money(written) == value.value
    if not written:
        return False
    if kind is Decimal:
        return money(written) == value
    if kind is date:
        return day(written) == value
    if isinstance(value, Absent):  # a malformed value the model could not read stays
        if value.kind is int:
            return not (written.isascii() and written.isdigit())
        return (day if value.kind is date else money)(written) is None
    if value is None:
        return money(written) is None and day(written) is None
    return False


class Period(NamedTuple):
    """A date or period for a format and value pair (DTP02/DTP03): D8 for one day where the
    guide allows it, else RD8 (837I statement dates take RD8 even for one day); settled in
    ``finish``, which knows the segment's definition."""

    dates: object  # a DateRange, or None
    part: str      # "format" or "value"

    def text(self, allowed) -> str:
        span = self.dates
        if span is None:
            return ""
        one = span.start == span.end and (allowed is None or "D8" in allowed)
        if self.part == "format":
            return "D8" if one else "RD8"
        return text(span.start) if one else f"{text(span.start)}-{text(span.end)}"


# element values settled only as the segment is finished (a Period's format depends on the
# guide; repetitions are joined by the separator written)
_KEPT = (str, Period, tuple)


class Default(NamedTuple):
    """A value the guide lets a segment leave out (SVC05 and SV306 units of 1): written as
    nothing, and a file that wrote it keeps it."""

    value: Decimal


def unless_default(field: str, default: Decimal):
    """A row source: the field's value, or ``Default`` where it is the guide's default."""
    return field, lambda m: (Default(default) if getattr(m, field) == default
                             else getattr(m, field))


class Absent(NamedTuple):
    """A field holding None (or a part of it missing), with the type it holds when it holds
    something: a text of the file that does not read as that type is kept."""

    kind: Optional[type]


def _absent(model, field: str) -> Absent:
    """What ``given`` holds for a model's field that holds None."""
    return _absences(type(model), field)


@functools.lru_cache(maxsize=None)
def _absences(cls: type, field: str) -> Absent:
    return Absent(_field_types(cls).get(field))


@functools.lru_cache(maxsize=None)
def _field_types(cls: type) -> dict:
    """A model's fields and the type each holds (``date`` for ``Optional[date]``)."""
    found = {}
    for name, hint in typing.get_type_hints(cls).items():
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        found[name] = args[0] if len(args) == 1 and isinstance(args[0], type) else hint
    return found


def _trimmed(values: list[str], keep: int = 1) -> list[str]:
    end = len(values)
    while end > keep and not values[end - 1]:
        end -= 1
    return values[:end]


class _Checked(NamedTuple):
    """What ``_check`` looks at in one element position of a segment, worked out once per
    definition: its definition, whether the guide requires it, and for a composite its
    defined parts as (component, definition, required)."""

    position: int
    element: Any                  # ElementDef or CompositeDef
    required: bool
    parts: Optional[tuple]        # None: a simple element
    first: str = ""               # a composite's first component's reference (CLM05-1)


@by_identity
def _checked(definition: SegmentDef) -> tuple[_Checked, ...]:
    found = []
    for position, element in enumerate(definition.elements):
        if element is None or position == 0:
            continue
        if element.__class__ is CompositeDef:
            parts = tuple((c, part, part.usage == "R")
                          for c, part in enumerate(element.components) if part is not None)
            found.append(_Checked(position, element, element.usage == "R", parts,
                                  element.ref + "-1"))
        else:
            found.append(_Checked(position, element, element.usage == "R", None))
    return tuple(found)


def _check(d: Draft, definition: SegmentDef, elements: list, delimiters: Delimiters,
           out: Delimiters, new: bool, problems: list) -> None:
    """Typed values against the guide; and, in a segment not read from a file (``new``),
    every required element. An element a file held and no row types is the file's: the
    validator speaks about it, not us."""
    separators = _separators(out, delimiters)
    pointers = d.pointers
    count = len(elements)
    typed_composites = None  # the composites (CLM05) a row of the table types a part of
    for position, element, required, parts, first in _checked(definition):
        value = elements[position] if position < count else ""
        if parts is None:
            if value:
                if element.ref in pointers:
                    found = (_repeated_fault(element, value, delimiters.repetition, separators)
                             if element.repeat > 1 else _fault(element, value, separators))
                    if found:
                        _report(d, element, found, problems)
            elif required and (new or element.ref in pointers):
                _missing(d, element, element.ref, problems)
        elif value:
            pieces = value.split(delimiters.component)
            for c, part, part_required in parts:
                piece = pieces[c - 1] if c <= len(pieces) else ""
                if piece:
                    if part.ref in pointers:
                        found = _fault(part, piece, separators)
                        if found:
                            _report(d, part, found, problems)
                elif part_required and (new or part.ref in pointers):
                    _missing(d, part, part.ref, problems)
        elif required:
            if not new and typed_composites is None:
                typed_composites = {ref.partition("-")[0] for ref in pointers if "-" in ref}
            if new or element.ref in typed_composites:
                _missing(d, element, first, problems)


_NO_PLAN = ((), None)


@by_identity
def _new_plan(definition: SegmentDef) -> tuple:
    """What ``finished`` (C) checks in a new segment of ``definition``, in plain values:
    ``_checked``'s entries, each element's rule as (codes, min_len, max_len, numeric,
    money), where ``_fault`` reads them; and the date formats by position."""
    entries = tuple(
        (position, element.ref, required, _rule(element), None) if parts is None else
        (position, element.ref, required, None,
         tuple((c, part.ref, part_required, _rule(part)) for c, part, part_required in parts))
        for position, element, required, parts, _ in _checked(definition))
    formats = {position: _format_codes(definition, position)
               for pair in definition.date_formats for position in pair}
    return entries, formats


def _rule(element: ElementDef) -> tuple:
    return (element.codes, element.min_len, element.max_len, _numeric(element),
            element.data_ele == MONEY)


def _numeric(element: ElementDef) -> bool:
    """Is the element's size its count of digits (``_fault``)?"""
    return element.data_type in ("R", "N0", "N2") or element.data_type.startswith("N")


def _settled_new(value, allowed, out: Delimiters) -> str:
    """The text of a new segment's value that is neither text nor a composite's parts
    (``_new_elements``, and ``finished`` in C): a Period's in the date formats ``allowed``,
    a repeating element's repetitions (EQ01) joined."""
    if value.__class__ is Period:
        return value.text(allowed)
    if value.__class__ is tuple:
        return (out.repetition or "^").join(value)
    return value


def _missing(d: Draft, element, ref: str, problems: list) -> None:
    problems.append(Problem("missing-required", d.pointers.get(ref, d.where),
                            _named(element), "is required and has no value"))


def _repeated_fault(element: ElementDef, value: str, repetition: str,
                    separators: frozenset) -> Optional[tuple[str, str]]:
    """The first fault of a repeating element's repetitions (EQ01), joined by the
    repetition separator."""
    for part in value.split(repetition) if repetition and repetition in value else (value,):
        found = _fault(element, part, separators)
        if found:
            return found
    return None


def _report(d: Draft, element: ElementDef, found: tuple[str, str], problems: list) -> None:
    problems.append(Problem(found[0], d.pointers[element.ref], _named(element), found[1]))


@functools.lru_cache(maxsize=64)
def _separators(out: Delimiters, delimiters: Delimiters) -> frozenset:
    return (frozenset(out) | frozenset(delimiters)) - {""}


# Values repeat heavily (codes, qualifiers, amounts, dates): each distinct one is checked once.
# The cache holds element texts in memory only, as the segments being written do.
@functools.lru_cache(maxsize=8192)
def _fault(element: ElementDef, value: str, separators: frozenset) -> Optional[tuple[str, str]]:
    if any(s in value for s in separators):
        return "separator-in-value", "holds one of the interchange's separators"
    if element.codes is not None and value not in element.codes:
        return "unknown-code", "is not a code the guide lists for this element"
    size = len(value)
    if _numeric(element):
        size = sum(ch.isdigit() for ch in value)
    if size > element.max_len:
        return "too-long", f"is {size} characters long, the guide allows {element.max_len}"
    if size < element.min_len:
        return "too-short", f"is {size} characters long, the guide needs {element.min_len}"
    if element.data_ele == MONEY and "." in value and len(value.split(".")[1]) > 2:
        return "decimals", "an amount has at most two decimals"
    return None


def _named(element) -> str:
    return f"{element.ref} {element.name}"


try:  # drafting, and a new segment finished, in C (x12kit/_drafts.c), where built
    from x12kit._drafts import bind as _bind, drafted, finished, text
except ImportError:  # pure Python: finish does it all
    drafted, finished, text = py_drafted, None, py_text
else:
    _bind(Segment, NO_LAYOUT, _settled_new, Draft, _KEPT, py_text, _absent, Decimal, _same_for)
