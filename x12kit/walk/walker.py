"""Place each segment of a transaction set in its loop, with the guide's structure checks.

Theory of operation. The walker keeps a stack of open loop instances (frames), innermost
last; each frame knows its loop definition, the guide position of the last child it matched
(``pos``) and how often each child was used. A segment is looked up in the dispatch table of
each frame, innermost first: a candidate qualifies when its position is at or after the
frame's ``pos`` (the guide's order) and the segment's identifying code is one it lists
(NM101, REF01, HL03...). The first qualifying candidate wins: the frames above it close, the
loops it opens are pushed, and the counts are checked against max use and repeat. A loop's
first segment is not in its own table, so a second LX is placed by the parent loop as a new
2400. Passing over a required child, or closing a loop without it, reports it missing.
A segment whose code fits no candidate but whose id fits one next (a placeholder SVC01-1, a
typo in NM101) is placed there by its id alone (``_resync``): its one finding names the code,
its definition is withheld from the element checks, and the segments after it fall into
place. A segment no frame accepts otherwise stays unplaced (``definition`` None) and the
state does not move.

Most segments of a large file repeat a move made before: from the same open loops, at the
same positions, with the same counts, the same segment id and identifying code lead to the
same place. So the state between segments is frozen into an interned value (``states.State``,
counts capped where they stop mattering) that remembers each clean move made from it; a
repeated move is one dict lookup (``place``). Only a new move, or one with findings, runs
the placement above on a thawed copy of the state (``_place_slowly``). The HL checks look
at values, not at the structure, so they run on every HL either way.

Memory is the stack (the guide's nesting depth), the HL parent chain and the states met so
far (at most ``states.MAX_STATES`` per schema): nothing grows with the size of the set. One
``Walker`` per transaction set; ``walk`` drives one over an iterator, ``walk_stream`` routes
a whole interchange (ISA/GS/ST..SE/GE/IEA) to the schema each ST names. Envelope counts and
control numbers are the envelope stage's business.

Findings are ``Diagnostic`` values with ``snip=2`` and ``ack_code`` = the 999 IK304 code:
1 unrecognized segment id, 2 unexpected segment, 3 required segment missing, 4 loop over
maximum repeat, 5 segment over maximum use, 6 segment not in the transaction set, 7 segment
out of sequence, I4 "not used" segment present. HL findings and the code of a segment placed
by its id alone are element-level (IK403 7: HL01, HL02, SVC01-1...).
"""
from __future__ import annotations

from typing import Iterable, Iterator, NamedTuple, Optional

from x12kit.diagnostics import Diagnostic, Level, Severity
from x12kit.schema.model import Candidate, Schema, SegmentDef
from x12kit.segment import ENVELOPE_IDS, SET_EDGES, Segment, shown_id
from x12kit.walk.states import Frame, first_component, moves_of, thaw

# Segment ids of the X12 dictionary that health-care guides use (those in pyx12's maps):
# an id outside this set and the schema's is "unrecognized" (1); one inside it that the
# guide does not use is "not in the defined transaction set" (6).
X12_SEGMENT_IDS = frozenset("""
AAA ACT ADX AK1 AK2 AK3 AK4 AK5 AK9 AMT ATH BFR BGN BHT BPR CAS CL1 CLM CLP CN1 COB CR1 CR2
CR3 CR5 CR6 CR7 CRC CTP CTT CTX CUR DMG DN1 DN2 DSB DTM DTP EB EC ENT EQ FRM FST GE GS HCP
HCR HD HI HL HLH HSD ICM IDC IEA III IK3 IK4 IK5 INS ISA IT1 K3 LE LIN LQ LS LUI LX MEA MIA
MOA MPI MSG N1 N2 N3 N4 NM1 NTE OI PAT PER PID PLA PLB PRV PS1 PWK QTY RDM RDT REF RMR SAC
SBR SE SHP SLN SPI ST STC SV1 SV2 SV3 SV4 SV5 SV6 SV7 SVC SVD TA1 TOO TRN TS2 TS3 TST UIT UM
UNU""".split())

# code, IK304, message template
_MISSING = ("segment-missing", "3", "required segment {sid} missing in loop {loop}")
_LOOP_MAX = ("loop-over-max", "4", "loop {loop} repeats more than {n} times")
_SEG_MAX = ("segment-over-max-use", "5", "segment {sid} used more than {n} times in loop {loop}")
_NOT_USED = ("segment-not-used", "I4", "segment {sid} is marked not used in loop {loop}")
_UNRECOGNIZED = ("segment-unrecognized", "1", "unrecognized segment id")
_NOT_IN_SET = ("segment-not-in-set", "6", "segment {sid} is not in transaction set {set}")
_OUT_OF_ORDER = ("segment-out-of-sequence", "7", "segment {sid} out of sequence in loop {loop}")
_UNEXPECTED = ("segment-unexpected", "2", "segment {sid} not expected in loop {loop}")
_WRONG_CODE = ("segment-qualifier-invalid", "7",
               "{ref} code not one the guide allows for segment {sid} in loop {loop}")
_HL_SEQUENCE = ("hl-id-sequence", "7", "HL01 does not follow the previous HL01 by one")
_HL_PARENT = ("hl-parent-invalid", "7", "HL02 does not name the enclosing HL level")


class Placed(NamedTuple):
    """One segment in its place: the walker's output, one per input segment.

    ``path`` runs from "ST_LOOP" to ``loop_id`` (envelope segments: ("ISA_LOOP",) or
    ("ISA_LOOP", "GS_LOOP")); ``entered`` lists the loops this segment opened, outermost
    first (a new 2400 on LX: ("2400",)); ``definition`` is None for a segment that could
    not be placed. ``diagnostics`` are the structural findings made at this segment.
    """

    segment: Segment
    loop_id: str
    path: tuple[str, ...]
    definition: Optional[SegmentDef]
    entered: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


def _diag(spec: tuple, seg: Optional[Segment], segment_id: str, loop_id: str,
          element_ref: str = "", value: str = "", **fmt) -> Diagnostic:
    code, ack, template = spec
    level = Level.ELEMENT if element_ref else Level.SEGMENT
    shown = shown_id(segment_id)
    if shown != segment_id and not value:
        value = segment_id  # the text in the id position, for who asks for values
    segment_id = shown
    message = template.format(sid=segment_id, loop=loop_id or "-", **fmt)
    if seg is None:
        return Diagnostic(code, Severity.ERROR, message, level, ack, segment_id=segment_id,
                          element_ref=element_ref, loop_id=loop_id, snip=2, value=value)
    return Diagnostic(code, Severity.ERROR, message, level, ack, seg.offset, seg.number,
                      seg.set_position, segment_id, element_ref, loop_id, 2, value)


_new = tuple.__new__  # a NamedTuple from a ready tuple, without its Python-level __new__


class Walker:
    """Places the segments of transaction sets of one schema, one ``place`` call each."""

    # slots: x12kit/_walk.c and _lane.c read and write the state at its offset
    __slots__ = ("schema", "_moves", "_frames", "_state", "_thawed", "_hl_count", "_hl_chain",
                 "_hl_ids", "_known")

    def __init__(self, schema: Schema):
        self.schema = schema
        self._moves = moves_of(schema)
        self._frames = [Frame(schema.top, ())]  # the state thawed, valid for _thawed
        self._state = self._thawed = self._moves.freeze(self._frames)
        self._hl_count = 0
        self._hl_chain: list[str] = []
        self._hl_ids: list[str] = []  # by depth: HL01 of the HL placed in that frame
        self._known = X12_SEGMENT_IDS | schema.segment_ids

    @property
    def _stack(self) -> tuple:
        """The open frames, outermost first (frozen)."""
        return self._state.frames

    # -- placing ---------------------------------------------------------------------------
    def place(self, seg: Segment) -> Placed:
        move = self._remembered(seg)
        if move is None:
            return self._place_slowly(seg)
        self._state = move[0]
        placed = _new(Placed, (seg,) + move[1])
        sid = seg.elements[0]
        return self._hierarchy(placed) if sid == "HL" or sid == "ST" else placed

    def step(self, seg: Segment) -> Optional[tuple]:
        """A remembered clean move for ``seg``, taken: the fields of its ``Placed`` after
        the segment, which carry no findings. None where ``place`` must do the work (a new
        move, or an HL or ST, whose hierarchy checks ``place`` runs); the state is then
        untouched. For callers that need the ``Placed`` of only some segments."""
        sid = seg.elements[0]
        if sid == "HL" or sid == "ST":
            return None
        move = self._remembered(seg)
        if move is None:
            return None
        self._state = move[0]
        return move[1]

    def _remembered(self, seg: Segment) -> Optional[tuple]:
        """The move remembered from the current state for a segment like ``seg``: by its
        id, and by its identifying code where its id has them (``states.Moves``)."""
        elements = seg.elements
        sid = elements[0]
        move = self._state.moves.get(sid)
        if move.__class__ is dict:  # the moves of an id that has identifying codes
            element, component, _ = self._moves.slots[sid]
            code = elements[element] if element < len(elements) else ""
            move = move.get(first_component(code, seg.delimiters) if component else code)
        return move

    def _place_slowly(self, seg: Segment) -> Placed:
        """Place on the thawed state, then freeze it again and remember a clean move."""
        if self._thawed is not self._state:
            self._frames = [thaw(f) for f in self._state.frames]
        placed, moved = self._place_frames(seg)
        state = self._moves.freeze(self._frames)
        if placed.definition is not None and not placed.diagnostics:
            self._moves.remember(self._state, seg, (state, placed[1:]))
        self._state = self._thawed = state
        if moved and seg.elements[0] in ("HL", "ST"):
            return self._hierarchy(placed)
        return placed

    def _place_frames(self, seg: Segment) -> tuple[Placed, bool]:
        """The segment placed, and whether it moved the state (it was placed in a frame)."""
        found = self._next_candidate(seg, by_code=True)
        if found is not None:
            return self._enter(*found, seg), True
        if not self._fits_earlier(seg):
            found = self._next_candidate(seg, by_code=False)
            if found is not None:
                return self._resync(*found, seg), True
        return self._unplaced(seg), False

    def _resync(self, depth: int, cand: Candidate, seg: Segment) -> Placed:
        """Place a segment whose identifying code no candidate lists where its id fits next,
        so the segments after it are placed relative to it; its one finding is the code.
        Its definition is withheld: checking its elements against a guess, or counting it
        against the guess's maximum use, would only report the same fault again."""
        placed = self._enter(depth, cand, seg)
        missing = tuple(d for d in placed.diagnostics if d.code == _MISSING[0])
        q = cand.qualifier
        element = cand.segment.elements[q.element]
        if q.component:
            element = element.components[q.component]
        code = seg.elements[q.element] if q.element < len(seg.elements) else ""
        wrong = _diag(_WRONG_CODE, seg, seg.elements[0], placed.loop_id, element.ref,
                      code, ref=element.ref)._replace(data_element=element.data_ele)
        return placed._replace(definition=None, diagnostics=missing + (wrong,))

    def _next_candidate(self, seg: Segment, by_code: bool) -> Optional[tuple]:
        """(depth, candidate) of the first candidate that takes ``seg`` next, innermost
        frame first; ``by_code`` False: whatever its identifying code."""
        elements = seg.elements
        sid = elements[0]
        stack = self._frames
        for depth in range(len(stack) - 1, -1, -1):
            frame = stack[depth]
            candidates = frame.loop.dispatch.get(sid)
            if candidates is None:
                continue
            fallback = None
            for cand in candidates:
                if cand.position < frame.pos:
                    continue
                q = cand.qualifier
                if by_code and q is not None:
                    if _code_at(seg, q.element, q.component) not in q.codes:
                        continue
                    if cand.fits and not _fits(seg, cand.fits):
                        fallback = fallback or (depth, cand)  # a sibling may fit better
                        continue
                return depth, cand
            if fallback is not None:
                return fallback
        return None

    def _enter(self, depth: int, cand: Candidate, seg: Segment) -> Placed:
        stack = self._frames
        found: list[Diagnostic] = []
        while len(stack) > depth + 1:
            self._close(stack.pop(), seg, found)
        frame = stack[depth]
        if frame.loop.required:
            self._pass_over(frame, cand, seg, found)
        frame.pos = cand.position
        indexes = cand.indexes
        for k, loop in enumerate(cand.loops):
            n = frame.counts[indexes[k]] = frame.counts[indexes[k]] + 1
            if n > loop.repeat:
                found.append(_diag(_LOOP_MAX, seg, seg.elements[0], loop.id, n=loop.repeat))
            if loop.usage == "N":
                found.append(_diag(_NOT_USED, seg, seg.elements[0], loop.id))
            frame = Frame(loop, self._moves.path(frame.path + (loop.id,)))
            frame.pos = (cand.loops[k + 1].position if k + 1 < len(cand.loops)
                         else cand.segment.position)
            stack.append(frame)
        seg_def = cand.segment
        n = frame.counts[indexes[-1]] = frame.counts[indexes[-1]] + 1
        if n > seg_def.max_use:
            found.append(_diag(_SEG_MAX, seg, seg_def.id, frame.loop.id, n=seg_def.max_use))
        if seg_def.usage == "N":
            found.append(_diag(_NOT_USED, seg, seg_def.id, frame.loop.id))
        sid = seg_def.id
        if sid == "HL":
            frame.has_hl = True  # its checks: _hierarchy
        elif sid == "SE" and depth == 1:
            while len(stack) > 1:  # the set is over: everything still open must be complete
                self._close(stack.pop(), seg, found)
        entered = tuple(loop.id for loop in cand.loops) if cand.loops else ()
        return Placed(seg, frame.loop.id, frame.path, seg_def, entered, tuple(found))

    def close(self) -> tuple[Diagnostic, ...]:
        """End of input: the required children of loops still open (a set cut off before
        its SE; after an SE there is nothing left open)."""
        if self._thawed is not self._state:
            self._frames = [thaw(f) for f in self._state.frames]
        found: list[Diagnostic] = []
        while len(self._frames) > 1:
            self._close(self._frames.pop(), None, found)
        self._state = self._thawed = self._moves.freeze(self._frames)
        return tuple(found)

    # -- requirements ----------------------------------------------------------------------
    @staticmethod
    def _pass_over(frame: Frame, cand: Candidate, seg: Segment, found: list) -> None:
        """Required children now passed over are missing: those before the candidate's
        position, and, when it opens a loop, those the guide puts before it at the same
        position (2010AA before 2010AB, both at 0150)."""
        old, new, counts = frame.pos, cand.position, frame.counts
        for req in frame.loop.required:
            if counts[req.index] or frame.reported >> req.index & 1:
                continue
            if old <= req.position < new or (
                    cand.loops and req.position == new and req.index < cand.index):
                frame.reported |= 1 << req.index
                found.append(_diag(_MISSING, seg, req.segment_id, req.loop_id))

    @staticmethod
    def _close(frame: Frame, seg: Optional[Segment], found: list) -> None:
        counts, reported = frame.counts, frame.reported
        for req in frame.loop.required:
            if not counts[req.index] and not reported >> req.index & 1:
                found.append(_diag(_MISSING, seg, req.segment_id, req.loop_id))

    # -- HL hierarchy ----------------------------------------------------------------------
    def _hierarchy(self, placed: Placed) -> Placed:
        """An ST starts counting HLs again; an HL is checked against the ones before it."""
        seg = placed.segment
        if seg.elements[0] == "ST":
            self._hl_count, self._hl_chain = 0, []
            return placed
        found: list[Diagnostic] = []
        self._check_hl(seg, placed.loop_id, found)
        if found:
            return placed._replace(diagnostics=placed.diagnostics + tuple(found))
        return placed

    def _check_hl(self, seg: Segment, loop: str, found: list) -> None:
        """HL01 counts 1, 2, 3...; HL02 names an HL still open, and the one whose loop
        encloses this one. The chain of open HL ids is as deep as the hierarchy."""
        hl_id, parent = seg.element(1), seg.element(2)
        self._hl_count += 1
        if hl_id != str(self._hl_count):
            found.append(_diag(_HL_SEQUENCE, seg, "HL", loop, "HL01", hl_id))
            if hl_id.isdigit():  # count on from the HL01 seen: a gap is one finding
                self._hl_count = int(hl_id)
        depth = len(self._state.frames) - 1  # the HL sits in the innermost frame
        ids = self._hl_ids
        ids.extend([""] * (depth + 1 - len(ids)))
        ids[depth] = hl_id
        chain = self._hl_chain
        if parent:
            enclosing = next((ids[d] for d in reversed(self._state.hl_depths)
                              if d < depth and ids[d]), "")
            if parent not in chain or (enclosing and parent != enclosing):
                found.append(_diag(_HL_PARENT, seg, "HL", loop, "HL02", parent))
                chain.clear()
            else:
                del chain[chain.index(parent) + 1:]
        else:
            chain.clear()
        chain.append(hl_id)

    # -- segments that fit nowhere ---------------------------------------------------------
    def _unplaced(self, seg: Segment) -> Placed:
        sid = seg.elements[0]
        frame = self._frames[-1]
        loop = frame.loop.id
        if sid not in self._known:
            spec = _UNRECOGNIZED
        elif sid not in self.schema.segment_ids:
            spec = _NOT_IN_SET
        elif self._fits_earlier(seg):
            spec = _OUT_OF_ORDER
        else:
            spec = _UNEXPECTED
        diag = _diag(spec, seg, sid, loop, set=self.schema.transaction)
        return Placed(seg, loop, frame.path, None, (), (diag,))

    def _fits_earlier(self, seg: Segment) -> bool:
        """Would an open loop take this segment had it come before the current position?"""
        for frame in self._frames:
            for cand in frame.loop.dispatch.get(seg.elements[0], ()):
                q = cand.qualifier
                if q is None or _code_at(seg, q.element, q.component) in q.codes:
                    return True
        return False


def _code_at(seg: Segment, element: int, component: int) -> str:
    elements = seg.elements
    value = elements[element] if element < len(elements) else ""
    return first_component(value, seg.delimiters) if component else value


def _fits(seg: Segment, coded: tuple) -> bool:
    """Does each of these (element, component, codes) hold one of its codes, or nothing?
    (Components past the first are read from the first repetition.)"""
    d = seg.delimiters
    for element, component, codes in coded:
        value = seg.elements[element] if element < len(seg.elements) else ""
        if component:
            parts = value.split(d.repetition, 1)[0] if d.repetition else value
            parts = parts.split(d.component)
            value = parts[component - 1] if component <= len(parts) else ""
        if value and value not in codes:
            return False
    return True


def walk(segments: Iterable[Segment], schema: Schema) -> Iterator[Placed]:
    """Place the segments of one or more transaction sets (ST..SE) of one schema."""
    walker = Walker(schema)
    place = walker.place
    for seg in segments:
        yield place(seg)


def walk_stream(segments: Iterable[Segment], registry=None) -> Iterator[Placed]:
    """Place every segment of an interchange stream (see ``StreamWalker``)."""
    return map(StreamWalker(registry).place, segments)


class StreamWalker:
    """Places the segments of a whole stream: each ST..SE with the schema its ST01 and ST03
    (or, where ST03 is absent as in an 835, GS08) name; envelope segments with the
    definitions of their group's map (the 5010 control map before any GS). A set no schema
    serves is rejected at its ST and not walked. ``walker`` is the current set's ``Walker``
    (None outside a set or in a set no schema serves): a caller may place the set's
    ordinary segments with it directly, as ``place`` would."""

    def __init__(self, registry=None, gs08: str = "") -> None:
        from x12kit.schema.registry import default_registry

        self.registry = registry or default_registry()
        self.walker: Optional[Walker] = None
        self._envelope = self.registry.envelope()
        self._group_envelope: Optional[dict] = None
        self.gs08 = gs08  # of the last GS read: the guide of a set whose ST03 is absent

    def place(self, seg: Segment) -> Placed:
        sid = seg.elements[0]
        walker = self.walker
        if walker is not None and sid not in SET_EDGES:  # the common case first
            return walker.place(seg)
        if sid in ENVELOPE_IDS:
            self.walker = None
            if sid == "GS":
                self.gs08 = seg.element(8)
                self._group_envelope = _group_envelope(self.registry, seg.element(1),
                                                       self.gs08)
            # the control map lists only some GS01/GS08 codes: no GS check without a guide
            env = self._group_envelope if sid in ("GS", "GE") else self._envelope
            path = ("ISA_LOOP", "GS_LOOP") if sid in ("GS", "GE") else ("ISA_LOOP",)
            return Placed(seg, path[-1], path, env.get(sid) if env else None)
        if sid == "ST":
            self.walker, placed = _open_set(self.registry, seg, self.gs08)
            return placed
        if walker is not None:
            placed = walker.place(seg)
            if sid == "SE" and placed.definition is not None:
                self.walker = None
            return placed
        # outside a set, or in a set no schema serves: the envelope stage reports it
        return Placed(seg, "", (), None)


_NO_SCHEMA = "no schema for transaction set {set} implementation {impl}: the set is not checked"
_ASSUMED = "transaction set {set} implementation {impl} checked as {used} (the adopted version)"


def _open_set(registry, st: Segment, gs08: str) -> tuple[Optional[Walker], Placed]:
    """A walker for the set ``st`` opens and the placed ST. A guide named without its addenda
    suffix is checked as the adopted version, with a warning; a set no schema serves is
    rejected (999 IK502 I6, implementation convention not supported)."""
    impl = st.element(3) or gs08
    schema, assumed = registry.resolve(st.element(1), st.element(3), gs08)
    if schema is None:
        found = _set_finding("schema-unknown", Severity.ERROR, "I6", st,
                             _NO_SCHEMA.format(set=st.element(1), impl=impl or "-"))
        return None, Placed(st, "", (), None, (), (found,))
    walker = Walker(schema)
    placed = walker.place(st)
    st03 = st.element(3)
    if assumed or (st03 and gs08 and st03 != gs08):
        placed = placed._replace(definition=_admitting_st03(placed.definition, st03))
    if assumed:
        found = _set_finding("implementation-assumed", Severity.WARNING, "", st, _ASSUMED.format(
            set=st.element(1), impl=impl, used=schema.implementation))
        placed = placed._replace(diagnostics=(found, *placed.diagnostics))
    return walker, placed


def _admitting_st03(definition: Optional[SegmentDef], st03: str) -> Optional[SegmentDef]:
    """The ST definition that takes ``st03`` as it is: where the envelope has reported it
    differing from GS08, or the warning has reported a base id, the element checks should
    not report it again (as a code not listed, or an element not used)."""
    elements = definition.elements if definition is not None else ()
    if len(elements) < 4 or elements[3] is None:
        return definition
    st03_def = elements[3]
    codes = st03_def.codes | {st03} if st03_def.codes is not None else None
    st03_def = st03_def._replace(codes=codes, usage="S" if st03_def.usage == "N" else
                                 st03_def.usage)
    return definition._replace(elements=(*elements[:3], st03_def, *elements[4:]))


def _set_finding(code: str, severity: Severity, ack: str, st: Segment, message: str) -> Diagnostic:
    return Diagnostic(code, severity, message, Level.TRANSACTION, ack, st.offset, st.number,
                      st.set_position, "ST", snip=1)


def _group_envelope(registry, gs01: str, gs08: str) -> dict | None:
    """The envelope definitions of the guide a group names (GS08), preferring the map whose
    GS01 lists the group's functional id (270 and 271 share 005010X279A1)."""
    found = None
    for entry in registry.entries().values():
        if entry.implementation != gs08:
            continue
        envelope = registry.load(entry.key).envelope
        gs = envelope.get("GS")
        first = gs.elements[1] if gs is not None and len(gs.elements) > 1 else None
        if first is not None and first.codes and gs01 in first.codes:
            return envelope
        found = found or envelope
    return found
