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
from x12kit.walk.events import Envelope, LoopEvents
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
    segments = iter(segments)
    stream = StreamWalker(registry)
    events = LoopEvents()
    assembler = ItemAssembler()
    place, step, take, quiet = stream.place, events.step, assembler.step, assembler.quiet
    take_run = assembler.take_run
    done: list[Item] = []  # items closed inside a run
    seg = next(segments, None)
    while seg is not None:
        walker = stream.walker
        # in a set: a run worked out before
        if walker is not None and events.quiet_path is not None:
            seg = take_run(seg, segments, walker, events, done)
            if done:  # closed by ``seg``, taken
                yield from done
                done.clear()
                seg = next(segments, None)
                continue
            if seg is None:
                break
        placed = place(seg)
        at = step(placed)
        if at is None:
            quiet(placed)
        else:
            items = take(at)
            if items:
                yield from items
            if seg.elements[0] == INTERCHANGE_ACK:
                yield Item(Loop(INTERCHANGE_ACK, (seg,)), (), at.envelope)
        seg = next(segments, None)
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
    return (model for _, model in read_enveloped(source, registry))


def read_enveloped(source: Source, registry=None) -> Iterator[tuple[Envelope, object]]:
    """Every model of ``source`` with the envelope (ISA, GS, ST) it stands in."""
    return models_of(read_segments(source), registry)


def models_of(segments: Iterable[Segment], registry=None) -> Iterator[tuple[Envelope, object]]:
    """Every model of a stream of segments, with its envelope."""
    builders: dict[str, object] = {}
    header, kind = None, ""  # the ST of the last item's set, and its builder's key
    for item in read_items(segments, registry):
        if item.envelope.header is not header or header is None:  # a new set, or a TA1
            header, kind = item.envelope.header, _kind(item)
        builder = builders.get(kind)
        if builder is None:
            make = BUILDERS.get(kind)
            if make is None:
                continue
            builder = builders[kind] = make()
        for model in builder.build(item):
            yield item.envelope, model


# what each filtered reader yields; every model ``read`` yields is one of these
FAMILIES: dict[str, tuple[type, ...]] = {
    "claims": (Claim,),
    "remittances": (ClaimPayment, ProviderAdjustment),
    "eligibility": (EligibilityInquiry, EligibilityResponse, EligibilityRejection),
    "statuses": (ClaimStatusRequest, ClaimStatus, ClaimAcknowledgment, LevelStatus),
    "acknowledgments": (SetResponse, GroupAcknowledgment, InterchangeAcknowledgment),
}
MODEL_TYPES = tuple(t for family in FAMILIES.values() for t in family)


def _only(family: str, doc: str) -> Callable[[Source], Iterator]:
    types = FAMILIES[family]

    def reader(source: Source, registry=None) -> Iterator:
        return (m for m in read(source, registry) if isinstance(m, types))
    reader.__name__ = reader.__qualname__ = f"read_{family}"
    reader.__doc__ = doc
    return reader


read_claims = _only("claims", "The claims (837P, 837I, 837D) of ``source``, one at a time.")
read_remittances = _only("remittances", "The claim payments and provider adjustments (835) "
                         "of ``source``, each with its payment header.")
read_eligibility = _only("eligibility", "The eligibility inquiries (270), responses and "
                         "source or receiver rejections (271) of ``source``.")
read_statuses = _only("statuses", "The claim status requests (276), statuses (277), claim "
                      "acknowledgments (277CA) and receiver or provider statuses of ``source``.")
read_acknowledgments = _only("acknowledgments", "The 999 set responses and group "
                             "acknowledgments and the TA1s of ``source``.")
