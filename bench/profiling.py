#!/usr/bin/env python
"""Where the time goes, for the two targets bench/run.py does not meet: writes and seed-demo.

    .venv/bin/python bench/profiling.py writes --url sqlite:////tmp/bench/sqlite_1000000.sqlite3 [--requests 300] \
        [--route confirm]
    .venv/bin/python bench/profiling.py seed --url sqlite:////tmp/seed.sqlite3 --purchases 1000000
    .venv/bin/python bench/profiling.py pauses --url postgresql+psycopg://postgres@127.0.0.1:5432/bench_postgresql_10000000

``writes`` logs purchases through ``POST /api/v1/purchases`` (``--route confirm``: confirms
reported ones as their shops' owners) in-process (Flask's test client, no
HTTP server, rate limits off) against a database built by bench/run.py or seed-demo; it WRITES to
that database, through the services, so the tallies stay exact. It prints the CPU milliseconds
per request (user and system) next to ``GET /healthz``'s, the SQL statements per request (on
SQLite read off the driver, BEGIN and COMMIT included), the CPU milliseconds inside SQLite's
writer gate per request (the one writer's turn), and the functions with the most CPU (cProfile
on process time). ``seed`` runs seed-demo on a new, empty
database at ``--url`` and prints the seconds of each phase. ``reads`` and ``pauses`` (the garbage
collector's, over the busy-day GET routes) only read. None is run in CI.
"""
from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import io
import os
import pstats
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402

from bench import fixtures  # noqa: E402
from campaign.core.extensions import db  # noqa: E402


def _cpu() -> tuple[float, float]:
    times = os.times()
    return times.user, times.system


@contextlib.contextmanager
def _turns():
    """The CPU seconds spent holding SQLite's writer gate meanwhile (``[seconds]``, filled in as it
    goes): the one writer's turn, which bounds how many writes SQLite takes per second however many
    workers there are (PostgreSQL has no gate: 0)."""
    from campaign.core import database

    spent = [0.0]
    held = database.WriterGate.held

    @contextlib.contextmanager
    def timed(gate):
        with held(gate):
            start = time.process_time()
            try:
                yield
            finally:
                spent[0] += time.process_time() - start

    database.WriterGate.held = timed
    try:
        yield spent
    finally:
        database.WriterGate.held = held


def profile_writes(url: str, requests: int, top: int, route: str = "post") -> None:
    app = fixtures.app_for(url)
    app.config["RATELIMIT_ENABLED"] = False
    # another run on the same data repeats buyer and shop pairs: the per-day limits would refuse them
    app.config.update(PURCHASE_LIMIT_PER_DAY=None, PURCHASE_LIMIT_AMOUNT_PER_DAY=None,
                      PURCHASE_LIMIT_PER_SHOP_PER_DAY=None, DUPLICATE_WINDOW_MINUTES=0)
    actors = fixtures.actors(app)
    client = app.test_client()
    pool = fixtures.confirm_pool(app, actors) if route == "confirm" else []
    random.shuffle(pool)
    offset = random.randrange(10**6)  # another run on the same data: other amounts, no duplicates
    statements = [0]

    def count(*_args) -> None:
        statements[0] += 1

    with app.app_context():
        if db.engine.dialect.name == "sqlite":  # off the driver: a write's statements go past SQLAlchemy there
            event.listen(db.engine, "connect", lambda connection, _record: connection.set_trace_callback(count))
            db.engine.dispose()  # connections opened so far get it too
        else:
            event.listen(db.engine, "before_cursor_execute", count)

    def confirm(n: int) -> None:
        purchase_id, token = pool[n]
        response = client.post(f"/api/v1/purchases/{purchase_id}/confirm", headers={"Authorization": f"Bearer {token}"})
        if response.status_code != 200:
            raise SystemExit(f"confirm answered {response.status_code}: {response.get_data(as_text=True)}")

    def post(n: int) -> None:
        i = n + offset
        response = client.post("/api/v1/purchases", json={
            "shop_id": actors.shop_ids[i * 13 % len(actors.shop_ids)], "amount": 1000 + i * 977 % 500_000,
            "client_ref": f"profile-{offset}-{n}"},
            headers={"Authorization": f"Bearer {actors.asn_tokens[i * 7 % len(actors.asn_tokens)]}"})
        if response.status_code != 201:
            raise SystemExit(f"POST /api/v1/purchases answered {response.status_code}: {response.get_data(as_text=True)}")

    log = confirm if route == "confirm" else post
    if route == "confirm" and len(pool) < 20 + 2 * requests:
        raise SystemExit(f"only {len(pool)} reported purchases to confirm: ask for fewer --requests")

    for n in range(20):  # warm up: statement caches, connections
        log(n)
    measured = {}
    for label, call in ((f"{route} (see --route)", lambda n: log(20 + n)),
                        ("GET /healthz", lambda n: client.get("/healthz"))):
        statements[0] = 0
        with _turns() as turn:
            (user, system) = _cpu()
            for n in range(requests):
                call(n)
            after = _cpu()
        measured[label] = ((after[0] - user) / requests * 1000, (after[1] - system) / requests * 1000,
                           statements[0] / requests, turn[0] / requests * 1000)
    print(f"{'request':<26}{'user ms':>9}{'sys ms':>9}{'statements':>12}{'turn CPU ms':>13}")
    for label, (user, system, count, turn) in measured.items():
        print(f"{label:<26}{user:>9.2f}{system:>9.2f}{count:>12.1f}{turn:>13.2f}")
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for n in range(requests):
        log(20 + requests + n)
    profiler.disable()
    if os.environ.get("PROFILE_DUMP"):
        profiler.dump_stats(os.environ["PROFILE_DUMP"])
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats(os.environ.get("PROFILE_SORT", "cumulative"))
    stats.print_stats(os.environ.get("PROFILE_FILTER", r"campaign|flask_limiter"), top)
    print(out.getvalue())


def profile_reads(url: str, route: str, requests: int, top: int) -> None:
    """CPU per request of one of :func:`bench.busy.routes`'s cache-busting routes (the first whose
    name starts with ``route``), each URL once and in-process, against ``GET /healthz``'s; then the
    functions with the most CPU. Each URL is asked for once, so no page comes from a cache."""
    from bench import busy

    app = fixtures.app_for(url)
    app.config["RATELIMIT_ENABLED"] = False
    names = [name for name in busy.routes(app) if name.startswith(route)]
    if not names:
        raise SystemExit(f"no route starts with {route!r}: {', '.join(busy.routes(app))}")
    paths = list(dict.fromkeys(path for _method, path, *_rest in busy.routes(app)[names[0]]))
    if len(paths) < 20 + 2 * requests:
        raise SystemExit(f"{names[0]} has {len(paths)} distinct URLs: ask for fewer --requests")
    client = app.test_client()

    def get(path: str) -> None:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}")

    for path in paths[:20]:  # warm up: statement caches, connections, templates
        get(path)
    measured = {}
    for label, paths_now in ((names[0], paths[20:20 + requests]), ("GET /healthz", ["/healthz"] * requests)):
        user, system = _cpu()
        for path in paths_now:
            get(path)
        after = _cpu()
        measured[label] = ((after[0] - user) / requests * 1000, (after[1] - system) / requests * 1000)
    print(f"{'request':<50}{'user ms':>9}{'sys ms':>9}")
    for label, (user, system) in measured.items():
        print(f"{label:<50}{user:>9.2f}{system:>9.2f}")
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for path in paths[20 + requests:20 + 2 * requests]:
        get(path)
    profiler.disable()
    if os.environ.get("PROFILE_DUMP"):
        profiler.dump_stats(os.environ["PROFILE_DUMP"])
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats(os.environ.get("PROFILE_SORT", "cumulative"))
    stats.print_stats(os.environ.get("PROFILE_FILTER", ""), top)
    print(out.getvalue())


def profile_pauses(url: str, per_route: int) -> None:
    """The garbage collector's pauses while serving, in process, the first ``per_route`` distinct
    URLs of each of :func:`bench.busy.routes`'s GET routes in a shuffled order (after 50 to warm
    up): per generation how many collections, their total and the longest; how many objects the
    start-up froze (:mod:`campaign.core.startup`) and how many a full collection still walks; the
    slowest requests. Run it from another checkout to compare."""
    import gc

    from bench import busy
    from bench.gc_hooks import Pauses

    app = fixtures.app_for(url)
    app.config["RATELIMIT_ENABLED"] = False
    paths = [path for name, entries in busy.routes(app).items() if name.startswith("GET")
             for path in list(dict.fromkeys(path for _method, path, *_rest in entries))[:per_route]]
    random.Random(1).shuffle(paths)
    client = app.test_client()
    for path in paths[:50]:
        client.get(path)
    pauses = Pauses()
    slowest = []
    gc.callbacks.append(pauses)
    try:
        begun = time.perf_counter()
        for path in paths:
            start = time.perf_counter()
            status = client.get(path).status_code
            slowest.append((time.perf_counter() - start, path, status))
        spent = time.perf_counter() - begun
    finally:
        gc.callbacks.remove(pauses)
    print(f"{len(paths):,} requests in {spent:.1f} s; frozen at start-up {gc.get_freeze_count():,} objects, "
          f"{len(gc.get_objects()):,} walked by a full collection now")
    for generation in range(3):
        print(f"generation {generation}: {pauses.stats['collections'][generation]:>4} collections, "
              f"{pauses.stats['seconds'][generation] * 1000:>6.0f} ms in all, "
              f"longest {pauses.stats['longest'][generation] * 1000:.1f} ms")
    for seconds, path, status in sorted(slowest, reverse=True)[:5]:
        print(f"  {seconds * 1000:6.1f} ms  {status}  {path}")


def profile_seed(url: str, asn: int, shops: int, purchases: int, province: str | None) -> None:
    from campaign.core.maintenance import migrate_to_head
    from campaign.demo import bulk as demo_bulk
    from campaign.demo import people as demo_people
    from campaign.demo import seed as demo
    from campaign.demo import tallies as demo_tallies
    from campaign.domains.regions.services import load_reference_data

    phases: dict[str, float] = {}

    def timed(module, name: str) -> None:
        original = getattr(module, name)

        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                phases[name] = phases.get(name, 0) + time.perf_counter() - start
        setattr(module, name, wrapper)

    for name in ("_shops", "_pledges", "_purchases", "seed_trust_patterns", "refresh_statistics", "_checkpoint"):
        timed(demo, name)
    for name in ("asns", "roster"):
        timed(demo_people, name)
    timed(demo_bulk, "load")
    for name in ("count_purchases", "write_counts", "write_tallies"):
        timed(demo_tallies, name)
    app = fixtures.app_for(url)
    with app.app_context():
        migrate_to_head()
        load_reference_data()
        start = time.perf_counter()
        demo.seed(asn_count=asn, shop_count=shops, purchase_count=purchases, province=province)
        total = time.perf_counter() - start
    print(f"{'phase':<28}{'seconds':>9}")
    for name, seconds in phases.items():
        print(f"{name:<28}{seconds:>9.1f}")
    print(f"{'seed-demo in all':<28}{total:>9.1f}   ({purchases / total:,.0f} purchase rows/s)")
    print("(_purchases includes load and the index builds after it, and count_purchases, which runs in a "
          "thread beside them; the tallies' key builds and the commit are in the total only)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    writes = commands.add_parser("writes", help="CPU per logged purchase, in-process")
    writes.add_argument("--url", required=True, help="a database bench/run.py or seed-demo built")
    writes.add_argument("--requests", type=int, default=300)
    writes.add_argument("--top", type=int, default=25)
    writes.add_argument("--route", choices=["post", "confirm"], default="post",
                        help="log purchases, or confirm reported ones (as their shops' owners)")
    reads = commands.add_parser("reads", help="CPU per request of a cache-busting GET route, in-process")
    reads.add_argument("--url", required=True, help="a database bench/run.py or seed-demo built")
    reads.add_argument("--route", default="GET /toko?page=<n>&setelah=",
                       help="the start of a route's name in bench/busy.py (default: keyset pages)")
    reads.add_argument("--requests", type=int, default=1000)
    reads.add_argument("--top", type=int, default=40)
    seed = commands.add_parser("seed", help="seed-demo's phases on a new, empty database")
    seed.add_argument("--url", required=True, help="an EMPTY database (a new SQLite file or PostgreSQL database)")
    seed.add_argument("--asn", type=int, default=200_000)
    seed.add_argument("--shops", type=int, default=50_000)
    seed.add_argument("--purchases", type=int, default=1_000_000)
    seed.add_argument("--province", help="a served province's code, or semua (set FLASK_PROVINCES to serve several)")
    pauses = commands.add_parser("pauses", help="the garbage collector's pauses over the busy GET routes, in-process")
    pauses.add_argument("--url", required=True, help="a database bench/run.py or seed-demo built")
    pauses.add_argument("--per-route", type=int, default=400, help="distinct URLs of each route")
    options = parser.parse_args()
    if options.command == "writes":
        profile_writes(options.url, options.requests, options.top, options.route)
    elif options.command == "reads":
        profile_reads(options.url, options.route, options.requests, options.top)
    elif options.command == "pauses":
        profile_pauses(options.url, options.per_route)
    else:
        profile_seed(options.url, options.asn, options.shops, options.purchases, options.province)


if __name__ == "__main__":
    main()
