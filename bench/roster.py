#!/usr/bin/env python
"""How long does importing a province's ASN roster take?

    .venv/bin/python bench/roster.py [--rows 200000] [--database sqlite|postgresql|both]

Generates a CSV of ``--rows`` well-formed rows (distinct NIPs, spread over the 24 regions, plus a
few bad rows), then through ``import_roster`` on a throwaway database: the first import (all rows
added), the same file again (all unchanged), and the file with every tenth agency changed (a
tenth updated). Prints wall seconds, this process's CPU seconds (what the import costs
whatever else the machine is doing; the PostgreSQL server's own work is not in it) and rows per
second for each. PostgreSQL uses the database bench_roster on 127.0.0.1 (recreated).
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


def roster_csv(rows: int, regions: list[str], changed: bool = False) -> bytes:
    lines = ["NIP,Nama,Instansi/OPD,Kabupaten/Kota"]
    for n in range(rows):
        agency = AGENCIES[n % len(AGENCIES)] + (" (baru)" if changed and n % 10 == 0 else "")
        lines.append(f"{nip(n)},ASN Nomor {n},{agency},{regions[n % len(regions)]}")
    lines += ["12345,NIP Pendek,Dinas Sosial,73.73", f"{nip(0)},Ganda,Dinas Sosial,73.73"]
    return ("\n".join(lines) + "\n").encode()


def run(url: str, instance: str, rows: int, label: str) -> None:
    from campaign.core.maintenance import migrate_to_head
    from campaign.domains.regions.services import all_regions, load_reference_data
    from campaign.domains.roster.services import import_roster

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret-key-123456"},
                     instance_path=instance)
    with app.app_context():
        migrate_to_head()
        load_reference_data()
        codes = [region.code for region in all_regions()]
        files = [("first import", roster_csv(rows, codes)), ("same file again", roster_csv(rows, codes)),
                 ("10% changed", roster_csv(rows, codes, changed=True))]
        print(f"{label}: {rows:,} rows ({len(files[0][1]) / 1e6:.1f} MB of CSV)")
        for name, content in files:
            start, cpu = time.perf_counter(), time.process_time()
            report = import_roster(actor=None, content=content, filename="provinsi.csv", region_code=None)
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            print(f"  {name:<16} {seconds:6.2f} s wall ({cpu:5.2f} s CPU in this process)  "
                  f"{rows / seconds:>9,.0f} rows/s  added {report.added:,}, updated {report.updated:,}, "
                  f"unchanged {report.unchanged:,}, refused {report.refused:,}")
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.database in ("sqlite", "both"):
            run(f"sqlite:///{tmp}/bench_roster.sqlite3", tmp, args.rows, "SQLite")
        if args.database in ("postgresql", "both"):
            subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c",
                            "DROP DATABASE IF EXISTS bench_roster", "-c", "CREATE DATABASE bench_roster"],
                           check=True, timeout=600)
            run("postgresql+psycopg://postgres@127.0.0.1:5432/bench_roster", tmp, args.rows, "PostgreSQL")


if __name__ == "__main__":
    main()
