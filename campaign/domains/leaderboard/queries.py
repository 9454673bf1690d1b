"""Read side of the leaderboard and the region progress pages, for the HTML views and the API.

Everything here reads the maintained aggregates (:class:`~campaign.domains.tallies.models.Tally`,
:class:`~campaign.domains.tallies.models.TallyWeek`) plus the region targets, never a GROUP BY over purchases,
so the cost does not grow with the number of purchases. Results are plain dataclasses
(``dataclasses.asdict`` turns them into JSON-ready dicts; dates stay ``date`` objects).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from campaign.core.errors import NotFound, ValidationFailed
from campaign.domains.leaderboard import details
from campaign.domains.leaderboard.board import Board, cached_board
from campaign.domains.leaderboard.details import RegionDetail, WeekPoint
from campaign.domains.leaderboard.metrics import METRICS, PERSPECTIVES
from campaign.domains.leaderboard.reference import RegionInfo
from campaign.domains.regions import versions
from campaign.domains.regions.provinces import configured_provinces
from campaign.domains.regions.queries import CampaignInfo
from campaign.domains.tallies.buckets import PROVINCE_DIMENSIONS
from campaign.web import readcache
# Memory of one row and one week in the read cache: their pickled length times the cache's ratio
# (campaign.web.readcache.MEMORY_PER_PICKLED_BYTE), as measured on the bench datasets.
ROW_BYTES, WEEK_BYTES = 800, 500


@dataclass(frozen=True, kw_only=True)
class Measures:
    """The figures a leaderboard row and a total both show. Rates are None without a denominator."""

    realized: int
    verified: int
    pledged: int | None
    participants: int
    purchases: int
    shops_supported: int
    asn_headcount: int | None
    target_amount: int | None
    participation_rate: float | None
    pledge_realization: float | None
    spend_per_asn: float | None
    suppressed: frozenset[str] = frozenset()  # withheld for this viewer (see campaign.domains.leaderboard.privacy)
    institutional: int = 0  # completed needs-board deals at the shops; never part of ASN spend


@dataclass(frozen=True, kw_only=True)
class StandingRow(Measures):
    rank: int | None  # None: not ranked publicly (its figure is withheld, campaign.domains.leaderboard.privacy)
    region_code: str
    region_name: str
    region_kind: str


@dataclass(frozen=True, kw_only=True)
class Figures(Measures):
    """A region's or the province's totals in one perspective."""

    target_progress: float | None
    rounded: frozenset[str] = frozenset()  # published in steps for this viewer (province totals, see privacy)


@dataclass(frozen=True)
class Standings:
    campaign: CampaignInfo
    metric: str
    perspective: str
    rows: list[StandingRow]
    totals: Figures
    province: str | None = None  # the province whose regions these are (None: every served region)

    def approximate_bytes(self) -> int:
        """For the read cache's bound (:func:`campaign.web.readcache.size_of`)."""
        return ROW_BYTES * (len(self.rows) + 4)


@dataclass(frozen=True)
class RegionProgress:
    region: RegionInfo
    campaign: CampaignInfo
    asn_region: Figures  # the region's civil servants, wherever they shopped
    shop_region: Figures  # money spent at the region's shops, by any ASN
    rank: int | None  # in the realized-spend leaderboard by the ASN's region; None: not ranked publicly
    region_count: int
    weeks_asn_region: list[WeekPoint]
    weeks_shop_region: list[WeekPoint]
    detail: RegionDetail | None = field(default=None)

    def approximate_bytes(self) -> int:
        """For the read cache's bound (:func:`campaign.web.readcache.size_of`)."""
        return ROW_BYTES * 5 + WEEK_BYTES * (len(self.weeks_asn_region) + len(self.weeks_shop_region))


def ratio(numerator: int | None, denominator: int | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def check_choice(name: str, value: str, choices: dict[str, str]) -> None:
    if value not in choices:
        message = f"Pilihan {value!r} tidak dikenal; pilih salah satu: {', '.join(choices)}."
        raise ValidationFailed(message, fields={name: [message]})


def get_standings(*, campaign_id: int | None, metric: str, perspective: str,
                  province: str | None = None) -> Standings:
    """All regions of the served provinces (or of ``province`` alone) ranked by ``metric`` in
    ``perspective`` for one campaign.

    ``campaign_id`` None means the current campaign. Every region is listed, zeros included.
    Order: the metric descending, regions whose metric is undefined (None) last, ties broken
    by the region's Kemendagri code ascending; ``rank`` is the position 1..n, so it is never
    shared. In the ``shop_region`` perspective ``pledged`` and ``pledge_realization`` are None
    (pledges belong to the ASN's region); headcount-based rates use the region's own headcount.
    ``institutional`` (belanja lembaga: completed needs-board deals) always belongs to the shop's
    region, in both perspectives, and is never added to the ASN figures.

    The totals of one ``province`` take its distinct counts (participants, shops supported) from
    the tallies' province level, where a person buying in two of its regions counts once.

    Raises ValidationFailed for an unknown metric or perspective, NotFound for an unknown campaign
    or a province not served. Reads the campaign's change marker, and only when it moved the campaign, regions, region
    targets and region tallies (:mod:`campaign.web.readcache`): a fixed number of statements
    whatever the number of purchases.
    """
    check_choice("metric", metric, METRICS)
    check_choice("perspective", perspective, PERSPECTIVES)
    if province is not None and province not in configured_provinces():
        raise NotFound(f"Provinsi dengan kode {province} tidak dilayani.")
    campaign_id, version = versions.campaign_version(campaign_id)
    return readcache.remember(("standings", campaign_id, metric, perspective, province), version,
                              lambda: _rank(cached_board(campaign_id, version), metric, perspective, province))


def _rank(board: Board, metric: str, perspective: str, province: str | None) -> Standings:
    regions = board.regions if province is None else board.regions_of(province)
    rows = [_row_fields(region, board.tallies.get((perspective, region.id)), board.targets.get(region.id),
                        perspective, board.institutional[region.id]) for region in regions]
    rows.sort(key=lambda row: (row[metric] is None, -(row[metric] or 0), row["region_code"]))
    ranked = [StandingRow(rank=position, **row) for position, row in enumerate(rows, start=1)]
    if province is None:
        return Standings(board.campaign, metric, perspective, ranked, national_totals(board, perspective), province)
    totals = replace(province_figures(board, perspective, province),
                     institutional=sum(board.institutional[region.id] for region in regions))
    return Standings(board.campaign, metric, perspective, ranked, totals, province)


def _row_fields(region: RegionInfo, tally, target: tuple[int, int] | None, perspective: str,
                institutional: int) -> dict[str, Any]:
    """A region's standing row but its rank, as plain fields (sorted before the rows are built)."""
    realized = tally.realized_amount if tally else 0
    pledged = (tally.pledged_amount if tally else 0) if perspective == "asn_region" else None
    participants = tally.participants if tally else 0
    headcount = target[0] if target else None
    return dict(
        region_code=region.code, region_name=region.name, region_kind=region.kind,
        realized=realized, verified=tally.verified_amount if tally else 0, pledged=pledged,
        participants=participants, purchases=tally.realized_count if tally else 0,
        shops_supported=tally.shops_supported if tally else 0, asn_headcount=headcount,
        target_amount=target[1] if target else None,
        participation_rate=ratio(participants, headcount), pledge_realization=ratio(realized, pledged),
        spend_per_asn=ratio(realized, headcount), institutional=institutional)


def national_totals(board: Board, perspective: str) -> Figures:
    """The totals of every served region: sums over the regions. Distinct counts come from the
    perspective where each person or shop has one home: participants from the ASN's region,
    shops supported from the shop's region."""
    def total(dimension: str, name: str) -> int:
        return sum(getattr(board.tallies[(dimension, r.id)], name) for r in board.regions
                   if (dimension, r.id) in board.tallies)
    headcount = sum(t[0] for t in board.targets.values()) or None
    target = sum(t[1] for t in board.targets.values()) or None
    pledged = total("asn_region", "pledged_amount") if perspective == "asn_region" else None
    sums = figures(realized=total(perspective, "realized_amount"), verified=total(perspective, "verified_amount"),
                   pledged=pledged, participants=total("asn_region", "participants"),
                   purchases=total(perspective, "realized_count"),
                   shops_supported=total("shop_region", "shops_supported"), asn_headcount=headcount,
                   target_amount=target)
    return replace(sums, institutional=sum(board.institutional.values()))


def province_figures(board: Board, perspective: str, province: str) -> Figures:
    """One province's totals in ``perspective``: sums and distinct counts from its province tally
    (participants and shops supported counted once however many of its regions they touch);
    pledges, headcounts and targets, which belong to one region each, summed over its regions."""
    regions = board.regions_of(province)
    tally = board.tallies.get((PROVINCE_DIMENSIONS[perspective], int(province)))
    targets = [board.targets[region.id] for region in regions if region.id in board.targets]
    pledged = None
    if perspective == "asn_region":
        pledged = sum(board.tallies[("asn_region", r.id)].pledged_amount for r in regions
                      if ("asn_region", r.id) in board.tallies)
    return figures(realized=tally.realized_amount if tally else 0, verified=tally.verified_amount if tally else 0,
                   pledged=pledged, participants=tally.participants if tally else 0,
                   purchases=tally.realized_count if tally else 0,
                   shops_supported=tally.shops_supported if tally else 0,
                   asn_headcount=sum(t[0] for t in targets) or None, target_amount=sum(t[1] for t in targets) or None)


def figures(*, realized: int, verified: int, pledged: int | None, participants: int, purchases: int,
            shops_supported: int, asn_headcount: int | None, target_amount: int | None) -> Figures:
    """Totals with their rates; ``target_progress`` = realized / target."""
    return Figures(realized=realized, verified=verified, pledged=pledged, participants=participants,
                   purchases=purchases, shops_supported=shops_supported, asn_headcount=asn_headcount,
                   target_amount=target_amount, participation_rate=ratio(participants, asn_headcount),
                   pledge_realization=ratio(realized, pledged), spend_per_asn=ratio(realized, asn_headcount),
                   target_progress=ratio(realized, target_amount))


def get_region_progress(*, code: str, campaign_id: int | None, detailed: bool,
                        idle_limit: int | None = details.IDLE_LIMIT) -> RegionProgress:
    """One region's progress in a campaign (the current one for None), in both perspectives.

    The public part holds aggregates only. ``detailed`` (for the region's coordinator or an
    admin: the caller decides) adds the per-agency table, top shops, shops without buyers (at
    most ``idle_limit``, None for all, with their total) and the disputed purchases, which name
    buyers and so are per-person data. ``rank`` is the region's place in the realized-spend
    leaderboard by the ASN's region (see :func:`get_standings` for the tie-break).
    Raises NotFound for an unknown region code or campaign.
    """
    campaign_id, version = versions.campaign_version(campaign_id)
    progress = readcache.remember(("progress", campaign_id, code), version,
                                  lambda: _public_progress(campaign_id, code, version))
    if not detailed:
        return progress
    return replace(progress, detail=details.region_detail(campaign_id=progress.campaign.id,
                                                          region_id=progress.region.id, idle_limit=idle_limit))


def _public_progress(campaign_id: int | None, code: str, version: readcache.Version) -> RegionProgress:
    board = cached_board(campaign_id, version)
    region = board.reference.region(code)  # NotFound for an unknown or inactive code
    targets, institutional = board.targets.get(region.id), board.institutional[region.id]
    fields = {perspective: _row_fields(region, board.tallies.get((perspective, region.id)), targets, perspective,
                                       institutional) for perspective in PERSPECTIVES}
    weeks = details.weekly_series(campaign_id=board.campaign.id, region_id=region.id,
                                  starts_on=board.campaign.starts_on, ends_on=board.campaign.ends_on)
    return RegionProgress(
        region=region, campaign=board.campaign, asn_region=_row_figures(fields["asn_region"]),
        shop_region=_row_figures(fields["shop_region"]), rank=_realized_rank(board, region),
        region_count=len(board.regions_of(region.province)),
        weeks_asn_region=weeks["asn_region"], weeks_shop_region=weeks["shop_region"], detail=None)


def _realized_rank(board: Board, region: RegionInfo) -> int:
    """``region``'s place among its province's regions by realized spend of their ASN (the order
    of :func:`get_standings`: the amount descending, ties by code), counted without ranking them all."""
    def key(other: RegionInfo) -> tuple[int, str]:
        tally = board.tallies.get(("asn_region", other.id))
        return -(tally.realized_amount if tally else 0), other.code
    mine = key(region)
    return 1 + sum(1 for other in board.regions_of(region.province) if key(other) < mine)


def _row_figures(row: dict[str, Any]) -> Figures:
    return replace(figures(realized=row["realized"], verified=row["verified"], pledged=row["pledged"],
                           participants=row["participants"], purchases=row["purchases"],
                           shops_supported=row["shops_supported"], asn_headcount=row["asn_headcount"],
                           target_amount=row["target_amount"]), institutional=row["institutional"])
