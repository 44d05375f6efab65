"""The follow-up 276 file: one interchange per envelope (sender and receiver of the 837s
asked about), in the order each envelope first comes, all in one file written whole or not
at all, through ``x12kit.generate``.

The requests stream through: those of the first envelope are written as they come, and
those of any other envelope wait, pickled, in a temporary file of their own, until the
interchange before theirs is closed. So memory holds one request at a time, and the file
is the one the requests would make written interchange by interchange (control numbers
are taken as each interchange, group and set opens).
"""
from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from itertools import chain
from pathlib import Path
from typing import BinaryIO, Optional

from x12kit.acks.numbers import ControlNumbers
from x12kit.generate import EnvelopeOptions, GenerateError
from x12kit.generate.writing import Generator
from x12kit.models.status import ClaimStatusRequest
from x12kit.output import AllOrNothing

COUNTER_FILE = ".x12kit-control-number"   # as ``x12kit build`` keeps it, beside the output


def write_requests(requests: Iterable[tuple[EnvelopeOptions, ClaimStatusRequest]],
                   path: str, control_number: Optional[int] = None,
                   counter: Optional[str] = None) -> tuple[bool, list[str]]:
    """Write the requests (each with its envelope) to ``path``. Whether a file was written
    (none when there is no request), and the generator's problems (the claim by PCN and
    NPI, the field and a code, no values: a claim whose 837 broke the guide, say), in
    which case nothing is written."""
    requests = iter(requests)
    first = next(requests, None)
    if first is None:
        return False, []
    numbers = ControlNumbers(control_number,
                             counter or Path(path).resolve().parent / COUNTER_FILE)
    try:
        with AllOrNothing() as files, open(files.temporary_for(path), "wb") as out, \
                _Waiting() as waiting:
            envelope = first[0]
            firsts = waiting.of_envelope(chain([first], requests), envelope)
            _interchange(out, envelope, numbers, firsts)
            for envelope, spooled in waiting.spooled():
                _interchange(out, envelope, numbers, spooled)
    except GenerateError as error:
        return False, [str(p) for p in error.problems]
    except OSError as error:
        return False, [f"cannot write: {error.strerror or type(error).__name__}"]
    return True, []


def _interchange(out: BinaryIO, envelope: EnvelopeOptions, numbers: ControlNumbers,
                 requests: Iterable[ClaimStatusRequest]) -> None:
    """One interchange of ``requests``; ``GenerateError`` when the generator found
    problems."""
    generator = Generator(out, envelope, numbers)
    for request in requests:
        generator.add(request, f"claim {request.pcn} "
                               f"({request.provider.id if request.provider else '-'})")
    generator.close()


class _Waiting:
    """The requests of the envelopes after the first, each envelope's in a temporary file
    (deleted when the block ends)."""

    def __init__(self) -> None:
        self._files = ExitStack()
        self._spools: dict[EnvelopeOptions, BinaryIO] = {}

    def __enter__(self) -> "_Waiting":
        return self

    def __exit__(self, *exc) -> None:
        self._files.close()

    def of_envelope(self, requests: Iterable[tuple[EnvelopeOptions, ClaimStatusRequest]],
               envelope: EnvelopeOptions) -> Iterator[ClaimStatusRequest]:
        """The requests of ``envelope``, as they come; the others are put aside."""
        for options, request in requests:
            if options == envelope:
                yield request
            else:
                pickle.dump(request, self._spool(options), pickle.HIGHEST_PROTOCOL)

    def _spool(self, envelope: EnvelopeOptions) -> BinaryIO:
        if envelope not in self._spools:
            self._spools[envelope] = self._files.enter_context(tempfile.TemporaryFile())
        return self._spools[envelope]

    def spooled(self) -> Iterator[tuple[EnvelopeOptions, Iterator[ClaimStatusRequest]]]:
        """Each envelope put aside, in the order it first came, with its requests."""
        for envelope, spool in self._spools.items():
            spool.seek(0)
            yield envelope, _unpickled(spool)


def _unpickled(spool: BinaryIO) -> Iterator[ClaimStatusRequest]:
    while True:
        try:
            yield pickle.load(spool)
        except EOFError:
            return
