"""Demo affected-UMKM reports matching given figures per region (the cast's, see
:mod:`campaign.demo.places`: in Sulawesi Selatan the agency's 2020 figures).

Affected shops of the demo report for themselves; the rest are coordinators' field reports.
"""
from __future__ import annotations

import random

from sqlalchemy import insert, select

from campaign.core.extensions import db
from campaign.domains.affected.models import BUSINESS_STATUSES, NEEDS, REVENUE_DROPS, AffectedReport
from campaign.domains.auth.models import User
from campaign.domains.regions.models import Region
from campaign.domains.shops.models import CATEGORIES, Shop
from campaign.domains.tallies import checks
from campaign.util.formatting import utcnow

TRADES = ["Warung", "Kue", "Konveksi", "Tenun", "Kedai Kopi", "Kerajinan", "Rumah Makan", "Toko"]
OWNERS = ["Hj. Marwah", "Daeng Sikki", "Bu Sitti", "Pak Basri", "Ibu Hasnah", "Andi Tenri", "Pak Rusdi"]


def seed(rng: random.Random, figures: dict[str, tuple[int, int]]) -> int:
    """Insert the demo reports, (affected UMKM, affected workers) per region code in ``figures``,
    and their totals (inside the caller's transaction); returns the count."""
    admin_id = db.session.scalar(select(User.id).where(User.is_admin).order_by(User.id))
    rows: list[dict] = []
    for code, (businesses, workers) in figures.items():
        region = db.session.scalar(select(Region).where(Region.code == code))
        coordinator = db.session.scalar(select(User.id).where(User.coordinator_region_id == region.id)) or admin_id
        shops = list(db.session.scalars(select(Shop).where(
            Shop.region_id == region.id, Shop.covid_affected, Shop.status != "rejected").order_by(Shop.id)))
        for n in range(businesses):
            affected = workers // businesses + (1 if n < workers % businesses else 0)
            shop = shops[n] if n < len(shops) else None
            rows.append(_row(rng, region.id, affected, shop, coordinator))
    db.session.execute(insert(AffectedReport), rows)
    checks.rebuild_check("affected_tally")
    return len(rows)


def _row(rng: random.Random, region_id: int, affected: int, shop: Shop | None, coordinator_id: int) -> dict:
    status = rng.choices(list(BUSINESS_STATUSES), [30, 45, 20, 5])[0] if affected else rng.choice(["open", "reduced"])
    now = 0 if status in ("closed", "closed_temp") else rng.randrange(0, 4)
    common = {"region_id": region_id, "status": status, "workers_before": now + affected, "workers_now": now,
              "revenue_drop": rng.choices(list(REVENUE_DROPS), [5, 15, 30, 30, 20])[0],
              "main_need": rng.choices(list(NEEDS), [40, 15, 20, 10, 10, 5])[0],
              "created_at": utcnow(), "updated_at": utcnow()}
    if shop is not None:
        return {**common, "source": "owner", "shop_id": shop.id, "business_name": shop.name,
                "category": shop.category, "reported_by_id": shop.owner_id}
    return {**common, "source": "field", "shop_id": None, "reported_by_id": coordinator_id,
            "business_name": f"{rng.choice(TRADES)} {rng.choice(OWNERS)}", "category": rng.choice(list(CATEGORIES))}
