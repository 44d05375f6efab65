"""Peak RSS of each process of a command: ``python bench/process_rss.py COMMAND...``.

``/usr/bin/time -v`` reports one figure, the largest process of the tree; a command with
worker processes (``x12kit batch``, ``x12kit validate``) needs each one's. This runs the
command and samples the kernel's high-water mark (``VmHWM`` in ``/proc/PID/status``) of it
and every descendant every 0.1 s until it ends: the mark only grows, so the last sample of a
process is its peak up to then (Linux only)."""
from __future__ import annotations

import os
import subprocess
import sys
import time


def children(pid: int) -> list[int]:
    try:
        return [int(child) for task in os.listdir(f"/proc/{pid}/task")
                for child in open(f"/proc/{pid}/task/{task}/children").read().split()]
    except OSError:   # ended meanwhile
        return []


def high_water_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def main(argv: list[str]) -> int:
    command = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peaks: dict[int, int] = {}
    while command.poll() is None:
        waiting = [command.pid]
        while waiting:
            pid = waiting.pop()
            kib = high_water_kib(pid)
            if kib:
                peaks[pid] = max(peaks.get(pid, 0), kib)
            waiting += children(pid)
        time.sleep(0.1)
    print(f"exit {command.returncode}")
    for pid, kib in sorted(peaks.items()):
        print(f"{'command' if pid == command.pid else 'descendant'} {pid}: {kib / 1024:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
