"""A coordinator's void of a completed deal, and its undo.

Voiding takes the deal out of the institutional spend of the shop's region in the same
transaction; undoing it (within ``BULK_VOID_UNDO_DAYS`` days of the void, the rule of a bulk void's
undo) puts it back the same way, once the need's budget and the organisation's daily limit still
hold it. Both are audited, and both tell the buyer organisation and the shop's owner
(:data:`~campaign.domains.needs.signals.deal_voided`, ``deal_restored``). The need's accepted
quantity stays as it was throughout: a void does not reopen the need.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from campaign.core.database import write_transaction
from campaign.core.errors import Conflict, LimitExceeded, PermissionDenied, ValidationFailed
from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.needs import limits, signals, tally
from campaign.domains.needs.models import BuyerOrganisation, Need, Offer
from campaign.domains.needs.services import locked_offer, move_offer
from campaign.util.formatting import as_utc, utcnow


def _check_coordinator(actor: User, offer: Offer, what: str) -> None:
    if not db.session.get(User, actor.id).coordinates(offer.shop_region_id):
        raise PermissionDenied(f"Hanya koordinator wilayah toko, atau admin, yang dapat {what} transaksi.")


def void_deal(*, actor: User, offer_id: int, reason: str) -> Offer:
    """A coordinator of the shop's region (or an admin) voids a completed deal, with a reason:
    it leaves the institutional spend in the same transaction, is audited, and both parties hear."""
    reason = (reason or "").strip()
    if len(reason) < 5:
        message = "Tuliskan alasan pembatalan (minimal 5 karakter)."
        raise ValidationFailed(message, fields={"reason": [message]})
    with write_transaction():
        offer = locked_offer(offer_id)
        _check_coordinator(actor, offer, "membatalkan")
        if offer.status != "completed":
            raise Conflict("Hanya transaksi yang sudah selesai yang dapat dibatalkan.")
        offer.void_reason, offer.voided_by_id, offer.voided_at = reason[:500], actor.id, utcnow()
        move_offer(actor, offer, "voided", offer.shop_region_id, reason=offer.void_reason, amount=offer.deal_amount)
        tally.remove_deal(campaign_id=offer.need.campaign_id, region_id=offer.shop_region_id,
                          amount=offer.deal_amount)
        signals.deal_voided.send(offer)
    return offer


def undo_deadline(offer: Offer) -> datetime | None:
    """Until when the void of ``offer`` can be undone (None: it is not voided)."""
    if offer.status != "voided" or offer.voided_at is None:
        return None
    return as_utc(offer.voided_at) + timedelta(days=current_app.config["BULK_VOID_UNDO_DAYS"])


def can_undo(offer: Offer) -> bool:
    deadline = undo_deadline(offer)
    return deadline is not None and utcnow() <= deadline


def undo_void(*, actor: User, offer_id: int) -> Offer:
    """The coordinator of the shop's region (or an admin) undoes a deal's void within
    ``BULK_VOID_UNDO_DAYS`` days of it: the deal is completed again and back in the institutional
    spend in the same transaction, audited (before: the void's reason, who and when), and both
    parties hear. Conflict when it is not voided or the time is over; LimitExceeded when the need's
    budget or the organisation's limit for the deal's day no longer holds it."""
    try:
        with write_transaction():
            need_id, buyer_id = db.session.execute(select(Offer.need_id, Need.buyer_id).join(
                Need, Need.id == Offer.need_id).where(Offer.id == offer_id)).first() or (None, None)
            # the order an acceptance locks in: organisation, need, offer
            db.session.scalar(select(BuyerOrganisation.id).where(BuyerOrganisation.id == buyer_id).with_for_update())
            need = db.session.scalar(select(Need).where(Need.id == need_id).with_for_update())
            offer = locked_offer(offer_id)
            _check_coordinator(actor, offer, "mengurungkan pembatalan")
            if offer.status != "voided":
                raise Conflict("Hanya transaksi yang dibatalkan yang dapat diurungkan.")
            if not can_undo(offer):
                raise Conflict(f"Batas waktu urung ({current_app.config['BULK_VOID_UNDO_DAYS']} hari) sudah lewat.")
            limits.check_restored_deal(need=need, buyer_id=buyer_id, offer=offer)
            void = {"reason": offer.void_reason, "voided_by_id": offer.voided_by_id,
                    "voided_at": as_utc(offer.voided_at).isoformat()}
            offer.void_reason = offer.voided_by_id = offer.voided_at = None
            move_offer(actor, offer, "completed", offer.shop_region_id, amount=offer.deal_amount, undone_void=void)
            tally.add_deal(campaign_id=need.campaign_id, region_id=offer.shop_region_id, amount=offer.deal_amount)
            signals.deal_restored.send(offer)
    except IntegrityError:  # the CHECK behind add_deal's own check
        raise LimitExceeded("Belanja lembaga wilayah ini melebihi batas aman sistem; pembatalan tidak dapat "
                            "diurungkan. Hubungi admin provinsi.") from None
    return offer
