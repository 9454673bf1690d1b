"""Read side of the affected-UMKM data, for the HTML pages and the API.

Public figures come from :class:`~campaign.domains.affected.models.AffectedTally` only, and pass the
small-number rule (:mod:`campaign.domains.leaderboard.privacy`): a bucket with fewer than ``MIN_PUBLIC_PARTICIPANTS``
businesses shows None for both its count and its workers.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from campaign.core.extensions import db
from campaign.domains.affected.models import BUSINESS_STATUSES, NEEDS, REVENUE_DROPS, AffectedReport, AffectedTally
from campaign.domains.leaderboard import privacy
from campaign.domains.regions.models import Region
from campaign.domains.regions.services import all_regions, region_by_code
from campaign.web.pagination import Page, paginate


@dataclass(frozen=True)
class Bucket:
    code: str
    label: str
    businesses: int | None  # None: fewer than the public minimum
    affected_workers: int | None


@dataclass(frozen=True)
class AffectedFigures:
    businesses: int | None
    affected_workers: int | None
    by_status: list[Bucket]
    by_need: list[Bucket]


@dataclass(frozen=True)
class RegionAffected:
    code: str
    name: str
    kind: str
    figures: AffectedFigures

    @property
    def full_name(self) -> str:
        return f"{self.kind} {self.name}"


@dataclass(frozen=True)
class ProvinceAffected:
    """Every region (zeros included), most affected businesses first, ties by region code."""

    regions: list[RegionAffected]
    totals: AffectedFigures


def _counts(values: dict[str, int] | None) -> tuple[int, int]:
    values = values or {}
    return values.get("businesses", 0), values.get("affected_workers", 0)


def _withheld(sizes: list[int], known=()) -> tuple[set[int], bool]:
    """The small-number rule of :mod:`campaign.domains.leaderboard.privacy`, with businesses in place of people:
    which entries of one table to withhold and whether its total must be withheld too."""
    return privacy.withheld_groups(sizes, least=privacy.minimum(), known=known)


def _buckets(values, dimension: str, labels: dict[str, str], reveal: bool) -> tuple[list[Bucket], bool]:
    counts = [_counts(values.get((dimension, code))) for code in labels]
    hidden, total_hidden = (set(), False) if reveal else _withheld([n for n, _ in counts])
    return [Bucket(code, label, None if i in hidden else n, None if i in hidden else w)
            for i, ((code, label), (n, w)) in enumerate(zip(labels.items(), counts))], total_hidden


def _figures(values: dict[tuple[str, str], dict[str, int]], *, reveal: bool,
             hide_total: bool = False) -> AffectedFigures:
    """One region's or the province's figures; ``reveal`` for a viewer who may see real ones.
    The total is withheld when it is small or when the buckets' rule needs it hidden."""
    by_status, status_hides_total = _buckets(values, "status", BUSINESS_STATUSES, reveal)
    by_need, need_hides_total = _buckets(values, "need", NEEDS, reveal)
    businesses, workers = _counts(values.get(("total", "")))
    if not reveal and (hide_total or status_hides_total or need_hides_total):
        businesses = workers = None
    return AffectedFigures(businesses, workers, by_status, by_need)


def _tallies() -> dict[int, dict[tuple[str, str], dict[str, int]]]:
    by_region: dict[int, dict] = defaultdict(dict)
    for row in db.session.scalars(select(AffectedTally)):
        by_region[row.region_id][(row.dimension, row.bucket)] = {
            "businesses": row.businesses, "affected_workers": row.affected_workers}
    return by_region


def region_affected(code: str, *, viewer=None) -> RegionAffected:
    """One region's figures; real ones for its coordinator and admins (``viewer``), public ones
    (small numbers withheld) otherwise. NotFound for an unknown code."""
    region = region_by_code(code)
    values = {(row.dimension, row.bucket): {"businesses": row.businesses, "affected_workers": row.affected_workers}
              for row in db.session.scalars(select(AffectedTally).where(AffectedTally.region_id == region.id))}
    return RegionAffected(region.code, region.name, region.kind,
                          _figures(values, reveal=privacy.sees_real_figures(viewer, region.id)))


def province_affected(*, viewer=None) -> ProvinceAffected:
    """Every region, most affected businesses first (real counts), ties by region code. Regions
    withheld together always hide at least the minimum, or the province total is withheld too."""
    tallies = _tallies()
    regions = all_regions()
    sizes = [_counts(tallies.get(r.id, {}).get(("total", "")))[0] for r in regions]
    known = [i for i, r in enumerate(regions) if privacy.sees_real_figures(viewer, r.id)]
    hidden, total_hidden = _withheld(sizes, known)
    rows = []
    for i, region in enumerate(regions):
        figures = _figures(tallies.get(region.id, {}), reveal=i in known, hide_total=i in hidden)
        rows.append((sizes[i], RegionAffected(region.code, region.name, region.kind, figures)))
    rows.sort(key=lambda pair: (-pair[0], pair[1].code))
    summed: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: {"businesses": 0, "affected_workers": 0})
    for values in tallies.values():
        for key, numbers in values.items():
            for name, number in numbers.items():
                summed[key][name] += number
    admin = viewer is not None and getattr(viewer, "is_authenticated", False) and viewer.is_national_admin
    return ProvinceAffected([row for _, row in rows], _figures(dict(summed), reveal=admin, hide_total=total_hidden))


@dataclass(frozen=True)
class ReportRow:
    """One report, for the region's coordinator (per-business data: not public)."""

    id: int
    source: str
    business_name: str
    category: str
    status_label: str
    workers_before: int
    workers_now: int
    revenue_drop_label: str
    need_label: str
    shop_id: int | None
    updated_at: datetime


def reports_of_region(region: Region, *, page: int, per_page: int) -> Page[ReportRow]:
    """Newest first (by id)."""
    statement = (select(AffectedReport).where(AffectedReport.region_id == region.id)
                 .order_by(AffectedReport.id.desc()))

    def row(r: AffectedReport) -> ReportRow:
        return ReportRow(r.id, r.source, r.business_name, r.category, r.status_label, r.workers_before,
                         r.workers_now, REVENUE_DROPS[r.revenue_drop], r.need_label, r.shop_id, r.updated_at)
    return paginate(statement, page=page, per_page=per_page, row=row)


def report_of_shop(shop_id: int) -> AffectedReport | None:
    return db.session.scalar(select(AffectedReport).where(AffectedReport.shop_id == shop_id))
