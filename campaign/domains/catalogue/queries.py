"""A region's catalogue: verified shops grouped by category, read once for the page and the texts."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from campaign.core.extensions import db
from campaign.domains.regions.models import Region
from campaign.domains.shops.models import CATEGORIES, Shop
from campaign.domains.shops.services import whatsapp_order_url

PER_CATEGORY = 40


@dataclass(frozen=True)
class CatalogueShop:
    id: int
    name: str
    products: str
    district: str
    whatsapp: str
    whatsapp_url: str


@dataclass(frozen=True)
class CatalogueSection:
    category: str
    label: str
    total: int  # verified shops of the category in the region; ``shops`` holds the first PER_CATEGORY
    shops: tuple[CatalogueShop, ...]

    @property
    def more(self) -> int:
        return self.total - len(self.shops)


@dataclass(frozen=True)
class Catalogue:
    region_code: str
    region_name: str
    sections: tuple[CatalogueSection, ...]

    @property
    def total(self) -> int:
        return sum(section.total for section in self.sections)

    def section(self, category: str) -> CatalogueSection | None:
        return next((s for s in self.sections if s.category == category), None)


def region_catalogue(region: Region, *, per_category: int = PER_CATEGORY) -> Catalogue:
    """Verified shops of ``region`` by category (in the order of CATEGORIES), each category's
    first ``per_category`` by name (case-insensitive, then id) with the category's full count.
    Categories without shops are left out. One query: a window function numbers the shops."""
    numbered = (select(Shop.id, Shop.name, Shop.products, Shop.district, Shop.whatsapp, Shop.category,
                       func.row_number().over(partition_by=Shop.category,
                                              order_by=(func.lower(Shop.name), Shop.id)).label("n"),
                       func.count().over(partition_by=Shop.category).label("total"))
                .where(Shop.region_id == region.id, Shop.status == "verified").subquery())
    rows = db.session.execute(select(numbered).where(numbered.c.n <= per_category)
                              .order_by(numbered.c.category, numbered.c.n))
    shops: dict[str, list[CatalogueShop]] = {}
    totals: dict[str, int] = {}
    for shop_id, name, products, district, whatsapp, category, _n, total in rows:
        totals[category] = total
        shops.setdefault(category, []).append(CatalogueShop(
            shop_id, name, products or "", district, whatsapp,
            whatsapp_order_url(Shop(name=name, whatsapp=whatsapp))))
    sections = tuple(CatalogueSection(key, label, totals[key], tuple(shops[key]))
                     for key, label in CATEGORIES.items() if key in shops)
    return Catalogue(region.code, region.full_name, sections)
