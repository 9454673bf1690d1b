#!/usr/bin/env python
"""Province-scale benchmark: build a dataset with seed-demo, serve it with gunicorn on 127.0.0.1,
drive each route with wrk, and report every route as a ratio to the app's own /healthz.

    .venv/bin/python bench/run.py --database sqlite --purchases 10000000 [--workers 3] [--seconds 10]
    .venv/bin/python bench/run.py --database postgresql --national   # 38 provinces, 4M ASN, 10M purchases

Each route runs for ``--seconds`` between two /healthz runs of the same length; its ratio is its
requests/s over the mean of those two, so a busy machine affects both sides alike. Then the busy
day of :mod:`bench.busy` (cache-busting routes alone and under a write trickle, the floor app's
POST), the confirmations (:data:`CONFIRMS`), and worker memory at the start and after the run.
Afterwards it compares the 201s with the purchase rows stored, the 200s of confirm with the rows
confirmed, and runs ``check-tallies``. Prints a table and writes the results as JSON (``--out``, by default
``bench/results/<database>-<purchases>.json``). ``--check`` exits 1 on any error, lost write or
tally difference (what CI asserts; never speed).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import busy, dataset, fixtures  # noqa: E402
from bench.wrk import WRK_ARGS, Load, drive, ensure_wrk  # noqa: E402
from campaign.domains.regions import areas  # noqa: E402

HEALTHZ = ("get", "/healthz", {})
READS = {
    "GET /api/v1/leaderboard": (("get", "/api/v1/leaderboard", {}), {200}),
    "GET /api/v1/leaderboard (If-None-Match: 304)": (None, {304}),
    "GET /peringkat": (("get", "/peringkat", {}), {200}),
    "GET /wilayah/73.73": (("get", "/wilayah/73.73", {}), {200}),
    "GET /toko": (("get", "/toko", {}), {200}),
    "GET /toko?q=kopi": (("get", "/toko?q=kopi", {}), {200}),
}
# confirm runs: the purchases in the order a shop's own list offers them (newest purchase day first:
# what was bought lately, at the 60 owners' shops the purchase runs logged at), then, for
# comparison with runs before that order, by id (the demo's first ids: purchases of any day, at
# any shop, whose rows neither database's cache holds after a build)
CONFIRMS = {"POST /api/v1/purchases/<id>/confirm": True,
            "POST /api/v1/purchases/<id>/confirm, by id (any day)": False}
# --national: every province served; /peringkat then ranks the 38 provinces, /api/v1/leaderboard all
# 514 regions, and these are added: the provinces ranked (API), the leaderboard of a 38-region province
# (Jawa Timur, page and API) and a region of it (Kota Surabaya).
NATIONAL_PROVINCE = "35"
NATIONAL_READS = {
    "GET /api/v1/leaderboard/provinces": (("get", "/api/v1/leaderboard/provinces", {}), {200}),
    f"GET /peringkat?provinsi={NATIONAL_PROVINCE}": (("get", f"/peringkat?provinsi={NATIONAL_PROVINCE}", {}), {200}),
    f"GET /api/v1/leaderboard?province={NATIONAL_PROVINCE}": (
        ("get", f"/api/v1/leaderboard?province={NATIONAL_PROVINCE}", {}), {200}),
    "GET /wilayah/35.78": (("get", "/wilayah/35.78", {}), {200}),
}
NATIONAL = {"asn": 4_000_000, "shops": 500_000, "purchases": 10_000_000}


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--purchases", type=int, help="default 10,000 (--national: 10,000,000)")
    parser.add_argument("--asn", type=int, help="default 200,000 (--national: 4,000,000)")
    parser.add_argument("--shops", type=int, help="default 50,000 (--national: 500,000)")
    parser.add_argument("--national", action="store_true",
                        help="serve all 38 provinces (PROVINCES) and seed people and shops over their 514 regions")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10, help="per route and per /healthz run")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--pg-database", help="the PostgreSQL database to drop and build (default bench_<database>_<purchases>)")
    parser.add_argument("--workdir", type=Path, help="where the SQLite database is built (default: a new temp dir)")
    parser.add_argument("--build-only", action="store_true", help="build the dataset, write its figures, stop")
    parser.add_argument("--skip-build", action="store_true",
                        help="drive the dataset an earlier --build-only run built (same --workdir and --out)")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 on errors, lost writes or tally differences; the cache-busting routes run "
                             "under the write trickle only, without a /healthz run after each")
    parser.add_argument("--trickle", type=float, default=20, help="POST/s of the write trickle (busy routes)")
    parser.add_argument("--no-busy", action="store_true", help="skip the cache-busting routes and the floor app")
    options = parser.parse_args()
    defaults = NATIONAL if options.national else {"asn": 200_000, "shops": 50_000, "purchases": 10_000}
    for name, value in defaults.items():
        if getattr(options, name) is None:
            setattr(options, name, value)
    if options.national:
        # every process below (init-db, seed-demo, gunicorn, this one's app) reads it
        os.environ["FLASK_PROVINCES"] = json.dumps(list(areas.provinces()))
    return options


def _name(options) -> str:
    """``sqlite_10000``, ``postgresql_10000000``, ``postgresql_national_10000000``."""
    return f"{options.database}_{'national_' if options.national else ''}{options.purchases}"


def _etag(base: str) -> str:
    with urllib.request.urlopen(f"{base}/api/v1/leaderboard", timeout=30) as response:
        return response.headers["ETag"]


def _routes(base: str, actors: fixtures.Actors, run: str, national: bool) -> dict[str, tuple[Load, set[int]]]:
    reads = {name: (Load([route or ("get", "/api/v1/leaderboard", {"If-None-Match": _etag(base)})]), ok)
             for name, (route, ok) in {**READS, **(NATIONAL_READS if national else {})}.items()}
    read_routes = [load.routes[0] for load, _ok in reads.values()]
    mixed = [read_routes[n % len(read_routes)] for n in range(19)] + [("purchase",)]  # 95% reads, 5% writes
    return {**reads,
            "POST /api/v1/purchases": (Load([("purchase",)], actors.asn_tokens, actors.shop_ids, run=f"{run}p"),
                                       {201}),
            "mixed: 95% reads, 5% POST /api/v1/purchases": (
                Load(mixed, actors.asn_tokens, actors.shop_ids, run=f"{run}m"), {200, 201, 304})}


def _measure(base: str, name: str, load: Load, ok: set[int], seconds: int, wrk: str, before: float) -> dict:
    result = drive(base, load, seconds, wrk)
    after = drive(base, Load([HEALTHZ]), seconds, wrk)["requests_per_second"]
    errors = result["socket_errors"] + sum(n for status, n in result["statuses"].items() if status not in ok)
    row = {"route": name, "requests_per_second": round(result["requests_per_second"], 1),
           "p50_ms": round(result["p50_ms"], 2), "p99_ms": round(result["p99_ms"], 2), "errors": errors,
           "ratio_to_healthz": round(result["requests_per_second"] / ((before + after) / 2), 3),
           "healthz_requests_per_second": round((before + after) / 2, 1), "statuses": result["statuses"],
           "created_ids": result["created_ids"], "confirmed_ids": result["confirmed_ids"]}
    print(f"{name:<48}{row['requests_per_second']:>9.1f}{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}"
          f"{errors:>7}{row['ratio_to_healthz']:>8.3f}", flush=True)
    return {**row, "_after": after}


def _serve_and_drive(options, env: dict, url: str, wrk: str) -> dict:
    app = fixtures.app_for(url)
    actors = fixtures.actors(app)
    run = f"b{int(time.time())}"
    last_id = fixtures.last_purchase_id(app)
    with dataset.server(env, options.workers) as (base, master):
        print(f"{'route':<48}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>7}{'ratio':>8}", flush=True)
        healthz = drive(base, Load([HEALTHZ]), options.seconds, wrk)["requests_per_second"]
        rss_start = dataset.worker_rss_mb(master)
        rows = []
        for name, (load, ok) in _routes(base, actors, run, options.national).items():
            rows.append(_measure(base, name, load, ok, options.seconds, wrk, healthz))
            healthz = rows[-1].pop("_after")
        trickled: list[int] = []
        if not options.no_busy:
            busy_rows, trickled, healthz = busy.measure(
                base, app, actors, run, seconds=options.seconds, wrk=wrk, rate=options.trickle,
                alone=not options.check, healthz=healthz, province=NATIONAL_PROVINCE if options.national else None)
            rows += busy_rows
        pool = []
        # each pool read as its run starts, so the second takes none the first confirmed; under
        # --check (CI's small dataset, whose few reported purchases one run uses up) only the first
        for name, newest_first in list(CONFIRMS.items())[:1 if options.check else None]:
            confirms = fixtures.confirm_pool(app, actors, newest_first=newest_first)
            pool += confirms
            rows.append(_measure(base, name, Load([("confirm",)], confirms=confirms), {200}, options.seconds, wrk,
                                 healthz))
            healthz = rows[-1].pop("_after")
        rss = dataset.worker_rss_mb(master)
    if not options.no_busy:
        rows.append(busy.floor(url, workers=options.workers, seconds=options.seconds, wrk=wrk))
    created = [i for row in rows for i in row.pop("created_ids", ())] + trickled
    confirmed = [i for row in rows for i in row.pop("confirmed_ids", ())]
    writes = {"created_201": len(created), "confirmed_200": len(confirmed), "confirm_pool": len(pool),
              # requests still in flight when wrk stopped may be stored without their 201 being counted
              "rows_stored": sum(fixtures.stored_since(app, last_id, f"{run}{kind}") for kind in "pmt"),
              **fixtures.missing(app, created, confirmed)}
    return {"routes": rows, "writes": writes, "worker_rss_mb_start": rss_start, "worker_rss_mb": rss}


def _machine() -> dict:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=dataset.ROOT, capture_output=True,
                            text=True).stdout.strip()
    return {"commit": commit, "cpu_count": os.cpu_count(), "load_average_start": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version, "platform": platform.platform()}


def _build(options, machine: dict, out: Path) -> tuple[str, dict, dict]:
    """The database URL, its environment and the build figures (read back with --skip-build)."""
    workdir = options.workdir or Path(tempfile.mkdtemp(prefix="bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    name = _name(options)
    if options.skip_build:
        url = (f"sqlite:///{workdir / name}.sqlite3" if options.database == "sqlite"
               else f"postgresql+psycopg://postgres@127.0.0.1:5432/{options.pg_database or 'bench_' + name}")
        return url, dataset.environment(url), json.loads(out.read_text())["build"]
    url = dataset.database_url(options.database, workdir, name, options.pg_database)
    env = dataset.environment(url)
    print(f"building {options.purchases:,} purchases ({options.asn:,} ASN, {options.shops:,} shops) on "
          f"{options.database}{' in all 38 provinces' if options.national else ''}; {machine['cpu_count']} cores, "
          f"load {machine['load_average_start']}", flush=True)
    build = dataset.build(env, asn=options.asn, shops=options.shops, purchases=options.purchases,
                          province="semua" if options.national else None)
    build["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(f"seed-demo: {build['seconds']} s, {build['rows_per_second']:,} purchase rows/s "
          f"({build['rows_per_cpu_second']:,} per CPU second)", flush=True)
    return url, env, build


def main() -> int:
    options = _options()
    wrk = ensure_wrk()
    machine = _machine()
    out = options.out or Path(__file__).parent / "results" / f"{_name(options).replace('_', '-')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    url, env, build = _build(options, machine, out)
    if options.build_only:
        out.write_text(json.dumps({"database": options.database, "machine": machine, "build": build}, indent=2))
        return 0
    measured = _serve_and_drive(options, env, url, wrk)
    machine["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    result = {"database": options.database, "national": options.national, "workers": options.workers, "wrk": [*WRK_ARGS, f"-d{options.seconds}s"],
              "machine": machine, "build": build, **measured, "tallies_exact": None}
    out.write_text(json.dumps(result, indent=2) + "\n")  # kept if check-tallies is cut short
    start = time.perf_counter()
    exact = result["tallies_exact"] = dataset.check_tallies(env)
    result["check_tallies_seconds"] = round(time.perf_counter() - start, 1)
    writes = measured["writes"]
    print(f"writes: {writes}; worker RSS MB {measured['worker_rss_mb_start']} at the start, "
          f"{measured['worker_rss_mb']} after the run; tallies exact: {exact}; "
          f"load average at the end {machine['load_average_end']}")
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {out}")
    failed = (not exact or writes["lost_writes"] or writes["lost_confirms"]
              or any(row["errors"] for row in measured["routes"]))
    return 1 if options.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
