"""Loading the kept area data (``areas``) of the configured provinces into the region and district
tables, inside the caller's transaction: rows upserted by code, never deleted."""
from __future__ import annotations

from sqlalchemy import select

from campaign.core.extensions import db
from campaign.domains.regions import areas
from campaign.domains.regions.models import District, Region

REGION_FIELDS = ("kind", "name", "bps_code", "capital")


def load_regions(provinces: tuple[str, ...]) -> tuple[int, int, int]:
    """Upsert the kabupaten/kota of ``provinces``; mark inactive every region whose code is not
    among them (gone from the data, or of a province no longer served), so its history stays.

    A BPS code the data gives that another row holds is moved (BPS renumbers too). Returns
    (added, updated, deactivated); reactivating a region counts as an update.
    """
    existing = {r.code: r for r in db.session.scalars(select(Region))}
    wanted = [record for province in provinces for record in areas.regencies(province)]
    codes = {record.code for record in wanted}
    bps_codes = {record.bps_code: record.code for record in wanted if record.bps_code}
    added = updated = deactivated = 0
    for region in existing.values():
        if region.active and region.code not in codes:
            region.active = False
            deactivated += 1
        if region.bps_code in bps_codes and bps_codes[region.bps_code] != region.code:
            region.bps_code = None
    db.session.flush()  # a BPS code released above may be taken below
    for record in wanted:
        values = {field: getattr(record, field) for field in REGION_FIELDS}
        region = existing.get(record.code)
        if region is None:
            db.session.add(Region(code=record.code, active=True, **values))
            added += 1
        elif not region.active or any(getattr(region, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(region, k, v)
            region.active = True
            updated += 1
    db.session.flush()
    return added, updated, deactivated


def load_districts(provinces: tuple[str, ...]) -> tuple[int, int, int]:
    """Upsert the kecamatan of ``provinces`` (their regions loaded first); mark inactive every
    kecamatan not among them. Returns (added, updated, deactivated)."""
    regions = dict(db.session.execute(select(Region.code, Region.id)).all())
    existing = {d.code: d for d in db.session.scalars(select(District))}
    wanted = {code: (regions[region_code], name) for province in provinces
              for code, region_code, name in areas.districts(province) if region_code in regions}
    added = updated = deactivated = 0
    for district in existing.values():
        if district.active and district.code not in wanted:
            district.active = False
            deactivated += 1
    for code, (region_id, name) in wanted.items():
        district = existing.get(code)
        if district is None:
            db.session.add(District(code=code, region_id=region_id, name=name, active=True))
            added += 1
        elif (district.name, district.region_id, district.active) != (name, region_id, True):
            district.name, district.region_id, district.active = name, region_id, True
            updated += 1
    return added, updated, deactivated
