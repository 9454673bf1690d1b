"""The version of one region's public progress, so a write elsewhere leaves its page and its
API answer cached (:mod:`campaign.web.pagecache`, :mod:`campaign.web.readcache`).

A region's public progress shows its own figures and weeks, which move only with its region
marker (:func:`campaign.web.markers.region`); but also two things that belong to the whole
province: its rank in realized spend, and which of its figures the small-numbers rule withholds
(secondary suppression looks at every region, :mod:`campaign.domains.leaderboard.privacy`).
Those two are computed once per version of the campaign and become part of the region's
version: a purchase in Palopo changes Bone's version only when it moves Bone's rank or what is
withheld from Bone.
"""
from __future__ import annotations

from flask import current_app, request

from campaign.core.errors import NotFound
from campaign.domains.leaderboard import metrics
from campaign.domains.leaderboard.region_public import anonymous_shape
from campaign.domains.regions import versions
from campaign.web import markers
from campaign.web.pagecache import stale_seconds
from campaign.web.routing import int_arg


def region_version(code: str, campaign_id: int | None, *, max_age: float = 0) -> tuple[int | None, tuple]:
    """The campaign meant by ``campaign_id`` (None: the current one) and the version of region
    ``code``'s public progress in it. Markers read at most every ``max_age`` seconds per process
    (:func:`campaign.web.readcache.recent`). An unknown region or campaign gets the campaign's
    version (the page then answers 404 itself)."""
    campaign_id, tokens, today = versions.campaign_tokens(campaign_id, max_age=max_age)
    threshold = current_app.config.get("MIN_PUBLIC_PARTICIPANTS")
    reference = tokens.get(markers.REFERENCE)
    campaign_version = (reference, tokens.get(markers.campaign(campaign_id)), today, threshold)
    try:
        found = anonymous_shape(campaign_id, campaign_version).get(code)
    except NotFound:
        return campaign_id, campaign_version
    if found is None:
        return campaign_id, campaign_version
    # sorted: the version names an ETag, the same in every worker whatever its hash seed
    withheld = (tuple(sorted(found.withheld[perspective])) for perspective in metrics.PERSPECTIVES)
    return campaign_id, (reference, tokens.get(markers.all_regions(campaign_id)),
                         tokens.get(markers.region(campaign_id, found.region_id)), found.rank, found.region_count,
                         *withheld, today, threshold)


def region_from_args() -> tuple:
    """The version of the anonymous page ``/wilayah/<code>`` (``?campaign=``: which campaign)."""
    return region_version(request.view_args["code"], int_arg("campaign"),
                          max_age=stale_seconds())[1]
