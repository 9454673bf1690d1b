"""The directory's statements: a page at any depth on the index that orders it, and its count.

The directory lists verified shops by ``name_key`` then id. Each filter has an index that
starts with it and ends with that order (``ix_shop_directory``, ``_region``, ``_district``,
``_category``; name words go through the search index, :mod:`campaign.domains.shops.search`),
so a page is a short walk of one index whatever the filters:

- a page reached by "Berikutnya" or "Sebelumnya" carries the shop it continues from
  (``?setelah=<id>`` / ``?sebelum=<id>``, with ``page`` for the "halaman N dari M" line): the
  page starts right after (or ends right before) that shop's place in the order, with no OFFSET,
  so page 2,000 costs what page 2 costs. The link stays shareable: it names a shop, not a cursor
  held by the server; a shop that no longer exists falls back to the page number;
- a page asked for by number only (``?page=N``, an old link) skips ``(N - 1) x per_page``
  entries of the index alone, then reads the page's rows by id (a deferred join);
- the count is one statement per filter, kept by the caller (:func:`campaign.domains.shops.queries.search_shops`).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import Select, func, or_, select

from campaign.core.extensions import db
from campaign.domains.regions.models import District, Region
from campaign.domains.shops import search
from campaign.domains.shops.models import Shop


@dataclass(frozen=True)
class Filters:
    region_code: str | None
    district_code: str | None
    category: str | None
    q: str  # the search words joined by one space ("" for none)


@dataclass(frozen=True)
class Position:
    """Where a page starts: right after shop ``after``, right before shop ``before``, or at
    ``offset`` entries from the start."""

    after: int | None = None
    before: int | None = None
    offset: int = 0
    place: tuple[str, int] | None = None  # (name_key, id) of after/before, filled in by resolve()


def matching(filters: Filters) -> Select:
    """The ids of the verified shops that match ``filters`` (no order, no limit)."""
    query = select(Shop.id).where(Shop.status == "verified")
    if filters.region_code:
        query = query.where(Shop.region_id == select(Region.id).where(Region.code == filters.region_code)
                            .scalar_subquery())
    if filters.district_code:
        query = query.where(Shop.district_id == select(District.id).where(District.code == filters.district_code)
                            .scalar_subquery())
    if filters.category:
        query = query.where(Shop.category == filters.category)
    condition = search.name_condition(filters.q, db.session.get_bind().dialect.name)
    return query if condition is None else query.where(condition)


def count_statement(filters: Filters) -> Select:
    return select(func.count()).select_from(matching(filters).subquery())


def page_ids(filters: Filters, position: Position, per_page: int) -> Select:
    """The ids of one page, in directory order (the page at ``position``)."""
    query = matching(filters)
    if position.place is not None and position.after is None:
        name, ident = position.place
        query = query.where(Shop.name_key <= name, or_(Shop.name_key < name, Shop.id < ident))
        return query.order_by(Shop.name_key.desc(), Shop.id.desc()).limit(per_page)
    if position.place is not None:
        name, ident = position.place
        query = query.where(Shop.name_key >= name, or_(Shop.name_key > name, Shop.id > ident))
        return query.order_by(Shop.name_key, Shop.id).limit(per_page)
    return query.order_by(Shop.name_key, Shop.id).limit(per_page).offset(position.offset or None)


def resolve(position: Position) -> Position:
    """``position`` with its shop's place in the order looked up (one read by primary key); a
    shop that is gone turns it into the plain offset."""
    shop_id = position.after if position.after is not None else position.before
    if shop_id is None:
        return position
    name = db.session.scalar(select(Shop.name_key).where(Shop.id == shop_id))
    if name is None:
        return Position(offset=position.offset)
    return replace(position, place=(name, shop_id))


def page_rows(columns: tuple, filters: Filters, position: Position, per_page: int) -> Select:
    """The page's rows (``columns`` of shop and its region), in directory order."""
    ids = page_ids(filters, position, per_page).subquery()
    return (select(*columns).join(Region, Shop.region_id == Region.id)
            .where(Shop.id.in_(select(ids.c.id)))
            .order_by(Shop.name_key, Shop.id))
