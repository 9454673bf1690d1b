#!/usr/bin/env python
"""Slow clients against gunicorn's sync and threaded workers: /healthz requests/s with none and
with six slow clients holding connections, for the deployment notes (docs/deploy.md).

    .venv/bin/python bench/slow_clients.py [--url DATABASE_URL] [--seconds 5] [--slow 6]

A slow client is a phone on a bad network: it opens a connection, sends the first line of a
request and then nothing more. A sync worker that accepts it waits for the rest (until
gunicorn's --timeout, 30 s, ends the worker), so six of them hold three sync workers and
/healthz starves. A gthread worker waits for them in threads of its own (here 16 per worker)
and keeps answering with the rest. Behind a buffering proxy (nginx) gunicorn never sees a slow
client at all: nginx receives the whole request before passing it on. Without ``--url`` it
builds an empty SQLite database (init-db) in a temporary directory. Everything on 127.0.0.1.
"""
from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import dataset  # noqa: E402
from bench.wrk import Load, drive, ensure_wrk  # noqa: E402

WORKERS = 3
THREADS = 16
SETUPS = {"sync, 3 workers": ("sync", 1), f"gthread, 3 workers x {THREADS} threads": ("gthread", THREADS)}


def slow_client(base: str) -> socket.socket:
    """A connection that sent the first line of a request and waits."""
    host, port = base.removeprefix("http://").split(":")
    connection = socket.create_connection((host, int(port)), timeout=5)
    connection.sendall(b"GET /healthz HTTP/1.1\r\n")
    return connection


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="database URL (default: a new SQLite database)")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--slow", type=int, default=6, help="slow clients")
    options = parser.parse_args()
    wrk = ensure_wrk()
    url = options.url
    if url is None:
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='slow-')) / 'slow.sqlite3'}"
        subprocess.run([*dataset.FLASK, "init-db"], env=dataset.environment(url), cwd=dataset.ROOT, check=True,
                       capture_output=True)
    env = dataset.environment(url)
    print(f"{'workers':<32}{'healthz/s, no slow client':>28}{f'with {options.slow} slow clients':>26}")
    for name, (worker_class, threads) in SETUPS.items():
        with dataset.server(env, WORKERS, worker_class=worker_class, threads=threads) as (base, _master):
            alone = drive(base, Load([("get", "/healthz", {})]), options.seconds, wrk)
            with ExitStack() as held:
                for _ in range(options.slow):
                    held.callback(slow_client(base).close)
                    time.sleep(0.05)  # each reaches a worker before the next
                busy = drive(base, Load([("get", "/healthz", {})]), options.seconds, wrk)
        print(f"{name:<32}{alone['requests_per_second']:>28.1f}{busy['requests_per_second']:>26.1f}"
              f"   (errors {busy['socket_errors']})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
