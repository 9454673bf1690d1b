"""Moving the burst counters (:class:`~campaign.domains.trust.models.ActivityWindow`) in the same
transaction as the purchase that is logged or confirmed, and after an ASN account is created."""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timezone

from flask import current_app
from sqlalchemy import bindparam, select

from campaign.core.database import dialect_insert, write_transaction
from campaign.core.extensions import db
from campaign.domains.auth import signals as auth_signals
from campaign.domains.auth.models import User
from campaign.domains.purchases import signals as purchase_signals
from campaign.domains.purchases.models import Purchase
from campaign.domains.regions.services import current_campaign
from campaign.domains.tallies.models import Tally
from campaign.domains.trust.models import ActivityWindow, SignupSource
from campaign.util.formatting import as_utc, utcnow


def period_start(moment: datetime) -> datetime:
    """The start of the fixed ``FLAG_BURST_MINUTES`` period holding ``moment`` (UTC)."""
    seconds = current_app.config["FLAG_BURST_MINUTES"] * 60
    stamp = int(as_utc(moment).timestamp())
    return datetime.fromtimestamp(stamp - stamp % seconds, timezone.utc)


_STATEMENTS: dict[tuple[str, bool], object] = {}


def _statement(dialect: str, absolute: bool):
    """``INSERT ... ON CONFLICT DO UPDATE`` adding ``:count`` (or, ``absolute``, setting it), built
    once per database and kept: building it took longer than running it."""
    if (dialect, absolute) not in _STATEMENTS:
        table = ActivityWindow.__table__
        statement = dialect_insert(table).values(
            kind=bindparam("kind"), subject_id=bindparam("subject_id"), window_start=bindparam("window_start"),
            campaign_id=bindparam("campaign_id"), region_id=bindparam("region_id"), count=bindparam("count"))
        new_count = statement.excluded.count if absolute else table.c.count + statement.excluded.count
        _STATEMENTS[(dialect, absolute)] = statement.on_conflict_do_update(
            index_elements=[table.c.kind, table.c.subject_id, table.c.region_id, table.c.window_start],
            set_={"count": new_count})
    return _STATEMENTS[(dialect, absolute)]


def _bump(kind: str, subject_id: int, start: datetime, campaign_id: int, region_id: int, step: int = 1,
          count: int | None = None) -> None:
    statement = _statement(db.session.get_bind().dialect.name, count is not None)
    db.session.execute(statement, {"kind": kind, "subject_id": subject_id, "window_start": start,
                                   "campaign_id": campaign_id, "region_id": region_id,
                                   "count": count if count is not None else step})


def purchase_logged(purchase: Purchase, *, earlier_logged: list[datetime]) -> None:
    """Count the purchase at its shop; record the buyer's period once it reaches the ASN burst
    threshold (``earlier_logged``: when the buyer's other recent purchases were logged)."""
    start = period_start(utcnow())
    _bump("log", purchase.shop_id, start, purchase.campaign_id, purchase.shop_region_id)
    mine = 1 + sum(period_start(moment) == start for moment in earlier_logged)
    if mine >= current_app.config["FLAG_BURST_ASN_PURCHASES"]:
        _bump("asn", purchase.buyer_id, start, purchase.campaign_id, purchase.asn_region_id, count=mine)


def purchase_changed(purchase: Purchase, *, old: str | None) -> None:
    """Count a confirmation at its shop, and apart from it the confirmation of a first-time
    buyer's purchase (their only counted purchase of the campaign: the ring's pattern). Other
    moves count nothing."""
    if purchase.status != "confirmed":
        return
    start = period_start(utcnow())
    _bump("confirm", purchase.shop_id, start, purchase.campaign_id, purchase.shop_region_id)
    if _first_purchase(purchase):
        _bump("first", purchase.shop_id, start, purchase.campaign_id, purchase.shop_region_id)


def _first_purchase(purchase: Purchase) -> bool:
    """The buyer's per-ASN tally (already moved for this purchase) counts it alone."""
    return db.session.scalar(select(Tally.realized_count).where(
        Tally.campaign_id == purchase.campaign_id, Tally.dimension == "asn", Tally.key_id == purchase.buyer_id)) == 1


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
    purchase_signals.purchase_logged.connect(purchase_logged)
    purchase_signals.purchase_changed.connect(purchase_changed)
    auth_signals.asn_signed_up.connect(record_signup)
