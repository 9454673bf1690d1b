"""Read functions for shops: one function per page, shared with the JSON API.

They return plain dataclasses and never touch the Flask request, so the HTML views and the API
render the same answer.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import select

from campaign.core import database
from campaign.core.errors import NotFound
from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.regions.models import Region
from campaign.domains.shops import directory, search
from campaign.domains.shops.models import CATEGORIES, SHOP_STATUSES, Shop
from campaign.domains.shops.services import can_manage_shop, whatsapp_order_url
from campaign.web import readcache
from campaign.web.pagination import MAX_PAGE, MAX_PER_PAGE, Page, paginate


@dataclass(frozen=True, kw_only=True)
class ShopPlace:
    """What every list of shops shows: the shop, its kind and where to find it."""

    id: int
    name: str
    category_label: str
    region_code: str
    region_name: str
    district: str
    village: str
    street: str
    whatsapp: str
    covid_affected: bool


@dataclass(frozen=True, kw_only=True)
class ShopSummary(ShopPlace):
    category: str
    whatsapp_url: str
    description: str
    products: str


@dataclass(frozen=True, kw_only=True)
class ShopDetail(ShopSummary):
    status: str
    owner_id: int
    region_id: int

    @property
    def status_label(self) -> str:
        return SHOP_STATUSES[self.status]


@dataclass(frozen=True, kw_only=True)
class OwnedShop(ShopDetail):
    """A shop as its owner sees it on "Toko Saya": with the coordinator's reason if rejected."""

    rejection_reason: str | None
    created_at: datetime


@dataclass(frozen=True, kw_only=True)
class PendingShop(ShopPlace):
    """A row of a coordinator's verification queue."""

    owner_name: str
    nib: str | None
    created_at: datetime


ShopPage = Page[ShopSummary]
PendingShopPage = Page[PendingShop]


def _summary_fields(shop: Shop, region: Region) -> dict:
    return dict(
        id=shop.id, name=shop.name, category=shop.category, category_label=shop.category_label,
        region_code=region.code, region_name=region.full_name, district=shop.district,
        village=shop.village, street=shop.street, whatsapp=shop.whatsapp,
        whatsapp_url=whatsapp_order_url(shop), description=shop.description or "",
        products=shop.products or "", covid_affected=shop.covid_affected,
    )


def _detail_fields(shop: Shop, region: Region) -> dict:
    return dict(_summary_fields(shop, region), status=shop.status, owner_id=shop.owner_id,
                region_id=shop.region_id)


_DIRECTORY_COLUMNS = (Shop.id, Shop.name, Shop.category, Region.code, Region.kind, Region.name, Shop.district,
                      Shop.village, Shop.street, Shop.whatsapp, Shop.description, Shop.products,
                      Shop.covid_affected)


def _directory_row(id, name, category, region_code, region_kind, region_name, district, village, street,
                   whatsapp, description, products, covid_affected) -> ShopSummary:
    return ShopSummary(
        id=id, name=name, category=category, category_label=CATEGORIES.get(category, category),
        region_code=region_code, region_name=f"{region_kind} {region_name}", district=district,
        village=village, street=street, whatsapp=whatsapp,
        whatsapp_url=whatsapp_order_url(SimpleNamespace(name=name, whatsapp=whatsapp)),
        description=description or "", products=products or "", covid_affected=covid_affected)


def search_shops(*, region_code: str | None, category: str | None, q: str | None, page: int,
                 per_page: int, district_code: str | None = None, after: int | None = None,
                 before: int | None = None) -> ShopPage:
    """The public directory: verified shops only, filtered by region (Kemendagri code), kecamatan
    (Kemendagri code), category key and name words (:mod:`campaign.domains.shops.search`: every word a
    piece of the name, any case).

    Ordered by name (case-insensitive), then id, so pages never overlap; an index serves that
    order at any depth (:mod:`campaign.domains.shops.directory`). ``after`` (or ``before``): the id
    of the shop the page continues from (or ends before), as the "Berikutnya" ("Sebelumnya") links
    give it; without it ``page`` picks the page. ``page`` is kept within 1..MAX_PAGE and
    ``per_page`` within 1..MAX_PER_PAGE. An unknown region or category matches nothing. Pages,
    and each filter's count apart from its pages, are kept per process until a shop changes (the
    ``shops`` change marker), so paging through a filter counts its shops once.
    """
    filters = directory.Filters(region_code or None, district_code or None, category or None,
                                " ".join(search.words(q)))
    page = min(max(1, int(page or 1)), MAX_PAGE)
    per_page = min(max(1, int(per_page or 1)), MAX_PER_PAGE)
    before = None if after is not None else before
    version = readcache.shops_version()
    total = _count(filters, version)
    return readcache.remember(("shops", filters, page, per_page, after, before), version,
                              lambda: _directory_page(filters, page, per_page, after, before, total, version))


def _count(filters: directory.Filters, version: readcache.Version) -> int:
    return readcache.remember(("shop-count", filters), version,
                              lambda: database.rows(*directory.count_statement(filters))[0][0] or 0)


def _directory_page(filters: directory.Filters, page: int, per_page: int, after: int | None, before: int | None,
                    total: int, version: readcache.Version) -> ShopPage:
    offset = (page - 1) * per_page
    first_matches = bool(filters.q) and directory.matches_first(
        filters, total, _count(directory.without_words(filters), version), offset + per_page)
    position = directory.Position(after=after, before=before, offset=offset)
    if after is None and before is None and page > 1 and offset >= current_app.config["DIRECTORY_LANDMARKS_FROM"]:
        landmarks = readcache.remember(("shop-landmarks", filters, per_page), version, lambda: tuple(
            database.rows(*directory.landmarks_statement(filters, per_page))))
        if page - 2 < len(landmarks):  # past the last full page the offset finds nothing, as it should
            name, shop_id = landmarks[page - 2]
            position = directory.Position(after=shop_id, offset=offset, place=(name, shop_id))
    rows = database.rows(*directory.page_rows(_DIRECTORY_COLUMNS, filters, position, per_page,
                                              first_matches=first_matches))
    if not rows and position.place is None and (after is not None or before is not None):
        resolved = directory.resolve(position)  # past the end, or after a shop that is gone
        if resolved.place is None:
            rows = database.rows(*directory.page_rows(_DIRECTORY_COLUMNS, filters, resolved, per_page,
                                                      first_matches=first_matches))
    return Page([_directory_row(*columns) for columns in rows], page, per_page, total)


def get_shop_detail(shop_id: int, *, viewer: User | None = None) -> ShopDetail:
    """A shop's page. Verified shops are public; a pending or rejected shop is shown only to
    ``viewer`` if they are its owner, its region's coordinator or an admin. Raises NotFound
    otherwise (the shop's existence is not revealed)."""
    row = db.session.execute(select(Shop, Region).join(Region, Shop.region_id == Region.id)
                             .where(Shop.id == shop_id)).first()
    if row is None:
        raise NotFound("Toko tidak ditemukan.")
    shop, region = row
    if shop.status != "verified" and not can_manage_shop(viewer, shop):
        raise NotFound("Toko tidak ditemukan atau belum terverifikasi.")
    return ShopDetail(**_detail_fields(shop, region))


def shops_of_owner(owner_id: int) -> list[OwnedShop]:
    """Every shop of one owner, newest first (then by id)."""
    rows = db.session.execute(select(Shop, Region).join(Region, Shop.region_id == Region.id)
                              .where(Shop.owner_id == owner_id)
                              .order_by(Shop.created_at.desc(), Shop.id.desc()))
    return [OwnedShop(**_detail_fields(shop, region), rejection_reason=shop.rejection_reason,
                      created_at=shop.created_at) for shop, region in rows]


def pending_shops(*, region_code: str | None, page: int, per_page: int,
                  province: str | None = None) -> PendingShopPage:
    """Shops waiting for verification, oldest first (then by id): a queue worked from the top.
    ``region_code`` None means every region (the admin's view), of ``province`` where given (a
    province admin's)."""
    query = (select(Shop, Region, User.name).join(Region, Shop.region_id == Region.id)
             .join(User, Shop.owner_id == User.id).where(Shop.status == "pending"))
    if region_code:
        query = query.where(Region.code == region_code)
    elif province:
        query = query.where(Region.code.startswith(f"{province}."))
    return paginate(query.order_by(Shop.created_at, Shop.id), page=page, per_page=per_page,
                    row=lambda shop, region, owner_name: PendingShop(
                        id=shop.id, name=shop.name, owner_name=owner_name, category_label=shop.category_label,
                        region_code=region.code, region_name=region.full_name, district=shop.district,
                        village=shop.village, street=shop.street, whatsapp=shop.whatsapp, nib=shop.nib,
                        covid_affected=shop.covid_affected, created_at=shop.created_at))
