"""Taking back a confirmation: the owner's "Konfirmasi" is one tap, so a wrong tap can be undone
("Batalkan") for ``CONFIRM_UNDO_MINUTES`` by the owner who made it. Confirming tells nobody, so
nothing sent has to be called back; the tallies move back exactly as they moved."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from campaign.core import audit
from campaign.core.database import write_transaction
from campaign.core.errors import Conflict, NotFound, PermissionDenied
from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.purchases import signals
from campaign.domains.purchases.models import Purchase
from campaign.domains.tallies import moves as tallies
from campaign.util.formatting import as_utc, utcnow


def undo_window() -> timedelta:
    return timedelta(minutes=current_app.config["CONFIRM_UNDO_MINUTES"])


def undo_confirmation(*, actor: User, purchase_id: int) -> Purchase:
    """Move a purchase the actor confirmed back to ``reported``. Rules: the actor owns the shop
    (PermissionDenied) and made the confirmation; it is still ``confirmed``, less than
    ``CONFIRM_UNDO_MINUTES`` ago (Conflict otherwise). Tallies and audit move in one transaction."""
    with write_transaction():
        purchase = db.session.scalar(select(Purchase).where(Purchase.id == purchase_id).with_for_update())
        if purchase is None:
            raise NotFound("Belanja tidak ditemukan.")
        if purchase.shop.owner_id != actor.id:
            raise PermissionDenied("Hanya pemilik toko tempat belanja yang dapat membatalkan konfirmasinya.")
        if (purchase.status != "confirmed" or purchase.decided_by_id != actor.id or purchase.decided_at is None
                or utcnow() - as_utc(purchase.decided_at) > undo_window()):
            raise Conflict("Konfirmasi ini tidak dapat dibatalkan lagi (batasnya "
                           f"{current_app.config['CONFIRM_UNDO_MINUTES']} menit setelah konfirmasi).")
        decided_at = purchase.decided_at
        purchase.status, purchase.decided_by_id, purchase.decided_at = "reported", None, None
        tallies.move_purchase(purchase, "confirmed", "reported")
        signals.purchase_changed.send(purchase, old="confirmed")
        audit.record(actor=db.session.get(User, actor.id), action="purchase.confirmation_undone", entity=purchase,
                     region_id=purchase.shop_region_id,
                     before={"status": "confirmed", "decided_at": as_utc(decided_at).isoformat()},
                     after={"status": "reported"})
    return purchase
