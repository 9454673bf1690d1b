"""The campaign on the home page's first screen: the province's live figures and the tile map.

Read through the leaderboard's own functions and its small-number rule (never a query of its own),
so the home page shows exactly what the Papan Peringkat shows the same viewer.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from markupsafe import Markup

from campaign.domains.leaderboard import privacy, queries
from campaign.domains.leaderboard.charts.tilemap import tile_map
from campaign.domains.leaderboard.metrics import DEFAULT_METRIC, DEFAULT_PERSPECTIVE
from campaign.domains.regions.queries import CampaignInfo

# The figures in the headline, in order (names of queries.Figures fields).
HEADLINE_FIGURES = ("realized", "verified", "participants", "shops_supported")


@dataclass(frozen=True)
class Headline:
    totals: queries.Figures  # the province, by the ASN's region, as this viewer may see it
    campaign: CampaignInfo
    tiles: Markup  # realized spend by the ASN's region


def campaign_headline(viewer) -> Headline:
    """The current campaign's province totals and tile map for ``viewer`` (withheld figures read
    "< 5 peserta", as on the leaderboard)."""
    standings = queries.get_standings(campaign_id=None, metric=DEFAULT_METRIC, perspective=DEFAULT_PERSPECTIVE)
    standings = privacy.public_standings(standings, viewer=viewer)
    campaign_id = standings.campaign.id
    tiles = tile_map(standings, url_for_region=lambda code: url_for("leaderboard.region", code=code,
                                                                    campaign=campaign_id))
    return Headline(standings.totals, standings.campaign, tiles)
