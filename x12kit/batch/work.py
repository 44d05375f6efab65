"""One input's work, as a worker process does it: validate, answer, convert, set aside.

Everything is written in the input's staging folder (``staging``) and put in place by one
``commit`` at the end, so an input killed half-way leaves no output that looks finished.
The findings file is the document ``x12kit validate --format json FILE`` prints; it is kept
(in ``rejected/``, beside a copy of the file as received) only when the input is rejected:
it could not be read to its end, a set, group or interchange of it was rejected, or its
conversion failed. An input's accepted sets are converted even when others were rejected;
one that could not be read is not converted at all."""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from time import perf_counter

from ..errors import X12Error, X12ReadError
from ..reader import read_segments
from ..render import Renderer, error_text
from ..validate.jsonstream import JsonEventWriter
from ..validate.pipeline import segment_events
from .answers import Answers
from .conversion import Conversion
from .outcome import DONE, REJECTED, FileResult
from .staging import REJECTED as REJECTED_FOLDER, Staging, output_key
from .tally import Tally

FINDINGS_SUFFIX = ".findings.json"


@dataclass(frozen=True)
class Settings:
    out_dir: Path
    fmt: str | None      # --to; None: validate (and answer) only
    snip: int
    acks: bool
    counter: Path        # the acknowledgments' control number counter


@dataclass(frozen=True)
class Job:
    path: str
    sha256: str
    size: int
    hash_seconds: float


def process_file(job: Job, settings: Settings) -> FileResult:
    started = perf_counter()
    key = output_key(job.path, job.sha256)
    staging = Staging(settings.out_dir, job.sha256)
    tally = Tally()
    conversion = Conversion(settings.fmt, job.path, staging, key) if settings.fmt else None
    error = _validate(job.path, settings, staging, key, tally, conversion)
    validated = perf_counter()
    problem = ""
    if conversion is not None:
        problem = _convert(conversion, error is None, tally)
    converted = perf_counter()
    rejected = error is not None or not tally.clean or bool(problem)
    if rejected:
        _set_aside(job.path, staging.scratch("findings.json"), staging.folder(REJECTED_FOLDER),
                   key)
    outputs = staging.commit()
    return FileResult(
        job.path, job.sha256, REJECTED if rejected else DONE, outputs, job.size,
        tally.sender, tally.receiver, tally.isa13, tally.sets, tally.accepted,
        tally.rejected, tally.claims, tally.dollars,
        {"hash": job.hash_seconds, "validate": validated - started,
         "convert": converted - validated, "total": perf_counter() - started},
        error=f"{job.path}: cannot convert: {problem}" if problem else "")


def _validate(path: str, settings: Settings, staging: Staging, key: str, tally: Tally,
              conversion: Conversion | None) -> Exception | None:
    """Validate ``path`` into ``tally``, the findings file, the answers (--acks) and the
    conversion's findings; the error that stopped reading, if any."""
    renderer = Renderer(path)
    answers = Answers(staging, key, settings.counter, datetime.now()) if settings.acks \
        else None
    error = None
    with open(staging.scratch("findings.json"), "w", encoding="utf-8") as out:
        document = JsonEventWriter(out.write)
        document.file(renderer)
        listeners = [tally.event, document.feed] + ([answers.feed] if answers else [])
        events = _events(tally, path, settings.snip, settings.acks, listeners)
        try:
            if conversion is not None:
                conversion.take_findings(events)
            else:
                for _ in events:
                    pass
        except (X12ReadError, OSError) as failure:
            error = failure
            if answers:
                answers.abort()
        if answers:
            answers.close(path)
        document.end_file(renderer.error_dict(error) if error is not None else None)
        document.close()
    return error


def _events(tally: Tally, path: str, snip: int, claims_answered: bool,
            listeners: list[Callable]) -> Iterator:
    """Validation's events, each given to every listener first. With acknowledgments, a
    claim file's claims are answered one by one (the 277CA): their own errors reject them,
    not their set."""
    for event in segment_events(tally.segments(read_segments(path)), snip, claims_answered):
        for listen in listeners:
            listen(event)
        yield event


def _convert(conversion: Conversion, readable: bool, tally: Tally) -> str:
    """Convert the accepted sets of a readable input; what stopped it, if anything."""
    if not readable:
        conversion.abort()
        return ""
    try:
        conversion.write(tally.rejected_sets, tally.accepted > 0)
    except X12Error as failure:   # a value no output column can hold, say
        conversion.abort()
        return error_text(failure)
    return ""


def _set_aside(path: str, findings: Path, folder: Path, key: str) -> None:
    """The file as received and its findings, into ``rejected/``."""
    os.replace(findings, folder / f"{key}{FINDINGS_SUFFIX}")
    try:
        shutil.copyfile(path, folder / key)
    except OSError:  # gone or unreadable since: the findings file says what was wrong
        pass
