"""The interchange around generated sets: ISA, GS and ST with their options and numbers.

``EnvelopeOptions`` are what a caller chooses (sender and receiver with their qualifiers,
usage indicator, date, separators, one segment per line or none); ``ControlNumbers``
(``x12kit.acks.numbers``, the one counter of the project) hands out ISA13, GS06 and ST02 so
that no two files share one. The trailers (SE, GE, IEA) are left for the writer
(``Writer(fill=True)``) to count and number. Each segment is made in the separators it is
written in (the writer encodes a segment as its separators say: non-ASCII ones by Latin-1).
"""
from __future__ import annotations

from datetime import datetime
from typing import NamedTuple, Optional

from x12kit.envelope import FUNCTIONAL_IDS  # ST01 -> GS01: one table for the project
from x12kit.segment import DEFAULT_DELIMITERS, Delimiters, Segment

VERSION = "00501"


class EnvelopeOptions(NamedTuple):
    sender_qualifier: str = "ZZ"       # ISA05
    sender_id: str = "X12KIT"          # ISA06 (GS02 unless ``group_sender`` says)
    receiver_qualifier: str = "ZZ"     # ISA07
    receiver_id: str = "RECEIVER"      # ISA08 (GS03 unless ``group_receiver`` says)
    usage: str = "P"                   # ISA15: T test, P production
    when: Optional[datetime] = None    # ISA09/10, GS04/05 (now when None)
    delimiters: Delimiters = DEFAULT_DELIMITERS
    one_per_line: bool = True          # a line break after each segment terminator
    ack_requested: str = "0"           # ISA14
    group_sender: str = ""             # GS02
    group_receiver: str = ""           # GS03


def isa(options: EnvelopeOptions, number: int, when: datetime) -> Segment:
    d = options.delimiters
    return Segment(("ISA", "00", " " * 10, "00", " " * 10, options.sender_qualifier,
                    options.sender_id.ljust(15), options.receiver_qualifier,
                    options.receiver_id.ljust(15), when.strftime("%y%m%d"),
                    when.strftime("%H%M"), d.repetition or "^", VERSION, f"{number:09d}",
                    options.ack_requested, options.usage, d.component), delimiters=d)


def gs(options: EnvelopeOptions, transaction: str, implementation: str, number: int,
       when: datetime) -> Segment:
    return Segment(("GS", FUNCTIONAL_IDS.get(transaction, ""),
                    options.group_sender or options.sender_id.strip(),
                    options.group_receiver or options.receiver_id.strip(),
                    when.strftime("%Y%m%d"), when.strftime("%H%M"), str(number), "X",
                    implementation), delimiters=options.delimiters)


def st(schema, implementation: str, number: int, d: Delimiters) -> Segment:
    """ST with ST03 naming the guide, where the guide uses ST03 (the 835's marks it not
    used); ST02 the number, 4 digits."""
    element = schema.root.children[0].elements[3]
    named = element is not None and element.usage != "N"
    return Segment(("ST", schema.transaction, f"{number:04d}") + ((implementation,) * named),
                   delimiters=d)


def trailer(level: str, d: Delimiters) -> Segment:
    """The SE, GE or IEA ending ``level`` (ST, GS, ISA), its count and control number left
    for the writer."""
    return Segment((_TRAILER_IDS[level], "", ""), delimiters=d)


_TRAILER_IDS = {"ST": "SE", "GS": "GE", "ISA": "IEA"}
