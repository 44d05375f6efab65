"""The acknowledgments batch writes for an input with ``--acks``: its 999 and TA1 as
``validate --ack-dir`` writes them (``AckFiles``), staged with the input's other outputs,
and for claim files the 277CA (``Answers.close``). Control numbers come from
one counter in OUT_DIR, under a lock, so they never repeat across files, workers or runs."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..acks.ack277ca import SetVerdicts, write_277ca
from ..acks.due import AckFiles, ControlNumbers
from .staging import ACKS, Staging


class Answers:
    """Feeds validation's events to the 999/TA1 writer and to the verdicts a 277CA needs
    (which claim sets the 999 accepted, and their findings: ``SetVerdicts``), so memory
    follows the accepted claim sets' findings, not the file."""

    def __init__(self, staging: Staging, key: str, counter: Path, now: datetime) -> None:
        self.staging, self.key, self.now = staging, key, now
        self.numbers = ControlNumbers(None, counter)
        self.files = AckFiles(staging.folder(ACKS), key, self.numbers, now)
        self.verdicts = SetVerdicts()

    def feed(self, event) -> None:
        self.files.feed(event)
        self.verdicts.feed(event)

    def abort(self) -> None:
        """The input could not be read to its end: no 999 for the open interchange, and no
        277CA."""
        self.files.abort()
        self.verdicts = SetVerdicts()

    def close(self, source: str) -> None:
        self.files.close()
        if self.verdicts:    # claims in a set the 999 accepted: a 277CA answers them
            with open(self.staging.folder(ACKS) / f"{self.key}.277ca", "wb") as out:
                write_277ca(source, self.verdicts, out, self.numbers, self.now)
