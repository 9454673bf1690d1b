"""A roster change moves the verified spend: when ASN come onto an active roster entry or leave
it (:data:`campaign.domains.roster.signals.standing_changed`), their purchases' ``buyer_on_roster``
follows, and the tallies of their confirmed purchases move, in the roster change's transaction."""
from __future__ import annotations

from sqlalchemy import select, update

from campaign.core.extensions import db
from campaign.domains.purchases.models import Purchase
from campaign.domains.roster.signals import standing_changed
from campaign.domains.tallies import moves as tallies

BUYERS_PER_STATEMENT = 1_000
MOVED_COLUMNS = (Purchase.id, Purchase.status, Purchase.amount, Purchase.campaign_id, Purchase.buyer_id,
                 Purchase.shop_id, Purchase.asn_region_id, Purchase.shop_region_id, Purchase.agency_id,
                 Purchase.asn_province, Purchase.shop_province, Purchase.purchased_on, Purchase.buyer_on_roster)


def move_standing(_sender=None, *, on: list[int], off: list[int]) -> int:
    """Set ``buyer_on_roster`` of the purchases of ``on`` (True) and ``off`` (False) and move the
    tallies; returns the purchases changed. The purchase rows are locked in id order first (as a
    shop's "Konfirmasi semua" locks them), then updated; the tallies are written in one batch in
    the global row order, so this transaction cannot deadlock with purchases moving meanwhile."""
    changed = []
    for flag, user_ids in ((True, on), (False, off)):
        for start in range(0, len(user_ids), BUYERS_PER_STATEMENT):
            buyers = user_ids[start:start + BUYERS_PER_STATEMENT]
            which = (Purchase.buyer_id.in_(buyers), Purchase.buyer_on_roster.is_not(flag))
            db.session.execute(select(Purchase.id).where(*which).order_by(Purchase.id).with_for_update()).all()
            changed += db.session.execute(update(Purchase).where(*which).values(buyer_on_roster=flag)
                                          .returning(*MOVED_COLUMNS)
                                          .execution_options(synchronize_session=False)).all()
    tallies.move_roster(changed)
    for loaded in [obj for obj in db.session.identity_map.values() if isinstance(obj, Purchase)]:
        db.session.expire(loaded, ["buyer_on_roster"])  # loaded before now: the old flag
    return len(changed)


def connect_signals() -> None:
    standing_changed.connect(move_standing)
