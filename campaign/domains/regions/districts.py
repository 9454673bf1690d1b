"""Kecamatan (districts) of the loaded regions (see ``loading``; the data is ``idn-area-data``,
ODbL, see ``data/README.md``): listing them and finding a shop's kecamatan. Inactive ones (gone
from the data) are never offered."""
from __future__ import annotations

from sqlalchemy import func, select

from campaign.core.errors import ValidationFailed
from campaign.core.extensions import db
from campaign.domains.regions.models import District


def districts_of(region_id: int) -> list[District]:
    return list(db.session.scalars(select(District).where(District.region_id == region_id, District.active)
                                  .order_by(District.name)))


def districts_by_region() -> dict[int, list[District]]:
    """Every kecamatan, grouped by region id, by name."""
    grouped: dict[int, list[District]] = {}
    for district in db.session.scalars(select(District).where(District.active)
                                    .order_by(District.region_id, District.name)):
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
        District.region_id == region_id, District.active,
        (District.code == text) | (func.lower(District.name) == text.lower())))
    if match is not None:
        return match
    has_any = db.session.scalar(select(District.id).where(District.region_id == region_id, District.active).limit(1))
    if has_any is not None or not text:
        message = "Pilih kecamatan dari daftar kecamatan kabupaten/kota ini."
        raise ValidationFailed(message, fields={"district": [message]})
    return None
