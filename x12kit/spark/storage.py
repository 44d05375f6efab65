"""Where the Spark source finds its files: local paths (a shared file system, a mount) as
the commands do, through ``os``; URLs (``s3://``, ``s3a://``, ``gs://``, ``abfs://``,
``file://``, any scheme fsspec knows) through fsspec, on the driver (listing, sizing, the
scan that cuts a large file) and on the executors (each piece a ranged read: a seek, then
reads up to its end).

Credentials and endpoints come from where fsspec and its back ends look (the environment,
fsspec's configuration files, the cloud's instance metadata) and from the option
``storageOptions``: a JSON object given to fsspec as keyword arguments (for s3fs, say,
``{"endpoint_url": "https://...", "anon": true}``). Messages name a URL as ``shown`` gives
it, without user information or query, and never an option's value.
"""
from __future__ import annotations

import functools
import glob
import io
import json
import os
import re
from collections.abc import Callable, Mapping
from typing import Any, BinaryIO

from ..errors import UsageError, X12ReadError
from ..inputs import looks_like_x12

_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
# fsspec's back ends buffer reads ahead this much: a piece's last read fetches at most this
# far past its end, and a scan of a large object costs one request per block
READ_AHEAD_BYTES = 8 << 20


def is_url(name: str) -> bool:
    return _URL.match(name) is not None


def shown(name: str) -> str:
    """``name`` fit for a message, a log or the ``source`` column: a URL without its query,
    fragment or password (a user name too, for http); a path as it is."""
    found = _URL.match(name)
    if found is None:
        return name
    scheme = found.group(1)
    rest = re.split(r"[?#]", name[found.end():], maxsplit=1)[0]
    authority, slash, path = rest.partition("/")
    user, at, host = authority.rpartition("@")
    if at and (":" in user or scheme.lower() in ("http", "https")):
        authority = host   # an abfs container@account keeps its container
    return f"{scheme}://{authority}{slash}{path}"


def cannot_read(error: OSError) -> str:
    """What went wrong, in the system's words for its error number: a back end's own
    message may quote its request."""
    if error.errno:
        return f"cannot read: {os.strerror(error.errno)}"
    if isinstance(error, FileNotFoundError):
        return "cannot read: no such file"
    if isinstance(error, PermissionError):
        return "cannot read: permission denied"
    return f"cannot read: {type(error).__name__}"


class Storage:
    """Lists, sizes and opens paths and URLs (``x12kit.inputs.Files``). Picklable: each
    executor gets it with the reader and makes its own fsspec file systems."""

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        self.options = dict(options or {})
        self._sizes: dict[str, int] = {}

    @classmethod
    def from_options(cls, options: Mapping[str, str]) -> "Storage":
        """The storage of the data source's options (``storageOptions``)."""
        text = options.get("storageOptions")
        if not text:
            return cls()
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if not isinstance(value, dict):   # never repeat the text: it may hold a secret
            raise UsageError("option storageOptions must be a JSON object")
        return cls(value)

    def size(self, name: str) -> int:
        if name not in self._sizes:
            if is_url(name):
                file_system, path = self._file_system(name)
                self._sizes[name] = file_system.size(path)
            else:
                self._sizes[name] = os.path.getsize(name)
        return self._sizes[name]

    def open(self, name: str) -> BinaryIO:
        if not is_url(name):
            return open(name, "rb")
        file_system, path = self._file_system(name)
        return _Located(file_system.open(path, "rb", block_size=READ_AHEAD_BYTES),
                        shown(name))

    def opener(self, name: str) -> Callable[[], BinaryIO] | str:
        """What reads ``name`` again from its start: a path as it is, a URL's opener."""
        return functools.partial(self.open, name) if is_url(name) else name

    def files_named(self, url: str) -> list[str]:
        """The objects a URL names, as the commands read a path (``x12kit.inputs``): itself,
        the X12 files under it (told by their content, sorted), or a pattern's matches. An
        object that is not there is left for its reader to report."""
        file_system, path = self._file_system(url)
        scheme = _URL.match(url).group(1)   # type: ignore[union-attr]
        try:
            if not glob.has_magic(path):
                return self._under(file_system, scheme, path) if file_system.isdir(path) \
                    else [url]
            found = sorted(file_system.glob(path))
            names = [name for match in found for name in self._under(file_system, scheme,
                                                                      match)]
        except OSError as error:
            raise UsageError(f"{shown(url)}: {cannot_read(error)}") from None
        except TypeError:   # a back end makes its session when first used
            raise _not_accepted(scheme) from None
        if not found:
            raise UsageError(f"{shown(url)}: the pattern matches no file")
        return names

    def _under(self, file_system, scheme: str, path: str) -> list[str]:
        """A file's URL, or a folder's X12 files."""
        if not file_system.isdir(path):
            return [f"{scheme}://{path}"]
        urls = (f"{scheme}://{found}" for found in sorted(file_system.find(path)))
        return [url for url in urls if looks_like_x12(url, self)]

    def _file_system(self, url: str):
        """The fsspec file system of ``url`` with this storage's options, and the path in it."""
        from fsspec.core import url_to_fs
        scheme = _URL.match(url).group(1)   # type: ignore[union-attr]
        try:
            return url_to_fs(url, **self.options)
        except ImportError:
            raise UsageError(f"{shown(url)}: reading {scheme}:// needs its fsspec package"
                             " (s3fs, gcsfs, adlfs) on the driver and the executors") from None
        except ValueError:
            raise UsageError(f"{shown(url)}: no file system knows {scheme}://") from None
        except TypeError:
            raise _not_accepted(scheme) from None


def _not_accepted(scheme: str) -> UsageError:
    return UsageError(f"option storageOptions: not all accepted by {scheme}://")


class _Located(io.RawIOBase):
    """An fsspec file whose read faults (a dropped connection, a read denied) are
    ``X12ReadError`` at the byte where reading stopped."""

    def __init__(self, file, name: str) -> None:
        super().__init__()
        self.file, self.name = file, name

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self.file.seek(offset, whence)

    def tell(self) -> int:
        return self.file.tell()

    def readinto(self, buffer) -> int:
        try:
            return self.file.readinto(buffer)
        except OSError as error:
            raise X12ReadError(cannot_read(error), self.file.tell()) from None

    def close(self) -> None:
        self.file.close()
        super().close()
