"""Generating X12 from models: models -> loop trees of segments (positions and order from the
compiled guides) -> the writer (counts, control numbers).

``generate(models, out)`` writes one interchange; ``generate_file(models, path)`` writes it
through a temporary file renamed into place, so bad input leaves no half-written file.
Problems in the models (a missing required value, an unknown code, a value too long, an
amount with more than two decimals, a claim whose lines do not add up) raise
``GenerateError`` naming the field and the guide's element, unless ``lenient``.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from typing import BinaryIO, Optional

from x12kit.acks.numbers import ControlNumbers
from x12kit.generate.envelope import EnvelopeOptions
from x12kit.generate.problems import GenerateError, Problem
from x12kit.generate.writing import Generator
from x12kit.output import AllOrNothing

__all__ = ["EnvelopeOptions", "GenerateError", "Problem", "generate", "generate_file"]


def generate(models: Iterable, out: BinaryIO, options: EnvelopeOptions = EnvelopeOptions(),
             numbers: Optional[ControlNumbers] = None, lenient: bool = False,
             places: Optional[Iterable[str]] = None) -> list[Problem]:
    """Write ``models`` as one interchange to ``out``; the problems found (warnings when
    ``lenient``). ``places`` names where each model came from, for the messages."""
    generator = Generator(out, options, numbers)
    places = iter(places) if places is not None else None
    for model in models:
        generator.add(model, next(places, "") if places is not None else "")
    return generator.close(lenient)


def generate_file(models: Iterable, path: str | os.PathLike, **options) -> list[Problem]:
    """``generate`` into ``path``, written only when generation succeeds (``AllOrNothing``:
    an earlier file of that name stays as it was otherwise)."""
    with AllOrNothing() as files, open(files.temporary_for(path), "wb") as out:
        return generate(models, out, **options)
