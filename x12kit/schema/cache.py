"""The compiled-schema cache: one pickle per schema, named by a fingerprint of its sources.

The fingerprint hashes the bytes of every file the schema is compiled from (base map,
overrides, data element and code dictionaries), the source of the compiler modules and
``FORMAT_VERSION``, so an edited map, a new override or a changed compiler each miss the
cache and recompile; nothing is ever invalidated by hand. Reading the sources to hash them
costs about a millisecond per megabyte; parsing and compiling them costs far more.

The directory is ``$X12KIT_CACHE_DIR`` when set, else ``$XDG_CACHE_HOME/x12kit``, else
``~/.cache/x12kit``. A cache that cannot be read or written is skipped, never fatal.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

FORMAT_VERSION = 1
_COMPILER_FILES = ("model.py", "compiler.py", "xmlmap.py", "overrides.py", "cache.py")
_HERE = Path(__file__).parent


def cache_dir() -> Path:
    if os.environ.get("X12KIT_CACHE_DIR"):
        return Path(os.environ["X12KIT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "x12kit"


def fingerprint(sources: list[Path]) -> str:
    digest = hashlib.sha256(f"x12kit-schema-{FORMAT_VERSION}".encode())
    for path in [*(_HERE / f for f in _COMPILER_FILES), *sources]:
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:24]


def _file(key: str, digest: str, directory: Path) -> Path:
    safe = "".join(c if c.isalnum() else "_" for c in key)
    return directory / f"{safe}-{digest}.pickle"


def load(key: str, digest: str, directory: Path | None = None):
    """The cached schema, or None on a miss or an unreadable file."""
    try:
        with open(_file(key, digest, directory or cache_dir()), "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None


def store(key: str, digest: str, schema, directory: Path | None = None) -> Path | None:
    """Write atomically (a temporary file renamed), so readers never see half a pickle."""
    import tempfile  # only when writing: a warm start never does

    directory = directory or cache_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(schema, fh, protocol=pickle.HIGHEST_PROTOCOL)
        target = _file(key, digest, directory)
        os.replace(tmp, target)
    except OSError:
        return None
    for stale in directory.glob(target.name.rsplit("-", 1)[0] + "-*.pickle"):
        if stale != target:  # an older fingerprint of the same schema
            stale.unlink(missing_ok=True)
    return target
