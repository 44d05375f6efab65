"""Models to an X12 interchange, streaming: one set writer per transaction kind.

Theory of operation. ``Generator.add(model)`` hands each model to the writer of its kind
(``SET_WRITERS``). Consecutive models that share a set (the same kind, implementation and
set header: submitter and receiver for an 837, the payment for an 835) go into one ST..SE;
consecutive sets of the same GS01 and implementation into one group; everything into one
interchange. A set writer (``claim_sets``, ``levels``, ``inquiries``, ``status_requests``,
``claim_acks``, ``acks``) turns its models into nodes and the ``Emitter`` writes them in the
guide's order as soon as their level of the tree is complete, so memory holds one
subscriber's claims (837) or one claim (835), not the file.

Problems (a missing required value, an unknown code ...) are gathered with the place of the
model they come from; ``close`` raises ``GenerateError`` with all of them unless lenient.
"""
from __future__ import annotations

from contextlib import contextmanager, nullcontext
from datetime import datetime
from typing import BinaryIO, Optional

from x12kit.acks.numbers import ControlNumbers
from x12kit.generate import acks, envelope
from x12kit.generate.acks import AcknowledgmentSetWriter
from x12kit.generate.as_read import as_written, shape
from x12kit.generate.claim_acks import ClaimAckSetWriter
from x12kit.generate.claim_sets import ClaimSetWriter, RemittanceSetWriter
from x12kit.generate.draft import Draft, finish
from x12kit.generate.envelope import EnvelopeOptions
from x12kit.generate.inquiries import InquirySetWriter
from x12kit.generate.levels import LevelSetWriter, set_header
from x12kit.generate.problems import GenerateError, Problem
from x12kit.generate.status_requests import StatusRequestSetWriter
from x12kit.generate.tree import Emitter, Node, segment_def
from x12kit.models.acks import GroupAcknowledgment, InterchangeAcknowledgment, SetResponse
from x12kit.models.claims import Claim
from x12kit.models.eligibility import (
    EligibilityInquiry, EligibilityRejection, EligibilityResponse,
)
from x12kit.models.status import (
    ClaimAcknowledgment, ClaimStatus, ClaimStatusRequest, LevelStatus,
)
from x12kit.models.remittance import ClaimPayment, ProviderAdjustment
from x12kit.models.tree import Loop
from x12kit.schema.model import LoopDef
from x12kit.schema.registry import default_registry
from x12kit.segment import Segment
from x12kit.writer import Writer


SET_WRITERS = {Claim: ClaimSetWriter, ClaimPayment: RemittanceSetWriter,
               ProviderAdjustment: RemittanceSetWriter}
SET_WRITERS.update(dict.fromkeys(
    (EligibilityInquiry, EligibilityResponse, EligibilityRejection, ClaimStatusRequest,
     ClaimStatus, ClaimAcknowledgment, LevelStatus), LevelSetWriter))
SET_WRITERS.update(dict.fromkeys((SetResponse, GroupAcknowledgment), AcknowledgmentSetWriter))
# models of an HL tree that carry no loops read from a file: written from their typed fields
TYPED_LEVELS = {EligibilityInquiry: InquirySetWriter,
                ClaimStatusRequest: StatusRequestSetWriter,
                ClaimAcknowledgment: ClaimAckSetWriter,
                LevelStatus: ClaimAckSetWriter}  # typed levels are a 277CA's: a 277 has none


def writer_for(model):
    """The set writer of a model's kind (None: no generator for it)."""
    make = SET_WRITERS.get(type(model))
    if make is LevelSetWriter and set_header(model) is None:
        return TYPED_LEVELS.get(type(model), make)
    return make


# shapes remembered (``as_read.shape``), then forgotten all at once: with at most
# MAX_SHAPE_ENTRIES entries each, tens of MB at worst
MAX_SHAPES = 1_000


def _written_alike(a: list[Segment], b: list[Segment]) -> bool:
    return [(s.elements, s.delimiters) for s in a] == [(s.elements, s.delimiters) for s in b]


_UNTAGGED = nullcontext()  # for models with no place to name: a problem keeps its own


class Generator:
    """Writes models as one interchange to ``out``."""

    def __init__(self, out: BinaryIO, options: EnvelopeOptions = EnvelopeOptions(),
                 numbers: Optional[ControlNumbers] = None, registry=None,
                 checked: bool = True) -> None:
        """``checked`` False: the models' values are not checked against the guide, for a
        writer that echoes what it received, right or wrong (an acknowledgment): what
        is wrong with them has been reported, and looking again would cost time."""
        self.options = options
        self.when = options.when or datetime.now()
        self.numbers = numbers or ControlNumbers(1)
        self.registry = registry or default_registry()
        self.writer = Writer(out, delimiters=options.delimiters, layout="lines", fill=True,
                             line_end=b"\n" if options.one_per_line else b"")
        self.problems: list[Problem] = []
        self.checked = checked
        self.emitter = Emitter(options.delimiters, self.problems if checked else None)
        self._set: Optional[object] = None
        self._set_key = None
        self._set_header: Optional[tuple] = None
        self._group_key = None
        self._open: list[str] = []  # envelope levels open: "ISA", "GS", "ST"
        # (loop definition, a part of a shape) -> True: the typed path writes it as read;
        # (loop definition, a whole shape) -> False: it wrote such a loop otherwise
        self._shapes: dict[tuple, bool] = {}

    def tagged(self, place: str):
        """Problems found inside get ``place`` (the model's place in the input)."""
        return self._tagged(place) if place else _UNTAGGED

    @contextmanager
    def _tagged(self, place: str):
        start = len(self.problems)
        yield
        self.problems[start:] = [p if p.place else p._replace(place=place)
                                 for p in self.problems[start:]]

    def emit(self, node: Node, definition, hl_parent: str = "", number: int = 1) -> str:
        """Write a node (and what it holds); its HL01, for the levels below it."""
        segments, hl = self.emitter.emit(node, definition, hl_parent, number)
        self.writer.write_many(segments)
        return hl

    def emit_as_read(self, node_of, raw: Loop, definition: LoopDef, hl_parent: str = "",
                     level: Optional[tuple[str, str]] = None) -> str:
        """Write the loop of a model left as it was read (``as_read``) from ``raw``: a
        level's HL (``level``: its HL03 and HL04) numbered. ``node_of()`` makes the node of
        the typed path, taken instead while the loop's shape is not known to give the same
        segments. Its HL01, as ``emit``.

        The shortcut is taken where each part of the loop's shape (``as_read.shape``: its
        outline and each of its child loops' shapes) was written alike by the typed path
        before. A loop with a part not seen yet goes through the typed path; then its parts
        are remembered as alike, or its whole shape as written otherwise."""
        parts = shape(raw)
        if parts is None:
            return self.emit(node_of(), definition, hl_parent)
        whole = (id(definition), parts)
        if self._shapes.get(whole) is False:  # written otherwise before
            return self.emit(node_of(), definition, hl_parent)
        outline, children = parts
        keys = [(id(definition), outline)] + [(id(definition), c) for c in children]
        shapes = self._shapes
        same = all(shapes.get(key) for key in keys)
        if not same and len(shapes) >= MAX_SHAPES:
            shapes.clear()
        emitter = self.emitter
        own, hl = hl_parent, None
        if level is not None:
            own = str(emitter.hl_count + 1)
            hl = {1: own, 2: hl_parent, 3: level[0], 4: level[1]}
        segments = as_written(raw, hl)
        if not same:  # a part not seen before: the typed path says what to write
            problems = emitter.problems if emitter.problems is not None else []
            found = len(problems)
            typed, own = emitter.emit(node_of(), definition, hl_parent)
            if len(problems) == found and _written_alike(typed, segments):
                shapes.update(dict.fromkeys(keys, True))
            else:
                shapes[whole] = False
            segments = typed
        elif level is not None:
            emitter.hl_count += 1
        self.writer.write_many(segments)
        return own

    def write_draft(self, d: Draft, loop: LoopDef) -> None:
        """Write one drafted segment of a loop (``loop``'s definition) where it stands: for
        a set writer whose models come in the guide's order."""
        self.writer.write(finish(d, segment_def(loop, d), None, self.emitter.out,
                                 self.emitter.problems))

    def add(self, model, place: str = "", set_id=None) -> None:
        """Add a model; ``set_id`` tells apart the sets models were read from (by default the
        ST segment in their context, place in the file included)."""
        if isinstance(model, InterchangeAcknowledgment):
            self._interchange_acknowledgment(model, place)
            return
        make = writer_for(model)
        if make is None:
            self.problems.append(Problem("unsupported-model", "", type(model).__name__,
                                         "has no generator", place))
            return
        key = make.set_key(model)
        header = set_id if set_id is not None else set_header(model)  # two sets stay two
        if self._set is None or key != self._set_key or getattr(
                self._set, "complete", False) or (
                header is not None and self._set_header not in (None, header)):
            self._close_set()
            self._open_set(make, model, key, place)
            self._set_header = header
        self._set.add(model, place)

    def new_group(self, sender: str, receiver: str) -> None:
        """End the open group: the next set opens another, from ``sender`` to ``receiver``
        (GS02, GS03). An acknowledgment answers each group it received in a group of its
        own, addressed back to that group's sender."""
        self._close_set()
        self._end("GS")
        self._group_key = None
        self.options = self.options._replace(group_sender=sender, group_receiver=receiver)

    def close(self, lenient: bool = False) -> list[Problem]:
        """End the interchange; the problems found (raised unless ``lenient``)."""
        self._close_set()
        self._end("GS")
        self._end("ISA")
        if self.problems and not lenient:
            raise GenerateError(self.problems)
        return self.problems

    def _open_set(self, make, model, key, place: str) -> None:
        transaction, implementation = key[0], key[1]
        schema, _ = self.registry.resolve(transaction, implementation)
        if schema is None:
            raise GenerateError([Problem("unknown-guide", "/implementation", "ST03",
                                         "no guide of x12kit serves this implementation",
                                         place)])
        if "ISA" not in self._open:
            self._begin("ISA", envelope.isa(self.options, self.numbers.take(1), self.when))
        if self._group_key != (transaction, implementation):
            self._end("GS")
            self._group_key = (transaction, implementation)
            self._begin("GS", envelope.gs(self.options, transaction, implementation,
                                          self.numbers.take(1), self.when))
        number = self.numbers.take(1)
        self.st_number = f"{number:04d}"  # BHT03 of a set whose models do not give one
        self._begin("ST", envelope.st(schema, implementation, number,
                                      self.options.delimiters))
        self.emitter.start_set()
        self._set, self._set_key = make(self, model, schema), key
        self._set.start(model, place)

    def _interchange_acknowledgment(self, model, place: str) -> None:
        """A TA1 stands in the interchange before any group: the group open ends first."""
        self._close_set()
        self._end("GS")
        self._group_key = None
        if "ISA" not in self._open:
            self._begin("ISA", envelope.isa(self.options, self.numbers.take(1), self.when))
        with self.tagged(place):
            self.writer.write(finish(acks.interchange_acknowledgment(model),
                                     self.registry.envelope()["TA1"],
                                     model.loop.segment("TA1"), self.options.delimiters,
                                     self.emitter.problems))

    def _close_set(self) -> None:
        if self._set is not None:
            self._set.close()
            self._set = None
            self._end("ST")

    def _begin(self, level: str, header) -> None:
        self.writer.write(header)
        self._open.append(level)

    def _end(self, level: str) -> None:
        if level in self._open:
            while self._open[-1] != level:
                self._end(self._open[-1])
            self._open.pop()
            self.writer.write(envelope.trailer(level, self.options.delimiters))
