#!/usr/bin/env python
"""Write throughput of two checkouts, interleaved on one database: did a change make writes faster?

    .venv/bin/python bench/ab_writes.py --url sqlite:////tmp/bench/sqlite_100000.sqlite3 \\
        --before /work/wt-old --after . [--rounds 4] [--seconds 6] \\
        [--reads "GET /toko?q=" "GET /toko?page=<n>&setelah=" [--no-writes]]

Against a database ``bench/run.py --build-only`` built, each round serves one checkout, then the
other (the order alternating between rounds), with gunicorn (3 sync workers) on 127.0.0.1, and
drives ``/healthz``, ``POST /api/v1/purchases`` and ``POST /api/v1/purchases/<id>/confirm`` with
wrk for ``--seconds`` each. Every checkout needs its own ``.venv`` (a link to this one will do).
Prints each run's requests/s and ratio to ``/healthz`` of the same minute, then the medians: on a
shared, noisy machine the interleaving is what makes the two comparable. On SQLite each line also
gives the most frames the WAL held during the POST run. It WRITES to the
database (through the services, so its tallies stay exact). ``--reads``: also drive these
cache-busting GET routes of bench/busy.py (the start of a route's name), each right after the
round's ``/healthz``, with the same URLs for both checkouts; ``--no-writes``: only those. Not run
in CI.
"""
from __future__ import annotations

import argparse
import contextlib
import random
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import busy, dataset, fixtures, wrk  # noqa: E402


@contextmanager
def _serve(root: Path, env: dict[str, str]):
    """gunicorn from the checkout ``root`` (its own code and virtualenv) on a free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([str(root / ".venv/bin/python"), "-m", "gunicorn", "--workers", "3", "--bind",
                                f"127.0.0.1:{port}", "--log-level", "warning", "campaign:create_app()"],
                               env=env, cwd=root)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"{root}: gunicorn did not answer /healthz within 60 s")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def _wal_frames(url: str):
    """On SQLite, the frames in the WAL every 50 ms meanwhile (``[]`` elsewhere), read off the
    wal-index header in ``-shm`` (its ``mxFrame``, at byte 16) without opening the database."""
    seen: list[int] = []
    if not url.startswith("sqlite:///"):
        yield seen
        return
    shm, stop = Path(url.removeprefix("sqlite:///") + "-shm"), threading.Event()

    def sample() -> None:
        while not stop.wait(0.05):
            with contextlib.suppress(OSError, struct.error), shm.open("rb") as header:
                seen.append(struct.unpack("=I", header.read(20)[16:20])[0])

    thread = threading.Thread(target=sample)
    thread.start()
    try:
        yield seen
    finally:
        stop.set()
        thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--before", type=Path, required=True, help="the checkout before the change")
    parser.add_argument("--after", type=Path, required=True, help="the checkout after it")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--reads", nargs="+", default=[], metavar="ROUTE",
                        help="cache-busting GET routes of bench/busy.py to drive too (the start of a name)")
    parser.add_argument("--no-writes", action="store_true", help="drive only the --reads routes")
    options = parser.parse_args()
    app = fixtures.app_for(options.url)
    actors = fixtures.actors(app)
    env = dataset.environment(options.url)
    binary = wrk.ensure_wrk()
    checkouts = [("before", options.before.resolve()), ("after", options.after.resolve())]
    reads = _read_routes(app, options.reads)
    labels = [*reads, *([] if options.no_writes else ["post", "confirm"])]
    ratios: dict[str, dict[str, list[float]]] = {name: {label: [] for label in labels} for name, _ in checkouts}
    rates: dict[str, dict[str, list[float]]] = {name: {label: [] for label in labels} for name, _ in checkouts}
    for round_ in range(options.rounds):
        for name, root in checkouts if round_ % 2 == 0 else checkouts[::-1]:
            with _serve(root, env) as base:
                healthz = wrk.drive(base, wrk.Load(routes=[("get", "/healthz", {})]), options.seconds, binary)
                runs = [(label, wrk.drive(base, wrk.Load(routes), options.seconds, binary))
                        for label, routes in reads.items()]
                if options.no_writes:
                    _report(name, healthz, runs, [], rates, ratios)
                    continue
                with _wal_frames(options.url) as frames:
                    post = wrk.drive(base, wrk.Load(routes=[("purchase",)], tokens=actors.asn_tokens,
                                                    shops=actors.shop_ids, run=f"ab{random.randrange(10**9)}"),
                                     options.seconds, binary)
                pool = fixtures.confirm_pool(app, actors)
                random.shuffle(pool)
                confirm = wrk.drive(base, wrk.Load(routes=[("confirm",)], confirms=pool[:20000]), options.seconds,
                                    binary)
            _report(name, healthz, [*runs, ("post", post), ("confirm", confirm)], frames, rates, ratios)
    for name, _ in checkouts:
        print(f"{name:<7} medians: " + ", ".join(
            f"{label} {statistics.median(rates[name][label]):.0f}/s {statistics.median(ratios[name][label]):.3f}x"
            for label in labels))


def _read_routes(app, prefixes: list[str]) -> dict[str, list[tuple]]:
    """The URLs of the bench/busy.py routes whose names start with ``prefixes``, by prefix."""
    every = busy.routes(app)
    found = {}
    for prefix in prefixes:
        names = [name for name in every if name.startswith(prefix)]
        if not names:
            raise SystemExit(f"no route starts with {prefix!r}: {', '.join(every)}")
        found[prefix] = every[names[0]]
    return found


def _report(name: str, healthz: dict, runs: list[tuple[str, dict]], frames: list[int],
            rates: dict[str, dict[str, list[float]]], ratios: dict[str, dict[str, list[float]]]) -> None:
    line = [f"{name:<7}", f"/healthz {healthz['requests_per_second']:7.0f}/s"]
    for label, run in runs:
        rate = run["requests_per_second"]
        rates[name][label].append(rate)
        ratios[name][label].append(rate / healthz["requests_per_second"])
        line.append(f"{label} {rate:5.0f}/s {ratios[name][label][-1]:.3f}x {run['statuses']}")
    if frames:
        line.append(f"WAL up to {max(frames)} frames")
    print("  ".join(line), flush=True)


if __name__ == "__main__":
    main()
