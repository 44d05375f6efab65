"""Fuzz targets: each takes any bytes and runs one stage of x12kit over them.

The invariant: only x12kit's own errors (``OWN_ERRORS``) escape, never IndexError, KeyError,
UnicodeError, RecursionError and the like, which the CLI would show as a traceback. Each
target also checks what must hold of every input it reads: the same segments however the
input is cut into chunks, and acknowledgments that can be written."""
from __future__ import annotations

import io
from datetime import datetime

from x12kit import X12ReadError, read_segments, write_segments
from x12kit.acks.ack999 import ack_999
from x12kit.envelope import check_envelope
from x12kit.validate.pipeline import validate as validate_source
from x12kit.walk.walker import walk_stream
from x12kit.writer import X12WriteError

OWN_ERRORS = (X12ReadError, X12WriteError)
NOW = datetime(2024, 1, 1)


def tokenize(data: bytes) -> None:
    """Read whole and in chunks of a third (gzip undone first): the same segments, the same
    error at the same offset."""
    whole = _segments_or_error(read_segments(data))
    chunked = _segments_or_error(read_segments(data, chunk_size=len(data) // 3 + 1))
    assert chunked == whole, "chunking changed the segments"


def _segments_or_error(segments) -> list:
    got = []
    try:
        got.extend((s.elements, s.offset, s.number, s.set_position) for s in segments)
    except X12ReadError as error:
        got.append((error.message, error.offset))
    return got


def envelope(data: bytes) -> None:
    try:
        for _ in check_envelope(read_segments(data)):
            pass
    except OWN_ERRORS:
        pass


def walk(data: bytes) -> None:
    try:
        for _ in walk_stream(read_segments(data)):
            pass
    except OWN_ERRORS:
        pass


def validate(data: bytes) -> None:
    """Validate to SNIP 5 and write the 999 of every interchange."""
    try:
        for report in validate_source(data, snip=5):
            report.findings()
            if report.header.elements[0] == "ISA" and report.groups:
                write_segments(ack_999(report, NOW), io.BytesIO(), layout="lines")
    except OWN_ERRORS:
        pass


TARGETS = {"tokenize": tokenize, "envelope": envelope, "walk": walk, "validate": validate}
