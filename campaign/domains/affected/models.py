"""Pendataan UMKM Terdampak: how the pandemic hit each business, and the maintained totals.

A report belongs to a region. It is either an owner's report for one of their shops (at most one
per shop, updated in place) or a coordinator's field report for a business not on the platform.
Each report counts as one affected UMKM; its affected workers are the jobs lost
(``workers_before - workers_now``, never below zero).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.core.database import sql_list
from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.regions.models import Region
from campaign.domains.shops.models import CATEGORIES, Shop
from campaign.util.formatting import utcnow

BUSINESS_STATUSES: dict[str, str] = {
    "open": "Masih buka",
    "reduced": "Buka terbatas",
    "closed_temp": "Tutup sementara",
    "closed": "Tutup permanen",
}
REVENUE_DROPS: dict[str, str] = {
    "none": "Tidak turun",
    "lt25": "Turun kurang dari 25%",
    "25_50": "Turun 25-50%",
    "50_75": "Turun 50-75%",
    "gt75": "Turun lebih dari 75%",
}
NEEDS: dict[str, str] = {
    "capital": "Modal",
    "raw_materials": "Bahan baku",
    "market": "Pemasaran",
    "training": "Pelatihan",
    "apd": "APD",
    "other": "Lainnya",
}
SOURCES = {"owner": "Pemilik toko", "field": "Pendataan lapangan"}
MAX_WORKERS = 100_000


class AffectedReport(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shop.id"), unique=True)
    source: Mapped[str] = mapped_column(String(8))
    business_name: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(12))
    workers_before: Mapped[int] = mapped_column()
    workers_now: Mapped[int] = mapped_column()
    revenue_drop: Mapped[str] = mapped_column(String(8))
    main_need: Mapped[str] = mapped_column(String(16))
    reported_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    region: Mapped[Region] = relationship()
    shop: Mapped[Shop | None] = relationship()
    reported_by: Mapped[User] = relationship()

    __table_args__ = (
        CheckConstraint(f"source IN ({sql_list(SOURCES)})", name="source"),
        CheckConstraint(f"status IN ({sql_list(BUSINESS_STATUSES)})", name="status"),
        CheckConstraint(f"revenue_drop IN ({sql_list(REVENUE_DROPS)})", name="revenue_drop"),
        CheckConstraint(f"main_need IN ({sql_list(NEEDS)})", name="main_need"),
        CheckConstraint(f"category IN ({sql_list(CATEGORIES)})", name="category"),
        CheckConstraint(f"workers_before >= 0 AND workers_before <= {MAX_WORKERS}", name="workers_before"),
        CheckConstraint(f"workers_now >= 0 AND workers_now <= {MAX_WORKERS}", name="workers_now"),
        CheckConstraint("(source = 'owner') = (shop_id IS NOT NULL)", name="owner_reports_have_a_shop"),
    )

    @property
    def affected_workers(self) -> int:
        return max(self.workers_before - self.workers_now, 0)

    @property
    def status_label(self) -> str:
        return BUSINESS_STATUSES[self.status]

    @property
    def need_label(self) -> str:
        return NEEDS[self.main_need]

    @property
    def revenue_drop_label(self) -> str:
        return REVENUE_DROPS[self.revenue_drop]


class AffectedTally(db.Model):
    """Per region and bucket: ``("total", "")``, ``("status", <status>)``, ``("need", <need>)``."""

    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(8), primary_key=True)
    bucket: Mapped[str] = mapped_column(String(16), primary_key=True)
    businesses: Mapped[int] = mapped_column(default=0)
    affected_workers: Mapped[int] = mapped_column(default=0)
