"""Output files that appear whole or not at all.

Each file is written under a temporary name beside its target (same folder, so the rename
never crosses file systems) and renamed into place only when the work that writes it ends
without an error; otherwise the temporary files are removed and any earlier file of the
target's name is left as it was. A command that fails half-way through unreadable input
leaves nothing behind that looks like a finished result."""
from __future__ import annotations

import os
import secrets
from pathlib import Path


class AllOrNothing:
    """``with AllOrNothing() as files: write to files.temporary_for(target) ...``: every
    target is put in place when the block ends normally, and none is when it raises. The
    caller opens and closes the temporary files (closed before the block ends)."""

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []  # (temporary, target)

    def temporary_for(self, target: Path | str) -> Path:
        target = Path(target)
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        self._pending.append((temporary, target))
        return temporary

    def __enter__(self) -> "AllOrNothing":
        return self

    def __exit__(self, kind, error, trace) -> None:
        for temporary, target in self._pending:
            if kind is None:
                os.replace(temporary, target)
            else:
                temporary.unlink(missing_ok=True)
