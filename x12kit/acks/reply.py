"""What every acknowledgment interchange shares: separators and an ISA addressed back."""
from __future__ import annotations

from datetime import datetime

from ..segment import Delimiters, Segment, make_segment


def reply_delimiters(received: Delimiters) -> Delimiters:
    """The received separators, with the repetition separator a 5010 ISA11 needs even where
    the received interchange had none."""
    if received.repetition:
        return received
    spare = next(c for c in "^{|!" if c not in (received.element, received.component,
                                                  received.segment))
    return received._replace(repetition=spare)


def reply_isa(received: Segment, control_number: int, now: datetime,
              d: Delimiters) -> Segment:
    """An ISA from the received interchange's receiver back to its sender."""
    e = received.elements + ("",) * (17 - len(received.elements))
    return make_segment(
        "ISA", "00", " " * 10, "00", " " * 10, e[7].ljust(2)[:2], e[8].ljust(15)[:15],
        e[5].ljust(2)[:2], e[6].ljust(15)[:15], now.strftime("%y%m%d"), now.strftime("%H%M"),
        d.repetition, "00501", str(control_number).zfill(9), "0",
        e[15] if e[15] in ("P", "T") else "P", d.component, delimiters=d)
