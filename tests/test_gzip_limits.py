"""Hostile gzip input: limits on what it decompresses to, corrupt streams, and the CLI's
answer to both (one line with the offset reached, exit 1, no traceback)."""
from __future__ import annotations

import gzip

import pytest
from click.testing import CliRunner

from x12kit import X12ReadError, read_segments
from x12kit.cli import main
from x12kit.reader import (MAX_GUNZIP_BYTES_ENV, MAX_GUNZIP_RATIO_ENV, RATIO_GRACE_BYTES,
                           GunzipLimits, iter_chunks)

from .conftest import CORPUS, corpus_files

REAL = (CORPUS / "837P/lfhx12__demo.837").read_bytes()
PACKED = gzip.compress(REAL)


def read_until_error(source, **limits) -> tuple[list, X12ReadError | None]:
    """The segments read, and the error that stopped reading (None when it did not stop)."""
    segments = []
    try:
        segments.extend(read_segments(source, **limits))
    except X12ReadError as error:
        return segments, error
    return segments, None


def unpack_until_error(packed: bytes, limits: GunzipLimits) -> tuple[bytes, X12ReadError | None]:
    """The bytes gzip gave, and the error that stopped it (None when it did not stop)."""
    parts = []
    try:
        parts.extend(iter_chunks(packed, limits=limits))
    except X12ReadError as error:
        return b"".join(parts), error
    return b"".join(parts), None


def bomb() -> bytes:
    """A real interchange, then blanks over twice the ratio's grace: packs about 1000:1, as a
    decompression bomb does."""
    return gzip.compress(REAL + b" " * (2 * RATIO_GRACE_BYTES), 9)


def test_gzip_within_the_limit_reads_as_the_plain_file():
    segments, error = read_until_error(PACKED, max_gunzip_bytes=len(REAL))
    assert error is None
    assert [s.elements for s in segments] == [s.elements for s in read_segments(REAL)]


def test_gzip_past_the_size_limit_stops_at_it_after_the_segments_before():
    limit = REAL.index(b"\nCLM") + 1
    segments, error = read_until_error(PACKED, max_gunzip_bytes=limit)
    assert error is not None and error.offset == limit
    assert "decompresses to more than" in error.message and MAX_GUNZIP_BYTES_ENV in error.message
    plain = [s for s in read_segments(REAL) if s.offset < limit]
    assert [s.elements for s in segments[:len(plain)]] == [s.elements for s in plain]
    assert all(s.id != "CLM" for s in segments)


def test_the_size_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(MAX_GUNZIP_BYTES_ENV, "500")
    assert read_until_error(PACKED)[1].offset == 500
    monkeypatch.setenv(MAX_GUNZIP_BYTES_ENV, "lots")
    assert MAX_GUNZIP_BYTES_ENV in read_until_error(PACKED)[1].message


def test_an_absurd_compression_ratio_is_refused_after_what_came_before():
    data = bomb()
    given, error = unpack_until_error(data, GunzipLimits())
    assert error is not None and "decompression bomb" in error.message
    assert error.offset == len(given) and RATIO_GRACE_BYTES <= len(given) < 2 * RATIO_GRACE_BYTES
    assert gzip.decompress(data).startswith(given)


def test_the_ratio_limit_can_be_raised():
    data = bomb()
    given, error = unpack_until_error(data, GunzipLimits(max_ratio=2000))
    assert error is None and given == gzip.decompress(data)


def test_real_x12_packs_far_below_the_ratio_limit():
    """Every corpus file one after another, more than the ratio's grace in all, as a large
    batch is: the default limits take it whole."""
    corpus = b"".join(path.read_bytes() for path in corpus_files())
    batch = corpus * (RATIO_GRACE_BYTES // len(corpus) + 2)
    given, error = unpack_until_error(gzip.compress(batch, 6), GunzipLimits())
    assert error is None and given == batch


@pytest.mark.parametrize("damage, expected", [
    (lambda packed: packed[:len(packed) // 2], "ended before the end-of-stream"),
    (lambda packed: packed[:40] + bytes(b ^ 0x55 for b in packed[40:80]) + packed[80:],
     "corrupt gzip input"),
    (lambda packed: packed + b"trailing garbage", "Not a gzipped file"),
])
def test_corrupt_gzip_gives_what_came_before_then_one_error(damage, expected):
    segments, error = read_until_error(damage(PACKED))
    assert error is not None and expected in error.message
    assert 0 <= error.offset <= len(REAL)
    whole = list(read_segments(REAL))
    assert [s.elements for s in segments] == [s.elements for s in whole[:len(segments)]]


def test_gzip_members_one_after_another_read_as_one_stream():
    segments, error = read_until_error(PACKED + PACKED)
    assert error is None and len(segments) == 2 * len(list(read_segments(REAL)))


def test_cli_gzip_limit_is_one_line_with_the_offset_and_exit_1(tmp_path, monkeypatch):
    monkeypatch.setenv(MAX_GUNZIP_BYTES_ENV, "")  # main() sets it from the option
    path = tmp_path / "claims.x12.gz"
    path.write_bytes(PACKED)
    result = CliRunner().invoke(main, ["--max-gunzip-bytes", "700", "info", str(path)])
    assert result.exit_code == 1
    # the offset is past the file's 700 decompressed bytes, so it is given as a byte offset
    assert f"{path}: byte 700: error: gzip input decompresses to more than 700 bytes" \
        in result.output
    assert "Traceback" not in result.output
    path.write_bytes(PACKED[:300])
    result = CliRunner().invoke(main, ["validate", "--jobs", "1", str(path)])
    assert result.exit_code == 1 and "corrupt gzip input" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_both_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv(MAX_GUNZIP_BYTES_ENV, "1000")
    monkeypatch.setenv(MAX_GUNZIP_RATIO_ENV, "7")
    assert GunzipLimits.from_environment() == GunzipLimits(max_bytes=1000, max_ratio=7)
