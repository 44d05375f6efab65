"""Reading models from a stream: the walk, the item assembler, and a builder per transaction.

``read(source)`` yields the right model for each business item of each set, as soon as the
item's loop closes: memory is bounded by one item, not by the file. The filtered readers
(``read_claims`` ...) yield only their kind. Unreadable input raises ``X12ReadError`` with
its byte offset, after the items read before it.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Callable

from x12kit.models.claims import Claim, ClaimBuilder
from x12kit.models.remittance import ClaimPayment, ProviderAdjustment, RemittanceBuilder
from x12kit.models.tree import Item, ItemAssembler
from x12kit.reader import Source, read_segments
from x12kit.segment import Segment
from x12kit.walk.events import LoopEvents
from x12kit.walk.walker import StreamWalker

# ST01 -> a factory of the builder that turns that transaction's items into models
BUILDERS: dict[str, Callable[[], object]] = {
    "837": ClaimBuilder,
    "835": RemittanceBuilder,
}


def read_items(segments: Iterable[Segment], registry=None) -> Iterator[Item]:
    """The business items of a stream of segments, each as soon as its loop closes."""
    place = StreamWalker(registry).place
    step = LoopEvents().step
    assembler = ItemAssembler()
    take, quiet = assembler.step, assembler.quiet
    for seg in segments:
        placed = place(seg)
        events = step(placed)
        if events is None:
            quiet(placed)
            continue
        items = take(events)
        if items:
            yield from items
    yield from assembler.close()


def read(source: Source, registry=None) -> Iterator[object]:
    """Every model of ``source`` (a path, ``-``, bytes or a binary file; gzip is read too):
    claims, claim payments, provider adjustments ... in file order."""
    builders: dict[str, object] = {}
    for item in read_items(read_segments(source), registry):
        st = item.envelope.header
        st01 = st.element(1) if st is not None else ""
        builder = builders.get(st01)
        if builder is None:
            make = BUILDERS.get(st01)
            if make is None:
                continue
            builder = builders[st01] = make()
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

