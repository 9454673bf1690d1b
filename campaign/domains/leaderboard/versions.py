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
from sqlalchemy import select

from campaign.core.errors import NotFound
from campaign.core.extensions import db
from campaign.domains.leaderboard import metrics, privacy, queries
from campaign.domains.regions import versions
from campaign.domains.regions.models import Region
from campaign.web import markers, readcache
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
        shape = readcache.remember(("region-shape", campaign_id), campaign_version,
                                   lambda: _province_shape(campaign_id))
    except NotFound:
        return campaign_id, campaign_version
    found = shape.get(code)
    if found is None:
        return campaign_id, campaign_version
    region_id, *shared = found
    return campaign_id, (reference, tokens.get(markers.all_regions(campaign_id)),
                         tokens.get(markers.region(campaign_id, region_id)), *shared, today, threshold)


def region_from_args() -> tuple:
    """The version of the anonymous page ``/wilayah/<code>`` (``?campaign=``: which campaign)."""
    return region_version(request.view_args["code"], int_arg("campaign"),
                          max_age=stale_seconds())[1]


def _province_shape(campaign_id: int | None) -> dict[str, tuple]:
    """Per region code: its id, its rank and how many regions there are, and the fields withheld
    from an anonymous visitor in each perspective."""
    standings = {perspective: queries.get_standings(campaign_id=campaign_id, metric="realized",
                                                    perspective=perspective)
                 for perspective in metrics.PERSPECTIVES}
    ids = dict(db.session.execute(select(Region.code, Region.id)).all())
    withheld = {perspective: privacy.withheld(data, viewer=None, least=privacy.minimum()).rows
                for perspective, data in standings.items()}
    rows = standings["asn_region"].rows
    return {row.region_code: (ids[row.region_code], row.rank, len(rows),
                              *(tuple(sorted(withheld[p][row.region_code])) for p in metrics.PERSPECTIVES))
            for row in rows}
