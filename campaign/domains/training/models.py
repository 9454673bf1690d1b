from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.core.database import sql_list
from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.regions.models import Region
from campaign.domains.shops.models import Shop
from campaign.util.formatting import as_utc, utcnow

TOPICS: dict[str, str] = {
    "pemasaran_digital": "Pemasaran digital & WhatsApp Business",
    "keuangan": "Pembukuan & keuangan usaha",
    "produksi": "Produksi & mutu produk",
    "kemasan": "Kemasan & merek",
    "perizinan": "Perizinan (NIB, PIRT, halal)",
    "permodalan": "Akses permodalan",
    "apd": "Produksi APD & standar kesehatan",
    "lainnya": "Lainnya",
}
MODES = {"online": "Daring", "offline": "Tatap muka"}
# A seat is held while registered; attendance marks keep it (the training happened).
SEAT_STATUSES = {"registered": "Terdaftar", "cancelled": "Dibatalkan", "attended": "Hadir", "absent": "Tidak hadir"}
HOLDS_SEAT = frozenset({"registered", "attended", "absent"})


class Training(db.Model):
    """A training session for UMKM, for one region (``region_id``) or the whole province (None).

    ``seats_taken`` counts seats held (registrations not cancelled). It only moves through
    the conditional UPDATE in the services, and the CHECK below is the database's guard that
    two people taking the last seat at once cannot overfill it; ``check-tallies`` proves it
    against the seat rows.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    topic: Mapped[str] = mapped_column(String(24))
    description: Mapped[str] = mapped_column(Text, default="")
    mode: Mapped[str] = mapped_column(String(8))
    online_url: Mapped[str | None] = mapped_column(String(500))
    place: Mapped[str | None] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    capacity: Mapped[int] = mapped_column()
    seats_taken: Mapped[int] = mapped_column(default=0)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    organiser_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # None: going ahead
    cancel_reason: Mapped[str | None] = mapped_column(Text)

    region: Mapped[Region | None] = relationship()
    organiser: Mapped[User] = relationship()

    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats_within_capacity"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint(f"mode IN ({sql_list(MODES)})", name="mode"),
        CheckConstraint(f"topic IN ({sql_list(TOPICS)})", name="topic"),
        Index("ix_training_starts_at", "starts_at"),
    )

    @property
    def has_started(self) -> bool:
        return as_utc(self.starts_at) <= utcnow()

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class TrainingSeat(db.Model):
    """One shop's seat at one training. Cancelling keeps the row (status ``cancelled``) so a
    later sign-up reuses it; one row per (training, shop)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(ForeignKey("training.id"))
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="registered")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # the day-before reminder

    training: Mapped[Training] = relationship()
    shop: Mapped[Shop] = relationship()

    __table_args__ = (
        UniqueConstraint("training_id", "shop_id"),  # also the index for a training's seats
        CheckConstraint(f"status IN ({sql_list(SEAT_STATUSES)})", name="status"),
    )

    @property
    def status_label(self) -> str:
        return SEAT_STATUSES[self.status]
