"""What can be wrong with a model handed to the generator, said without its values.

A ``Problem`` names the field by its JSON pointer in the model (``/lines/0/charge``), the
guide's element it would fill (``SV102 Line Item Charge Amount``) and what is wrong; never
the value, which may be PHI. The generator gathers every problem of an input before it
stops, so one run shows them all.
"""
from __future__ import annotations

from typing import NamedTuple

from x12kit.errors import X12Error


class Problem(NamedTuple):
    code: str          # missing-required, unknown-code, too-long, too-short, decimals, unbalanced
    pointer: str       # the field in the model (or input record) as a JSON pointer
    element: str       # "CLM02 Total Claim Charge Amount", or a segment or loop
    message: str
    place: str = ""    # where the model came from: "claims.ndjson:3" (set by the caller)

    def __str__(self) -> str:
        at = f"{self.place}: " if self.place else ""
        return f"{at}{self.pointer or '/'}: {self.element}: {self.code}: {self.message}"


class GenerateError(X12Error):
    """The models cannot be written as valid X12; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        shown = "\n".join(str(p) for p in self.problems[:50])
        more = len(self.problems) - 50
        super().__init__(shown + (f"\n... and {more} more" if more > 0 else ""))
