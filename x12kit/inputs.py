"""The inputs a command is given: files, ``-`` for stdin, and folders, searched recursively
for X12 files (told by their content, not their name: an ISA, after any byte-order mark
and white space, plain or gzipped); for ``batch`` and the Spark source, glob patterns too
(``paths_named``). ``Files`` is where the bytes of a named file come from: local paths
here, object storage for the Spark source (``x12kit.spark.storage``)."""
from __future__ import annotations

import glob
import gzip
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from .reader import GZIP_MAGIC

SNIFF_BYTES = 512
BOM = b"\xef\xbb\xbf"


class Files(Protocol):
    """Sizes and opens (binary, seekable, for reading) the files it names."""

    def size(self, name: str) -> int: ...

    def open(self, name: str) -> BinaryIO: ...


class _LocalFiles:
    def size(self, name: str) -> int:
        return os.path.getsize(name)

    def open(self, name: str) -> BinaryIO:
        return open(name, "rb")


LOCAL_FILES: Files = _LocalFiles()


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


def looks_like_x12(path: Path | str, files: Files = LOCAL_FILES) -> bool:
    try:
        with files.open(str(path)) as raw:
            head = raw.read(SNIFF_BYTES)
            if head[:2] == GZIP_MAGIC:
                raw.seek(0)
                with gzip.GzipFile(fileobj=raw) as unpacked:
                    head = unpacked.read(SNIFF_BYTES)
    except (OSError, EOFError):  # unreadable or a truncated gzip: not ours to report
        return False
    return head.removeprefix(BOM).lstrip().startswith(b"ISA")
