"""The partitions of a Spark read: the files named by the paths, and the pieces of each.

Paths are files, folders (searched recursively for X12 files, told by their content, as
the commands do) and glob patterns, local or mounted where every executor sees them (a
bucket mounted by s3fs, gcsfuse or /dbfs): executors open the files by path. A file is one
partition, and a large one (above ``split_bytes``) also splits into ranges of whole
transaction sets (``x12kit.ranges``). The findings table reads every file whole: its
group and interchange findings need the whole envelope.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from ..errors import UsageError
from ..inputs import expand, paths_named
from ..ranges import DEFAULT_SPLIT_BYTES, Piece, plan_pieces

WHOLE_FILE_TABLES = frozenset({"findings"})
_FILE_SCHEME = "file://"


def paths_of(options: Mapping[str, str]) -> list[str]:
    """The paths given to ``load``: one (option ``path``) or several (``paths``, a JSON
    list, as Spark passes them)."""
    if options.get("paths"):
        return list(json.loads(options["paths"]))
    if options.get("path"):
        return [options["path"]]
    raise UsageError("no input: give the files to read, .load(PATH) or .load([PATHS])")


def input_files(paths: Iterable[str]) -> list[str]:
    """The files the paths name, in the order given (a folder's and a pattern's sorted)."""
    files = []
    for path in paths:
        path = path[len(_FILE_SCHEME):] if path.startswith(_FILE_SCHEME) else path
        try:
            found = paths_named(path)
        except UsageError as error:
            raise UsageError(f"{error} (paths must be visible to the driver and to every"
                             " executor)") from None
        files.extend(expand(found))
    return files


def plan(files: Iterable[str], table: str,
         split_bytes: int = DEFAULT_SPLIT_BYTES) -> list[Piece]:
    """The pieces to read for ``table``, in file order."""
    if table in WHOLE_FILE_TABLES:
        return [Piece(path) for path in files]
    return [piece for path in files for piece in plan_pieces(path, split_bytes)]
