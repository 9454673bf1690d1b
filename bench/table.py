#!/usr/bin/env python
"""Print the ratios to /healthz of result files side by side, as a Markdown table.

    .venv/bin/python bench/table.py bench/results/sqlite-10000.json bench/results/sqlite-1000000.json ...
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def main(paths: list[str]) -> None:
    results = [(Path(p).stem, json.loads(Path(p).read_text())) for p in paths]
    print("| route | " + " | ".join(name for name, _ in results) + " |")
    print("| --- |" + " --- |" * len(results))
    names = list(dict.fromkeys(row["route"] for _name, result in results for row in result["routes"]))
    for route in names:  # files from runs with fewer routes (before the busy day) show "-"
        cells = []
        for _name, result in results:
            r = next((row for row in result["routes"] if row["route"] == route), None)
            cells.append("-" if r is None else (
                f"{r['ratio_to_healthz']:.2f}x ({r['requests_per_second']:.0f}/s, p50 {r['p50_ms']:.0f} ms, "
                f"p99 {r['p99_ms']:.0f} ms, {r['errors']} err)"
                + (f"; trickle {r['trickle']['per_second']}/s" if "trickle" in r else "")))
        print(f"| `{route}` | " + " | ".join(cells) + " |")
    lines = {
        "seed-demo purchase rows/s (wall; per CPU s of seed-demo)":
            lambda r: f"{r['build']['rows_per_second']:,} ({r['build']['rows_per_cpu_second']:,})",
        "201s / rows stored / lost": lambda r: (f"{r['writes']['created_201']} / {r['writes']['rows_stored']} / "
                                               f"{r['writes']['lost_writes']}"),
        "confirm 200s / lost": lambda r: f"{r['writes']['confirmed_200']} / {r['writes']['lost_confirms']}",
        "worker RSS MB (start -> after the run)": lambda r: (
            ", ".join(str(x) for x in r.get("worker_rss_mb_start", [])) + " -> "
            + ", ".join(str(x) for x in r["worker_rss_mb"])),
        "check-tallies exact": lambda r: str(r["tallies_exact"]),
        "cores; load average start -> end": lambda r: (f"{r['machine']['cpu_count']}; "
                                                      f"{r['machine']['load_average_start'][0]} -> "
                                                      f"{r['machine'].get('load_average_end', ['?'])[0]}"),
    }
    for label, cell in lines.items():
        print(f"| {label} | " + " | ".join(cell(result) for _name, result in results) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
