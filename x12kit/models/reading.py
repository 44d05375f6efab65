"""Reading models from a stream: the walk, the item assembler, and a builder per transaction.

``read(source)`` yields the right model for each business item of each set, as soon as the
item's loop closes: memory is bounded by one item, not by the file. A TA1, which stands in
the interchange outside any set, is an item of its own. The filtered readers
(``read_claims`` ...) yield only their kind. Unreadable input raises ``X12ReadError`` with
its byte offset, after the items read before it.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Callable

from x12kit.models.acks import (
    AcknowledgmentBuilder, GroupAcknowledgment, InterchangeAcknowledgment, SetResponse,
)
from x12kit.models.claims import Claim, ClaimBuilder
from x12kit.models.eligibility import (
    EligibilityBuilder, EligibilityInquiry, EligibilityRejection, EligibilityResponse,
)
from x12kit.models.remittance import ClaimPayment, ProviderAdjustment, RemittanceBuilder
from x12kit.models.status import (
    ClaimAcknowledgment, ClaimStatus, ClaimStatusRequest, LevelStatus, StatusBuilder,
)
from x12kit.models.tree import Item, ItemAssembler, Loop
from x12kit.reader import Source, read_segments
from x12kit.segment import Segment
from x12kit.walk.events import LoopEvents
from x12kit.walk.walker import StreamWalker

INTERCHANGE_ACK = "TA1"

# ST01 (or TA1) -> a factory of the builder that turns that transaction's items into models
BUILDERS: dict[str, Callable[[], object]] = {
    "837": ClaimBuilder,
    "835": RemittanceBuilder,
    "270": EligibilityBuilder,
    "271": EligibilityBuilder,
    "276": StatusBuilder,
    "277": StatusBuilder,
    "999": AcknowledgmentBuilder,
    INTERCHANGE_ACK: AcknowledgmentBuilder,
}


def read_items(segments: Iterable[Segment], registry=None) -> Iterator[Item]:
    """The business items of a stream of segments, each as soon as its loop closes, and
    each TA1 segment as an item of its own."""
    place = StreamWalker(registry).place
    step = LoopEvents().step
    assembler = ItemAssembler()
    take, quiet = assembler.step, assembler.quiet
    for seg in segments:
        placed = place(seg)
        at = step(placed)
        if at is None:
            quiet(placed)
            continue
        items = take(at)
        if items:
            yield from items
        if seg.elements[0] == INTERCHANGE_ACK:
            yield Item(Loop(INTERCHANGE_ACK, (seg,)), (), at.envelope)
    yield from assembler.close()


def _kind(item: Item) -> str:
    """The key of the item's builder: its set's ST01, or TA1."""
    if item.loop.id == INTERCHANGE_ACK:
        return INTERCHANGE_ACK
    st = item.envelope.header
    return st.element(1) if st is not None else ""


def read(source: Source, registry=None) -> Iterator[object]:
    """Every model of ``source`` (a path, ``-``, bytes or a binary file; gzip is read too):
    claims, claim payments, eligibility responses, claim statuses, acknowledgments ... in
    file order."""
    builders: dict[str, object] = {}
    for item in read_items(read_segments(source), registry):
        kind = _kind(item)
        builder = builders.get(kind)
        if builder is None:
            make = BUILDERS.get(kind)
            if make is None:
                continue
            builder = builders[kind] = make()
        yield from builder.build(item)


def _only(*types: type) -> Callable[[Source], Iterator]:
    def reader(source: Source, registry=None) -> Iterator:
        return (m for m in read(source, registry) if isinstance(m, types))
    return reader


read_claims = _only(Claim)
read_claims.__doc__ = "The claims (837P, 837I, 837D) of ``source``, one at a time."
read_remittances = _only(ClaimPayment, ProviderAdjustment)
read_remittances.__doc__ = ("The claim payments and provider adjustments (835) of ``source``, "
                            "each with its payment header.")
read_eligibility = _only(EligibilityInquiry, EligibilityResponse, EligibilityRejection)
read_eligibility.__doc__ = ("The eligibility inquiries (270), responses and source or receiver "
                            "rejections (271) of ``source``.")
read_statuses = _only(ClaimStatusRequest, ClaimStatus, ClaimAcknowledgment, LevelStatus)
read_statuses.__doc__ = ("The claim status requests (276), statuses (277), claim "
                         "acknowledgments (277CA) and receiver or provider statuses of "
                         "``source``.")
read_acknowledgments = _only(SetResponse, GroupAcknowledgment, InterchangeAcknowledgment)
read_acknowledgments.__doc__ = ("The 999 set responses and group acknowledgments and the TA1s "
                                "of ``source``.")
