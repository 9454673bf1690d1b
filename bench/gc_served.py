#!/usr/bin/env python
"""Served workers with their start-up objects frozen (as the app does) or not, interleaved on
one database: what the freeze (:mod:`campaign.core.startup`) does to rates, p99 and pauses.

    .venv/bin/python bench/gc_served.py --url sqlite:////tmp/bench/sqlite_10000000.sqlite3 [--rounds 4] \\
        [--seconds 6] [--reads "GET /toko?page=<n>&setelah=" "GET /toko?q="] [--no-writes]

Each round serves this checkout twice with gunicorn (3 sync workers) on 127.0.0.1, once as it is
and once with :mod:`bench.gc_hooks` undoing the freeze in every worker (the order alternating
between rounds), and drives ``/healthz``, the ``--reads`` routes of bench/busy.py (the start of a
name), ``POST /api/v1/purchases`` and its confirm with wrk for ``--seconds`` each. Prints each
run's requests/s, ratio to ``/healthz`` and p99, the median ratios, and per way the workers'
collections per generation, their time and the longest. It WRITES to the database (through the
services, so its tallies stay exact) unless ``--no-writes``. Not run in CI.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import dataset, fixtures, wrk  # noqa: E402
from bench.ab_writes import _read_routes, _serve  # noqa: E402

WAYS = {"frozen": "0", "unfrozen": "1"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--reads", nargs="+", default=[], metavar="ROUTE")
    parser.add_argument("--no-writes", action="store_true")
    options = parser.parse_args()
    app = fixtures.app_for(options.url)
    actors = fixtures.actors(app)
    binary = wrk.ensure_wrk()
    reads = _read_routes(app, options.reads)
    ratios: dict[str, dict[str, list[float]]] = {way: {} for way in WAYS}
    with tempfile.TemporaryDirectory() as stats_dir:
        for way in WAYS:
            (Path(stats_dir) / way).mkdir()
        for round_ in range(options.rounds):
            for way in WAYS if round_ % 2 == 0 else reversed(WAYS):
                env = {**dataset.environment(options.url), "GC_UNFREEZE": WAYS[way],
                       "GC_STATS_DIR": str(Path(stats_dir) / way),
                       "GUNICORN_CMD_ARGS": f"-c {Path(__file__).with_name('gc_hooks.py')}"}
                with _serve(dataset.ROOT, env) as base:
                    runs = [("/healthz", wrk.drive(base, wrk.Load(routes=[("get", "/healthz", {})]), options.seconds,
                                                   binary))]
                    runs += [(label, wrk.drive(base, wrk.Load(routes), options.seconds, binary))
                             for label, routes in reads.items()]
                    if not options.no_writes:
                        runs.append(("post", wrk.drive(base, wrk.Load(
                            routes=[("purchase",)], tokens=actors.asn_tokens, shops=actors.shop_ids,
                            run=f"gc{random.randrange(10**9)}"), options.seconds, binary)))
                        pool = fixtures.confirm_pool(app, actors)
                        random.shuffle(pool)
                        runs.append(("confirm", wrk.drive(base, wrk.Load(routes=[("confirm",)], confirms=pool[:20000]),
                                                          options.seconds, binary)))
                _report(way, runs, ratios[way])
        for way in WAYS:
            print(f"{way:<9} medians: " + ", ".join(f"{label} {statistics.median(values):.3f}x"
                                                   for label, values in ratios[way].items()))
        for way in WAYS:
            _pauses(way, Path(stats_dir) / way)


def _report(way: str, runs: list[tuple[str, dict]], ratios: dict[str, list[float]]) -> None:
    healthz = runs[0][1]["requests_per_second"]
    line = [f"{way:<9}"]
    for label, run in runs:
        rate = run["requests_per_second"]
        ratios.setdefault(label, []).append(rate / healthz)
        line.append(f"{label} {rate:5.0f}/s {rate / healthz:.3f}x p99 {run['p99_ms']:.0f} ms")
    print("  ".join(line), flush=True)


def _pauses(way: str, folder: Path) -> None:
    """The collections of every worker that served ``way``, summed per generation."""
    workers = [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]
    for generation in range(3):
        count = sum(w["collections"][generation] for w in workers)
        spent = sum(w["seconds"][generation] for w in workers) * 1000
        longest = max((w["longest"][generation] for w in workers), default=0) * 1000
        print(f"{way:<9} generation {generation}: {count:>6} collections, {spent:>6.0f} ms, longest {longest:.1f} ms")
    tracked = sorted(w["tracked"] for w in workers)
    print(f"{way:<9} {len(workers)} workers; frozen {max((w['frozen'] for w in workers), default=0):,}, "
          f"tracked at exit {tracked[0] if tracked else 0:,}-{tracked[-1] if tracked else 0:,}")


if __name__ == "__main__":
    main()
