"""Where one input's outputs are made before they count: ``OUT_DIR/.work/SHA256/``.

Each output is written there under its final name, inside a folder named after the
``OUT_DIR`` folder it goes to (``converted/``, ``acks/``, ``rejected/``). When the input's
work is done, ``commit`` renames each into place (the same file system, so each rename is
whole) and removes the staging folder; only then is the manifest row written. Output names
carry the input's name and the start of its SHA-256, so doing an input again (after a run
was killed between a rename and its manifest row) replaces the same files rather than adding
copies, and two inputs of one name in different folders do not collide.

A run starts by removing ``OUT_DIR/.work`` whole: whatever is there was left by a run that
was killed, and is done again."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

WORK_FOLDER = ".work"
CONVERTED, ACKS, REJECTED = "converted", "acks", "rejected"
KEY_HASH_CHARS = 12


def output_key(path: str, sha256: str) -> str:
    """The stem of every output of an input: ``NAME.SHA12``."""
    return f"{Path(path).name}.{sha256[:KEY_HASH_CHARS]}"


def clear_leftovers(out_dir: Path) -> None:
    shutil.rmtree(out_dir / WORK_FOLDER, ignore_errors=True)


class Staging:
    def __init__(self, out_dir: Path, sha256: str) -> None:
        self.out_dir = out_dir
        self.root = out_dir / WORK_FOLDER / sha256
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True)

    def folder(self, name: str) -> Path:
        """The staging folder of the ``OUT_DIR`` folder ``name``."""
        path = self.root / name
        path.mkdir(exist_ok=True)
        return path

    def scratch(self, name: str) -> Path:
        """A working file that is not an output (removed with the staging folder)."""
        return self.root / name

    def commit(self) -> list[str]:
        """Rename every staged output into place; their final paths."""
        placed = []
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir()):
            target = self.out_dir / folder.name
            target.mkdir(exist_ok=True)
            for staged in sorted(folder.iterdir()):
                os.replace(staged, target / staged.name)
                placed.append(str(target / staged.name))
        self.discard()
        return placed

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
