"""Envelope checks (SNIP level 1): ISA/GS/ST nesting, counts and control numbers.

Theory of operation. ``x12kit.frames`` follows the three nested frames of the envelope
(interchange, group, transaction set). The checker reads its moves: each frame a header or a
trailer closes before its own is a missing trailer; a trailer checks its counts and control
numbers against the frame it closes; a header is checked against the frame it opens in. Every
other segment must sit inside a set, where it is counted.

Findings are ``Diagnostic`` values naming the acknowledgment code that reports them: TA1 note
codes (TA105) for the interchange, 999 AK905 for groups, 999 IK502 for sets.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from .diagnostics import Diagnostic, Level, Severity
from .frames import CLOSES, OPENS, EnvelopeFrames, Frame, Move
from .segment import Segment, shown_id

NO_FINDINGS: tuple[Diagnostic, ...] = ()  # shared: most segments have none
NAMES = {1: "interchange", 2: "functional group", 3: "transaction set"}
TRAILERS = {depth: trailer for trailer, depth in CLOSES.items()}
TRAILER_MISSING = "trailer-missing"  # the one finding a header makes about the frames it closes
LEVELS = {1: Level.INTERCHANGE, 2: Level.GROUP, 3: Level.TRANSACTION}
# (code when a trailer is missing, when a count differs, when a control number differs)
TRAILER_CODES = {1: ("023", "021", "001"), 2: ("3", "5", "4"), 3: ("2", "4", "3")}

# ST01 -> the GS01 functional identifier its group must carry
FUNCTIONAL_IDS = {"837": "HC", "835": "HP", "270": "HS", "271": "HB", "276": "HR", "277": "HN",
                  "999": "FA", "997": "FA", "834": "BE", "278": "HI", "820": "RA", "275": "PI",
                  "824": "AG", "TA1": ""}

# Duplicate control numbers are looked for among the first this many of an envelope, so
# memory stays bounded on files of millions of sets.
MAX_TRACKED = 100_000
KNOWN_GROUPS = frozenset(g for g in FUNCTIONAL_IDS.values() if g)
_QUALIFIERS = {"01", "14", "20", "27", "28", "29", "30", "33", "ZZ"}
_DIGITS = re.compile(r"^\d+$")
_YYMMDD = re.compile(r"^\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$")
_CCYYMMDD = re.compile(r"^(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$")
_HHMM = re.compile(r"^([01]\d|2[0-3])[0-5]\d([0-5]\d(\d{1,2})?)?$")

# ISA element: (width, TA1 note code, test of the value or None)
ISA_FIELDS = {
    1: (2, "010", {"00", "03"}.__contains__), 2: (10, "011", None),
    3: (2, "012", {"00", "01"}.__contains__), 4: (10, "013", None),
    5: (2, "005", _QUALIFIERS.__contains__), 6: (15, "006", None),
    7: (2, "007", _QUALIFIERS.__contains__), 8: (15, "008", None),
    9: (6, "014", _YYMMDD.match), 10: (4, "015", lambda v: _HHMM.match(v) and len(v) == 4),
    12: (5, "017", {"00401", "00501"}.__contains__), 13: (9, "018", _DIGITS.match),
    14: (1, "019", {"0", "1"}.__contains__), 15: (1, "020", {"P", "T"}.__contains__),
}


def by_frame(found: list[Diagnostic]) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """The findings ``check`` gave for a header (ISA, GS, ST), split between the frames the
    header closed (their trailers missing) and the header's own frame."""
    closed = [d for d in found if d.code == TRAILER_MISSING]
    return closed, [d for d in found if d.code != TRAILER_MISSING]


class EnvelopeChecker:
    """Feed it every segment in order (``check``), then ``finish``; both return findings.

    ``frames`` holds the open envelope levels, outermost first, so a caller can always tell
    which interchange, group and set the current segment belongs to; ``moved`` is what the
    last segment checked did to them (None for a segment that is no header or trailer)."""

    def __init__(self) -> None:
        self._frames = EnvelopeFrames()
        self.moved: Move | None = None
        self._interchange_numbers: set[str] = set()
        self._last: Segment | None = None

    @property
    def frames(self) -> list[Frame]:
        return self._frames.open

    def check(self, seg: Segment) -> Sequence[Diagnostic]:
        self._last = seg
        seg_id = seg.elements[0]
        if seg_id in OPENS or seg_id in CLOSES:
            moved = self.moved = self._frames.follow(seg)
            if moved.opened is not None:
                return self._opened(moved, seg)
            return self._closed(CLOSES[seg_id], moved, seg)
        self.moved = None
        frames = self._frames.open
        if frames and (frames[-1].depth == 3 or (seg_id == "TA1" and frames[-1].depth == 1)):
            frames[-1].count += frames[-1].depth == 3  # a TA1 answers inside the interchange
            return NO_FINDINGS if seg.layout.terminated else [self._cut_off(seg)]
        where = NAMES[frames[-1].depth] if frames else "any interchange"
        code = "018" if not frames else ("024" if frames[-1].depth == 1 else "18")
        level = Level.INTERCHANGE if len(frames) < 2 else Level.GROUP
        return [_finding("segment-outside-set", f"segment outside a transaction set, in {where}",
                         level, code, seg)]

    @property
    def in_set(self) -> bool:
        """Whether a transaction set is open (its ordinary segments are only counted)."""
        frames = self._frames.open
        return bool(frames) and frames[-1].depth == 3

    def count_set_segments(self, n: int, last: Segment) -> None:
        """Count ``n`` ordinary, terminated segments of the open set, ``last`` the latest,
        without looking at them: what ``check`` would do for each, at a fraction of the
        cost (the validation pipeline's fast path)."""
        self._frames.open[-1].count += n
        self._last = last

    def finish(self) -> list[Diagnostic]:
        """Close what the input left open: each open frame is a missing trailer."""
        closed = self._frames.close_all()
        self.moved = Move(closed, None)
        if self._last is None:
            return []
        return [_missing(frame, self._last, at_end=True) for frame in closed]

    def current(self, depth: int) -> Segment | None:
        """The header (ISA, GS or ST) of the open frame at ``depth``, if any."""
        frame = self._frames.frame(depth)
        return frame.header if frame is not None else None

    # -- opening and closing ---------------------------------------------------------------

    def _opened(self, moved: Move, seg: Segment) -> list[Diagnostic]:
        found = [_missing(frame, seg) for frame in moved.closed]
        frame = moved.opened
        depth = frame.depth
        frames = self._frames.open
        parent = frames[-2] if len(frames) > 1 else None
        if depth > 1 and (parent is None or parent.depth != depth - 1):
            found.append(_finding(
                "header-outside-envelope", f"{seg.id} outside an open {NAMES[depth - 1]}",
                LEVELS[max(1, depth - 1)], "024" if depth == 2 else "18", seg))
        found += HEADER_CHECKS[depth](self, seg, parent)
        if parent is not None:
            parent.count += 1
        if depth == 3:
            frame.count = 1  # ST counts itself
        return found

    def _closed(self, depth: int, moved: Move, seg: Segment) -> list[Diagnostic]:
        if not moved.closed:
            return [_finding("trailer-without-header", f"{seg.id} with no open "
                             f"{NAMES[depth]}", LEVELS[depth], TRAILER_CODES[depth][0], seg)]
        *deeper, frame = moved.closed
        found = [_missing(deeper_frame, seg) for deeper_frame in deeper]
        if depth == 3:
            frame.count += 1  # SE counts itself
        _check_trailer(frame, seg, found)
        return found

    def _cut_off(self, seg: Segment) -> Diagnostic:
        return _finding("segment-unterminated", "the input ends inside this segment",
                        Level.INTERCHANGE, "023", seg)

    # -- headers ------------------------------------------------------------------------------

    def _check_isa(self, seg: Segment, parent: Frame | None) -> list[Diagnostic]:
        found = []
        elements = seg.elements
        if len(elements) != 17:
            found.append(_finding("isa-element-count", f"ISA has {len(elements) - 1} elements, "
                                  "16 expected", Level.INTERCHANGE, "022", seg))
        for n, (width, code, test) in ISA_FIELDS.items():
            value = seg.element(n)
            if len(value) != width or (test is not None and not test(value)):
                found.append(_finding("isa-field-invalid", f"ISA{n:02d} is not a valid "
                                      f"{width}-character value", Level.INTERCHANGE, code, seg,
                                      f"ISA{n:02d}", value=value))
        found += _check_repetition_separator(seg)
        number = seg.element(13)
        if number in self._interchange_numbers:
            found.append(_finding("isa-control-number-repeated", "ISA13 repeats an earlier "
                                  "interchange's control number", Level.INTERCHANGE, "025", seg,
                                  "ISA13", Severity.WARNING, value=number))
        if len(self._interchange_numbers) < MAX_TRACKED:
            self._interchange_numbers.add(number)
        return found

    def _check_gs(self, seg: Segment, parent: Frame | None) -> list[Diagnostic]:
        found = []
        if len(seg.elements) != 9:
            found.append(_finding("gs-element-count", f"GS has {len(seg.elements) - 1} "
                                  "elements, 8 expected", Level.INTERCHANGE, "024", seg))
        tests = {1: (KNOWN_GROUPS.__contains__, "024", "a known functional identifier"),
                 4: (_CCYYMMDD.match, "024", "a CCYYMMDD date"),
                 5: (_HHMM.match, "024", "an HHMM time"),
                 6: (lambda v: _DIGITS.match(v) and len(v) <= 9, "6", "a number of 1-9 digits"),
                 8: (bool, "2", "a version/release/industry identifier")}
        for n, (test, code, what) in tests.items():
            value = seg.element(n)
            if not test(value):
                level = Level.GROUP if code in ("2", "6") else Level.INTERCHANGE
                found.append(_finding("gs-field-invalid", f"GS{n:02d} is not {what}", level,
                                      code, seg, f"GS{n:02d}", value=value))
        found += _check_unique(parent, seg, 6, "GS06", Level.GROUP, "6")
        return found

    def _check_st(self, seg: Segment, parent: Frame | None) -> list[Diagnostic]:
        found = []
        st01, st02, st03 = seg.element(1), seg.element(2), seg.element(3)
        group = parent.header if parent is not None and parent.depth == 2 else None
        gs01 = group.element(1) if group else ""
        if st01 not in FUNCTIONAL_IDS or (group and FUNCTIONAL_IDS[st01] != gs01):
            found.append(_finding("st-identifier-invalid", f"ST01 {st01} does not belong in a "
                                  f"group with GS01 {gs01 or '(none)'}", Level.TRANSACTION, "6",
                                  seg, "ST01"))
        if not (4 <= len(st02) <= 9):
            found.append(_finding("st-control-number-invalid", "ST02 is not 4-9 characters",
                                  Level.TRANSACTION, "7", seg, "ST02", value=st02))
        found += _check_unique(parent, seg, 2, "ST02", Level.TRANSACTION, "23")
        if st03 and group is not None and st03 != group.element(8):
            found.append(_finding("st-implementation-mismatch", f"ST03 {st03} differs from GS08"
                                  f" {group.element(8)}", Level.TRANSACTION, "19", seg, "ST03"))
        return found


HEADER_CHECKS = {1: EnvelopeChecker._check_isa, 2: EnvelopeChecker._check_gs,
                 3: EnvelopeChecker._check_st}


def check_envelope(segments: Iterable[Segment]) -> Iterator[Diagnostic]:
    """The envelope findings of a whole stream, in order."""
    checker = EnvelopeChecker()
    for seg in segments:
        yield from checker.check(seg)
    yield from checker.finish()


def _missing(frame: Frame, seg: Segment, at_end: bool = False) -> Diagnostic:
    """A frame closed without its trailer, found at ``seg`` (or at the end of the input)."""
    place = "the end of the input" if at_end else f"{seg.id}"
    return _finding(TRAILER_MISSING, f"{TRAILERS[frame.depth]} missing: {NAMES[frame.depth]} "
                    f"opened at segment #{frame.header.number} still open at {place}",
                    LEVELS[frame.depth], TRAILER_CODES[frame.depth][0], seg,
                    TRAILERS[frame.depth] + "01")


def _check_trailer(frame: Frame, seg: Segment, found: list[Diagnostic]) -> None:
    depth, header = frame.depth, frame.header
    missing, count_code, number_code = TRAILER_CODES[depth]
    counted = {1: "groups", 2: "transaction sets", 3: "segments"}[depth]
    said = seg.element(1)
    if said != str(frame.count):
        found.append(_finding("trailer-count-mismatch", f"{seg.id}01 says {said or '(empty)'} "
                              f"{counted}, the {NAMES[depth]} has {frame.count}", LEVELS[depth],
                              count_code, seg, f"{seg.id}01"))
    header_ref = {1: 13, 2: 6, 3: 2}[depth]
    if seg.element(2) != header.element(header_ref):
        found.append(_finding("control-number-mismatch", f"{seg.id}02 differs from "
                              f"{header.id}{header_ref:02d}", LEVELS[depth], number_code, seg,
                              f"{seg.id}02", value=seg.element(2)))


def _check_unique(parent: Frame | None, seg: Segment, n: int, ref: str, level: Level,
                  code: str) -> list[Diagnostic]:
    if parent is None:
        return []
    number = seg.element(n)
    if number in parent.control_numbers:
        return [_finding("control-number-repeated", f"{ref} repeats a control number of the "
                         "same envelope", level, code, seg, ref, value=number)]
    if len(parent.control_numbers) < MAX_TRACKED:
        parent.control_numbers.add(number)
    return []


def _check_repetition_separator(seg: Segment) -> list[Diagnostic]:
    """In 5010, ISA11 must be a separator distinct from the others (the tokenizer has read
    the interchange without repetitions when it is not)."""
    isa11, d = seg.element(11), seg.delimiters
    if seg.element(12) >= "00501" and not d.repetition:
        return [_finding("isa-repetition-separator", "ISA11 is not a usable repetition "
                         "separator (a letter, or the same as another separator); repeated "
                         "elements are read as one", Level.INTERCHANGE, "026", seg, "ISA11",
                         Severity.WARNING, value=isa11)]
    return []


def _finding(code: str, message: str, level: Level, ack_code: str, seg: Segment,
             element_ref: str = "", severity: Severity = Severity.ERROR,
             value: str = "") -> Diagnostic:
    shown = shown_id(seg.id)
    if shown != seg.id and not value:
        value = seg.id  # the text in the id position, for who asks for values
    return Diagnostic(code, severity, message, level, ack_code, seg.offset, seg.number,
                      seg.set_position, shown, element_ref, "", 1, value)
