"""The one place x12kit reads bytes: paths, ``-`` for stdin, binary file objects, bytes, and
gzip (by magic number, whatever the name), always in chunks so memory stays bounded."""
from __future__ import annotations

import gzip
import io
import os
import sys
from collections.abc import Iterator
from itertools import chain
from typing import BinaryIO, Union

from .segment import Delimiters, Segment
from .log import event
from .tokenizer import Tokenizer

Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, BinaryIO]
CHUNK_SIZE = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"


def source_name(source: Source) -> str:
    """A name for messages: the path, ``<stdin>`` or ``<bytes>``."""
    if isinstance(source, (str, os.PathLike)):
        return "<stdin>" if str(source) == "-" else os.fspath(source)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return "<bytes>"
    return getattr(source, "name", "<stream>")


def iter_chunks(source: Source, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """The bytes of ``source`` in chunks of at most ``chunk_size``, gzip undone."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if data[:2] == GZIP_MAGIC:
            yield from _read_stream(gzip.GzipFile(fileobj=io.BytesIO(data)), chunk_size)
            return
        for i in range(0, len(data), chunk_size):
            yield data[i:i + chunk_size]
        return
    if isinstance(source, (str, os.PathLike)):
        if str(source) == "-":
            yield from _read_stream(_maybe_gunzip(sys.stdin.buffer), chunk_size)
            return
        with open(source, "rb") as raw:
            yield from _read_stream(_maybe_gunzip(raw), chunk_size)
        return
    yield from _read_stream(_maybe_gunzip(source), chunk_size)


def _maybe_gunzip(stream: BinaryIO) -> BinaryIO:
    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore
    if buffered.peek(2)[:2] == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=buffered)  # type: ignore[return-value]
    return buffered  # type: ignore[return-value]


def _read_stream(stream: BinaryIO, chunk_size: int) -> Iterator[bytes]:
    while chunk := stream.read(chunk_size):
        yield chunk


class SegmentReader:
    """An iterable of the segments of one source. After iteration, ``trailing`` holds the
    layout bytes after the last segment (for byte-exact rewriting)."""

    def __init__(self, source: Source, chunk_size: int = CHUNK_SIZE,
                 max_segment_bytes: int | None = None) -> None:
        self.source = source
        self.name = source_name(source)
        self.chunk_size = chunk_size
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
        chunks = iter_chunks(self.source, self.chunk_size)
        return chain(chain.from_iterable(map(tokenizer.feed, chunks)),
                     _closing(tokenizer, self.name))


def _closing(tokenizer: Tokenizer, name: str) -> Iterator[Segment]:
    yield from tokenizer.close()  # runs only once every chunk has been fed
    event("input read", source=name, segments=tokenizer.segments_read,
          bytes=tokenizer.bytes_read)


def read_segments_at(path: str, offset: int, number: int, delimiters: Delimiters,
                     chunk_size: int = CHUNK_SIZE) -> Iterator[Segment]:
    """The segments of the (uncompressed) file ``path`` from the byte ``offset`` of segment
    number ``number`` on, in an interchange whose separators are ``delimiters``: positions
    as reading the whole file gives them."""
    tokenizer = Tokenizer.resume(delimiters, offset, number)
    with open(path, "rb") as raw:
        raw.seek(offset)
        while chunk := raw.read(chunk_size):
            yield from tokenizer.feed(chunk)
        yield from tokenizer.close()


def read_segments(source: Source, chunk_size: int = CHUNK_SIZE) -> SegmentReader:
    """Segments of ``source`` (a path, ``-``, bytes, or a binary file object; gzip welcome),
    read in chunks. Raises ``X12ReadError`` only for input that cannot be read on."""
    return SegmentReader(source, chunk_size)
