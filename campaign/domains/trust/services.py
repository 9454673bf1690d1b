"""Bulk void with a dry run and an undo, and marking a flag reviewed.

Each function owns one write transaction (the preview only reads). A coordinator acts only in
their own region, an admin anywhere. A region's purchases are those whose shop or buyer is in it
(:mod:`campaign.domains.trust.selection`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from campaign.core import audit
from campaign.core.database import write_transaction
from campaign.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.purchases.models import Purchase
from campaign.domains.regions.models import Campaign, Region
from campaign.domains.regions.services import get_campaign, region_by_code
from campaign.domains.tallies import moves as tallies
from campaign.domains.trust.flags import region_flags
from campaign.domains.trust.models import BulkVoid, FlagReview
from campaign.domains.trust.selection import LIVE, Selection, flag_criteria, purchases_query, totals_query
from campaign.util.formatting import as_utc, rupiah, utcnow


@dataclass(frozen=True)
class Preview:
    """What a bulk void would do: ``count`` purchases worth ``amount`` rupiah; ``purchases``: the
    first ``PREVIEW_ROWS`` of them, oldest first."""

    region: Region
    campaign: Campaign
    selection: Selection
    count: int
    amount: int
    purchases: list[Purchase]


PREVIEW_ROWS = 50


def _scope(actor: User, region_code: str, campaign_id: int | None) -> tuple[User, Region, Campaign]:
    actor = db.session.get(User, actor.id)
    region = region_by_code(region_code)
    if actor is None or not actor.coordinates(region.id):
        raise PermissionDenied("Hanya koordinator wilayah ini atau admin yang dapat melakukannya.")
    return actor, region, get_campaign(campaign_id)


def _resolved(selection: Selection) -> Selection:
    if selection.is_empty():
        raise ValidationFailed("Pilih paling sedikit satu kriteria: toko, ASN, tanggal, status atau tanda.")
    if selection.status is not None and selection.status not in LIVE:
        raise ValidationFailed("Status harus reported, confirmed atau disputed.",
                               fields={"status": ["Status harus reported, confirmed atau disputed."]})
    if selection.date_from and selection.date_to and selection.date_from > selection.date_to:
        raise ValidationFailed("Tanggal awal setelah tanggal akhir.", fields={"date_to": ["Setelah tanggal awal."]})
    return flag_criteria(selection)


def preview_bulk_void(*, actor: User, region_code: str, selection: Selection,
                      campaign_id: int | None = None) -> Preview:
    """The dry run: count and rupiah of the live purchases the selection holds. Changes nothing."""
    actor, region, campaign = _scope(actor, region_code, campaign_id)
    query = purchases_query(campaign_id=campaign.id, region_id=region.id, selection=_resolved(selection))
    count, amount = db.session.execute(totals_query(query)).one()
    rows = list(db.session.scalars(query.order_by(Purchase.created_at, Purchase.id).limit(PREVIEW_ROWS)))
    return Preview(region, campaign, selection, count, int(amount), rows)


def bulk_void(*, actor: User, region_code: str, selection: Selection, reason: str,
              campaign_id: int | None = None) -> BulkVoid:
    """Void every live purchase of the selection with one reason, as one audited operation listing
    the ids; the tallies move in the same transaction. At most ``BULK_VOID_MAX_PURCHASES``."""
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationFailed("Tuliskan alasan pembatalan (minimal 5 karakter).",
                               fields={"reason": ["Tuliskan alasan pembatalan (minimal 5 karakter)."]})
    maximum = current_app.config["BULK_VOID_MAX_PURCHASES"]
    with write_transaction():
        actor, region, campaign = _scope(actor, region_code, campaign_id)
        query = purchases_query(campaign_id=campaign.id, region_id=region.id, selection=_resolved(selection))
        purchases = list(db.session.scalars(query.order_by(Purchase.id).limit(maximum + 1).with_for_update()))
        if not purchases:
            raise Conflict("Tidak ada belanja yang cocok dengan pilihan ini.")
        if len(purchases) > maximum:
            raise ValidationFailed(f"Lebih dari {maximum} belanja; persempit pilihan.")
        now = utcnow()
        items = [{"id": p.id, "status": p.status, "reason": p.status_reason, "decided_by_id": p.decided_by_id,
                  "decided_at": as_utc(p.decided_at).isoformat() if p.decided_at else None} for p in purchases]
        for p in purchases:
            p.status, p.status_reason, p.decided_by_id, p.decided_at = "voided", reason[:500], actor.id, now
        tallies.move_purchases([(p, item["status"], "voided") for p, item in zip(purchases, items)])
        operation = BulkVoid(campaign_id=campaign.id, region_id=region.id, actor_id=actor.id, reason=reason[:500],
                             selection=selection.as_json(), items=items, purchase_count=len(purchases),
                             amount=sum(p.amount for p in purchases), created_at=now)
        db.session.add(operation)
        audit.record(actor=actor, action="purchase.bulk_voided", entity=operation, region_id=region.id,
                     before={"statuses": {str(i["id"]): i["status"] for i in items}},
                     after={"status": "voided", "reason": reason[:500], "purchase_ids": [p.id for p in purchases],
                            "count": len(purchases), "amount": operation.amount, "selection": operation.selection})
    return operation


def undo_bulk_void(*, actor: User, bulk_void_id: int) -> BulkVoid:
    """Restore each purchase of a bulk void to its previous status (and decision), within
    ``BULK_VOID_UNDO_DAYS`` days; the tallies move back in the same transaction. Once only."""
    with write_transaction():
        operation = db.session.scalar(select(BulkVoid).where(BulkVoid.id == bulk_void_id).with_for_update())
        if operation is None:
            raise NotFound("Pembatalan massal tidak ditemukan.")
        actor = db.session.get(User, actor.id)
        if not actor.coordinates(operation.region_id):
            raise PermissionDenied("Hanya koordinator wilayah ini atau admin yang dapat membatalkannya.")
        if operation.undone_at is not None:
            raise Conflict("Pembatalan massal ini sudah diurungkan.")
        if not can_undo(operation):
            raise Conflict(f"Batas waktu urung ({current_app.config['BULK_VOID_UNDO_DAYS']} hari) sudah lewat.")
        before = {item["id"]: item for item in operation.items}
        purchases = list(db.session.scalars(select(Purchase).where(Purchase.id.in_(before))
                                            .order_by(Purchase.id).with_for_update()))
        purchases = [p for p in purchases if p.status == "voided"]
        for p in purchases:
            item = before[p.id]
            p.status, p.status_reason, p.decided_by_id = item["status"], item["reason"], item["decided_by_id"]
            p.decided_at = datetime.fromisoformat(item["decided_at"]) if item["decided_at"] else None
        tallies.move_purchases([(p, "voided", p.status) for p in purchases])
        operation.undone_at, operation.undone_by_id = utcnow(), actor.id
        audit.record(actor=actor, action="purchase.bulk_void_undone", entity=operation,
                     region_id=operation.region_id, before={"status": "voided"},
                     after={"statuses": {str(p.id): p.status for p in purchases}})
    return operation


def can_undo(operation: BulkVoid) -> bool:
    limit = timedelta(days=current_app.config["BULK_VOID_UNDO_DAYS"])
    return operation.undone_at is None and utcnow() - as_utc(operation.created_at) <= limit


def get_bulk_void(*, actor: User, bulk_void_id: int) -> BulkVoid:
    operation = db.session.get(BulkVoid, bulk_void_id)
    if operation is None:
        raise NotFound("Pembatalan massal tidak ditemukan.")
    if not db.session.get(User, actor.id).coordinates(operation.region_id):
        raise PermissionDenied("Hanya koordinator wilayah ini atau admin yang dapat melihatnya.")
    return operation


def recent_bulk_voids(*, actor: User, region_code: str, limit: int = 20) -> list[BulkVoid]:
    _actor, region, _campaign = _scope(actor, region_code, None)
    return list(db.session.scalars(select(BulkVoid).where(BulkVoid.region_id == region.id)
                                   .order_by(BulkVoid.created_at.desc()).limit(limit)))


def review_flag(*, actor: User, region_code: str, flag_key: str, note: str = "",
                campaign_id: int | None = None) -> FlagReview:
    """Mark one of the region's current flags reviewed, with an optional note; audited. The flag
    stays listed (as reviewed) and no total changes."""
    note = (note or "").strip()[:500]
    with write_transaction():
        actor, region, campaign = _scope(actor, region_code, campaign_id)
        if flag_key not in {f.key for f in region_flags(campaign_id=campaign.id, region_id=region.id)}:
            raise NotFound("Tanda ini tidak ada (lagi) di wilayah ini.")
        if db.session.scalar(select(FlagReview.id).where(FlagReview.campaign_id == campaign.id,
                                                         FlagReview.flag_key == flag_key)):
            raise Conflict("Tanda ini sudah ditinjau.")
        review = FlagReview(campaign_id=campaign.id, region_id=region.id, flag_key=flag_key, note=note,
                            reviewed_by_id=actor.id)
        db.session.add(review)
        audit.record(actor=actor, action="flag.reviewed", entity=review, region_id=region.id,
                     after={"flag": flag_key, "note": note})
    return review


def summary(operation: BulkVoid) -> str:
    return f"{operation.purchase_count} belanja senilai {rupiah(operation.amount)}"
