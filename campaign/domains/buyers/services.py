"""Buyer organisations: sign-up by any account, verification by the region's coordinator or an
admin, exactly as shops are verified (the pattern a training organiser could reuse)."""
from __future__ import annotations

from sqlalchemy import select

from campaign.core import audit
from campaign.core.database import write_transaction
from campaign.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from campaign.core.extensions import db
from campaign.core.validation import require_text
from campaign.domains.auth.models import User
from campaign.domains.auth.validation import clean_phone
from campaign.domains.needs.models import BUYER_KINDS, BuyerOrganisation
from campaign.domains.regions.services import region_by_code
from campaign.util.formatting import utcnow


def register_buyer(*, owner: User, name: str, kind: str, region_code: str, address: str, whatsapp: str,
                   description: str = "") -> BuyerOrganisation:
    """Register a buyer organisation for ``owner``; it starts ``pending``."""
    if kind not in BUYER_KINDS:
        raise ValidationFailed("Pilih jenis lembaga dari daftar.", fields={"kind": ["Pilih jenis lembaga dari daftar."]})
    values = dict(name=require_text(name, "name", "Nama lembaga", 160),
                  address=require_text(address, "address", "Alamat", 200), whatsapp=clean_phone(whatsapp),
                  description=(description or "").strip()[:2000], kind=kind)
    with write_transaction():
        region = region_by_code(region_code)
        buyer = BuyerOrganisation(owner_id=owner.id, region_id=region.id, status="pending", **values)
        db.session.add(buyer)
        audit.record(actor=db.session.get(User, owner.id), action="buyer.registered", entity=buyer,
                     region_id=region.id, after={"name": buyer.name, "kind": kind, "status": "pending"})
    return buyer


def _decide(*, actor: User, buyer_id: int, status: str, reason: str | None) -> BuyerOrganisation:
    with write_transaction():
        buyer = db.session.scalar(select(BuyerOrganisation).where(BuyerOrganisation.id == buyer_id).with_for_update())
        if buyer is None:
            raise NotFound("Lembaga tidak ditemukan.")
        if not actor.coordinates(buyer.region_id):
            raise PermissionDenied("Hanya koordinator wilayah lembaga ini atau admin yang dapat memutuskan.")
        if buyer.status == status:
            raise Conflict(f"Lembaga ini sudah berstatus {buyer.status_label.lower()}.")
        before = {"status": buyer.status, "rejection_reason": buyer.rejection_reason}
        buyer.status, buyer.rejection_reason = status, reason
        buyer.decided_at, buyer.decided_by_id = utcnow(), actor.id
        audit.record(actor=actor, action=f"buyer.{status}", entity=buyer, region_id=buyer.region_id,
                     before=before, after={"status": status, "rejection_reason": reason})
    return buyer


def verify_buyer(*, actor: User, buyer_id: int) -> BuyerOrganisation:
    """Its region's coordinator or an admin verifies a buyer organisation; twice is a Conflict."""
    return _decide(actor=actor, buyer_id=buyer_id, status="verified", reason=None)


def reject_buyer(*, actor: User, buyer_id: int, reason: str) -> BuyerOrganisation:
    reason = (reason or "").strip()
    if len(reason) < 5:
        message = "Tuliskan alasan penolakan (minimal 5 karakter)."
        raise ValidationFailed(message, fields={"reason": [message]})
    return _decide(actor=actor, buyer_id=buyer_id, status="rejected", reason=reason[:500])


def pending_buyers(region_id: int | None) -> list[BuyerOrganisation]:
    """Oldest first; ``region_id`` None: every region (admins)."""
    statement = select(BuyerOrganisation).where(BuyerOrganisation.status == "pending")
    if region_id is not None:
        statement = statement.where(BuyerOrganisation.region_id == region_id)
    return list(db.session.scalars(statement.order_by(BuyerOrganisation.id)))
