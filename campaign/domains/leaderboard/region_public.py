"""A region's public progress as a viewer may see it, and what the small-number rule makes of
every region at once for a viewer who knows no region's real figures (the anonymous visitor).

The rule itself is :mod:`campaign.domains.leaderboard.privacy`: a region's figures are withheld
within its province's leaderboard, and its public rank is its place among the province's regions
whose realized spend is shown. For an anonymous visitor that outcome is the same for every page
of the campaign, so it is computed once per version of the campaign, for all regions together,
from the campaign's board (:mod:`campaign.domains.leaderboard.board`) in the realized-spend
leaderboard's order (:func:`anonymous_shape`): a region page and the version of its cached page (:mod:`campaign.domains.leaderboard.versions`) both look it up instead
of ranking the province and applying the rule again.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from campaign.domains.leaderboard import metrics, privacy, queries
from campaign.domains.leaderboard.board import cached_board
from campaign.domains.regions import versions
from campaign.web import readcache


@dataclass(frozen=True)
class RegionShape:
    """What the province's figures make of one region for an anonymous visitor."""

    region_id: int
    rank: int | None  # its public rank in realized spend by the ASN's region (None: not ranked)
    region_count: int  # regions in its province
    withheld: dict[str, frozenset[str]]  # perspective -> the field names withheld from its figures


@dataclass(frozen=True)
class Shapes:
    by_code: dict[str, RegionShape]  # every active region's

    def get(self, code: str) -> RegionShape | None:
        return self.by_code.get(code)

    def approximate_bytes(self) -> int:
        """For the read cache's bound (:func:`campaign.web.readcache.size_of`), as measured."""
        return 300 * len(self.by_code)


def anonymous_shape(campaign_id: int | None, version: readcache.Version | None = None) -> Shapes:
    """Per active region code, its :class:`RegionShape` in campaign ``campaign_id`` (None: the
    current one), from the read cache under the campaign's ``version`` (None: read it now).
    Raises NotFound as :func:`~campaign.domains.leaderboard.queries.get_standings`."""
    if version is None:
        campaign_id, version = versions.campaign_version(campaign_id)
    return readcache.remember(("region-shape", campaign_id), version, lambda: _shape(campaign_id))


def _shape(campaign_id: int | None) -> Shapes:
    """From the board alone: each perspective's regions in the realized-spend leaderboard's order
    (the amount descending, ties by code; the order secondary suppression follows), through the
    rule for an anonymous visitor, without building the leaderboard's rows."""
    board = cached_board(*versions.campaign_version(campaign_id))
    least = privacy.minimum()
    withheld, ordered = {}, {}
    for perspective in metrics.PERSPECTIVES:
        rows = []
        for region in board.regions:
            tally = board.tallies.get((perspective, region.id))
            rows.append((-(tally.realized_amount if tally else 0), region.code,
                         tally.participants if tally else 0, region.id))
        rows.sort()
        ordered[perspective] = rows
        withheld[perspective] = privacy.withheld_regions(
            board.campaign.id, perspective, [(code, participants) for _amount, code, participants, _id in rows],
            province=None, viewer=None, least=least).rows
    shown: dict[str, int] = {}  # province -> its regions ranked so far
    counts = {province: len(regions) for province, regions in board.reference.by_province.items()}
    shapes = {}
    for _amount, code, _participants, region_id in ordered["asn_region"]:
        province = code.split(".")[0]
        rank = None  # withheld: listed after the ranked ones, unranked
        if "realized" not in withheld["asn_region"][code]:
            rank = shown[province] = shown.get(province, 0) + 1
        shapes[code] = RegionShape(region_id, rank, counts[province],
                                   {p: withheld[p][code] for p in metrics.PERSPECTIVES})
    return Shapes(shapes)


def public_progress(progress: queries.RegionProgress, *, viewer) -> queries.RegionProgress:
    """A region's public progress as ``viewer`` may see it: unchanged for its coordinator and
    admins; otherwise withheld consistently with the leaderboard (same rows, same secondary
    suppression, whatever the metric), the rank the leaderboard publishes (None: not ranked)."""
    if privacy.sees_real_figures(viewer, progress.region.id):
        return progress
    if privacy.knows_nobody(viewer):
        shape = anonymous_shape(progress.campaign.id).by_code[progress.region.code]
        withheld, rank = shape.withheld, shape.rank
    else:
        withheld, rank = _as_seen_by(progress, viewer)
    least = privacy.minimum()
    changes = {"rank": rank}
    for perspective in metrics.PERSPECTIVES:
        names = withheld[perspective]
        changes[perspective] = privacy.blank(getattr(progress, perspective), names)
        weeks = f"weeks_{perspective}"
        changes[weeks] = privacy.public_weeks(getattr(progress, weeks), least=least, region_withheld=names)
    return replace(progress, **changes)


def _as_seen_by(progress: queries.RegionProgress, viewer) -> tuple[dict[str, frozenset[str]], int | None]:
    """The withheld fields per perspective and the public rank for a viewer who knows some
    region's real figures (a coordinator of another region, a province admin): the province's
    standings through the rule for them."""
    withheld, rank = {}, None
    province = progress.region.code.split(".")[0]
    for perspective in metrics.PERSPECTIVES:
        standings = queries.get_standings(campaign_id=progress.campaign.id, metric="realized",
                                          perspective=perspective, province=province)
        withheld[perspective] = privacy.withheld(standings, viewer=viewer, least=privacy.minimum()).rows[
            progress.region.code]
        if perspective == "asn_region":
            public = privacy.public_standings(standings, viewer=viewer).rows
            rank = next(row.rank for row in public if row.region_code == progress.region.code)
    return withheld, rank
