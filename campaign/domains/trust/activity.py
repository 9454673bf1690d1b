"""Moving the burst counters (:class:`~campaign.domains.trust.models.ActivityWindow`) in the same
transaction as the purchase that is logged or confirmed, and after an ASN account is created."""
from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Iterable
from datetime import datetime, timezone

from flask import current_app
from sqlalchemy import bindparam, select

from campaign.core import database
from campaign.core.chain import Chain
from campaign.core.database import dialect_name, driver_rows, write_transaction
from campaign.core.extensions import db
from campaign.domains.auth import signals as auth_signals
from campaign.domains.auth.models import User
from campaign.domains.purchases import signals as purchase_signals
from campaign.domains.purchases.models import Purchase
from campaign.domains.regions.services import current_campaign
from campaign.domains.tallies.buckets import REALIZED
from campaign.domains.tallies.models import Tally
from campaign.domains.trust.models import SignupSource
from campaign.util.formatting import as_utc, utcnow


def period_start(moment: datetime) -> datetime:
    """The start of the fixed ``FLAG_BURST_MINUTES`` period holding ``moment`` (UTC)."""
    seconds = current_app.config["FLAG_BURST_MINUTES"] * 60
    stamp = int(as_utc(moment).timestamp())
    return datetime.fromtimestamp(stamp - stamp % seconds, timezone.utc)


@functools.cache
def _bump_sql(dialect: str, absolute: bool) -> str:
    """``INSERT ... ON CONFLICT DO UPDATE`` adding the count (or, ``absolute``, setting it), as
    driver SQL (:func:`~campaign.core.database.driver_rows`)."""
    mark = "%s" if dialect == "postgresql" else "?"
    new_count = "excluded.count" if absolute else "activity_window.count + excluded.count"
    return ("INSERT INTO activity_window (kind, subject_id, window_start, campaign_id, region_id, count) "  # nosec B608: marks and the count's expression come from the code; values are bound
            f"VALUES ({', '.join([mark] * 6)}) ON CONFLICT (kind, subject_id, region_id, window_start) "
            f"DO UPDATE SET count = {new_count}")


def _bump(kind: str, subject_id: int, start: datetime, campaign_id: int, region_id: int, step: int = 1,
          count: int | None = None) -> None:
    driver_rows(_bump_sql(dialect_name(), count is not None),
                (kind, subject_id, start, campaign_id, region_id, count if count is not None else step))


def _chain_bump(chain: Chain, kind: str, subject_id: int, start: datetime, campaign_id: int, region_id: int, *,
                condition: str, count: int | None = None, extra: str = "", extra_params: tuple = ()) -> str:
    """:func:`_bump` as a part of ``chain`` (PostgreSQL) that runs under ``condition`` (and
    ``extra``); the part's name (it returns its row)."""
    name = chain.fresh("aw")
    new_count = "excluded.count" if count is not None else "activity_window.count + excluded.count"
    # the condition, its extra and the count's expression come from the code; the values are bound (B608)
    chain.add(name, "INSERT INTO activity_window (kind, subject_id, window_start, campaign_id, region_id, count) "  # nosec B608
              "SELECT %s::varchar, %s::integer, %s::timestamptz, %s::integer, %s::integer, %s::integer "
              f"WHERE {condition}{extra} ON CONFLICT (kind, subject_id, region_id, window_start) "
              f"DO UPDATE SET count = {new_count} RETURNING 1",
              (kind, subject_id, start, campaign_id, region_id, count if count is not None else 1, *extra_params))
    return name


def purchase_written(purchase: Purchase, *, old: str | None, new: str, chain: Chain | None = None,
                     guard: str = "", after: str | None = None, earlier_logged: Iterable[datetime] = ()) -> str | None:
    """A logged purchase counts at its shop, and in the buyer's period once it reaches the ASN
    burst threshold (``earlier_logged``: when the buyer's other recent purchases were logged). A
    confirmation counts at its shop, and apart from it the confirmation of a first-time buyer's
    purchase (their only counted purchase of the campaign: the ring's pattern). Other moves
    count nothing. With ``chain`` (PostgreSQL, before the write runs) as parts of its statement;
    returns the last part's name."""
    start = period_start(utcnow())
    bumps: list[tuple] = []  # (kind, subject, region, count, first-purchase check)
    if old is None:
        bumps.append(("log", purchase.shop_id, purchase.shop_region_id, None, False))
        mine = 1 + sum(period_start(moment) == start for moment in earlier_logged)
        if mine >= current_app.config["FLAG_BURST_ASN_PURCHASES"]:
            bumps.append(("asn", purchase.buyer_id, purchase.asn_region_id, mine, False))
    elif new == "confirmed":
        bumps.append(("confirm", purchase.shop_id, purchase.shop_region_id, None, False))
        bumps.append(("first", purchase.shop_id, purchase.shop_region_id, None, True))
    if chain is None:
        for kind, subject, region_id, count, first_only in bumps:
            if not first_only or _first_purchase(purchase):
                _bump(kind, subject, start, purchase.campaign_id, region_id, count=count)
        return None
    last = after
    for kind, subject, region_id, count, first_only in bumps:
        extra, extra_params = "", ()
        if first_only:  # the buyer's per-ASN tally as it will be: its row as the statement found it, plus this move
            extra = (" AND COALESCE((SELECT realized_count FROM tally WHERE campaign_id = %s AND dimension = 'asn' "
                     "AND key_id = %s), 0) + %s = 1")
            extra_params = (purchase.campaign_id, purchase.buyer_id, (new in REALIZED) - (old in REALIZED))
        last = _chain_bump(chain, kind, subject, start, purchase.campaign_id, region_id,
                           condition=chain.condition(guard, last), count=count, extra=extra, extra_params=extra_params)
    return last


def _first_purchase(purchase: Purchase) -> bool:
    """The buyer's per-ASN tally (already moved for this purchase) counts it alone."""
    found = database.rows(_buyer_count(), {"campaign_id": purchase.campaign_id, "buyer_id": purchase.buyer_id})
    return bool(found) and found[0][0] == 1


@functools.cache
def _buyer_count():
    return select(Tally.realized_count).where(Tally.campaign_id == bindparam("campaign_id"),
                                              Tally.dimension == "asn", Tally.key_id == bindparam("buyer_id"))


def signup_source(ip_address: str | None) -> int:
    """The 28-bit keyed hash of a client address (see :class:`~campaign.domains.trust.models.SignupSource`)."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, (ip_address or "").encode(), hashlib.sha256).hexdigest()
    return int(digest[:7], 16)


def record_signup(user_id: int, *, ip_address: str | None) -> None:
    """Remember an ASN account's sign-up source and count it in its period, in its own short
    transaction right after the sign-up (a failure here never loses the account)."""
    with write_transaction():
        user = db.session.get(User, user_id)
        if user is None or user.asn is None:
            return
        source, now = signup_source(ip_address), utcnow()
        db.session.add(SignupSource(user_id=user.id, source=source, region_id=user.asn.region_id, created_at=now))
        campaign = current_campaign()
        if campaign is not None:
            _bump("signup", source, period_start(now), campaign.id, user.asn.region_id)


def connect_signals() -> None:
    """Keep the burst counters with the purchases and sign-ups they count."""
    purchase_signals.purchase_written.connect(purchase_written)
    auth_signals.asn_signed_up.connect(record_signup)
