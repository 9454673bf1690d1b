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
- a page asked for by number only (``?page=N``, an old link) near the start skips
  ``(N - 1) x per_page`` entries of the index alone, then reads the page's rows by id (a
  deferred join). Deeper, that walk was most of a random page's time in the database (a few
  milliseconds at 40,000 shops): there the page starts after its landmark, the last shop of the
  page before, read once per filter and page size (:func:`landmarks_statement`, kept by the caller
  until a shop changes), and is a keyset page like the others;
- the count is one statement per filter, kept by the caller (:func:`campaign.domains.shops.queries.search_shops`).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, replace

from sqlalchemy import Integer, Select, String, bindparam, func, or_, select
from sqlalchemy.orm import aliased

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
    place: tuple[str, int] | None = None  # (name_key, id) of after/before, when known (else read with the page)


def _terms(filters: Filters) -> tuple[tuple, dict]:
    """The shape of ``filters`` (which are set, how the words match) and their parameters."""
    words, params = search.name_terms(filters.q, db.session.get_bind().dialect.name)
    values = {"region_code": filters.region_code, "district_code": filters.district_code, "category": filters.category}
    params.update((name, value) for name, value in values.items() if value)
    return (bool(filters.region_code), bool(filters.district_code), bool(filters.category), words), params


@functools.lru_cache(maxsize=512)
def _matching(shape: tuple) -> Select:
    """The ids of the verified shops that match filters of ``shape`` (no order, no limit).
    Statements are built once per shape (building one cost about as much as running it); the
    values travel as parameters (:func:`_terms`)."""
    region, district, category, words = shape
    query = select(Shop.id).where(Shop.status == "verified")
    if region:
        code = bindparam("region_code", type_=String)
        query = query.where(Shop.region_id == select(Region.id).where(Region.code == code).scalar_subquery())
    if district:
        code = bindparam("district_code", type_=String)
        query = query.where(Shop.district_id == select(District.id).where(District.code == code).scalar_subquery())
    if category:
        query = query.where(Shop.category == bindparam("category", type_=String))
    condition = search.name_condition(words)
    return query if condition is None else query.where(condition)


@functools.lru_cache(maxsize=512)
def _count(shape: tuple) -> Select:
    return select(func.count()).select_from(_matching(shape).subquery())


def landmarks_statement(filters: Filters, per_page: int) -> tuple[Select, dict]:
    """The place ``(name_key, id)`` of the last shop of every full page of ``filters``, in order
    (page 1's first), and the parameters: one walk of the filter's index."""
    shape, params = _terms(filters)
    params["per_page"] = per_page
    return _landmarks(shape), params


@functools.lru_cache(maxsize=512)
def _landmarks(shape: tuple) -> Select:
    place = func.row_number().over(order_by=(Shop.name_key, Shop.id)).label("place")
    numbered = _matching(shape).add_columns(Shop.name_key, place).subquery()
    every_page = numbered.c.place % bindparam("per_page", type_=Integer) == 0
    return select(numbered.c.name_key, numbered.c.id).where(every_page).order_by(numbered.c.place)


def count_statement(filters: Filters) -> tuple[Select, dict]:
    shape, params = _terms(filters)
    return _count(shape), params


def matches_first(filters: Filters, total: int, unworded_total: int, reach: int) -> bool:
    """Whether a page of a name search is read by taking all the matches, then ordering them,
    rather than by walking the filter's index in order and testing each name until the page is
    full. The first reads about ``total`` rows (what the search index finds); the walk about
    ``reach`` (the rows up to the page's end) x ``unworded_total`` (the shops under the other
    filters) / ``total``, all of them when nothing matches. Both counts are exact and kept by the
    caller. Left to itself, PostgreSQL guessed 429 matches for a number found in 81 shop names
    and walked a quarter of the directory for them (17 ms, against 0.65 ms matches first)."""
    return bool(filters.q) and total * total < reach * unworded_total


def without_words(filters: Filters) -> Filters:
    return replace(filters, q="")


@functools.lru_cache(maxsize=1024)
def _page_ids(shape: tuple, kind: str, first_matches: bool = False) -> Select:
    """The ids of one page, in directory order: the page right ``before`` or ``after`` a shop's
    place (given, or with ``_id``, read in the same statement from the shop's id), or at an
    ``offset``. With ``first_matches`` (:func:`matches_first`), the matches are read first, as a
    materialized CTE (on SQLite too, which would otherwise fold it back in), then ordered."""
    query = _matching(shape)
    order_name, order_id = Shop.name_key, Shop.id
    if first_matches:
        matches = query.add_columns(Shop.name_key).cte("matches").prefix_with("MATERIALIZED")
        query, order_name, order_id = select(matches.c.id), matches.c.name_key, matches.c.id
    ident, per_page = bindparam("place_id", type_=Integer), bindparam("per_page", type_=Integer)
    if kind.endswith("_id"):
        placed = aliased(Shop)
        name = select(placed.name_key).where(placed.id == ident).scalar_subquery()
        kind = kind.removesuffix("_id")
    else:
        name = bindparam("place_name", type_=String)
    if kind == "before":
        query = query.where(order_name <= name, or_(order_name < name, order_id < ident))
        return query.order_by(order_name.desc(), order_id.desc()).limit(per_page)
    if kind == "after":
        query = query.where(order_name >= name, or_(order_name > name, order_id > ident))
        return query.order_by(order_name, order_id).limit(per_page)
    return query.order_by(order_name, order_id).limit(per_page).offset(bindparam("offset", type_=Integer))


def _placed(filters: Filters, position: Position, per_page: int) -> tuple[tuple, str, dict]:
    shape, params = _terms(filters)
    params["per_page"] = per_page
    kind = "after" if position.after is not None else "before" if position.before is not None else "offset"
    if kind == "offset":
        params["offset"] = position.offset
    elif position.place is None:
        params["place_id"] = position.after if kind == "after" else position.before
        kind += "_id"
    else:
        params["place_name"], params["place_id"] = position.place
    return shape, kind, params


def resolve(position: Position) -> Position:
    """``position`` with its shop's place in the order looked up (one read by primary key) unless
    it has it already; a shop that is gone turns it into the plain offset. A page can be read
    without it (:func:`page_rows` reads the place in its own statement): the caller resolves
    only a page that came back empty, to tell a shop that is gone from the end of the list."""
    shop_id = position.after if position.after is not None else position.before
    if shop_id is None or position.place is not None:
        return position
    name = db.session.scalar(select(Shop.name_key).where(Shop.id == shop_id))
    if name is None:
        return Position(offset=position.offset)
    return replace(position, place=(name, shop_id))


def page_rows(columns: tuple, filters: Filters, position: Position, per_page: int, *,
              first_matches: bool = False) -> tuple[Select, dict]:
    """The page's rows (``columns`` of shop and its region), in directory order, and the
    parameters; ``first_matches``: see :func:`matches_first`."""
    shape, kind, params = _placed(filters, position, per_page)
    return _page_rows(columns, shape, kind, first_matches), params


@functools.lru_cache(maxsize=1024)
def _page_rows(columns: tuple, shape: tuple, kind: str, first_matches: bool) -> Select:
    ids = _page_ids(shape, kind, first_matches).subquery()
    return (select(*columns).join(Region, Shop.region_id == Region.id)
            .where(Shop.id.in_(select(ids.c.id)))
            .order_by(Shop.name_key, Shop.id))
