"""Kecamatan (districts): the kept dataset (``data/kecamatan_*.csv``, from ``idn-area-data``,
ODbL; see ``data/KECAMATAN_LICENSE.md``), loading it, and finding a shop's kecamatan."""
from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import func, select

from campaign.core.errors import ValidationFailed
from campaign.core.extensions import db
from campaign.domains.regions.models import District, Region

DEFAULT_DISTRICTS_FILE = Path(__file__).parent / "data" / "kecamatan_sulawesi_selatan.csv"


def load_districts(path: Path = DEFAULT_DISTRICTS_FILE) -> tuple[int, int]:
    """Upsert the kecamatan of ``path`` (``code,region_code,name``) inside the caller's
    transaction; rows of regions not loaded are skipped. Returns (added, updated)."""
    regions = dict(db.session.execute(select(Region.code, Region.id)).all())
    existing = {d.code: d for d in db.session.scalars(select(District))}
    added = updated = 0
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code, name, region_id = row["code"].strip(), row["name"].strip(), regions.get(row["region_code"].strip())
            if region_id is None:
                continue
            district = existing.get(code)
            if district is None:
                db.session.add(District(code=code, region_id=region_id, name=name))
                added += 1
            elif (district.name, district.region_id) != (name, region_id):
                district.name, district.region_id = name, region_id
                updated += 1
    return added, updated


def districts_of(region_id: int) -> list[District]:
    return list(db.session.scalars(select(District).where(District.region_id == region_id).order_by(District.name)))


def districts_by_region() -> dict[int, list[District]]:
    """Every kecamatan, grouped by region id, by name."""
    grouped: dict[int, list[District]] = {}
    for district in db.session.scalars(select(District).order_by(District.region_id, District.name)):
        grouped.setdefault(district.region_id, []).append(district)
    return grouped


def resolve_district(region_id: int, value: str | None) -> District | None:
    """The region's kecamatan whose code (``73.73.01``) or name (any case) is ``value``.

    Raises ValidationFailed (field ``district``) when the region has kecamatan in the dataset
    and ``value`` is none of them; returns None for a region without any (another province
    loaded without its kecamatan list), where the name stays free text.
    """
    text = (value or "").strip()
    match = db.session.scalar(select(District).where(
        District.region_id == region_id, (District.code == text) | (func.lower(District.name) == text.lower())))
    if match is not None:
        return match
    has_any = db.session.scalar(select(District.id).where(District.region_id == region_id).limit(1))
    if has_any is not None or not text:
        message = "Pilih kecamatan dari daftar kecamatan kabupaten/kota ini."
        raise ValidationFailed(message, fields={"district": [message]})
    return None
