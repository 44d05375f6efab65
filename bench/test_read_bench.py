"""Segment-reading throughput: x12kit beside a floor and its peers, on the same generated files.

Groups (one table each; ``bench/report.py`` prints the ratios):
  read-837p  the X12KIT_BENCH_CLAIMS-claim 837P: floor, x12kit, x12sdk, pyx12-raw, pyx12-reader
  read-835   the same-size 835: floor, x12kit, oxedi (a full parse: it only reads 835s), x12sdk,
             pyx12-raw

Every reader starts from the path and does the whole job, opening and reading included; imports
happen before the clock starts.
"""
from __future__ import annotations

import pytest

from bench.support import run


def floor():
    """The least any Python reader must do: read the file, split segments, split elements."""
    def read(path):
        with open(path, "rb") as f:
            data = f.read()
        for piece in data.split(b"~"):
            piece.split(b"*")
        return data.rstrip().rstrip(b"~").rsplit(b"~", 1)[-1].split(b"*")   # for the check only
    return read


def x12kit():
    x12kit = pytest.importorskip("x12kit")
    read_segments = getattr(x12kit, "read_segments", None)
    if read_segments is None:
        pytest.skip("x12kit.read_segments does not exist yet")

    def read(path):
        for seg in read_segments(path):
            pass
        return seg.elements
    return read


def x12sdk():
    """x12sdk's lowest-level tokenizer, ``x12sdk.io.X12SegmentReader.segments``: text mode,
    X12_READER_BUFFER_SIZE (1,024,000) characters at a time, str.split on the terminator,
    then on the element separator."""
    from x12sdk.io import X12SegmentReader

    def read(path):
        with X12SegmentReader(str(path)) as reader:
            for name, fields in reader.segments():
                pass
        return fields
    return read


def pyx12_raw():
    """pyx12's lowest level, ``rawx12file.RawX12File`` (8 KiB text reads, one str.split per
    segment), plus the element split it leaves to its caller, so that the work matches."""
    from pyx12.rawx12file import RawX12File

    def read(path):
        with open(path, encoding="ascii") as f:
            raw = RawX12File(f)
            element = raw.ele_term
            for line in raw:
                line.split(element)
        return line.split(element)
    return read


def pyx12_reader():
    """pyx12's ``x12file.X12Reader``: RawX12File plus Segment objects and envelope checks."""
    from pyx12.x12file import X12Reader

    def read(path):
        with X12Reader(str(path)) as reader:
            for seg in reader:
                pass
        return seg.format().split("*")
    return read


def oxedi():
    """oxedi (Rust): indexes every segment, runs its loop engine and projects typed tables."""
    import oxedi

    def read(path):
        with open(path, "rb") as f:
            result = oxedi.parse(f.read())
        return [b"CLAIMS", result.count_claims()]
    return read


READERS = {"floor": floor, "x12kit": x12kit, "x12sdk": x12sdk, "pyx12-raw": pyx12_raw,
           "pyx12-reader": pyx12_reader, "oxedi": oxedi}


def _last_id(result) -> str:
    first = result[0]
    return (first.decode() if isinstance(first, bytes) else first).strip()


@pytest.mark.benchmark(group="read-837p")
@pytest.mark.parametrize("reader", ["floor", "x12kit", "x12sdk", "pyx12-raw", "pyx12-reader"])
def test_read_837p(benchmark, file_837p, reader):
    last = run(benchmark, READERS[reader](), file_837p, peer=reader)
    assert _last_id(last) == "IEA"


@pytest.mark.benchmark(group="read-835")
@pytest.mark.parametrize("reader", ["floor", "x12kit", "oxedi", "x12sdk", "pyx12-raw"])
def test_read_835(benchmark, file_835, reader):
    last = run(benchmark, READERS[reader](), file_835, peer=reader)
    assert _last_id(last) in ("IEA", "CLAIMS")


# -- whole process -----------------------------------------------------------------------------
# The figures (floor ~45-65 MB/s, x12sdk ~23-26 MB/s here) are for the whole process:
# interpreter start-up, imports, reading and tokenising. Each peer runs as a fresh
# `python -c` so imports (x12sdk's pydantic models, pyx12's maps) count as a user sees them.
PROCESS_CODE = {
    "floor": "import sys\nd=open(sys.argv[1],'rb').read()\nfor p in d.split(b'~'): p.split(b'*')",
    "x12kit": "import sys, x12kit\nfor s in x12kit.read_segments(sys.argv[1]): pass",
    "x12sdk": "import sys\nfrom x12sdk.io import X12SegmentReader\n"
              "with X12SegmentReader(sys.argv[1]) as r:\n    for n, f in r.segments(): pass",
    "pyx12-raw": "import sys\nfrom pyx12.rawx12file import RawX12File\n"
                 "f=open(sys.argv[1], encoding='ascii'); r=RawX12File(f); e=r.ele_term\n"
                 "for line in r: line.split(e)",
    "oxedi": "import sys, oxedi\noxedi.parse(open(sys.argv[1],'rb').read())",
}


def whole_process(peer: str):
    import subprocess
    import sys

    def read(path):
        subprocess.run([sys.executable, "-c", PROCESS_CODE[peer], str(path)], check=True)
        return ["IEA"]
    return read


@pytest.mark.benchmark(group="process-837p")
@pytest.mark.parametrize("peer", ["floor", "x12kit", "x12sdk", "pyx12-raw"])
def test_process_837p(benchmark, file_837p, peer):
    run(benchmark, whole_process(peer), file_837p, peer=peer)


@pytest.mark.benchmark(group="process-835")
@pytest.mark.parametrize("peer", ["floor", "x12kit", "x12sdk", "oxedi"])
def test_process_835(benchmark, file_835, peer):
    run(benchmark, whole_process(peer), file_835, peer=peer)
