"""Shops: registration by an owner, verification by the region's coordinator, lookups."""
from __future__ import annotations

import re
from urllib.parse import quote

from campaign.core import audit
from campaign.core.database import get_or_not_found, write_transaction
from campaign.core.errors import NotFound, PermissionDenied, ValidationFailed
from campaign.core.extensions import db
from campaign.core.validation import require_text
from campaign.domains.auth.models import User
from campaign.domains.auth.validation import clean_phone
from campaign.domains.regions.districts import resolve_district
from campaign.domains.regions.models import Region
from campaign.domains.regions.services import region_by_code
from campaign.domains.shops import signals
from campaign.domains.shops.models import CATEGORIES, Shop
from campaign.domains.verification.services import decide, rejection_reason


def clean_nib(value: str | None) -> str | None:
    """Optional NIB: empty or exactly 13 digits."""
    nib = re.sub(r"\s", "", value or "")
    if not nib:
        return None
    if not nib.isdigit() or len(nib) != 13:
        message = "NIB harus 13 digit angka (boleh dikosongkan)."
        raise ValidationFailed(message, fields={"nib": [message]})
    return nib


def register_shop(*, owner: User, name: str, category: str, region_code: str, district: str,
                  village: str, street: str, whatsapp: str, description: str = "", products: str = "",
                  nib: str | None = None, covid_affected: bool = False) -> Shop:
    """Register a shop for ``owner``; it starts ``pending`` until the region's coordinator decides.

    ``district`` is one of the region's kecamatan, by code (``73.73.01``) or name (see
    :func:`~campaign.domains.regions.districts.resolve_district`)."""
    if category not in CATEGORIES:
        message = "Pilih kategori dari daftar."
        raise ValidationFailed(message, fields={"category": [message]})
    values = dict(
        name=require_text(name, "name", "Nama toko", 120),
        district=require_text(district, "district", "Kecamatan", 80),
        village=require_text(village, "village", "Kelurahan/desa", 80),
        street=require_text(street, "street", "Alamat jalan", 200),
        whatsapp=clean_phone(whatsapp),
        description=(description or "").strip()[:2000],
        products=(products or "").strip()[:2000],
        nib=clean_nib(nib),
        covid_affected=bool(covid_affected),
        category=category,
    )
    with write_transaction():
        region = region_by_code(region_code)
        kecamatan = resolve_district(region.id, values["district"])
        if kecamatan is not None:
            values["district"] = kecamatan.name
        owner = db.session.get(User, owner.id)
        shop = Shop(owner_id=owner.id, region_id=region.id, status="pending",
                    district_id=kecamatan.id if kecamatan else None, **values)
        db.session.add(shop)
        owner.is_shop_owner = True
        audit.record(actor=owner, action="shop.registered", entity=shop, region_id=region.id,
                     after={"name": shop.name, "status": "pending"})
        signals.shop_registered.send(shop)
    return shop


def get_shop(shop_id: int) -> Shop:
    return get_or_not_found(Shop, shop_id, "Toko tidak ditemukan.")


def get_verified_shop(shop_id: int) -> Shop:
    """A shop the public may see; pending and rejected shops are 404 to them."""
    shop = db.session.get(Shop, shop_id)
    if shop is None or not shop.is_verified:
        raise NotFound("Toko tidak ditemukan atau belum terverifikasi.")
    return shop


def verify_shop(*, actor: User, shop_id: int) -> Shop:
    """Mark a shop verified (its region's coordinator or an admin). A rejected shop may be
    verified later; verifying twice is a Conflict."""
    return decide(Shop, actor=actor, entity_id=shop_id, status="verified", reason=None, noun="Toko", action="shop",
                  then=signals.shop_decided.send)


def reject_shop(*, actor: User, shop_id: int, reason: str) -> Shop:
    """Reject a shop with a reason its owner sees."""
    reason = rejection_reason(reason, why=" agar pemilik toko tahu yang harus diperbaiki")
    return decide(Shop, actor=actor, entity_id=shop_id, status="rejected", reason=reason, noun="Toko", action="shop",
                  then=signals.shop_decided.send)


_ORDER_OPENING, _ORDER_CLOSING = quote("Halo "), quote(", saya ingin memesan. (Dari Belanja Warung Tetangga)")


def whatsapp_order_url(shop: Shop) -> str:
    """``https://wa.me/62...?text=...`` with a prefilled Indonesian order message (the fixed words
    quoted once: a directory page builds twenty of these)."""
    return f"https://wa.me/{shop.whatsapp.lstrip('+')}?text={_ORDER_OPENING}{quote(shop.name)}{_ORDER_CLOSING}"


def can_manage_shop(user, shop) -> bool:
    """The owner, the region's coordinator and admins may see a shop before it is verified and
    print its poster. ``shop`` is anything with ``owner_id`` and ``region_id``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.id == shop.owner_id or user.coordinates(shop.region_id)


def shop_to_decide(*, actor: User, shop_id: int) -> Shop:
    """The shop if ``actor`` may verify or reject it; raises NotFound or PermissionDenied."""
    shop = get_shop(shop_id)
    if not actor.coordinates(shop.region_id):
        raise PermissionDenied("Hanya koordinator wilayah toko ini atau admin yang dapat memutuskan.")
    return shop


def queue_region_for(*, actor: User, region_code: str | None) -> Region | None:
    """The region whose verification queue ``actor`` asked for.

    A coordinator always gets their own region and PermissionDenied for any other code; an admin
    gets the asked region (NotFound for an unknown code) or None, meaning every region.
    """
    if actor.is_admin:
        if region_code and not actor.covers(region_code):
            raise PermissionDenied("Wilayah itu di luar provinsi Anda.")
        return region_by_code(region_code) if region_code else None
    own = db.session.get(Region, actor.coordinator_region_id) if actor.coordinator_region_id else None
    if own is None or (region_code and region_code != own.code):
        raise PermissionDenied("Anda hanya dapat melihat antrean verifikasi wilayah Anda sendiri.")
    return own
