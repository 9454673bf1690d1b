#!/usr/bin/env python
"""What one logged purchase costs the server, by the number of worker processes writing.

    .venv/bin/python bench/write_turns.py --url sqlite:////tmp/bench/sqlite_1000000.sqlite3 \\
        [--workers 1 3] [--seconds 8] [--rounds 2] [--busy-core]

Against a database ``bench/run.py --build-only`` built, for each worker count in turn: gunicorn
(sync workers) on 127.0.0.1, then wrk on ``/healthz`` and on ``POST /api/v1/purchases``, and for
each run the requests/s, how busy the machine was (``/proc/stat``), and per request the workers'
CPU milliseconds and their read and write system calls (``/proc/<pid>/io``). With ``--busy-core``
a process spins beside every run (on two cores it keeps the other core busy), to tell a busy
machine's cost from that of several processes writing.

On SQLite one transaction writes at a time, so when the POST runs are limited by that turn the
machine is not fully busy, and 1 / (POST/s) is how long one turn lasts. Comparing worker counts
shows what writing from several processes adds (the reads column: SQLite empties a connection's
page cache whenever another connection has committed).

``--statements N`` (SQLite) asks how much of a turn is SQLite's own work: it logs N purchases in
process on a copy of the database (copied next to it for every replay: mind its size), records
each one's statements and parameters, and replays them on the database itself through the sqlite3
driver, with no Python between them, from each number of processes taking turns at a lock as the
writer gate does. It prints the transactions/s, the wall milliseconds inside a turn and the CPU
milliseconds per transaction.

It WRITES to the database (through the services, or their very statements, so the tallies stay
exact): copy the database first to repeat a run on the same data. Not run in CI.
"""
from __future__ import annotations

import argparse
import fcntl
import multiprocessing
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import dataset, fixtures, wrk  # noqa: E402


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of every CPU since boot."""
    with open("/proc/stat") as stat:
        ticks = [int(value) for value in stat.readline().split()[1:]]
    idle = ticks[3] + ticks[4]  # idle and iowait
    return sum(ticks) - idle, sum(ticks)


def _worker_counters(pids: list[int]) -> dict[str, float]:
    """The workers' CPU seconds and read/write system calls so far."""
    totals = {"cpu": 0.0, "syscr": 0, "syscw": 0}
    ticks = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            io = dict(line.split(": ") for line in Path(f"/proc/{pid}/io").read_text().splitlines())
        except OSError:
            continue
        totals["cpu"] += (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
        totals["syscr"] += int(io["syscr"])
        totals["syscw"] += int(io["syscw"])
    return totals


def _spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def measure(base: str, pids: list[int], load: wrk.Load, seconds: int, binary: str, busy_core: bool) -> dict:
    spinner = multiprocessing.Process(target=_spin, args=(seconds + 3,), daemon=True) if busy_core else None
    if spinner:
        spinner.start()
    before, (busy0, total0) = _worker_counters(pids), _machine_ticks()
    run = wrk.drive(base, load, seconds, binary)
    after, (busy1, total1) = _worker_counters(pids), _machine_ticks()
    if spinner:
        spinner.terminate()
        spinner.join()
    requests = max(1, sum(run["statuses"].values()))
    return {"rate": run["requests_per_second"], "statuses": run["statuses"],
            "busy": (busy1 - busy0) / max(1, total1 - total0),
            **{name: (after[name] - before[name]) / requests for name in after}}


def capture(url: str, count: int) -> list[list[tuple[str, tuple]]]:
    """The statements (and parameters) of ``count`` purchases logged through the API in process,
    on a copy of the SQLite database at ``url``, with tokens made in the database itself first."""
    from sqlalchemy import event

    from campaign.core.extensions import db

    path = Path(url.removeprefix("sqlite:///"))
    actors = fixtures.actors(fixtures.app_for(url))  # the tokens exist in both copies
    with tempfile.TemporaryDirectory(dir=path.parent) as scratch:
        copy = Path(scratch) / path.name
        shutil.copyfile(path, copy)
        if Path(f"{path}-wal").exists():
            shutil.copyfile(f"{path}-wal", f"{copy}-wal")
        app = fixtures.app_for(f"sqlite:///{copy}")
        app.config.update(RATELIMIT_ENABLED=False, PURCHASE_LIMIT_PER_DAY=None, PURCHASE_LIMIT_AMOUNT_PER_DAY=None,
                          PURCHASE_LIMIT_PER_SHOP_PER_DAY=None, DUPLICATE_WINDOW_MINUTES=0)
        statements: list[tuple[str, tuple]] = []
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute",
                         lambda _c, _cursor, statement, parameters, *_: statements.append((statement, parameters)))
        client, run, purchases = app.test_client(), random.randrange(10**9), []
        for n in range(count):
            statements.clear()
            response = client.post("/api/v1/purchases", json={
                "shop_id": actors.shop_ids[n * 13 % len(actors.shop_ids)], "amount": 1000 + n * 977 % 500_000,
                "client_ref": f"turns-{run}-{n}"},
                headers={"Authorization": f"Bearer {actors.asn_tokens[n * 7 % len(actors.asn_tokens)]}"})
            if response.status_code != 201:
                raise SystemExit(f"POST /api/v1/purchases answered {response.status_code}: "
                                 f"{response.get_data(as_text=True)}")
            purchases.append(list(statements))
        with app.app_context():
            db.engine.dispose()
    return purchases


def _replay_part(path: str, purchases: list, part: int, parts: int, results) -> None:
    connection = sqlite3.connect(path, isolation_level=None)  # the statements carry their own BEGIN
    for pragma in ("busy_timeout = 30000", "foreign_keys = ON", "journal_mode = WAL", "synchronous = NORMAL"):
        connection.execute(f"PRAGMA {pragma}")
    lock = os.open(f"{path}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)  # the writer gate's file
    cursor, inside, mine = connection.cursor(), 0.0, purchases[part::parts]
    cpu = time.process_time()
    for statements in mine:
        fcntl.flock(lock, fcntl.LOCK_EX)
        start = time.perf_counter()
        for statement, parameters in statements:
            cursor.execute(statement, parameters)
            if cursor.description:
                cursor.fetchall()
        if connection.in_transaction:
            connection.execute("COMMIT")
        inside += time.perf_counter() - start
        fcntl.flock(lock, fcntl.LOCK_UN)
    results.put((len(mine), inside, time.process_time() - cpu))


def replay(path: str, purchases: list, processes: int) -> dict:
    results = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=_replay_part, args=(path, purchases, n, processes, results))
               for n in range(processes)]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    parts = [results.get(timeout=600) for _ in workers]  # a crashed replayer must not hang the run
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - start
    done = sum(part[0] for part in parts)
    return {"rate": done / wall, "turn": sum(part[1] for part in parts) / done,
            "cpu": sum(part[2] for part in parts) / done}


def replay_statements(url: str, count: int, worker_counts: list[int], rounds: int) -> None:
    path = url.removeprefix("sqlite:///")
    print(f"{'processes':>9} {'purchases/s':>12} {'turn ms':>8} {'CPU ms':>7}")
    for _round in range(rounds):
        for processes in worker_counts:
            purchases = capture(url, count)
            m = replay(path, purchases, processes)
            print(f"{processes:>9} {m['rate']:>12.0f} {m['turn'] * 1000:>8.2f} {m['cpu'] * 1000:>7.2f}"
                  f"  ({len(purchases[0])} statements each)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 3])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--statements", type=int, metavar="N",
                        help="SQLite: replay N purchases' own statements through the driver instead")
    parser.add_argument("--busy-core", action="store_true",
                        help="a process spinning beside each run (on two cores: the other core kept busy)")
    options = parser.parse_args()
    if options.statements:
        if not options.url.startswith("sqlite:///"):
            parser.error("--statements replays through the sqlite3 driver: give a sqlite:/// URL")
        replay_statements(options.url, options.statements, options.workers, options.rounds)
        return
    app = fixtures.app_for(options.url)
    actors = fixtures.actors(app)
    env = dataset.environment(options.url)
    binary = wrk.ensure_wrk()
    print(f"{'workers':>7} {'route':<8} {'req/s':>7} {'machine':>8} {'CPU ms':>7} {'reads':>6} {'writes':>7}")
    for _round in range(options.rounds):
        for workers in options.workers:
            with dataset.server(env, workers) as (base, master):
                pids = dataset.worker_pids(master)
                wrk.drive(base, wrk.Load(routes=[("get", "/healthz", {})]), 2, binary)  # every worker booted
                for label, load in (
                        ("healthz", wrk.Load(routes=[("get", "/healthz", {})])),
                        ("POST", wrk.Load(routes=[("purchase",)], tokens=actors.asn_tokens, shops=actors.shop_ids,
                                          run=f"turns{random.randrange(10**9)}"))):
                    m = measure(base, pids, load, options.seconds, binary, options.busy_core)
                    print(f"{workers:>7} {label:<8} {m['rate']:>7.0f} {m['busy']:>7.0%} {m['cpu'] * 1000:>7.2f} "
                          f"{m['syscr']:>6.0f} {m['syscw']:>7.0f}  {m['statuses']}", flush=True)


if __name__ == "__main__":
    main()
