#!/usr/bin/env python
"""sqlmap, in batch mode, against the app's input that reaches SQL, served on 127.0.0.1.

    .venv/bin/python scripts/sqlmap_scan.py [--time-limit 280] [--per-target 90]

A throwaway SQLite database with people, shops and purchases (the same as scripts/api_fuzz.py),
the app served on a free loopback port with CSRF protection on, then one sqlmap run per target:
the login form (with its CSRF token), the shop directory's search and filters, the leaderboard's
and a region page's parameters, and the API's filters (with a coordinator's or an owner's bearer
token where the endpoint needs one). Every parameter of a target is tested (level 1, risk 1,
all techniques, payloads for SQLite). Exit status 1 when sqlmap finds any injection point, a run
fails or does not finish in time. Only 127.0.0.1 is contacted.
"""
from __future__ import annotations

import argparse
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_fuzz import HOST, PASSWORD, init_db, loopback_env, seed, start_server  # noqa: E402

INJECTABLE = ("identified the following injection point", "is vulnerable", "appears to be injectable")


def targets(base: str, tokens: dict[str, str]) -> list[tuple[str, list[str]]]:
    """(name, sqlmap arguments) for each place where input reaches a query."""
    coordinator = f"Authorization: Bearer {tokens['coordinator']}"
    owner = f"Authorization: Bearer {tokens['owner']}"
    return [
        ("login form", ["-u", f"{base}/masuk", "--data", f"login=asn%40fuzz.example&password={PASSWORD}x&csrf_token=x",
                        "--csrf-token", "csrf_token", "--csrf-url", f"{base}/masuk", "-p", "login,password"]),
        ("shop directory", ["-u", f"{base}/toko?q=Warung&wilayah=73.73&kategori=sembako&page=1"]),
        ("leaderboard", ["-u", f"{base}/peringkat?campaign=1&metric=realized&perspective=asn_region"]),
        ("region page", ["-u", f"{base}/wilayah/73.73?campaign=1"]),
        ("API shops", ["-u", f"{base}/api/v1/shops?q=Warung&region=73.73&category=sembako&page=1&per_page=5"]),
        ("API leaderboard", ["-u", f"{base}/api/v1/leaderboard?campaign=1&metric=realized&perspective=asn_region"]),
        ("API pending shops", ["-u", f"{base}/api/v1/shops/pending?region=73.73&page=1", "-H", coordinator]),
        ("API shop purchases", ["-u", f"{base}/api/v1/shops/1/purchases?status=reported&page=1", "-H", owner]),
    ]


def run_sqlmap(name: str, arguments: list[str], workdir: Path, seconds: float) -> bool:
    """True when sqlmap finished within ``seconds`` and found nothing injectable."""
    command = ["sqlmap", "--batch", "--flush-session", "--disable-coloring", "--dbms", "SQLite",
               "--level", "1", "--risk", "1", "--time-sec", "2", "--timeout", "10", "--retries", "0",
               "--output-dir", str(workdir / "sqlmap"), *arguments]
    started = time.monotonic()
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=seconds, env=loopback_env(),
                                stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        print(f"FAILED {name}: sqlmap did not finish within {seconds:.0f} s")
        return False
    output = result.stdout + result.stderr
    found = [line for line in output.splitlines() if any(marker in line for marker in INJECTABLE)
             and "not injectable" not in line and "does not seem" not in line]
    tested = "do not appear to be injectable" in output or "does not seem to be injectable" in output
    if "responded with an HTTP error code" in output:  # the original request failed (e.g. CSRF): no real test
        tested = False
    print(f"{name}: {time.monotonic() - started:.0f} s, "
          + ("INJECTABLE" if found else "nothing injectable" if tested else "no verdict"))
    if found or not tested or result.returncode not in (0,):
        print("\n".join(output.splitlines()[-25:]))
        return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--time-limit", type=float, default=280, help="seconds for all the runs together")
    parser.add_argument("--per-target", type=float, default=90, help="seconds allowed for one target")
    args = parser.parse_args()
    if shutil.which("sqlmap") is None:
        sys.exit("sqlmap is not installed (Debian package sqlmap; .ci/run installs it)")
    started = time.monotonic()
    ok = True
    with tempfile.TemporaryDirectory(prefix="sqlmap-") as tmp:
        workdir = Path(tmp)
        init_db(workdir)
        tokens = seed(workdir)
        server, port = start_server(workdir)
        try:
            for name, arguments in targets(f"http://{HOST}:{port}", tokens):
                left = args.time_limit - (time.monotonic() - started)
                if left <= 5:
                    print(f"FAILED: no time left for {name} (limit {args.time_limit:.0f} s)")
                    ok = False
                    break
                ok &= run_sqlmap(name, arguments, workdir, min(args.per_target, left))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=10)
    print(f"sqlmap: {time.monotonic() - started:.0f} s in all; " + ("OK" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
