"""The inputs a command is given: files, ``-`` for stdin, and folders, searched recursively
for X12 files (told by their content, not their name: an ISA, after any byte-order mark
and white space, plain or gzipped); for ``batch`` and the Spark source, glob patterns too
(``paths_named``)."""
from __future__ import annotations

import glob
import gzip
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from .reader import GZIP_MAGIC

SNIFF_BYTES = 512
BOM = b"\xef\xbb\xbf"


def expand(arguments: Iterable[str], skip: Iterable[str] = (), sniff: bool = True) -> Iterator[str]:
    """Each argument as given, except that a folder gives the X12 files inside it (sorted,
    recursively), leaving out those under ``skip`` (an output folder inside an input one);
    with ``sniff`` False, every file inside it."""
    skipped = [Path(s).resolve() for s in skip]
    for argument in arguments:
        if argument == "-" or not os.path.isdir(argument):
            yield argument
            continue
        for path in sorted(Path(argument).rglob("*")):
            resolved = path.resolve()
            if any(resolved.is_relative_to(s) for s in skipped):
                continue
            if path.is_file() and (not sniff or looks_like_x12(path)):
                yield str(path)


def paths_named(argument: str) -> list[str]:
    """The paths an argument names: itself when it exists, else the matches of a glob
    pattern (sorted). Naming nothing is a ``UsageError``: an input passed over without a
    word is an input lost."""
    from .errors import UsageError
    if os.path.exists(argument):
        return [argument]
    if glob.has_magic(argument):
        found = sorted(glob.glob(argument, recursive=True))
        if found:
            return found
        raise UsageError(f"{argument}: the pattern matches no file")
    raise UsageError(f"{argument}: no such file or folder")


def looks_like_x12(path: Path) -> bool:
    try:
        with open(path, "rb") as raw:
            head = raw.read(SNIFF_BYTES)
            if head[:2] == GZIP_MAGIC:
                raw.seek(0)
                with gzip.GzipFile(fileobj=raw) as unpacked:
                    head = unpacked.read(SNIFF_BYTES)
    except (OSError, EOFError):  # unreadable or a truncated gzip: not ours to report
        return False
    return head.removeprefix(BOM).lstrip().startswith(b"ISA")
