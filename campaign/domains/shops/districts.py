"""Shops and the kecamatan list: a shop typed with a kecamatan name before the list was loaded
is linked to it when ``init-db`` loads it (the regions domain's ``districts_loaded`` signal)."""
from __future__ import annotations

from sqlalchemy import func, select

from campaign.core.extensions import db
from campaign.domains.regions import signals
from campaign.domains.regions.models import District
from campaign.domains.shops.models import Shop


def link_shops(_sender=None, **_kwargs) -> int:
    """Point shops registered before the kecamatan list (or typed by hand) at the kecamatan of
    their region with the same name, any case. Returns how many shops were linked."""
    match = (select(District.id).where(District.region_id == Shop.region_id, District.active,
                                       func.lower(District.name) == func.lower(Shop.district))
             .limit(1).scalar_subquery())
    result = db.session.execute(Shop.__table__.update().where(Shop.district_id.is_(None)).values(district_id=match))
    return result.rowcount or 0


def connect_signals() -> None:
    signals.districts_loaded.connect(link_shops)
