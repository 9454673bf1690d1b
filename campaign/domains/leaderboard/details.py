"""The parts of a region's progress page beyond its totals: the weekly series (public) and the
coordinator's detail (by agency, top shops, shops without buyers, disputed purchases).

Sums come from the maintained tallies. The only rows read from ``purchase`` are the disputed
ones of one region, through the region index and capped, never aggregated.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Integer, and_, bindparam, func, or_, select

from campaign.core import clock
from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.purchases.models import Purchase
from campaign.domains.regions.models import Agency
from campaign.domains.shops.models import CATEGORIES, Shop
from campaign.domains.tallies.buckets import WEEKLY_DIMENSIONS, week_start
from campaign.domains.tallies.models import Tally, TallyWeek

TOP_SHOPS = 10
IDLE_LIMIT = 50
DISPUTED_LIMIT = 50


@dataclass(frozen=True)
class WeekPoint:
    week_start: date  # a Monday
    realized: int
    verified: int
    purchases: int
    suppressed: bool = False  # a figure withheld for this viewer: it is None (see campaign.domains.leaderboard.privacy)
    participants: int = 0  # distinct buyers of the week (for campaign.domains.leaderboard.privacy; not shown)
    verified_buyers: int = 0  # distinct buyers with a verified purchase that week (idem)


@dataclass(frozen=True)
class AgencyRow:
    id: int
    name: str
    realized: int
    verified: int
    pledged: int
    pledgers: int
    participants: int
    purchases: int


@dataclass(frozen=True)
class ShopRow:
    id: int
    name: str
    category: str  # the category's label
    realized: int
    verified: int
    purchases: int
    buyers: int


@dataclass(frozen=True)
class IdleShop:
    id: int
    name: str
    category: str
    district: str
    village: str


@dataclass(frozen=True)
class DisputedPurchase:
    id: int
    purchased_on: date
    amount: int
    shop_name: str
    buyer_name: str
    agency_name: str
    reason: str | None


@dataclass(frozen=True)
class RegionDetail:
    by_agency: list[AgencyRow]
    top_shops: list[ShopRow]
    idle_shops: list[IdleShop]
    idle_shops_total: int
    disputed: list[DisputedPurchase]
    disputed_more: bool  # more than the list shows
    pending_shops: int


def weekly_series(*, campaign_id: int, region_id: int, starts_on: date,
                  ends_on: date | None) -> dict[str, list[WeekPoint]]:
    """Per region perspective, one point per week (Monday) from the campaign's first week (or the
    first week with data, if earlier) to the current week (or the campaign's last, if it ended),
    weeks without purchases as zeros."""
    rows = db.session.execute(_weeks_statement(), {"campaign_id": campaign_id, "region_id": region_id}).all()
    by_week: dict[str, dict[date, Any]] = {dimension: {} for dimension in WEEKLY_DIMENSIONS}
    for row in rows:
        by_week[row.dimension][row.week_start] = row
    data_weeks = [week for weeks in by_week.values() for week in weeks]
    last_day = min(clock.today(), ends_on) if ends_on else clock.today()
    first = min([week_start(starts_on), *data_weeks])
    last = max([week_start(last_day), first, *data_weeks])
    mondays = [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
    return {dimension: [_point(monday, weeks.get(monday)) for monday in mondays]
            for dimension, weeks in by_week.items()}


@functools.cache
def _weeks_statement():
    """A region's weeks in both perspectives: plain columns (no ORM objects to build), the
    statement built once per process."""
    return (select(TallyWeek.dimension, TallyWeek.week_start, TallyWeek.realized_amount, TallyWeek.verified_amount,
                   TallyWeek.realized_count, TallyWeek.participants, TallyWeek.verified_buyers)
            .where(TallyWeek.campaign_id == bindparam("campaign_id", type_=Integer),
                   TallyWeek.key_id == bindparam("region_id", type_=Integer),
                   TallyWeek.dimension.in_(WEEKLY_DIMENSIONS)))


def _point(monday: date, row) -> WeekPoint:
    if row is None:
        return WeekPoint(monday, 0, 0, 0)
    return WeekPoint(monday, row.realized_amount, row.verified_amount, row.realized_count,
                     participants=row.participants, verified_buyers=row.verified_buyers)


def region_detail(*, campaign_id: int, region_id: int, idle_limit: int | None = IDLE_LIMIT) -> RegionDetail:
    idle, idle_total = idle_shops(campaign_id=campaign_id, region_id=region_id, limit=idle_limit)
    disputed = disputed_purchases(campaign_id=campaign_id, region_id=region_id, limit=DISPUTED_LIMIT + 1)
    return RegionDetail(by_agency=by_agency(campaign_id=campaign_id, region_id=region_id),
                        top_shops=top_shops(campaign_id=campaign_id, region_id=region_id),
                        idle_shops=idle, idle_shops_total=idle_total, disputed=disputed[:DISPUTED_LIMIT],
                        disputed_more=len(disputed) > DISPUTED_LIMIT,
                        pending_shops=pending_shop_count(region_id=region_id))


def pending_shop_count(*, region_id: int) -> int:
    """Shops of the region waiting for verification."""
    return db.session.scalar(select(func.count()).select_from(Shop).where(
        Shop.region_id == region_id, Shop.status == "pending"))


def disputed_count(*, campaign_id: int, region_id: int) -> int:
    """Disputed purchases at the region's shops in the campaign (through the region index)."""
    return db.session.scalar(select(func.count()).select_from(Purchase).where(
        Purchase.shop_region_id == region_id, Purchase.status == "disputed", Purchase.campaign_id == campaign_id))


def _tally_of(dimension: str, campaign_id: int, key):
    return and_(Tally.campaign_id == campaign_id, Tally.dimension == dimension, Tally.key_id == key)


def by_agency(*, campaign_id: int, region_id: int) -> list[AgencyRow]:
    """Every agency of the region, those without activity too, by realized spend then name."""
    realized = func.coalesce(Tally.realized_amount, 0)
    statement = (select(Agency, Tally).outerjoin(Tally, _tally_of("agency", campaign_id, Agency.id))
                 .where(Agency.region_id == region_id).order_by(realized.desc(), Agency.name, Agency.id))
    rows = []
    for agency, tally in db.session.execute(statement):
        values = [getattr(tally, name) if tally else 0 for name in (
            "realized_amount", "verified_amount", "pledged_amount", "pledgers", "participants", "realized_count")]
        rows.append(AgencyRow(agency.id, agency.name, *values))
    return rows


def top_shops(*, campaign_id: int, region_id: int, limit: int = TOP_SHOPS) -> list[ShopRow]:
    """The region's shops with the most realized spend (ties: name, then id)."""
    statement = (select(Shop, Tally).join(Tally, _tally_of("shop", campaign_id, Shop.id))
                 .where(Shop.region_id == region_id, Tally.realized_amount > 0)
                 .order_by(Tally.realized_amount.desc(), Shop.name, Shop.id).limit(limit))
    return [ShopRow(shop.id, shop.name, CATEGORIES.get(shop.category, shop.category), tally.realized_amount,
                    tally.verified_amount, tally.realized_count, tally.participants)
            for shop, tally in db.session.execute(statement)]


def idle_shops(*, campaign_id: int, region_id: int, limit: int | None = IDLE_LIMIT) -> tuple[list[IdleShop], int]:
    """Verified shops of the region with no realized purchase in the campaign, by name: at most
    ``limit`` (None: all) of them, and how many there are."""
    condition = and_(Shop.region_id == region_id, Shop.status == "verified",
                     or_(Tally.key_id.is_(None), Tally.realized_count == 0))
    joined = select(Shop).outerjoin(Tally, _tally_of("shop", campaign_id, Shop.id)).where(condition)
    total = db.session.scalar(select(func.count()).select_from(joined.subquery()))
    statement = joined.order_by(Shop.name, Shop.id)
    if limit is not None:
        statement = statement.limit(limit)
    shops = [IdleShop(s.id, s.name, CATEGORIES.get(s.category, s.category), s.district, s.village)
             for s in db.session.scalars(statement)]
    return shops, total


def disputed_purchases(*, campaign_id: int, region_id: int, limit: int) -> list[DisputedPurchase]:
    """Disputed purchases at the region's shops, newest first. Names buyers: coordinators only."""
    statement = (select(Purchase.id, Purchase.purchased_on, Purchase.amount, Shop.name, User.name,
                        Agency.name, Purchase.status_reason)
                 .join(Shop, Shop.id == Purchase.shop_id).join(User, User.id == Purchase.buyer_id)
                 .join(Agency, Agency.id == Purchase.agency_id)
                 .where(Purchase.shop_region_id == region_id, Purchase.status == "disputed",
                        Purchase.campaign_id == campaign_id)
                 .order_by(Purchase.purchased_on.desc(), Purchase.id.desc()).limit(limit))
    return [DisputedPurchase(*row) for row in db.session.execute(statement)]


def coordinator_summary(*, campaign_id: int, region_id: int) -> dict[str, int]:
    """The counts the summary page shows a coordinator: what waits for them."""
    return {"pending_shops": pending_shop_count(region_id=region_id),
            "disputed": disputed_count(campaign_id=campaign_id, region_id=region_id)}
