#!/usr/bin/env python
"""Cold renders, in process: what each public read costs when no cache holds it.

    .venv/bin/python bench/cold_renders.py --url sqlite:////tmp/bench/sqlite_20000.sqlite3 [--rounds 3]

Against a database ``bench/run.py --build-only`` built, every request below runs with the
process's read and page caches emptied first (what the first request after a write meets; the
reference data kept under the ``reference`` marker, campaign/domains/leaderboard/reference.py, stays,
as it does after a purchase, a pledge or a target):
the 16 metric x perspective variants of ``/peringkat`` and ``/api/v1/leaderboard``, ``/wilayah/<code>``
and ``/api/v1/regions/<code>/progress`` for all 24 regions, and ``/healthz`` as the reference.
Prints, per route, the median CPU milliseconds of this process per request, the SQL statements per
request, and the ratio of ``/healthz``'s CPU time to the route's (the ceiling of its ratio in
``bench/run.py`` on an idle machine). A measurement tool, not a test.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402

from bench import fixtures  # noqa: E402
from campaign.core.extensions import db  # noqa: E402

CACHES = ("read_cache", "page_cache", "recent_markers")
METRICS = ("realized", "verified", "participants", "participation_rate", "pledge_realization", "spend_per_asn",
           "shops_supported", "institutional")


def _routes(codes: list[str]) -> dict[str, list[str]]:
    variants = [f"metric={m}&perspective={p}" for m in METRICS for p in ("asn_region", "shop_region")]
    return {
        "/healthz": ["/healthz"],
        "/peringkat x 16": [f"/peringkat?{v}" for v in variants],
        "/api/v1/leaderboard x 16": [f"/api/v1/leaderboard?{v}" for v in variants],
        f"/wilayah/<code> x {len(codes)}": [f"/wilayah/{code}" for code in codes],
        f"/api/v1/regions/<code>/progress x {len(codes)}": [f"/api/v1/regions/{code}/progress" for code in codes],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    app = fixtures.app_for(options.url)
    client = app.test_client()
    with app.app_context():
        from campaign.domains.regions.services import all_regions

        codes = [region.code for region in all_regions()]
        engine = db.engine
    statements = [0]
    event.listen(engine, "before_cursor_execute", lambda *args: statements.__setitem__(0, statements[0] + 1))
    results = {}
    for name, urls in _routes(codes).items():
        client.get(urls[0])  # warm the code paths, not the data
        times = []
        statements[0] = 0
        for _round in range(options.rounds):
            for url in urls:
                for cache in CACHES:
                    app.extensions.pop(cache, None)
                start = time.process_time()
                response = client.get(url)
                times.append(time.process_time() - start)
                assert response.status_code == 200, (url, response.status_code)
        count = options.rounds * len(urls)
        results[name] = (statistics.median(times) * 1000, statements[0] / count)
    healthz = results["/healthz"][0]
    print(f"{'route (caches emptied before each request)':<44}{'CPU ms':>9}{'stmts':>8}{'healthz/route':>15}")
    for name, (ms, count) in results.items():
        print(f"{name:<44}{ms:>9.2f}{count:>8.1f}{healthz / ms:>15.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
