from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from campaign.core.extensions import db
from campaign.util.formatting import utcnow

KINDS = {
    "shop.verified": "Toko terverifikasi",
    "shop.rejected": "Toko ditolak",
    "shop.registered": "Toko baru menunggu verifikasi",
    "purchase.disputed": "Belanja dibantah toko",
    "purchase.voided": "Belanja dibatalkan koordinator",
    "buyer.registered": "Lembaga baru menunggu verifikasi",
    "buyer.verified": "Lembaga terverifikasi",
    "buyer.rejected": "Lembaga ditolak",
    "offer.received": "Penawaran masuk",
    "offer.accepted": "Penawaran diterima",
    "offer.declined": "Penawaran tidak dipilih",
    "offer.delivered": "Barang diterima pembeli",
    "offer.completed": "Pengiriman dikonfirmasi toko",
    "offer.voided": "Transaksi lembaga dibatalkan koordinator",
    "offer.restored": "Pembatalan transaksi lembaga diurungkan",
    "training.registered": "Terdaftar di pelatihan",
    "training.reminder": "Pengingat pelatihan besok",
    "training.cancelled": "Pelatihan dibatalkan",
}


class Notification(db.Model):
    """A message for one user; ``read_at`` None until they mark it read."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(300))  # a path on this site
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # the user's list (newest first) and the unread count read through this index
    __table_args__ = (Index("ix_notification_user_read", "user_id", "read_at", "id"),)

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)
