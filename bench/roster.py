#!/usr/bin/env python
"""How long does importing a province's ASN roster take?

    .venv/bin/python bench/roster.py [--rows 200000] [--database sqlite|postgresql|both] [--purchases N]

Generates a CSV of ``--rows`` well-formed rows (distinct NIPs, spread over the 24 regions, plus a
few bad rows), then through ``import_roster`` on a throwaway database: the first import (all rows
added), the same file again (all unchanged), and the file with every tenth agency changed (a
tenth updated). Prints wall seconds, this process's CPU seconds (what the import costs
whatever else the machine is doing; the PostgreSQL server's own work is not in it) and rows per
second for each. PostgreSQL uses the database bench_roster on 127.0.0.1 (recreated).

With ``--purchases N`` the database first gets seed-demo's data (N purchases, N/10 ASN), its roster
removed and every verified figure recounted without it; the file then lists every demo ASN among its
rows, so the first import brings them all onto the roster and moves the verified spend of all their
confirmed purchases in its transaction (the worst case of a roster import into regions with
purchases); ``check-tallies`` runs after the imports.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from campaign import create_app  # noqa: E402
from campaign.core.extensions import db  # noqa: E402

AGENCIES = ("Dinas Pendidikan", "Dinas Kesehatan", "Sekretariat Daerah", "Dinas Sosial", "RSUD")


def nip(n: int) -> str:
    """A distinct, well-formed NIP for every n below 6,713,280."""
    return f"{1970 + n % 20}{n // 20 % 12 + 1:02d}{n // 240 % 28 + 1:02d}201001{n % 2 + 1}{n // 6720 % 999 + 1:03d}"


def roster_csv(rows: int, regions: list[str], changed: bool = False, listed: list[tuple[str, str]] = ()) -> bytes:
    """``rows`` rows: first ``listed`` (NIP, region code), then generated NIPs."""
    lines = ["NIP,Nama,Instansi/OPD,Kabupaten/Kota"]
    for n in range(rows):
        agency = AGENCIES[n % len(AGENCIES)] + (" (baru)" if changed and n % 10 == 0 else "")
        number, region = listed[n] if n < len(listed) else (nip(n), regions[n % len(regions)])
        lines.append(f"{number},ASN Nomor {n},{agency},{region}")
    lines += ["12345,NIP Pendek,Dinas Sosial,73.73", f"{nip(0)},Ganda,Dinas Sosial,73.73"]
    return ("\n".join(lines) + "\n").encode()


def seed_without_roster(purchases: int) -> list[tuple[str, str]]:
    """seed-demo's data with its roster removed and the tallies recounted; the demo ASN's (NIP, region)."""
    from sqlalchemy import inspect, select, text

    from campaign.core.database import write_transaction
    from campaign.demo.seed import seed
    from campaign.domains.auth.models import AsnProfile
    from campaign.domains.regions.models import Region
    from campaign.domains.tallies.reconcile import rebuild

    seed(asn_count=max(1_000, purchases // 10), shop_count=max(100, purchases // 100), purchase_count=purchases)
    with write_transaction():
        db.session.execute(text("DELETE FROM roster_entry"))
        for table, column in (("asn_profile", "on_roster"), ("purchase", "buyer_on_roster")):
            if column in {c["name"] for c in inspect(db.session.connection()).get_columns(table)}:
                db.session.execute(text(f"UPDATE {table} SET {column} = false"))  # nosec B608: names from the code
    rebuild()
    return list(db.session.execute(select(AsnProfile.nip, Region.code).join(Region, Region.id == AsnProfile.region_id)))


def run(url: str, instance: str, rows: int, label: str, purchases: int = 0) -> None:
    from campaign.core.maintenance import migrate_to_head
    from campaign.domains.regions.services import all_regions, load_reference_data
    from campaign.domains.roster.services import import_roster

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret-key-123456"},
                     instance_path=instance)
    with app.app_context():
        migrate_to_head()
        load_reference_data()
        codes = [region.code for region in all_regions() if region.code.startswith("73.")]
        listed = seed_without_roster(purchases) if purchases else []
        files = [("first import", roster_csv(rows, codes, listed=listed)),
                 ("same file again", roster_csv(rows, codes, listed=listed)),
                 ("10% changed", roster_csv(rows, codes, changed=True, listed=listed))]
        print(f"{label}: {rows:,} rows ({len(files[0][1]) / 1e6:.1f} MB of CSV)"
              + (f", {len(listed):,} of them demo ASN with {purchases:,} purchases" if purchases else ""))
        for name, content in files:
            start, cpu = time.perf_counter(), time.process_time()
            report = import_roster(actor=None, content=content, filename="provinsi.csv", region_code=None)
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            print(f"  {name:<16} {seconds:6.2f} s wall ({cpu:5.2f} s CPU in this process)  "
                  f"{rows / seconds:>9,.0f} rows/s  added {report.added:,}, updated {report.updated:,}, "
                  f"unchanged {report.unchanged:,}, refused {report.refused:,}")
        if purchases:
            from campaign.domains.tallies.reconcile import find_differences
            print(f"  check-tallies: {find_differences() or 'bersih'}")
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--purchases", type=int, default=0, help="seed-demo's purchases first (see above)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.database in ("sqlite", "both"):
            run(f"sqlite:///{tmp}/bench_roster.sqlite3", tmp, args.rows, "SQLite", args.purchases)
        if args.database in ("postgresql", "both"):
            subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c",
                            "DROP DATABASE IF EXISTS bench_roster", "-c", "CREATE DATABASE bench_roster"],
                           check=True, timeout=600)
            run("postgresql+psycopg://postgres@127.0.0.1:5432/bench_roster", tmp, args.rows, "PostgreSQL",
                args.purchases)


if __name__ == "__main__":
    main()
