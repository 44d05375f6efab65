"""Sets checked by worker processes give exactly the serial reports.

``validate(path, jobs=2)`` splits only files of at least ``parallel.MIN_BYTES``; these tests
lower that bound so that every corpus file, and generated files with faults and layouts of
every kind, take the parallel path, and compare every report with the serial one.
"""
from __future__ import annotations

import pytest

from x12kit.validate import parallel

from .conftest import corpus_files, corpus_id, validation_reports


def reports(path, jobs: int) -> list:
    return validation_reports(path, jobs=jobs)


@pytest.mark.parametrize("path", corpus_files(), ids=corpus_id)
def test_every_corpus_file_gives_the_serial_reports(path, split_everything):
    """Findings on one segment included: the serial run's order (envelope findings before
    the set's, the end of input's trailers before the rules' closing findings)."""
    serial = reports(path, jobs=1)
    assert reports(path, jobs=2) == serial
    if any(isinstance(r, tuple) and r[2] for r in serial):   # it has sets: they were split
        assert split_everything


def _broken_claims(tmp_path, kind: str):
    """A generated file of several sets with faults of every stage: an unbalanced claim
    (SNIP 3), a code that does not exist (SNIP 5), a segment out of place (SNIP 2), a
    wrong SE01 (SNIP 1), a set cut off without its SE, and a file that ends inside its last
    set, in a segment without its terminator."""
    from bench.generate import generate_835, generate_837p
    make = generate_837p if kind == "837p" else generate_835
    data = b"".join(make(40, claims_per_st=6))
    if kind == "837p":
        data = data.replace(b"HI*ABK:", b"HI*ABK:Q", 1).replace(b"\nCLM*", b"\nCLM*X", 3)
    else:
        data = data.replace(b"CAS*CO*45*", b"CAS*CO*ZZ9*", 2).replace(b"CLP*", b"CLP**", 1)
    data = data.replace(b"\nDTP*", b"\nZZZ*", 1).replace(b"\nSE*", b"\nSE*9", 1)
    second = data.index(b"\nSE*", data.index(b"\nSE*") + 1)
    data = data[:second] + data[data.index(b"\n", second + 1):]   # a set without its SE
    path = tmp_path / f"broken.{kind}"
    path.write_bytes(data[:data.rindex(b"~\nSE*")])
    return path


@pytest.mark.parametrize("kind", ["837p", "835"])
def test_generated_files_with_faults_in_every_stage(kind, tmp_path, split_everything):
    path = _broken_claims(tmp_path, kind)
    serial = reports(path, jobs=1)
    codes = {d.code for r in serial for d in r[1]}
    assert {"trailer-count-mismatch", "segment-unterminated"} <= codes
    assert any(s[1] == "rejected" for r in serial for s in r[2])
    assert reports(path, jobs=2) == serial
    assert len(split_everything) >= 5


def _wrapped(data: bytes, width: int = 80) -> bytes:
    line = data.replace(b"~\n", b"~")
    return b"\n".join(line[i:i + width] for i in range(0, len(line), width))


LAYOUTS = {
    "crlf": lambda data: data.replace(b"~\n", b"~\r\n"),
    "one line": lambda data: data.replace(b"~\n", b"~"),
    "wrapped at 80": _wrapped,
    "indented, non-ASCII": lambda data: data.replace(b"~\nNM1*QC*1*",
                                                     b"~\n  NM1*QC*1*J\xc3\xb6"),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_reads_the_same_in_the_workers(layout, tmp_path, split_everything):
    """Workers re-read from a set's byte offset: whatever the layout, they must see what
    the main reader saw (wrapped lines and non-ASCII bytes take the general path)."""
    from bench.generate import generate_835
    path = tmp_path / "layout.835"
    path.write_bytes(LAYOUTS[layout](b"".join(generate_835(40, claims_per_st=6))))
    serial = reports(path, jobs=1)
    assert reports(path, jobs=2) == serial
    assert len(split_everything) >= 5


def test_an_unreadable_interchange_after_the_sets_costs_no_report(tmp_path, split_everything):
    """A worker reading ahead of the main reader meets a fault beyond its set: it must not
    fail the set, so the reports before the fault are the serial ones."""
    from bench.generate import generate_835

    from .test_tokenizer import SIMPLE
    path = tmp_path / "bad-tail.835"
    path.write_bytes(b"".join(generate_835(20, claims_per_st=6))
                     + SIMPLE.replace(b":~", b"~~", 1))
    serial = reports(path, jobs=1)
    assert len(serial) == 2 and len(serial[0][2]) >= 3
    assert "unusable separators" in serial[1]
    assert reports(path, jobs=2) == serial
    assert split_everything


def test_small_files_stdin_and_gzip_stay_serial(tmp_path):
    from bench.generate import generate_837p
    data = b"".join(generate_837p(3))
    small = tmp_path / "small.x12"
    small.write_bytes(data)
    assert parallel.SetPool.for_source(small, jobs=2, snip=5) is None   # under MIN_BYTES
    assert parallel.SetPool.for_source("-", jobs=2, snip=5) is None
    assert parallel.SetPool.for_source(data, jobs=2, snip=5) is None
    assert parallel.SetPool.for_source(small, jobs=1, snip=5) is None
