"""Buyer organisations: sign-up by any account, verification by the region's coordinator or an
admin, exactly as shops are verified (the pattern a training organiser could reuse)."""
from __future__ import annotations

from sqlalchemy import select

from campaign.core import audit
from campaign.core.database import get_or_not_found, write_transaction
from campaign.core.errors import PermissionDenied, ValidationFailed
from campaign.core.extensions import db
from campaign.core.validation import require_text
from campaign.domains.auth.models import User
from campaign.domains.auth.validation import clean_phone
from campaign.domains.buyers import signals
from campaign.domains.needs.models import BUYER_KINDS, BuyerOrganisation
from campaign.domains.regions.services import region_by_code
from campaign.domains.verification.services import decide, rejection_reason


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
        signals.buyer_registered.send(buyer)
    return buyer


def buyer_to_decide(*, actor: User, buyer_id: int) -> BuyerOrganisation:
    """The organisation a verification page shows, to its region's coordinator or an admin.
    Raises NotFound, PermissionDenied."""
    buyer = get_or_not_found(BuyerOrganisation, buyer_id, "Lembaga tidak ditemukan.")
    if not actor.coordinates(buyer.region_id):
        raise PermissionDenied("Hanya koordinator wilayah lembaga ini atau admin yang dapat memutuskan.")
    return buyer


def verify_buyer(*, actor: User, buyer_id: int) -> BuyerOrganisation:
    """Its region's coordinator or an admin verifies a buyer organisation; twice is a Conflict."""
    return decide(BuyerOrganisation, actor=actor, entity_id=buyer_id, status="verified", reason=None, noun="Lembaga",
                  action="buyer", then=signals.buyer_decided.send)


def reject_buyer(*, actor: User, buyer_id: int, reason: str) -> BuyerOrganisation:
    reason = rejection_reason(reason, why="")
    return decide(BuyerOrganisation, actor=actor, entity_id=buyer_id, status="rejected", reason=reason, noun="Lembaga",
                  action="buyer", then=signals.buyer_decided.send)


def pending_buyers(region_id: int | None) -> list[BuyerOrganisation]:
    """Oldest first; ``region_id`` None: every region (admins)."""
    statement = select(BuyerOrganisation).where(BuyerOrganisation.status == "pending")
    if region_id is not None:
        statement = statement.where(BuyerOrganisation.region_id == region_id)
    return list(db.session.scalars(statement.order_by(BuyerOrganisation.id)))
