"""Coverage-guided fuzzing of x12kit with atheris (libFuzzer for Python).

    python -m tests.fuzz.run TARGET [--seconds N] [--runs N] [--work DIR]

TARGET is one of ``tests/fuzz/targets.py``'s (tokenize, envelope, walk, validate) or ``all``,
each in its own process in turn. Seeds: the real corpus (../shared/corpus, read in place)
and the hand-made hostile inputs in tests/fuzz/seeds/. New inputs libFuzzer finds go to a
scratch folder (--work; a temporary one by default), never into the seed folders. A crasher
is written to tests/fuzz/crashers/ as ``crash-<sha1>``: rename it after what it broke, fix
the code, and tests/fuzz/test_crashers.py keeps it as a regression test. Exit 0 when no
target crashed, 1 otherwise."""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SEEDS = HERE / "seeds"
CRASHERS = HERE / "crashers"
NAMES = ("tokenize", "envelope", "walk", "validate")
# libFuzzer's limits: inputs up to 64 KiB (larger seeds are read truncated), 20 s and 2 GiB
# per input: a slower or larger run is a finding too (memory must stay bounded)
LIMITS = ["-max_len=65536", "-timeout=20", "-rss_limit_mb=2048",
          f"-dict={HERE / 'x12.dict'}"]  # X12 tokens for the mutations


def fuzz_one(name: str, libfuzzer_args: list[str]) -> None:
    """Run in the child process: instrument x12kit, then hand control to libFuzzer."""
    import atheris
    with atheris.instrument_imports(include=["x12kit"]):
        from tests.fuzz import targets
    atheris.Setup([sys.argv[0], *libfuzzer_args], targets.TARGETS[name])
    atheris.Fuzz()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", choices=NAMES + ("all",))
    parser.add_argument("--seconds", type=int, default=60, help="per target")
    parser.add_argument("--runs", type=int, default=-1, help="inputs per target (-1: no limit)")
    parser.add_argument("--work", type=Path, help="folder for the inputs libFuzzer finds")
    args = parser.parse_args()
    CRASHERS.mkdir(exist_ok=True)
    failed = []
    with tempfile.TemporaryDirectory(prefix="x12kit-fuzz-") as scratch:
        for name in NAMES if args.target == "all" else (args.target,):
            work = (args.work or Path(scratch)) / name
            work.mkdir(parents=True, exist_ok=True)
            command = [sys.executable, "-m", "tests.fuzz.run", "--child", name, *LIMITS,
                       f"-max_total_time={args.seconds}", f"-runs={args.runs}",
                       f"-artifact_prefix={CRASHERS}/", str(work), str(SEEDS), str(CORPUS)]
            print(f"fuzzing {name} for {args.seconds} s", flush=True)
            if subprocess.run(command, cwd=ROOT).returncode != 0:
                failed.append(name)
    if failed:
        print(f"crashed: {', '.join(failed)} (see {CRASHERS})", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        fuzz_one(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(main())
