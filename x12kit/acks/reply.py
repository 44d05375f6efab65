"""What every acknowledgment interchange shares: separators and an envelope addressed back."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from ..generate.envelope import EnvelopeOptions
from ..segment import Delimiters, Segment


def reply_delimiters(received: Delimiters) -> Delimiters:
    """The received separators, with the repetition separator a 5010 ISA11 needs even where
    the received interchange had none."""
    if received.repetition:
        return received
    spare = next(c for c in "^{|!" if c not in (received.element, received.component,
                                                  received.segment))
    return received._replace(repetition=spare)


def reply_options(received: Segment, when: datetime,
                  group: Optional[Segment] = None) -> EnvelopeOptions:
    """The envelope of an acknowledgment: from the received interchange's receiver back to
    its sender (ISA05-08 kept to their fixed widths, whatever the received ISA held), in its
    separators and usage indicator; and, given the received ``group``, from its receiver
    (GS03) back to its sender (GS02)."""
    e = received.elements + ("",) * (17 - len(received.elements))
    return EnvelopeOptions(
        sender_qualifier=e[7].ljust(2)[:2], sender_id=e[8].ljust(15)[:15],
        receiver_qualifier=e[5].ljust(2)[:2], receiver_id=e[6].ljust(15)[:15],
        usage=e[15] if e[15] in ("P", "T") else "P", when=when,
        delimiters=reply_delimiters(received.delimiters),
        group_sender=group.element(3) if group is not None else "",
        group_receiver=group.element(2) if group is not None else "")
