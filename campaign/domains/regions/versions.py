"""The version of a campaign's public figures, read from the change markers, for the read and
page caches (:mod:`campaign.web.readcache`, :mod:`campaign.web.pagecache`)."""
from __future__ import annotations

import functools
from datetime import date

from flask import current_app, request
from sqlalchemy import Date, bindparam, literal, select, union_all

from campaign.core import clock
from campaign.core.extensions import db
from campaign.domains.regions.models import Campaign
from campaign.domains.regions.services import current_campaign_order
from campaign.web import markers, readcache
from campaign.web.pagecache import stale_seconds
from campaign.web.readcache import Version
from campaign.web.routing import parse_int


def campaign_version(campaign_id: int | None, *, max_age: float = 0) -> tuple[int | None, Version]:
    """The campaign meant by ``campaign_id`` (None: the current one) and the version of its
    public figures: the reference data's and the campaign's markers, today's date (``campaign.core.clock``), which
    moves the current campaign and the weekly series, and the small-numbers threshold
    (:mod:`campaign.domains.leaderboard.privacy`). One statement, or none when this process
    read the markers less than ``max_age`` seconds ago (:func:`campaign.web.readcache.recent`)."""
    campaign_id, tokens, today = campaign_tokens(campaign_id, max_age=max_age)
    # the small-numbers threshold too: the public answers built from the figures depend on it
    return campaign_id, (tokens.get(markers.REFERENCE), tokens.get(markers.campaign(campaign_id)), today,
                         current_app.config.get("MIN_PUBLIC_PARTICIPANTS"))


def campaign_tokens(campaign_id: int | None, *, max_age: float = 0) -> tuple[int | None, dict, date]:
    """The campaign meant by ``campaign_id``, every marker's token, and today."""
    today = clock.today()
    tokens = readcache.recent(f"campaign-markers:{today}", max_age, lambda: dict(
        db.session.connection().execute(_markers_and_current(), {"today": today}).all()))
    return (tokens.get("current") if campaign_id is None else campaign_id), tokens, today


@functools.cache
def _markers_and_current():
    """Every marker's token, and the current campaign's id under the name ``current``."""
    order = current_campaign_order(bindparam("today", type_=Date))
    current = select(literal("current"), Campaign.id).order_by(*order).limit(1)
    return union_all(markers.tokens_statement(), current.subquery().select())


def campaign_from_args() -> Version:
    """The version of the campaign an anonymous page's ``?campaign=`` names (the current one
    without it), read at most every ``PAGE_CACHE_STALE_SECONDS``."""
    # an unreadable or out-of-range id names no campaign: the page falls back to the current one
    # and says so, so its version is the current campaign's (and no huge id reaches the database)
    return campaign_version(parse_int(request.args.get("campaign")), max_age=stale_seconds())[1]
