"""Indonesia's official areas as kept in ``data/`` (from ``idn-area-data``, ODbL; see
``data/README.md``): provinces, kabupaten/kota, kecamatan and tile map layouts, read once."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class RegencyRecord:
    """A kabupaten/kota as the data gives it; ``bps_code`` and ``capital`` from ``overlay.csv``."""

    code: str
    kind: str
    name: str
    bps_code: str | None
    capital: str | None

    @property
    def province_code(self) -> str:
        return self.code.split(".")[0]


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return [{k: v.strip() for k, v in row.items()} for row in csv.DictReader(fh)]


@cache
def provinces() -> dict[str, str]:
    """Every province's name by its Kemendagri code (``"73": "Sulawesi Selatan"``), in code order."""
    return {row["code"]: row["name"] for row in _rows(DATA_DIR / "provinces.csv")}


@cache
def time_zones() -> dict[str, str]:
    """Every province's IANA time zone by its code (``"34": "Asia/Jakarta"``), Keppres 41/1987 as
    ``scripts/areas_from_idn_area_data.py`` applies it."""
    return {row["code"]: row["time_zone"] for row in _rows(DATA_DIR / "provinces.csv")}


@cache
def _regencies() -> tuple[RegencyRecord, ...]:
    overlay = {row["code"]: row for row in _rows(DATA_DIR / "overlay.csv")}
    return tuple(RegencyRecord(row["code"], row["kind"], row["name"],
                               overlay.get(row["code"], {}).get("bps_code") or None,
                               overlay.get(row["code"], {}).get("capital") or None)
                 for row in _rows(DATA_DIR / "regencies.csv"))


def regencies(province: str) -> list[RegencyRecord]:
    """The province's kabupaten/kota, in code order (empty for an unknown code)."""
    return [record for record in _regencies() if record.province_code == province]


def districts(province: str) -> list[tuple[str, str, str]]:
    """The province's kecamatan as (code, region code, name), in code order."""
    path = DATA_DIR / "districts" / f"{province}.csv"
    if not path.exists():
        return []
    return [(row["code"], row["code"].rsplit(".", 1)[0], row["name"]) for row in _rows(path)]


@cache
def tile_layout(province: str) -> dict[str, tuple[int, int, str]] | None:
    """The province's tile map layout, region code -> (column, row, label), from
    ``data/tilemaps/<province>.csv``; None for a province without one."""
    path = DATA_DIR / "tilemaps" / f"{province}.csv"
    if not path.exists():
        return None
    return {row["code"]: (int(row["column"]), int(row["row"]), row["label"]) for row in _rows(path)}


def data_version() -> str:
    return (DATA_DIR / "VERSION").read_text(encoding="utf-8").strip()
