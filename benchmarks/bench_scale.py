#!/usr/bin/env python
"""Does the cost of reading the numbers and of logging a purchase stay flat as purchases grow?

    .venv/bin/python benchmarks/bench_scale.py [--small 10000] [--large 300000] [--database sqlite|postgresql]

Seeds two throwaway databases (small and large purchase counts, same people and shops) with
seed-demo's bulk loader, then times in one run, interleaved so machine noise hits both alike:
the leaderboard query, a region's detailed progress page query, and logging + confirming a
purchase through the services. Prints milliseconds per call and the large/small ratio (about
1.0 means the cost does not grow with the number of purchases). Also prints the seed time.
PostgreSQL uses the databases bench_small and bench_large on 127.0.0.1 (recreated).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from campaign import create_app  # noqa: E402
from campaign.extensions import db  # noqa: E402


def make(url: str, instance: str, purchases: int):
    from campaign import demo
    from campaign.maintenance import migrate_to_head
    from campaign.regions.services import load_reference_data

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret-key-123456",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}, instance_path=instance)
    with app.app_context():
        migrate_to_head()
        load_reference_data()
        start = time.perf_counter()
        demo.seed(asn_count=20_000, shop_count=5_000, purchase_count=purchases)
        seconds = time.perf_counter() - start
    print(f"seed-demo {purchases:>9,} purchases: {seconds:6.1f} s ({purchases / seconds:,.0f} purchases/s)")
    return app


def operations(app):
    from campaign.auth.models import User
    from campaign.leaderboard.queries import get_standings, get_region_progress
    from campaign.purchases.services import confirm_purchase, log_purchase
    from campaign.shops.models import Shop
    from sqlalchemy import select

    with app.app_context():
        buyer_id = db.session.scalar(select(User.id).where(User.email == "asn@demo.id"))
        shop = db.session.scalar(select(Shop).where(Shop.status == "verified", Shop.owner_id != buyer_id))
        shop_id, owner_id = shop.id, shop.owner_id

    def standings():
        get_standings(campaign_id=None, metric="participation_rate", perspective="asn_region")

    def region():
        get_region_progress(code="73.73", campaign_id=None, detailed=True)

    def write():
        purchase = log_purchase(buyer=db.session.get(User, buyer_id), shop_id=shop_id, amount=25_000)
        confirm_purchase(actor=db.session.get(User, owner_id), purchase_id=purchase.id)

    return {"leaderboard": standings, "region page (detailed)": region, "log + confirm purchase": write}


def timed(app, func, repeat: int) -> float:
    with app.app_context():
        func()  # warm-up
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            func()
            samples.append(time.perf_counter() - start)
            db.session.remove()
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=300_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="bench-")
    apps = {}
    for label, count in (("small", args.small), ("large", args.large)):
        if args.database == "postgresql":
            subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c",
                            f"DROP DATABASE IF EXISTS bench_{label}", "-c", f"CREATE DATABASE bench_{label}"],
                           check=True)
            url = f"postgresql+psycopg://postgres@127.0.0.1:5432/bench_{label}"
        else:
            url = f"sqlite:///{workdir}/{label}.sqlite3"
        apps[label] = make(url, workdir, count)
    ops = {label: operations(app) for label, app in apps.items()}
    print(f"\nmedian of {args.repeat} calls, interleaved ({args.database})")
    print(f"{'operation':<26}{'small ms':>10}{'large ms':>10}{'ratio':>8}")
    for name in ops["small"]:
        small = large = 0.0
        for _round in range(3):  # interleave so a noisy moment hits both
            small += timed(apps["small"], ops["small"][name], args.repeat)
            large += timed(apps["large"], ops["large"][name], args.repeat)
        print(f"{name:<26}{small / 3:>10.2f}{large / 3:>10.2f}{large / small:>8.2f}")


if __name__ == "__main__":
    main()
