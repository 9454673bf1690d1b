"""Kebutuhan: buyer organisations post bulk needs, verified shops offer, deals become
institutional spend ("belanja lembaga") of the shop's region.

The quantity guard lives in the database: ``need.accepted_quantity`` is moved by every
acceptance with one ``UPDATE ... SET accepted_quantity = accepted_quantity + :q`` and a CHECK
keeps it at or below ``quantity``, so two acceptances at once can never over-commit a need.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.core.database import sql_list
from campaign.core.extensions import db
from campaign.core.money import SAFE_MAX
from campaign.domains.auth.models import User
from campaign.domains.regions.models import Region
from campaign.domains.shops.models import CATEGORIES, Shop
from campaign.domains.verification.models import VERIFICATION_STATUSES, Verifiable
from campaign.util.formatting import utcnow

BUYER_KINDS: dict[str, str] = {
    "social": "Organisasi sosial",
    "company": "Perusahaan",
    "government": "Kantor pemerintah",
    "hospital": "Rumah sakit / fasilitas kesehatan",
}
BUYER_STATUSES = VERIFICATION_STATUSES
NEED_STATUSES = {"open": "Terbuka", "closed": "Ditutup"}
OFFER_STATUSES: dict[str, str] = {
    "sent": "Terkirim",
    "accepted": "Diterima",
    "delivered": "Dikirim",
    "completed": "Selesai",
    "declined": "Tidak dipilih",
    "withdrawn": "Ditarik",
    "voided": "Dibatalkan koordinator",
}
ACCEPTED_STATES = ("accepted", "delivered", "completed")  # a deal: both sides see each other's WhatsApp
MAX_UNITS = 1_000_000  # the widest any setting may open a quantity (campaign.domains.needs.limits)
MAX_UNIT_PRICE = 100_000_000_000  # ... and a price, in rupiah


class BuyerOrganisation(Verifiable, db.Model):
    """A social organisation, company, government office or hospital that buys in bulk.
    Starts ``pending``; the coordinator of its region (or an admin) verifies or rejects it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(12))
    address: Mapped[str] = mapped_column(String(200))
    whatsapp: Mapped[str] = mapped_column(String(20))  # E.164
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    region: Mapped[Region] = relationship()

    __table_args__ = (
        CheckConstraint(f"status IN ({sql_list(BUYER_STATUSES)})", name="status"),
        CheckConstraint(f"kind IN ({sql_list(BUYER_KINDS)})", name="kind"),
    )

    @property
    def kind_label(self) -> str:
        return BUYER_KINDS[self.kind]


need_region = Table(
    "need_region", db.metadata,
    Column("need_id", ForeignKey("need.id", ondelete="CASCADE"), primary_key=True),
    Column("region_id", ForeignKey("region.id"), primary_key=True, index=True),
)


class Need(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyer_organisation.id"), index=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    category: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text, default="")
    quantity: Mapped[int] = mapped_column()
    unit: Mapped[str] = mapped_column(String(40))
    accepted_quantity: Mapped[int] = mapped_column(default=0)
    budget_min: Mapped[int] = mapped_column(BigInteger)
    budget_max: Mapped[int] = mapped_column(BigInteger)
    deadline: Mapped[date] = mapped_column(Date)
    delivery_place: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(8), default="open")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    buyer: Mapped[BuyerOrganisation] = relationship()
    regions: Mapped[list[Region]] = relationship(secondary=need_region, order_by=Region.code)

    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("accepted_quantity >= 0 AND accepted_quantity <= quantity", name="accepted_within_quantity"),
        CheckConstraint("budget_min >= 0 AND budget_max >= budget_min", name="budget_range"),
        CheckConstraint(f"budget_max <= {SAFE_MAX}", name="budget_safe"),
        CheckConstraint(f"category IN ({sql_list(CATEGORIES)})", name="category"),
        CheckConstraint(f"status IN ({sql_list(NEED_STATUSES)})", name="status"),
        Index("ix_need_status_category", "status", "category"),
    )

    @property
    def category_label(self) -> str:
        return CATEGORIES[self.category]

    @property
    def remaining(self) -> int:
        return self.quantity - self.accepted_quantity


class Offer(db.Model):
    """A shop's offer for a need: unit price, quantity, delivery date, message. One per shop and
    need. ``accepted_quantity`` is set when the buyer accepts (all or part of the offer)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id"), index=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"), index=True)
    shop_region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    unit_price: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int] = mapped_column()
    delivery_date: Mapped[date] = mapped_column(Date)
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="sent")
    accepted_quantity: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    void_reason: Mapped[str | None] = mapped_column(Text)
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    voided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    need: Mapped[Need] = relationship()
    shop: Mapped[Shop] = relationship()

    __table_args__ = (
        UniqueConstraint("need_id", "shop_id"),
        CheckConstraint("unit_price > 0", name="unit_price_positive"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("accepted_quantity IS NULL OR (accepted_quantity > 0 AND accepted_quantity <= quantity)",
                        name="accepted_within_offer"),
        CheckConstraint(f"status IN ({sql_list(OFFER_STATUSES)})", name="status"),
        # Bounds that keep unit_price x quantity computable in bigint, and every deal within SAFE_MAX.
        CheckConstraint(f"unit_price <= {MAX_UNIT_PRICE} AND quantity <= {MAX_UNITS}", name="within_bounds"),
        CheckConstraint(f"accepted_quantity IS NULL OR unit_price * accepted_quantity <= {SAFE_MAX}",
                        name="deal_safe"),
    )

    @property
    def status_label(self) -> str:
        return OFFER_STATUSES[self.status]

    @property
    def deal_amount(self) -> int | None:
        """Rupiah of the deal (unit price times the accepted quantity), once accepted."""
        return None if self.accepted_quantity is None else self.unit_price * self.accepted_quantity


class InstitutionalTally(db.Model):
    """Completed deals per campaign and shop region: institutional spend ("belanja lembaga"),
    kept apart from the ASN spend in :class:`~campaign.domains.tallies.models.Tally`."""

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), primary_key=True)
    amount: Mapped[int] = mapped_column(BigInteger, default=0)
    deals: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        CheckConstraint(f"amount >= 0 AND amount <= {SAFE_MAX} AND deals >= 0", name="within_safe_max"),
    )
