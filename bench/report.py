"""Ratios per benchmark group from pytest-benchmark's JSON output.

    python -m pytest bench/ --benchmark-only --benchmark-json=/tmp/bench.json
    python bench/report.py /tmp/bench.json

For each group: each peer's mean time, MB/s (file size / mean time), and its time relative to
the floor and to x12kit ("3.2x" = takes 3.2 times as long; "0.5x" = twice as fast).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict


def _peer(bench: dict) -> str:
    info = bench.get("extra_info") or {}
    if "peer" in info:
        return info["peer"]
    params = bench.get("params") or {}
    return str(next(iter(params.values()))) if params else bench["name"]


def rows_by_group(data: dict) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for bench in data["benchmarks"]:
        info = bench.get("extra_info") or {}
        groups[bench.get("group") or bench["name"]].append({
            "peer": _peer(bench),
            "mean": bench["stats"]["mean"],
            "rounds": bench["stats"]["rounds"],
            "mb_per_s": info.get("mb_per_s"),
            "file_bytes": info.get("file_bytes"),
        })
    return groups


def _ratio(mean: float, base: dict | None) -> str:
    return f"{mean / base['mean']:.2f}x" if base else "-"


def render(data: dict) -> str:
    lines = []
    machine = data.get("machine_info", {})
    lines.append(f"python {machine.get('python_version', '?')} on {machine.get('cpu', {}).get('brand_raw', '?')}"
                 f" ({data.get('datetime', '')})")
    for group, rows in sorted(rows_by_group(data).items()):
        rows.sort(key=lambda r: r["mean"])
        by_peer = {r["peer"]: r for r in rows}
        floor, x12kit = by_peer.get("floor"), by_peer.get("x12kit")
        size = rows[0]["file_bytes"]
        lines.append("")
        lines.append(f"{group}" + (f"  ({size / 1e6:.1f} MB)" if size else ""))
        lines.append(f"  {'peer':<14}{'mean s':>10}{'MB/s':>9}{'rounds':>8}{'vs floor':>10}{'vs x12kit':>11}")
        for r in rows:
            mbs = f"{r['mb_per_s']:.1f}" if r["mb_per_s"] is not None else "-"
            lines.append(f"  {r['peer']:<14}{r['mean']:>10.4f}{mbs:>9}{r['rounds']:>8}"
                         f"{_ratio(r['mean'], floor):>10}{_ratio(r['mean'], x12kit):>11}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("json_file", help="the file --benchmark-json wrote")
    args = parser.parse_args(argv)
    with open(args.json_file, encoding="utf-8") as f:
        print(render(json.load(f)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
