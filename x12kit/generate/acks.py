"""999 and TA1 acknowledgments from their models: the tables of ``SetResponse``,
``GroupAcknowledgment`` and ``InterchangeAcknowledgment``.

A 999 set answers one functional group: AK1 (from the group the set responses name), a 2000
per set response (AK2, its 2100 segment errors with CTX and 2110 element errors, IK5), then
AK9 from the group acknowledgment, which comes after them as the models are read. A TA1
stands in the interchange before any group (``writing.Generator`` puts it there).
"""
from __future__ import annotations

from datetime import date

from x12kit.generate.draft import Absent, Draft, Spec, draft, made, new_segment, text
from x12kit.generate.problems import Problem
from x12kit.generate.tree import Node, child_loop
from x12kit.models.acks import (
    ElementError, ErrorContext, GroupAcknowledgment, InterchangeAcknowledgment, SegmentError,
    SetResponse,
)

AK1 = Spec("AK1", (("AK101", "functional_id"), ("AK102", "control_number"),
                   ("AK103", "version")))
AK2 = Spec("AK2", (("AK201", "set_id"), ("AK202", "control_number"),
                   ("AK203", "implementation")))
IK3 = Spec("IK3", (("IK301", "segment_id"), ("IK302", "position"), ("IK303", "loop_id"),
                   ("IK304", "code")))
IK4 = Spec("IK4", (("IK401-1", "position"), ("IK401-2", "component"),
                   ("IK401-3", "repetition"), ("IK402", "data_element"), ("IK403", "code"),
                   ("IK404", "bad_value")))
CTX = Spec("CTX", (("CTX01-1", "name"), ("CTX01-2", "value"), ("CTX02", "segment_id"),
                   ("CTX03", "position"), ("CTX04", "loop_id"), ("CTX05", "element"),
                   ("CTX06", "reference")))
TA1 = Spec("TA1", (("TA101", "control_number"),
                   # YYMMDD, as ISA09; where the model read no date, the text it was read
                   # from stays (``Absent``: an interchange's invalid ISA09 echoed)
                   ("TA102", ("interchange_date", lambda m: m.interchange_date.strftime(
                       "%y%m%d") if m.interchange_date else Absent(date))),
                   ("TA103", "interchange_time"), ("TA104", "status"),
                   ("TA105", "note_code")))


def _codes(name: str, first: dict, codes: tuple[str, ...], where: str) -> Draft:
    """A segment of leading values then a list of codes (IK5, AK9)."""
    return Draft(name, _code_values(first, codes), {f"{name}01": f"{where}/status"}, where,
                 whole=True)


def _code_values(first: dict, codes: tuple[str, ...]) -> dict:
    values = dict(first)
    values.update({len(first) + n: code for n, code in enumerate(codes, 1)})
    return values


def contexts(found: tuple[ErrorContext, ...], where: str) -> list[Draft]:
    return [draft(CTX, c, f"{where}/contexts/{n}") for n, c in enumerate(found)]


def set_response(response: SetResponse) -> Node:
    """2000: AK2, its segment errors (2100), IK5."""
    errors = [_segment_error(e, f"/segment_errors/{n}")
              for n, e in enumerate(response.segment_errors)]
    drafts = [draft(AK2, response, ""), _codes("IK5", {1: response.status}, response.codes, "")]
    return Node("2000", drafts, errors, response.loop)


def _segment_error(error: SegmentError, where: str) -> Node:
    elements = [_element_error(e, f"{where}/elements/{n}") for n, e in enumerate(error.elements)]
    return Node("2100", [draft(IK3, error, where)] + contexts(error.contexts, where), elements,
                error.loop)


def _element_error(error: ElementError, where: str) -> Node:
    return Node("2110", [draft(IK4, error, where)] + contexts(error.contexts, where))


class AcknowledgmentSetWriter:
    """One 999 set: AK1, the set responses, AK9."""

    transaction, implementation = "999", "005010X231A1"

    def __init__(self, generator, first, schema) -> None:
        self.g = generator
        self.header = child_loop(schema.root, "HEADER")
        self.responses = child_loop(self.header, "2000")
        self.segment_errors = child_loop(self.responses, "2100")
        self.element_errors = child_loop(self.segment_errors, "2110")
        self.complete = False  # AK9 written: the set is whole, the next model opens another

    @classmethod
    def set_key(cls, model) -> tuple:
        return (cls.transaction, cls.implementation, model.group)

    def start(self, first, place: str) -> None:
        group = first.group
        drafts = [draft(AK1, group, "/group")] if group is not None else []
        with self.g.tagged(place):
            self.g.emit(Node("HEADER", drafts, later=frozenset(("2000", "AK9"))), self.header)

    def add(self, model, place: str) -> None:
        with self.g.tagged(place):
            if isinstance(model, GroupAcknowledgment):
                counts = {1: model.status, 2: text(model.included), 3: text(model.received),
                          4: text(model.accepted)}
                ak9 = _codes("AK9", counts, model.codes, "")
                self.g.emit(Node("HEADER", [ak9], later=frozenset(("AK1", "2000"))),
                            self.header)
                self.complete = True
            elif model.loop.content:  # read from a file: what no model types stays in place
                self.g.emit(set_response(model), self.responses)
            else:
                self._made(model)

    def _made(self, response: SetResponse) -> None:
        """A set response made, not read (as validation's 999 makes them): no segment of a
        file to keep in place, so its segments are written as its models nest, which is
        the guide's order (2000: AK2, the 2100 loops, IK5; 2100: IK3, CTX, the 2110 loops;
        2110: IK4, CTX), with no loop tree to place: the bulk of a 999 answering many
        errors."""
        segment = self._segment
        segment(AK2, response, "", self.responses)
        for n, error in enumerate(response.segment_errors):
            where = f"/segment_errors/{n}"
            segment(IK3, error, where, self.segment_errors)
            for k, context in enumerate(error.contexts):
                segment(CTX, context, f"{where}/contexts/{k}", self.segment_errors)
            for m, element in enumerate(error.elements):
                at = f"{where}/elements/{m}"
                segment(IK4, element, at, self.element_errors)
                for k, context in enumerate(element.contexts):
                    segment(CTX, context, f"{at}/contexts/{k}", self.element_errors)
        if self.g.checked:
            self.g.write_draft(_codes("IK5", {1: response.status}, response.codes, ""),
                               self.responses)
        else:
            self.g.writer.write(new_segment("IK5", _code_values(
                {1: response.status}, response.codes), self.g.options.delimiters))

    def _segment(self, spec: Spec, model, where: str, loop) -> None:
        """One segment of a made set response: drafted and checked, or, where the
        generator checks nothing, made straight from the model."""
        if self.g.checked:
            self.g.write_draft(draft(spec, model, where), loop)
        else:
            self.g.writer.write(made(spec, model, self.g.options.delimiters))

    def close(self) -> None:
        if not self.complete:
            self.g.problems.append(Problem("missing-required", "", "AK9 Functional Group "
                                           "Response Trailer", "needs a GroupAcknowledgment"))


def interchange_acknowledgment(model: InterchangeAcknowledgment, where: str = "") -> Draft:
    return draft(TA1, model, where)
