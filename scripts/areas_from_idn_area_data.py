"""Convert Indonesia's official areas from the npm package ``idn-area-data`` (4.x) into the compact
files kept in ``campaign/domains/regions/data/``.

    npm pack idn-area-data@4.0.1      # idn-area-data-4.0.1.tgz
    python scripts/areas_from_idn_area_data.py idn-area-data-4.0.1.tgz campaign/domains/regions/data

Reads ``package/data/{provinces,regencies,districts}.csv`` from the tarball and writes

- ``provinces.csv``: ``code,name,time_zone`` (38 provinces, Kemendagri codes ``73``; the IANA time
  zone by :func:`time_zone`, which the package does not carry);
- ``regencies.csv``: ``code,kind,name`` (all 514 kabupaten/kota; ``Kabupaten Bone`` becomes kind
  ``Kabupaten`` and name ``Bone``; the province is the code's first part);
- ``districts/<province>.csv``: ``code,name`` per province (the kecamatan; the kabupaten/kota is
  the code's first two parts);
- ``VERSION``: the package's version.

Rows are sorted by code; nothing else is changed. ``overlay.csv`` (BPS codes and capitals, which
the package does not carry) and ``tilemaps/`` are kept by hand and left alone. The data is under
the ODbL: see ``README.md`` beside the files.
"""
from __future__ import annotations

import csv
import io
import json
import sys
import tarfile
from pathlib import Path

KINDS = ("Kabupaten", "Kota")

# Keppres 41/1987 (Pembagian Wilayah Republik Indonesia menjadi 3 Wilayah Waktu), by the island group
# a Kemendagri province code starts with: WIB (UTC+7) for Sumatra (1x, 2x: Riau and Bangka Belitung
# islands), Java (3x) and Kalimantan Barat and Tengah; WITA (UTC+8) for Bali and Nusa Tenggara (5x),
# Kalimantan Selatan, Timur and Utara (formed from Timur), and Sulawesi (7x); WIT (UTC+9) for Maluku
# (8x) and Papua (9x).
WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
ZONE_BY_ISLAND_GROUP = {"1": WIB, "2": WIB, "3": WIB, "5": WITA, "7": WITA, "8": WIT, "9": WIT}
ZONE_KALIMANTAN = {"61": WIB, "62": WIB, "63": WITA, "64": WITA, "65": WITA}


def read_csv(archive: tarfile.TarFile, name: str) -> list[dict[str, str]]:
    member = archive.extractfile(f"package/data/{name}")
    if member is None:
        raise SystemExit(f"package/data/{name} not found in the tarball")
    return list(csv.DictReader(io.TextIOWrapper(member, encoding="utf-8")))


def split_kind(full_name: str) -> tuple[str, str]:
    """``"Kota Palopo"`` -> ``("Kota", "Palopo")``."""
    kind, _, name = full_name.strip().partition(" ")
    if kind not in KINDS or not name:
        raise SystemExit(f"a regency name that is neither Kabupaten nor Kota: {full_name!r}")
    return kind, name.strip()


def time_zone(code: str) -> str:
    """The province's IANA time zone under Keppres 41/1987; stops on a code the rule does not place
    (a new Kalimantan province, an unknown island group) rather than guess."""
    zone = ZONE_KALIMANTAN.get(code) if code.startswith("6") else ZONE_BY_ISLAND_GROUP.get(code[:1])
    if zone is None:
        raise SystemExit(f"no time zone for province {code}: extend the rule in time_zone()")
    return zone


def write(path: Path, header: list[str], rows: list[tuple[str, ...]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(sorted(rows))


def convert(tarball: str, out: Path) -> dict[str, int]:
    with tarfile.open(tarball) as archive:
        package = json.load(archive.extractfile("package/package.json"))  # type: ignore[arg-type]
        provinces = read_csv(archive, "provinces.csv")
        regencies = read_csv(archive, "regencies.csv")
        districts = read_csv(archive, "districts.csv")
    write(out / "provinces.csv", ["code", "name", "time_zone"],
          [(r["code"], r["name"].strip(), time_zone(r["code"])) for r in provinces])
    write(out / "regencies.csv", ["code", "kind", "name"],
          [(r["code"], *split_kind(r["name"])) for r in regencies])
    by_province: dict[str, list[tuple[str, str]]] = {p["code"]: [] for p in provinces}
    for row in districts:
        by_province[row["code"].split(".")[0]].append((row["code"], row["name"].strip()))
    for code, rows in by_province.items():
        write(out / "districts" / f"{code}.csv", ["code", "name"], rows)
    (out / "VERSION").write_text(f"idn-area-data {package['version']}\n", encoding="utf-8")
    return {"provinces": len(provinces), "regencies": len(regencies), "districts": len(districts)}


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    counts = convert(argv[1], Path(argv[2]))
    print(", ".join(f"{n} {what}" for what, n in counts.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
