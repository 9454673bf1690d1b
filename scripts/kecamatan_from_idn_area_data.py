"""Convert the kecamatan (districts) of one province from the npm package ``idn-area-data``.

    npm pack idn-area-data            # idn-area-data-3.1.2.tgz
    python scripts/kecamatan_from_idn_area_data.py idn-area-data-3.1.2.tgz 73 \
        > campaign/domains/regions/data/kecamatan_sulawesi_selatan.csv

Reads ``package/data/districts.csv`` from the tarball (Kemendagri codes ``73.01.01``, the
regency ``73.01``, the name) and writes ``code,region_code,name`` for the province's rows,
sorted by code. The data is under the ODbL (see campaign/domains/regions/data/KECAMATAN_LICENSE.md).
"""
from __future__ import annotations

import csv
import io
import sys
import tarfile


def districts(tarball: str, province: str) -> list[tuple[str, str, str]]:
    with tarfile.open(tarball) as archive:
        member = archive.extractfile("package/data/districts.csv")
        if member is None:
            raise SystemExit("package/data/districts.csv not found in the tarball")
        reader = csv.DictReader(io.TextIOWrapper(member, encoding="utf-8"))
        rows = [(r["code"], r["regency_code"], r["name"].strip()) for r in reader
                if r["regency_code"].split(".")[0] == province]
    return sorted(rows)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["code", "region_code", "name"])
    writer.writerows(districts(argv[1], argv[2]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
