"""Peak memory and throughput of reading a ~1 GB 837P: a measurement tool, not a unit test.

    python bench/memory.py                       # x12kit.read_segments over a ~1 GB 837P
    python bench/memory.py --reader floor-chunked --target-bytes 2e8

Generates the file once (repeated interchanges, see generate.py) into X12KIT_BENCH_DIR
(default /tmp/x12kit-bench), then reads it in a fresh subprocess so that the peak resident set
size (``ru_maxrss``) is the reader's alone. Prints the peak RSS before reading (interpreter and
imports) and after, the segment count, the time and MB/s.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.support import BENCH_DIR, generator_version  # noqa: E402

# Runs in the child: read the whole file with one reader, report ru_maxrss (KiB on Linux).
CHILD = r'''
import json, resource, sys, time
path, reader = sys.argv[1], sys.argv[2]

def x12kit_read():
    from x12kit import read_segments
    def run():
        for seg in read_segments(path):
            pass
        return seg.number
    return run

def floor_chunked():
    def run():
        count, rest = 0, b""
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                pieces = (rest + chunk).split(b"~")
                rest = pieces.pop()
                for piece in pieces:
                    piece.split(b"*")
                count += len(pieces)
        return count
    return run

def pyx12_raw():
    from pyx12.rawx12file import RawX12File
    def run():
        count = 0
        with open(path, encoding="ascii") as f:
            raw = RawX12File(f)
            for line in raw:
                line.split(raw.ele_term)
                count += 1
        return count
    return run

def x12sdk():
    from x12sdk.io import X12SegmentReader
    def run():
        count = 0
        with X12SegmentReader(path) as r:
            for _ in r.segments():
                count += 1
        return count
    return run

run = {"x12kit": x12kit_read, "floor-chunked": floor_chunked, "pyx12-raw": pyx12_raw,
       "x12sdk": x12sdk}[reader]()
def hwm_kib():
    """VmHWM: the peak RSS of this process image only (ru_maxrss also counts, on Linux, the
    parent's pages the child had between fork and exec)."""
    try:
        with open("/proc/self/status") as f:
            return next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return None

before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, hwm_kib()
start = time.perf_counter()
segments = run()
seconds = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, hwm_kib()
print(json.dumps({"segments": segments, "seconds": seconds,
                  "maxrss_before_kib": before[0], "maxrss_peak_kib": after[0],
                  "hwm_before_kib": before[1], "hwm_peak_kib": after[1]}))
'''

READERS = ("x12kit", "floor-chunked", "pyx12-raw", "x12sdk")


def ensure_file(target_bytes: int, claims: int, path: Path | None) -> Path:
    if path is None:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        path = BENCH_DIR / f"memory-837p-{target_bytes}-{claims}-{generator_version()}.x12"
    if not path.exists():
        print(f"generating {path} ...", file=sys.stderr, flush=True)
        # in a child, so that this process stays small: a child's ru_maxrss counts the pages
        # it shared with its parent between fork and exec
        subprocess.run([sys.executable, str(Path(__file__).with_name("generate.py")), "837p",
                        "--claims", str(claims), "--target-bytes", str(target_bytes),
                        "-o", str(path)], check=True)
    return path


def measure(path: Path, reader: str) -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), reader], env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{reader} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reader", choices=READERS, action="append",
                        help="reader(s) to measure (default: x12kit); repeatable")
    parser.add_argument("--target-bytes", type=float, default=1e9)
    parser.add_argument("--claims", type=int, default=20000, help="claims per interchange")
    parser.add_argument("--path", type=Path, default=None, help="use or create this file")
    args = parser.parse_args(argv)
    path = ensure_file(int(args.target_bytes), args.claims, args.path)
    size = path.stat().st_size
    print(f"file: {path} ({size / 1e6:.1f} MB)")
    for reader in args.reader or ["x12kit"]:
        r = measure(path, reader)
        hwm = (f"; VmHWM {mib(r['hwm_peak_kib'])} (before reading {mib(r['hwm_before_kib'])})"
               if r["hwm_peak_kib"] else "")
        print(f"{reader}: peak RSS (ru_maxrss) {mib(r['maxrss_peak_kib'])} "
              f"(before reading {mib(r['maxrss_before_kib'])}){hwm}; "
              f"{r['segments']} segments in {r['seconds']:.1f} s = "
              f"{size / r['seconds'] / 1e6:.1f} MB/s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
