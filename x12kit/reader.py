"""The one place x12kit reads bytes: paths, ``-`` for stdin, binary file objects, bytes, and
gzip (by magic number, whatever the name), always in chunks so memory stays bounded.

Gzip input is hostile until proved otherwise: a few KiB can decompress to terabytes. What it
may decompress to is limited (``GunzipLimits``); past a limit, or where the gzip data is
corrupt, reading stops with an ``X12ReadError`` at the decompressed offset reached."""
from __future__ import annotations

import gzip
import io
import os
import sys
import zlib
from collections.abc import Iterator
from itertools import chain
from typing import BinaryIO, NamedTuple, Union

from .diagnostics import X12ReadError
from .segment import Delimiters, Segment
from .log import event
from .tokenizer import Tokenizer

Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, BinaryIO]
CHUNK_SIZE = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"
MAX_GUNZIP_BYTES_ENV = "X12KIT_MAX_GUNZIP_BYTES"
MAX_GUNZIP_RATIO_ENV = "X12KIT_MAX_GUNZIP_RATIO"
# The first bytes are exempt from the ratio: a short file padded with one repeated byte (blanks,
# NULs) is no bomb, and a ratio over a few KiB of compressed data says little.
RATIO_GRACE_BYTES = 16 << 20


class GunzipLimits(NamedTuple):
    """What gzip input may decompress to.

    ``max_bytes``: 64 GiB by default. A year of a large payer's 835s or a clearinghouse's
    daily 837 batch is a few GiB to tens of GiB of text; X12 compresses 2 to 30 times (the
    corpus and the bench generator; files of one claim repeated reach about 150), so a 2.4 GB
    gzip of real segments fits, while a bomb is stopped before it has cost hours.
    ``max_ratio``: 1000. Deflate cannot pack better than about 1032:1, which only one byte or
    a few bytes repeated reach; real X12 stays below 200:1, so a stream that has expanded
    over 1000 times (after its first ``RATIO_GRACE_BYTES``) is a decompression bomb."""

    max_bytes: int = 64 << 30
    max_ratio: int = 1000

    @classmethod
    def from_environment(cls) -> "GunzipLimits":
        """The defaults, raised or lowered by ``X12KIT_MAX_GUNZIP_BYTES`` and
        ``X12KIT_MAX_GUNZIP_RATIO`` (whole numbers)."""
        return cls(*(_whole_number(name, default) for name, default in
                     ((MAX_GUNZIP_BYTES_ENV, cls().max_bytes),
                      (MAX_GUNZIP_RATIO_ENV, cls().max_ratio))))


def _whole_number(name: str, default: int) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise X12ReadError(f"{name} must be a whole number of at least 1")
    return int(text)


def source_name(source: Source) -> str:
    """A name for messages: the path, ``<stdin>`` or ``<bytes>``."""
    if isinstance(source, (str, os.PathLike)):
        return "<stdin>" if str(source) == "-" else os.fspath(source)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return "<bytes>"
    return getattr(source, "name", "<stream>")


def iter_chunks(source: Source, chunk_size: int = CHUNK_SIZE,
                limits: GunzipLimits | None = None) -> Iterator[bytes]:
    """The bytes of ``source`` in chunks of at most ``chunk_size``, gzip undone within
    ``limits`` (by default ``GunzipLimits.from_environment()``)."""
    limits = limits or GunzipLimits.from_environment()
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if data[:2] == GZIP_MAGIC:
            yield from _gunzip(io.BytesIO(data), chunk_size, limits)
            return
        yield from _pieces(data, chunk_size)
        return
    if isinstance(source, (str, os.PathLike)):
        if str(source) == "-":
            yield from _read_stream(sys.stdin.buffer, chunk_size, limits)
            return
        with open(source, "rb") as raw:
            yield from _read_stream(raw, chunk_size, limits)
        return
    yield from _read_stream(source, chunk_size, limits)


def _read_stream(stream: BinaryIO, chunk_size: int, limits: GunzipLimits) -> Iterator[bytes]:
    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore
    if buffered.peek(2)[:2] == GZIP_MAGIC:
        yield from _gunzip(buffered, chunk_size, limits)
        return
    while chunk := buffered.read(chunk_size):
        yield chunk


class _Counted:
    """A binary stream that counts the bytes read from it: the compressed side of gzip."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream, self.count = stream, 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.count += len(data)
        return data


def _gunzip(stream: BinaryIO, chunk_size: int, limits: GunzipLimits) -> Iterator[bytes]:
    """The decompressed bytes in chunks. At a limit or a fault, the bytes before it are given,
    then the error at the decompressed offset reached."""
    compressed = _Counted(stream)
    unpacked = gzip.GzipFile(fileobj=compressed)  # type: ignore[arg-type]
    total = 0
    while True:
        chunk, fault = _unpack(unpacked, chunk_size)
        room = limits.max_bytes - total
        if len(chunk) > room:
            yield from _pieces(chunk[:room], chunk_size)
            raise X12ReadError(f"gzip input decompresses to more than {limits.max_bytes} bytes"
                               f" (raise the limit with {MAX_GUNZIP_BYTES_ENV} or"
                               " --max-gunzip-bytes)", limits.max_bytes)
        expanded = total + len(chunk)
        if expanded > RATIO_GRACE_BYTES and expanded > limits.max_ratio * compressed.count:
            raise X12ReadError(f"gzip input expands more than {limits.max_ratio} times"
                               f" ({expanded} bytes from {compressed.count}): refused as a"
                               f" decompression bomb (raise the limit with"
                               f" {MAX_GUNZIP_RATIO_ENV})", total)
        yield from _pieces(chunk, chunk_size)
        total = expanded
        if fault:
            raise X12ReadError(f"corrupt gzip input: {fault}", total)
        if not chunk:
            return


def _pieces(data: bytes, size: int) -> Iterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i:i + size]


def _unpack(unpacked: gzip.GzipFile, size: int) -> tuple[bytes, Exception | None]:
    """At least ``size`` decompressed bytes (fewer at the end), and the fault that cut them
    short, if any. gzip is asked for the same amount each time, whatever ``size``: what
    comes before a fault (a file cut off in transfer) is then the same however the caller
    reads, and is kept."""
    parts, got = [], 0
    try:
        while got < size and (part := unpacked.read1(CHUNK_SIZE)):
            parts.append(part)
            got += len(part)
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:
        return b"".join(parts), error
    return b"".join(parts), None


class SegmentReader:
    """An iterable of the segments of one source. After iteration, ``trailing`` holds the
    layout bytes after the last segment (for byte-exact rewriting)."""

    def __init__(self, source: Source, chunk_size: int = CHUNK_SIZE,
                 max_segment_bytes: int | None = None,
                 gunzip_limits: GunzipLimits | None = None) -> None:
        self.source = source
        self.name = source_name(source)
        self.chunk_size = chunk_size
        self.gunzip_limits = gunzip_limits
        self._tokenizer = (Tokenizer(max_segment_bytes) if max_segment_bytes
                           else Tokenizer())

    @property
    def trailing(self) -> bytes:
        return self._tokenizer.trailing

    @property
    def delimiters(self) -> Delimiters | None:
        return self._tokenizer.delimiters

    def __iter__(self) -> Iterator[Segment]:
        # chain and map keep the per-segment path in C: no generator frame per segment
        tokenizer = self._tokenizer
        chunks = iter_chunks(self.source, self.chunk_size, self.gunzip_limits)
        return chain(chain.from_iterable(map(tokenizer.feed, chunks)),
                     _closing(tokenizer, self.name))


def _closing(tokenizer: Tokenizer, name: str) -> Iterator[Segment]:
    yield from tokenizer.close()  # runs only once every chunk has been fed
    event("input read", source=name, segments=tokenizer.segments_read,
          bytes=tokenizer.bytes_read)


def read_segments_at(source: Union[str, BinaryIO], offset: int, number: int,
                     delimiters: Delimiters, chunk_size: int = CHUNK_SIZE) -> Iterator[Segment]:
    """The segments of the (uncompressed) file ``source``, a path or a seekable binary file,
    from the byte ``offset`` of segment number ``number`` on, in an interchange whose
    separators are ``delimiters``: positions as reading the whole file gives them."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as raw:
            yield from read_segments_at(raw, offset, number, delimiters, chunk_size)
        return
    tokenizer = Tokenizer.resume(delimiters, offset, number)
    source.seek(offset)
    while chunk := source.read(chunk_size):
        yield from tokenizer.feed(chunk)
    yield from tokenizer.close()


def read_segments(source: Source, chunk_size: int = CHUNK_SIZE, *,
                  max_gunzip_bytes: int | None = None,
                  max_gunzip_ratio: int | None = None) -> SegmentReader:
    """Segments of ``source`` (a path, ``-``, bytes, or a binary file object; gzip welcome),
    read in chunks. Raises ``X12ReadError`` only for input that cannot be read on, such as
    gzip input past its limits (``GunzipLimits``; the keywords replace one of them)."""
    limits = GunzipLimits.from_environment()
    limits = limits._replace(max_bytes=max_gunzip_bytes or limits.max_bytes,
                             max_ratio=max_gunzip_ratio or limits.max_ratio)
    return SegmentReader(source, chunk_size, gunzip_limits=limits)
