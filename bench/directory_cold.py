#!/usr/bin/env python
"""The directory's cold routes alone, against /healthz: what one checkout serves when every
request is a page no worker has rendered.

    .venv/bin/python bench/directory_cold.py --checkout /work/wt-old --url sqlite:////tmp/bench/sqlite_100000.sqlite3

Serves ``--checkout`` (its code and its ``.venv``, a link to this one will do) with gunicorn (3 sync
workers) on 127.0.0.1 against a database ``bench/run.py --build-only`` built, and drives the three
random directory routes of :mod:`bench.busy` (page numbers, "Berikutnya" links of random shops,
random search words; 6,000 URLs each) with wrk, each between two /healthz runs. Run it for two
checkouts in turn, alternating, to compare them on a shared machine. Reads only, unless
``--trickle N``: then each route runs again under bench/busy.py's write trickle of N POST/s
(it WRITES purchases, through the services, so the tallies stay exact). Not run in CI.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import busy, dataset, fixtures  # noqa: E402
from bench.wrk import Load, drive, ensure_wrk  # noqa: E402

ROUTES = ("GET /toko?page=<random", "GET /toko?page=<n>&setelah=", "GET /toko?q=")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkout", type=Path, default=dataset.ROOT, help="the checkout to serve")
    parser.add_argument("--url", required=True)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--seed", type=int, default=31, help="which random URLs (another seed, other pages)")
    parser.add_argument("--trickle", type=float, default=0, help="POST/s: each route again under a write trickle")
    options = parser.parse_args()
    dataset.ROOT = options.checkout.resolve()  # gunicorn's working directory and PYTHONPATH
    app = fixtures.app_for(options.url)
    wrk = ensure_wrk()
    routes = {name: requests for name, requests in busy.routes(app, seed=options.seed).items()
              if name.startswith(ROUTES)}
    others = busy.routes(app, seed=options.seed + 1)  # the trickled run's own URLs, not the pages just cached
    actors = fixtures.actors(app) if options.trickle else None
    with dataset.server(dataset.environment(options.url), 3) as (base, _master):
        drive(base, Load([busy.HEALTHZ]), 3, wrk)  # warm up
        healthz = drive(base, Load([busy.HEALTHZ]), options.seconds, wrk)["requests_per_second"]
        for name, requests in routes.items():
            runs = [(name, 0, requests)]
            if options.trickle:
                runs.append((f"{name} + {options.trickle:g} POST/s", options.trickle, others[name]))
            for label, trickle, urls in runs:
                if trickle:
                    with busy.Trickle(base, actors.asn_tokens, actors.shop_ids, trickle, f"cold{options.seed}") as flow:
                        rate = drive(base, Load(urls), options.seconds, wrk)["requests_per_second"]
                    summary = flow.summary()
                    label += f" (POST p99 {summary['p99_ms']} ms, {summary['statuses']})"
                else:
                    rate = drive(base, Load(urls), options.seconds, wrk)["requests_per_second"]
                after = drive(base, Load([busy.HEALTHZ]), options.seconds, wrk)["requests_per_second"]
                ratio = rate / ((healthz + after) / 2)
                print(f"{label:<48}{rate:>8.0f}/s  {ratio:.3f}x  (/healthz {healthz:.0f}, {after:.0f})", flush=True)
                healthz = after


if __name__ == "__main__":
    main()
