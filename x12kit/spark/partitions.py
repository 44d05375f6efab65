"""The partitions of a Spark read: the files named by the paths, and the pieces of each.

Paths are files, folders (searched recursively for X12 files, told by their content, as
the commands do) and glob patterns: local paths that every executor sees (a shared file
system, a mounted bucket), or URLs of object storage (``storage``). A file is one
piece, and a large one (above ``split_bytes``) also splits into ranges of whole transaction
sets (``x12kit.ranges``). The findings table reads every file whole: its group and
interchange findings need the whole envelope.

A partition is a run of consecutive pieces of about ``pack_bytes`` in all (a piece larger
than that alone). Spark spends some 85 ms on each task, whatever its size (measured in
bench/README.md): a task per small file would spend more on that than on the file, while
4 MiB is a few seconds of work for one core.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from ..errors import UsageError, X12ReadError
from ..inputs import LOCAL_FILES, Files, expand, paths_named
from ..ranges import DEFAULT_SPLIT_BYTES, Piece, plan_pieces
from .storage import Storage, is_url

WHOLE_FILE_TABLES = frozenset({"findings"})
DEFAULT_PACK_BYTES = 4 << 20


def paths_of(options: Mapping[str, str]) -> list[str]:
    """The paths given to ``load``: one (option ``path``) or several (``paths``, a JSON
    list, as Spark passes them)."""
    if options.get("paths"):
        return list(json.loads(options["paths"]))
    if options.get("path"):
        return [options["path"]]
    raise UsageError("no input: give the files to read, .load(PATH) or .load([PATHS])")


def input_files(paths: Iterable[str], storage: Storage) -> list[str]:
    """The files the paths name, in the order given (a folder's and a pattern's sorted)."""
    files = []
    for path in paths:
        if is_url(path):
            files.extend(storage.files_named(path))
            continue
        try:
            found = paths_named(path)
        except UsageError as error:
            raise UsageError(f"{error} (paths must be visible to the driver and to every"
                             " executor)") from None
        files.extend(expand(found))
    return files


def plan(files: Iterable[str], table: str, split_bytes: int = DEFAULT_SPLIT_BYTES,
         storage: Files = LOCAL_FILES) -> list[Piece]:
    """The pieces to read for ``table``, in file order."""
    if table in WHOLE_FILE_TABLES:
        return [Piece(path) for path in files]
    return [piece for path in files for piece in _pieces(path, split_bytes, storage)]


def _pieces(path: str, split_bytes: int, storage: Files) -> list[Piece]:
    """A file that cannot be sized or scanned is one piece: its reader reports the fault,
    as the option ``mode`` says."""
    try:
        return plan_pieces(path, split_bytes, storage)
    except (OSError, X12ReadError):
        return [Piece(path)]


def pack(pieces: Iterable[Piece], pack_bytes: int = DEFAULT_PACK_BYTES,
         storage: Files = LOCAL_FILES) -> list[list[Piece]]:
    """``pieces`` in runs, in order, each of at most ``pack_bytes`` (or one piece)."""
    runs: list[list[Piece]] = []
    run: list[Piece] = []
    size = 0
    for piece in pieces:
        length = piece_bytes(piece, storage)
        if run and size + length > pack_bytes:
            runs.append(run)
            run, size = [], 0
        run.append(piece)
        size += length
    return runs + [run] if run else runs


def piece_bytes(piece: Piece, storage: Files = LOCAL_FILES) -> int:
    """The piece's length; none for a file that cannot be sized (its reader says why)."""
    try:
        end = storage.size(piece.path) if piece.end is None else piece.end
    except OSError:
        return 0
    return end - piece.start
