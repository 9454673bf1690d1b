"""Read functions of the coordinator's people pages (from tallies, pledges and shops, never a
GROUP BY over purchases)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, case, func, or_, select

from campaign.core import clock
from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.leaderboard.details import WeekPoint
from campaign.domains.leaderboard.queries import Figures, RegionProgress, Standings, ratio
from campaign.domains.purchases.models import Pledge
from campaign.domains.regions.districts import districts_of
from campaign.domains.regions.models import Agency, District
from campaign.domains.shops.models import Shop
from campaign.domains.tallies.buckets import week_start
from campaign.domains.tallies.models import Tally, TallyWeek

WAITING_LIMIT = 200


@dataclass(frozen=True)
class WaitingAsn:
    """An ASN who pledged and has no realized purchase yet: name and agency only."""

    name: str
    agency: str


def pledged_not_bought(*, campaign_id: int, region_id: int,
                       limit: int = WAITING_LIMIT) -> tuple[list[WaitingAsn], int]:
    """ASN of the region with a pledge in the campaign and no realized purchase (a disputed,
    voided or withdrawn one does not count), by agency then name: at most ``limit`` of them, and
    how many there are."""
    has_bought = and_(Tally.campaign_id == campaign_id, Tally.dimension == "asn", Tally.key_id == Pledge.user_id)
    statement = (select(User.name, Agency.name).select_from(Pledge)
                 .join(User, User.id == Pledge.user_id).join(Agency, Agency.id == Pledge.agency_id)
                 .outerjoin(Tally, has_bought)
                 .where(Pledge.campaign_id == campaign_id, Pledge.region_id == region_id,
                        or_(Tally.key_id.is_(None), Tally.realized_count == 0)))
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = db.session.execute(statement.order_by(Agency.name, User.name, User.id).limit(limit))
    return [WaitingAsn(name, agency) for name, agency in rows], total


@dataclass(frozen=True)
class Measure:
    label: str
    key: str  # how to show it: a Figures attribute name, or "verified_share"
    region: float | None
    province: float | None


@dataclass(frozen=True)
class WeekChange:
    label: str  # "Kota Palopo" or "Provinsi"
    this_week: int  # realized, the running week
    last_week: int

    @property
    def change(self) -> float | None:
        """This week over last week, minus one; None when last week had nothing."""
        return self.this_week / self.last_week - 1 if self.last_week else None


@dataclass(frozen=True)
class Comparison:
    measures: list[Measure]
    weeks: list[WeekChange]
    this_monday: object  # date
    last_monday: object


def comparison(progress: RegionProgress, province: Standings) -> Comparison:
    """The region (ASN's region perspective) against the province totals of ``province`` (the
    standings by the ASN's region), and this week's realized spend against last week's."""
    mine, all_ = progress.asn_region, province.totals
    measures = [Measure(label, key, _value(mine, key), _value(all_, key)) for label, key in (
        ("Tingkat partisipasi", "participation_rate"), ("Belanja per ASN", "spend_per_asn"),
        ("Realisasi janji", "pledge_realization"), ("Bagian terverifikasi toko", "verified_share"))]
    this_monday = week_start(clock.today(progress.region.code))  # the region's own zone
    last_monday = this_monday - timedelta(weeks=1)
    by_week = {p.week_start: p for p in progress.weeks_asn_region}
    province_weeks = dict(db.session.execute(
        select(TallyWeek.week_start, func.sum(TallyWeek.realized_amount))
        .where(TallyWeek.campaign_id == progress.campaign.id, TallyWeek.dimension == "asn_region",
               TallyWeek.week_start.in_((this_monday, last_monday)))
        .group_by(TallyWeek.week_start)).all())
    weeks = [WeekChange(progress.region.full_name, _realized(by_week.get(this_monday)),
                        _realized(by_week.get(last_monday))),
             WeekChange("Provinsi", int(province_weeks.get(this_monday) or 0),
                        int(province_weeks.get(last_monday) or 0))]
    return Comparison(measures, weeks, this_monday, last_monday)


def _value(figures: Figures, key: str) -> float | None:
    if key == "verified_share":
        return ratio(figures.verified, figures.realized)
    return getattr(figures, key)


def _realized(point: WeekPoint | None) -> int:
    return point.realized if point else 0


@dataclass(frozen=True)
class DistrictRow:
    code: str | None  # None: shops whose kecamatan is not in the list
    name: str
    shops: int  # verified shops
    shops_with_buyers: int
    realized: int
    verified: int
    purchases: int


def by_district(*, campaign_id: int, region_id: int) -> list[DistrictRow]:
    """Spend at the region's shops per kecamatan, every kecamatan of the list included (zeros
    too), by realized spend then name; shops outside the list last. The realized column sums to
    the region's realized spend by the shop's region. Reads shops and their tallies."""
    tally = and_(Tally.campaign_id == campaign_id, Tally.dimension == "shop", Tally.key_id == Shop.id)
    realized = func.coalesce(Tally.realized_amount, 0)
    statement = (select(Shop.district_id, func.count(case((Shop.status == "verified", 1))),
                        func.count(case((Tally.realized_count > 0, 1))), func.sum(realized),
                        func.sum(func.coalesce(Tally.verified_amount, 0)),
                        func.sum(func.coalesce(Tally.realized_count, 0)))
                 .select_from(Shop).outerjoin(Tally, tally).where(Shop.region_id == region_id)
                 .group_by(Shop.district_id))
    sums = {row[0]: [int(value or 0) for value in row[1:]] for row in db.session.execute(statement)}
    rows = [DistrictRow(d.code, d.name, *sums.pop(d.id, [0, 0, 0, 0, 0])) for d in districts_of(region_id)]
    rows.sort(key=lambda row: (-row.realized, row.name))
    for district_id, values in sums.items():  # None, or a kecamatan moved to another region
        name = "Di luar daftar kecamatan" if district_id is None else _district_name(district_id)
        rows.append(DistrictRow(None, name, *values))
    return rows


def _district_name(district_id: int) -> str:
    return db.session.scalar(select(District.name).where(District.id == district_id)) or "?"
