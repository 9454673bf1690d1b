#!/usr/bin/env python
"""Where a write load waits, on PostgreSQL: the backends' states and the processes' CPU while wrk
logs (or confirms) purchases.

    .venv/bin/python bench/write_waits.py --url postgresql+psycopg://postgres@127.0.0.1:5432/bench_pg10m \\
        [--route confirm] [--checkout /work/wt-old] [--seconds 12]

Serves ``--checkout`` (its code, with this virtualenv) with gunicorn (3 sync workers) on 127.0.0.1
against a database ``bench/run.py --build-only`` built, drives ``POST /api/v1/purchases`` (or
confirmations) with wrk, and meanwhile samples ``pg_stat_activity`` every 50 ms. Prints the
requests/s, the CPU seconds gunicorn and PostgreSQL used, and how many of the database's
backends were, on average, in each (state, wait event): ``idle in transaction`` is a backend
waiting on its worker's Python, ``Lock/transactionid`` a row lock held by another transaction,
``IO/WALSync`` the commit's flush. It WRITES to the database, through the services, so its
tallies stay exact. Not run in CI.
"""
from __future__ import annotations

import argparse
import collections
import os
import random
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import dataset, fixtures, wrk  # noqa: E402

SAMPLE_SECONDS = 0.05


def cpu_seconds() -> collections.Counter:
    """User and system CPU seconds so far of the gunicorn and postgres processes (wrk has ended
    when the second count is taken, so it is not counted)."""
    used: collections.Counter = collections.Counter()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # ended meanwhile
        name, fields = stat.split("(", 1)[1].rsplit(")", 1)[0], stat.rsplit(")", 1)[1].split()
        kind = "gunicorn" if "gunicorn" in command else "postgres" if name == "postgres" else None
        if kind:
            used[kind] += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="a PostgreSQL database bench/run.py built")
    parser.add_argument("--route", choices=["post", "confirm"], default="post")
    parser.add_argument("--checkout", type=Path, default=dataset.ROOT, help="the checkout to serve")
    parser.add_argument("--seconds", type=int, default=12)
    options = parser.parse_args()
    dataset.ROOT = options.checkout.resolve()  # gunicorn's working directory and PYTHONPATH
    if not options.url.startswith("postgresql"):
        raise SystemExit("write_waits.py samples pg_stat_activity: give it a PostgreSQL database")
    import psycopg

    database = options.url.rsplit("/", 1)[1]
    app = fixtures.app_for(options.url)
    actors = fixtures.actors(app)
    binary = wrk.ensure_wrk()
    if options.route == "confirm":
        pool = fixtures.confirm_pool(app, actors)
        random.shuffle(pool)
        load = wrk.Load(routes=[("confirm",)], confirms=pool[:5000])
    else:
        load = wrk.Load(routes=[("purchase",)], tokens=actors.asn_tokens, shops=actors.shop_ids,
                        run=f"waits{random.randrange(10**9)}")
    waits: collections.Counter = collections.Counter()
    samples, stop = [0], threading.Event()

    def sample() -> None:
        with psycopg.connect(options.url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as connection:
            while not stop.is_set():
                for state in connection.execute(
                        "SELECT state, wait_event_type, wait_event FROM pg_stat_activity "
                        "WHERE datname = %s AND pid <> pg_backend_pid()", (database,)):
                    waits[state] += 1
                samples[0] += 1
                time.sleep(SAMPLE_SECONDS)

    with dataset.server(dataset.environment(options.url), 3) as (base, _master):
        sampler = threading.Thread(target=sample)
        sampler.start()
        before, start = cpu_seconds(), time.monotonic()
        try:
            result = wrk.drive(base, load, options.seconds, binary)
        finally:
            after, elapsed = cpu_seconds(), time.monotonic() - start
            stop.set()
            sampler.join()
    print(f"{options.route}: {result['requests_per_second']:.0f}/s {result['statuses']}")
    print(f"CPU seconds in {elapsed:.1f} s: " + ", ".join(f"{kind} {after[kind] - before[kind]:.1f}"
                                                          for kind in ("gunicorn", "postgres")))
    print("backends on average, by (state, wait event type, wait event):")
    for (state, kind, event), count in waits.most_common(12):
        print(f"  {count / max(samples[0], 1):5.2f}  {state} / {kind or '-'} / {event or '-'}")


if __name__ == "__main__":
    main()
