"""Which purchases a bulk void (or a flag's list) means: a :class:`Selection` inside one region.

A region's purchases are those whose shop or whose buyer is in it (the coordinators who may void
a single purchase). Only live purchases (reported, confirmed, disputed) are ever selected. A flag
key adds its own criteria (:func:`flag_criteria`), combined with the others by AND.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import Select, func, or_, select

from campaign.core.errors import ValidationFailed
from campaign.domains.purchases.models import Purchase
from campaign.domains.trust.models import SignupSource

LIVE = ("reported", "confirmed", "disputed")
FLAG_KINDS = ("asn", "shop", "fresh", "log", "confirm", "asnlog", "signup", "first")


@dataclass(frozen=True)
class Selection:
    shop_id: int | None = None
    buyer_id: int | None = None
    date_from: date | None = None  # purchase date, inclusive
    date_to: date | None = None
    status: str | None = None
    flag: str | None = None
    logged_from: datetime | None = None  # set from a burst flag
    logged_to: datetime | None = None
    decided_from: datetime | None = None
    decided_to: datetime | None = None
    signup_source: int | None = None  # buyers whose accounts were created from this source ...
    signed_up_from: datetime | None = None  # ... in this period
    signed_up_to: datetime | None = None

    def is_empty(self) -> bool:
        return not any(asdict(self).values())

    def as_json(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, (date, datetime)) else v)
                for k, v in asdict(self).items() if v is not None}


def window_key(start: datetime) -> str:
    return start.astimezone(timezone.utc).strftime("%Y%m%d%H%M")


def flag_criteria(selection: Selection) -> Selection:
    """The selection with its flag key's criteria filled in; ValidationFailed for an unknown key.

    Keys: ``asn:<user id>`` and ``shop:<shop id>`` (all their live purchases), ``fresh:<shop id>``
    (the shop's confirmed purchases),
    ``log:<shop id>:<period>`` (logged at the shop in that period), ``confirm:<shop id>:<period>``
    and ``first:<shop id>:<period>`` (confirmed by the shop in that period), ``asnlog:<user id>:<period>``;
    a period is its UTC start as ``YYYYMMDDHHMM``, ``FLAG_BURST_MINUTES`` long.
    """
    if not selection.flag:
        return selection
    parts = selection.flag.split(":")
    try:
        kind, subject = parts[0], int(parts[1])
        start = datetime.strptime(parts[2], "%Y%m%d%H%M").replace(tzinfo=timezone.utc) if len(parts) == 3 else None
    except (IndexError, ValueError):
        kind, subject, start = "", 0, None
    if kind not in FLAG_KINDS or (start is None) != (kind in ("asn", "shop", "fresh")) or len(parts) > 3:
        raise ValidationFailed("Tanda tidak dikenal.", fields={"flag": ["Tanda tidak dikenal."]})
    end = start + timedelta(minutes=current_app.config["FLAG_BURST_MINUTES"]) if start else None
    if kind == "signup":
        return replace(selection, signup_source=subject, signed_up_from=start, signed_up_to=end)
    if kind in ("asn", "asnlog"):
        selection = replace(selection, buyer_id=subject)
    else:
        selection = replace(selection, shop_id=subject)
    if kind in ("log", "asnlog"):
        selection = replace(selection, logged_from=start, logged_to=end)
    if kind == "fresh":
        selection = replace(selection, status="confirmed")
    if kind in ("confirm", "first"):  # first: the shop's confirmations of that period, first-timers among them
        selection = replace(selection, status="confirmed", decided_from=start, decided_to=end)
    return selection


def purchases_query(*, campaign_id: int, region_id: int, selection: Selection) -> Select:
    """``SELECT purchase`` for the selection (flag criteria already applied)."""
    s = selection
    query = select(Purchase).where(Purchase.campaign_id == campaign_id,
                                   or_(Purchase.shop_region_id == region_id, Purchase.asn_region_id == region_id),
                                   Purchase.status.in_([s.status] if s.status else LIVE))
    for column, value, compare in (
            (Purchase.shop_id, s.shop_id, "eq"), (Purchase.buyer_id, s.buyer_id, "eq"),
            (Purchase.purchased_on, s.date_from, "ge"), (Purchase.purchased_on, s.date_to, "le"),
            (Purchase.created_at, s.logged_from, "ge"), (Purchase.created_at, s.logged_to, "lt"),
            (Purchase.decided_at, s.decided_from, "ge"), (Purchase.decided_at, s.decided_to, "lt")):
        if value is not None:
            query = query.where({"eq": column == value, "ge": column >= value, "lt": column < value,
                                 "le": column <= value}[compare])
    if s.signup_source is not None:
        query = query.where(Purchase.buyer_id.in_(select(SignupSource.user_id).where(
            SignupSource.source == s.signup_source, SignupSource.region_id == region_id,
            SignupSource.created_at >= s.signed_up_from, SignupSource.created_at < s.signed_up_to)))
    return query


def totals_query(query: Select) -> Select:
    inner = query.subquery()
    return select(func.count(), func.coalesce(func.sum(inner.c.amount), 0))
