"""A public region page whose weekly series is mostly withheld shows it by month instead: months
gather more people, so fewer of them fall under the small-number rule.

A month here is the weeks that start in it (a week is never split). Its money and purchase counts
are the sums of those weeks (``TallyWeek``); its people are the distinct buyers of those weeks,
counted from ``TallyWeekMember`` (never from the purchases), and the same rule as for weeks then
withholds small months (:func:`campaign.domains.leaderboard.privacy.public_weeks`).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import case, func, select

from campaign.core.extensions import db
from campaign.domains.leaderboard import privacy, queries
from campaign.domains.leaderboard.details import WeekPoint, weekly_series
from campaign.domains.tallies.models import TallyWeekMember


@dataclass(frozen=True)
class Series:
    points: list[WeekPoint]  # by week, or by month (``week_start`` then the month's first day)
    unit: str  # "minggu" or "bulan"


def mostly_withheld(points: list[WeekPoint]) -> bool:
    """More than half of the weeks with any purchase have their spend withheld."""
    active = [p for p in points if p.realized is None or p.realized]
    withheld = [p for p in active if p.realized is None]
    return len(withheld) * 2 > len(active)


def public_series(progress: queries.RegionProgress, *, viewer) -> dict[str, Series]:
    """Per perspective, the series a region page draws for ``viewer``: ``progress``'s weeks (already
    public), or the months where most of those weeks are withheld for this viewer."""
    result = {}
    for perspective in ("asn_region", "shop_region"):
        weeks = getattr(progress, f"weeks_{perspective}")
        if privacy.sees_real_figures(viewer, progress.region.id) or not mostly_withheld(weeks):
            result[perspective] = Series(weeks, "minggu")
            continue
        months = monthly_points(progress, perspective)
        region_withheld = getattr(progress, perspective).suppressed
        shown = privacy.public_weeks(months, least=privacy.minimum(), region_withheld=region_withheld)
        result[perspective] = Series(_no_differencing(shown, weeks, progress, perspective), "bulan")
    return result


def _no_differencing(months: list[WeekPoint], weeks: list[WeekPoint], progress, perspective: str) -> list[WeekPoint]:
    """The weekly series stays public elsewhere (the API): a month minus its shown weeks is the sum
    of its withheld weeks, so a month whose withheld weeks hold 1..MIN-1 people altogether loses
    that figure too (it holds MIN or more people itself, so withholding it reveals nothing)."""
    least = privacy.minimum()
    result = []
    for month in months:
        inside = [w for w in weeks if w.week_start.replace(day=1) == month.week_start]
        hidden: dict = {}
        for name, fields in (("participants", privacy.WEEK_FIELDS), ("verified_buyers", privacy.WEEK_VERIFIED_FIELDS)):
            figure = "realized" if name == "participants" else "verified"
            withheld = [w for w in inside if getattr(w, figure) is None]
            if withheld and getattr(month, figure) is not None:
                people = _people(progress.campaign.id, progress.region.id, perspective, withheld, each=True)[name]
                if 0 < people < least:
                    hidden.update(dict.fromkeys(fields))
        result.append(replace(month, suppressed=True, **hidden) if hidden else month)
    return result


def monthly_points(progress: queries.RegionProgress, perspective: str) -> list[WeekPoint]:
    """The region's real figures by month in one perspective, oldest first, months without
    purchases as zeros."""
    campaign = progress.campaign
    weeks = weekly_series(campaign_id=campaign.id, region_id=progress.region.id, starts_on=campaign.starts_on,
                          ends_on=campaign.ends_on)[perspective]
    months: dict[date, list[WeekPoint]] = {}
    for week in weeks:
        months.setdefault(week.week_start.replace(day=1), []).append(week)
    return [WeekPoint(first, sum(w.realized for w in group), sum(w.verified for w in group),
                      sum(w.purchases for w in group),
                      **_people(campaign.id, progress.region.id, perspective, group))
            for first, group in months.items()]


def _people(campaign_id: int, region_id: int, perspective: str, weeks: list[WeekPoint], *,
            each: bool = False) -> dict[str, int]:
    """Distinct buyers (and verified buyers) over these weeks (consecutive ones, or with ``each``
    exactly the weeks given), from the weekly member rows."""
    if not weeks or (not each and not any(w.purchases for w in weeks)):
        return {"participants": 0, "verified_buyers": 0}
    member = TallyWeekMember
    span = (member.week_start.in_([w.week_start for w in weeks]) if each else
            member.week_start.between(weeks[0].week_start, weeks[-1].week_start))
    realized, verified = db.session.execute(select(
        func.count(func.distinct(case((member.realized_count > 0, member.buyer_id)))),
        func.count(func.distinct(case((member.verified_count > 0, member.buyer_id)))),
    ).where(member.campaign_id == campaign_id, member.dimension == perspective, member.key_id == region_id,
            span)).one()
    return {"participants": realized, "verified_buyers": verified}

