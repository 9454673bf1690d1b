#!/usr/bin/env python
"""Fuzz the JSON API with schemathesis against a throwaway copy of the app on 127.0.0.1.

    .venv/bin/python scripts/api_fuzz.py [--examples 20] [--time-limit 120] [--seed 2020]

Steps: a temporary SQLite database; ``flask --app campaign init-db``; an ASN, a shop owner with
a verified shop, a coordinator of Kota Palopo and an admin (created through the services) with
bearer tokens; the app served by Werkzeug (threaded) on a free loopback port in a subprocess;
then schemathesis runs the whole document once per role (ASN, shop owner, coordinator, admin,
each with its own ``Authorization`` header) with the checks in ``CHECKS`` (no 5xx, documented
status codes, bodies, content types and headers, 401 without the token), positive and negative
data, all phases. ``DELETE /tokens/current`` is left out of those runs (it would
revoke the run's own token) and fuzzed on its own with a throwaway token at the end; so are the
operations tagged ``Admin`` (deactivating accounts would end the other runs' tokens), fuzzed as
the admin after everything else.

The server counts the requests it answers. Exit status 1 when any run fails, any answer is a
5xx, or fewer than ``--min-requests`` (500) requests were made. Only 127.0.0.1 is contacted.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PASSWORD = "rahasia-fuzz-123"
sys.path.insert(0, str(ROOT))
CHECKS = ("not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance,"
          "response_headers_conformance,ignored_auth")


def app_config(database: Path) -> dict:
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "fuzz-secret-key-0123456789",
            "RATELIMIT_API_TOKENS": "100000 per minute", "RATELIMIT_LOGIN": "100000 per minute",
            "RATELIMIT_SIGN_UP": "100000 per minute", "RATELIMIT_PURCHASE": "100000 per minute",
            "LOGIN_LOCKOUT_THRESHOLD": 100000,  # sqlmap_scan.py tries many wrong passwords on one login
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}


def make_app(workdir: Path):
    from campaign import create_app

    return create_app(app_config(workdir / "fuzz.sqlite3"), instance_path=str(workdir / "instance"))


# --- the server subprocess -------------------------------------------------------------------

def serve(workdir: Path) -> None:
    """Serve the app on a free loopback port; print the port; count answers by status until SIGTERM."""
    from werkzeug.serving import make_server

    app = make_app(workdir)
    statuses: Counter = Counter()
    lock = threading.Lock()
    inner = app.wsgi_app

    def counting(environ, start_response):
        def start(status, headers, exc_info=None):
            with lock:
                statuses[status.split(" ", 1)[0]] += 1
            return start_response(status, headers, exc_info)
        return inner(environ, start)

    app.wsgi_app = counting
    server = make_server(HOST, 0, app, threaded=True)

    def stop(*_):
        (workdir / "statuses.json").write_text(json.dumps(statuses))
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    print(server.server_port, flush=True)
    server.serve_forever()


# --- data ------------------------------------------------------------------------------------

def seed(workdir: Path) -> dict[str, str]:
    """People, a verified shop and a few purchases through the services; a token per role."""
    from campaign.api.auth import issue_token
    from campaign.domains.auth.services import create_user, sign_up_asn, sign_up_shop_owner
    from campaign.domains.purchases.pledges import make_pledge
    from campaign.domains.purchases.services import confirm_purchase, log_purchase
    from campaign.domains.shops.services import register_shop, verify_shop

    app = make_app(workdir)
    with app.app_context():
        asn = sign_up_asn(name="ASN Fuzz", nip="198609262015051001", agency_name="Dinas Koperasi dan UKM",
                          region_code="73.73", login="asn@fuzz.example", password=PASSWORD, consent=True)
        owner = sign_up_shop_owner(name="Pemilik Fuzz", login="owner@fuzz.example", password=PASSWORD, consent=True)
        coordinator, _ = create_user(name="Koordinator Fuzz", login="coord@fuzz.example", role="coordinator",
                                     region_code="73.73", password=PASSWORD)
        admin, _ = create_user(name="Admin Fuzz", login="admin@fuzz.example", role="admin", password=PASSWORD)
        shop = register_shop(owner=owner, name="Warung Fuzz", category="sembako", region_code="73.73",
                             district="Wara", village="Amassangan", street="Jl. Andi Djemma 1",
                             whatsapp="0812-3456-7890")
        verify_shop(actor=admin, shop_id=shop.id)
        register_shop(owner=owner, name="Warung Tunggu", category="kopi", region_code="73.73", district="Wara",
                      village="Amassangan", street="Jl. Andi Djemma 2", whatsapp="0812-3456-7891")
        make_pledge(asn=asn, amount=1_000_000)
        for amount in (50_000, 75_000, 120_000):
            purchase = log_purchase(buyer=asn, shop_id=shop.id, amount=amount)
        confirm_purchase(actor=owner, purchase_id=purchase.id)
        people = {"asn": asn, "owner": owner, "coordinator": coordinator, "admin": admin, "revoke": asn}
        return {role: issue_token(user)[0] for role, user in people.items()}


# --- running ---------------------------------------------------------------------------------

def loopback_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["NO_PROXY"] = env["no_proxy"] = HOST
    return env


def init_db(workdir: Path) -> None:
    env = {**loopback_env(), "FLASK_SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'fuzz.sqlite3'}",
           "FLASK_SECRET_KEY": "fuzz-secret-key-0123456789"}
    subprocess.run([sys.executable, "-m", "flask", "--app", "campaign", "init-db"], cwd=ROOT, env=env, check=True)


def start_server(workdir: Path) -> tuple[subprocess.Popen, int]:
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(workdir)], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=open(workdir / "server.log", "w"), text=True, env=loopback_env())
    line = server.stdout.readline().strip()
    if not line.isdigit():
        server.kill()
        sys.exit(f"The server did not start; see {workdir / 'server.log'}:\n" + (workdir / "server.log").read_text())
    return server, int(line)


def schemathesis(port: int, token: str, workdir: Path, args, *filters: str) -> int:
    command = [str(Path(sys.executable).parent / "schemathesis"), "run", f"http://{HOST}:{port}/api/v1/openapi.json",
               "--url", f"http://{HOST}:{port}", "--checks", CHECKS, "--max-examples", str(args.examples),
               "--seed", str(args.seed), "--workers", "1",
               "--request-timeout", "20", "--generation-database", "none", "--no-color",
               "--header", f"Authorization: Bearer {token}", *filters]
    try:
        result = subprocess.run(command, cwd=workdir, env=loopback_env(), capture_output=True, text=True,
                                timeout=args.time_limit)
    except subprocess.TimeoutExpired:
        print(f"FAILED: schemathesis did not finish within {args.time_limit} s")
        return 1
    lines = result.stdout.strip().splitlines()
    print("\n".join(lines if result.returncode else lines[-12:]))
    return result.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=20, help="max examples per operation and run")
    parser.add_argument("--time-limit", type=int, default=120, help="seconds allowed per schemathesis run")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--min-requests", type=int, default=500)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(Path(args.serve))
        return 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="api-fuzz-") as tmp:
        workdir = Path(tmp)
        init_db(workdir)
        tokens = seed(workdir)
        server, port = start_server(workdir)
        codes = {}
        try:
            for role in ("asn", "owner", "coordinator", "admin"):
                print(f"\n=== schemathesis as {role} ===", flush=True)
                codes[role] = schemathesis(port, tokens[role], workdir, args,
                                           "--exclude-path", "/api/v1/tokens/current", "--exclude-tag", "Admin")
            print("\n=== schemathesis: DELETE /api/v1/tokens/current ===", flush=True)
            codes["revoke"] = schemathesis(port, tokens["revoke"], workdir, args,
                                           "--include-path", "/api/v1/tokens/current")
            print("\n=== schemathesis as admin: account deactivation ===", flush=True)
            codes["deactivate"] = schemathesis(port, tokens["admin"], workdir, args, "--include-tag", "Admin")
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=10)
        statuses = Counter(json.loads((workdir / "statuses.json").read_text()))
    return report(codes, statuses, time.monotonic() - started, args.min_requests)


def report(codes: dict[str, int], statuses: Counter, seconds: float, min_requests: int) -> int:
    total = sum(statuses.values())
    server_errors = sum(n for status, n in statuses.items() if status.startswith("5"))
    print(f"\nRequests made: {total} in {seconds:.0f} s; by status: "
          + ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items())))
    failed = [role for role, code in codes.items() if code != 0]
    if failed:
        print(f"FAILED: schemathesis reported failures in the run(s): {', '.join(failed)}")
    if server_errors:
        print(f"FAILED: {server_errors} server errors (5xx)")
    if total < min_requests:
        print(f"FAILED: only {total} requests (at least {min_requests} expected)")
    ok = not failed and not server_errors and total >= min_requests
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
