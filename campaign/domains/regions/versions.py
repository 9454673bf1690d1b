"""The version of a campaign's public figures, read from the change markers, for the read and
page caches (:mod:`campaign.web.readcache`, :mod:`campaign.web.pagecache`)."""
from __future__ import annotations

import functools

from flask import current_app, request
from sqlalchemy import Date, bindparam, literal, select, union_all

from campaign.core.extensions import db
from campaign.domains.regions.models import Campaign
from campaign.domains.regions.services import current_campaign_order
from campaign.util.formatting import today_wita
from campaign.web import markers
from campaign.web.readcache import Version


def campaign_version(campaign_id: int | None) -> tuple[int | None, Version]:
    """The campaign meant by ``campaign_id`` (None: the current one) and the version of its
    public figures: the reference data's and the campaign's markers, today's date (WITA), which
    moves the current campaign and the weekly series, and the small-numbers threshold
    (:mod:`campaign.domains.leaderboard.privacy`). One statement."""
    today = today_wita()
    rows = db.session.connection().execute(_markers_and_current(), {"today": today})
    tokens = dict(rows.all())
    if campaign_id is None:
        campaign_id = tokens.get("current")
    # the small-numbers threshold too: the public answers built from the figures depend on it
    return campaign_id, (tokens.get(markers.REFERENCE), tokens.get(markers.campaign(campaign_id)), today,
                         current_app.config.get("MIN_PUBLIC_PARTICIPANTS"))


@functools.cache
def _markers_and_current():
    """Every marker's token, and the current campaign's id under the name ``current``."""
    order = current_campaign_order(bindparam("today", type_=Date))
    current = select(literal("current"), Campaign.id).order_by(*order).limit(1)
    return union_all(markers.tokens_statement(), current.subquery().select())



def campaign_from_args() -> Version:
    """The version of the campaign a page's ``?campaign=`` names (the current one without it)."""
    return campaign_version(request.args.get("campaign", type=int))[1]
