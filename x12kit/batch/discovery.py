"""The files a batch run is given: paths, folders (every file inside, recursively) and glob
patterns. A folder's files are all taken, X12-looking or not: in a clearinghouse's inbox a
file that is not X12 is an input to set aside with a reason, never one to pass over."""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from ..inputs import expand, paths_named


def discover(arguments: Iterable[str], out_dir: str) -> Iterator[str]:
    """Each input file once, in the order given (a folder's sorted), leaving out the output
    folder when it lies inside an input one. A path that names nothing, or a pattern that
    matches nothing, is a usage error: it would otherwise be skipped without a word."""
    seen: set[str] = set()
    for argument in arguments:
        for path in expand(paths_named(argument), skip=[out_dir], sniff=False):
            key = os.path.realpath(path)
            if key not in seen:
                seen.add(key)
                yield path

