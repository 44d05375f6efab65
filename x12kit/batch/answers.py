"""The acknowledgments batch writes for an input with ``--acks``: its 999 and TA1 as
``validate --ack-dir`` writes them (``AckFiles``), staged with the input's other outputs,
and for claim files the 277CA (``write_claim_acknowledgments``). Control numbers come from
one counter in OUT_DIR, under a lock, so they never repeat across files, workers or runs."""
from __future__ import annotations

import importlib.util
from datetime import datetime
from pathlib import Path

from ..acks.due import AckFiles, ControlNumbers
from ..validate.reports import SetReport
from .staging import ACKS, Staging

CLAIM_SETS = "837"
ACK_277CA_MODULE = "x12kit.acks.ack277ca"


class Answers:
    """Feeds validation's events to the 999/TA1 writer and keeps those a 277CA needs (the
    envelope's and the claim sets' reports: each claim's findings, once the file is
    validated); other sets' reports are not kept, so memory follows the claim sets only."""

    def __init__(self, staging: Staging, key: str, counter: Path, now: datetime) -> None:
        self.staging, self.key, self.now = staging, key, now
        self.numbers = ControlNumbers(None, counter)
        self.files = AckFiles(staging.folder(ACKS), key, self.numbers, now)
        self.events: list = []
        self.claims = False

    def feed(self, event) -> None:
        self.files.feed(event)
        if type(event) is SetReport:
            if event.header.element(1) != CLAIM_SETS:
                return
            self.claims = True
        self.events.append(event)

    def abort(self) -> None:
        """The input could not be read to its end: no 999 for the open interchange."""
        self.files.abort()
        self.events = []

    def close(self, source: str) -> None:
        self.files.close()
        if self.claims:
            write_claim_acknowledgments(source, self.events, self.staging.folder(ACKS)
                                        / f"{self.key}.277ca", self.numbers)
        self.events = []


def write_claim_acknowledgments(source: str, events: list, target: Path,
                                numbers: ControlNumbers) -> None:
    """The one place batch writes a claim file's 277CA (each claim accepted or rejected
    from its own findings), once ``x12kit.acks.ack277ca`` exists; until then, none."""
    if importlib.util.find_spec(ACK_277CA_MODULE) is None:
        return
    from ..acks import ack277ca
    with open(target, "wb") as out:
        ack277ca.write_277ca(source, events, out, numbers)
    if target.stat().st_size == 0:   # no claim in an accepted set: nothing to answer
        target.unlink()
