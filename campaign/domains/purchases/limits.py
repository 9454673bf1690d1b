"""Per-person limits on logging purchases and the duplicate guard.

Called by :func:`campaign.domains.purchases.services.log_purchase` inside its write transaction, before
the insert, so a check and its insert are one unit: on SQLite writers are serialized by
``BEGIN IMMEDIATE``; on PostgreSQL the caller first locks the buyer's ``user_account`` row
(``SELECT ... FOR UPDATE``, as it loads the buyer), so 20 requests from one ASN arriving together
are counted one after another and cannot pass a limit together.

Rules (defaults in :class:`campaign.core.config.Defaults`, ``None`` switches a limit off):

- the purchases an ASN logged on the same calendar day in the zone of the ASN's province
  (``campaign.core.clock``; the day of logging, whatever the purchase date), withdrawn ones
  excluded, may number at most ``PURCHASE_LIMIT_PER_DAY``, total at most
  ``PURCHASE_LIMIT_AMOUNT_PER_DAY`` rupiah, and at most ``PURCHASE_LIMIT_PER_SHOP_PER_DAY`` of them
  may be at one shop;
- the same shop, amount and purchase date as a purchase the ASN logged (and did not withdraw)
  less than ``DUPLICATE_WINDOW_MINUTES`` ago, under another ``client_ref`` or none, is a
  :class:`~campaign.core.errors.Duplicate` (a repeated ``client_ref`` keeps its meaning: the purchase
  already recorded is returned, by the caller or by the unique constraint).

The counting reads only the buyer's own recent rows through ``ix_purchase_buyer_created``.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, select, union_all

from campaign.core import clock, database
from campaign.core.errors import Duplicate, LimitExceeded
from campaign.core.extensions import db
from campaign.domains.auth.models import AsnProfile
from campaign.domains.purchases.models import Purchase
from campaign.domains.regions.models import Region
from campaign.util.formatting import as_utc, rupiah, tanggal


@dataclass(frozen=True)
class Recent:
    id: int
    shop_id: int
    amount: int
    purchased_on: date
    created_at: datetime
    client_ref: str | None


def buyer_zone(user_id: int) -> clock.Zone:
    """The zone of the buyer's region's province: a purchase's "today" and the per-day limits follow
    it (the deployment's zone for an account without an ASN profile, which is refused anyway)."""
    return clock.zone(db.session.scalar(select(Region.code).join(AsnProfile, AsnProfile.region_id == Region.id)
                                        .where(AsnProfile.user_id == user_id)))


def window_start(zone: clock.Zone, now: datetime) -> datetime:
    """Since when the buyer's rows count: the start of their day, or the duplicate window if longer."""
    window = timedelta(minutes=current_app.config["DUPLICATE_WINDOW_MINUTES"] or 0)
    return min(zone.day_start(now), now - window)


def recent_purchases(user_id: int, since: datetime, client_ref: str | None = None) -> tuple[list[Recent], int | None]:
    """In one statement: the buyer's purchases logged since ``since`` and not withdrawn, oldest first,
    and the id of the one (any status, any age) already recorded under ``client_ref``, if any."""
    params = {"user_id": user_id, "since": since, **({"client_ref": client_ref} if client_ref else {})}
    found = {row[0]: (Recent(*row[:6]), row[6]) for row in database.rows(_recent_statement(bool(client_ref)), params)}
    rows = sorted(found.values(), key=lambda pair: (as_utc(pair[0].created_at), pair[0].id))
    repeated = next((recent.id for recent, _status in rows if client_ref and recent.client_ref == client_ref), None)
    return [recent for recent, status in rows if status != "withdrawn" and as_utc(recent.created_at) >= since], repeated


@functools.cache
def _recent_statement(with_client_ref: bool):
    """Built once per variant (building it took about as long as running it). The repeated
    ``client_ref`` is a second arm of its own: an ``OR`` made both databases read every purchase the
    buyer ever logged (52 rows a buyer at 10M purchases, each a table lookup inside the write lock)
    instead of today's rows through ``ix_purchase_buyer_created`` and the client_ref's unique index."""
    columns = (Purchase.id, Purchase.shop_id, Purchase.amount, Purchase.purchased_on, Purchase.created_at,
               Purchase.client_ref, Purchase.status)
    recent = select(*columns).where(Purchase.buyer_id == bindparam("user_id"),
                                    Purchase.created_at >= bindparam("since"), Purchase.status != "withdrawn")
    if not with_client_ref:
        return recent
    return union_all(recent, select(*columns).where(Purchase.buyer_id == bindparam("user_id"),
                                                    Purchase.client_ref == bindparam("client_ref")))


def check_new_purchase(*, rows: list[Recent], shop_id: int, amount: int, purchased_on: date,
                       zone: clock.Zone, now: datetime, client_ref: str | None = None) -> None:
    """Raise :class:`Duplicate` or :class:`LimitExceeded` per the module rules, over the buyer's
    ``rows`` (:func:`recent_purchases` since :func:`window_start`, read after the caller locked this
    buyer's row in the same transaction); "today" is ``zone``'s, the buyer's."""
    config = current_app.config
    window = timedelta(minutes=config["DUPLICATE_WINDOW_MINUTES"] or 0)
    today = zone.day_start(now)
    for row in rows:
        if (row.shop_id, row.amount, row.purchased_on) == (shop_id, amount, purchased_on) \
                and as_utc(row.created_at) > now - window and (client_ref is None or row.client_ref != client_ref):
            raise Duplicate(
                f"Belanja yang sama ({rupiah(amount)}, tanggal {tanggal(purchased_on)}) sudah tercatat "
                f"pada {clock.waktu(row.created_at)} sebagai belanja nomor {row.id}. Jika memang belanja lagi, "
                f"tunggu {config['DUPLICATE_WINDOW_MINUTES']} menit atau ubah jumlahnya.")
    _check_limits(config, [r for r in rows if as_utc(r.created_at) >= today], shop_id, amount)


def _check_limits(config, today: list[Recent], shop_id: int, amount: int) -> None:
    per_day, per_amount = config["PURCHASE_LIMIT_PER_DAY"], config["PURCHASE_LIMIT_AMOUNT_PER_DAY"]
    per_shop = config["PURCHASE_LIMIT_PER_SHOP_PER_DAY"]
    if per_day is not None and len(today) + 1 > per_day:
        raise LimitExceeded(f"Batas {per_day} catatan belanja per hari sudah tercapai. Lanjutkan besok.")
    if per_amount is not None and sum(r.amount for r in today) + amount > per_amount:
        left = max(per_amount - sum(r.amount for r in today), 0)
        message = f"Batas belanja {rupiah(per_amount)} per hari terlampaui; sisa hari ini {rupiah(left)}."
        raise LimitExceeded(message, fields={"amount": [message]})
    if per_shop is not None and sum(r.shop_id == shop_id for r in today) + 1 > per_shop:
        raise LimitExceeded(f"Batas {per_shop} catatan belanja per hari di toko yang sama sudah tercapai.")
