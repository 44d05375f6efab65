"""The follow-up 276 file: one interchange per envelope (sender and receiver of the 837s
asked about), all in one file written whole or not at all, through ``x12kit.generate``."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from x12kit.acks.numbers import ControlNumbers
from x12kit.generate import EnvelopeOptions, GenerateError, generate
from x12kit.models.status import ClaimStatusRequest
from x12kit.output import AllOrNothing

COUNTER_FILE = ".x12kit-control-number"   # as ``x12kit build`` keeps it, beside the output


def write_requests(grouped: dict[EnvelopeOptions, list[ClaimStatusRequest]], path: str,
                   control_number: Optional[int] = None,
                   counter: Optional[str] = None) -> list[str]:
    """Write the requests to ``path``; the generator's problems (the claim by PCN and
    NPI, the field and a code, no values: a claim whose 837 broke the guide, say), in
    which case nothing is written."""
    numbers = ControlNumbers(control_number,
                             counter or Path(path).resolve().parent / COUNTER_FILE)
    problems: list[str] = []
    try:
        with AllOrNothing() as files, open(files.temporary_for(path), "wb") as out:
            for options, requests in grouped.items():
                generate(requests, out, options, numbers,
                         places=[f"claim {r.pcn} ({r.provider.id if r.provider else '-'})"
                                 for r in requests])
    except GenerateError as error:
        problems += [str(p) for p in error.problems]
    except OSError as error:
        problems.append(f"cannot write: {error.strerror or type(error).__name__}")
    return problems
