from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from campaign.core.database import sql_list
from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.regions.models import Region
from campaign.domains.verification.models import VERIFICATION_STATUSES, Verifiable
from campaign.util.formatting import utcnow
from campaign.web import markers

CATEGORIES: dict[str, str] = {
    "sembako": "Warung kelontong/sembako",
    "kuliner": "Kuliner",
    "kue": "Kue & jajanan",
    "kopi": "Kopi",
    "fesyen": "Fesyen & konveksi (termasuk APD)",
    "tenun": "Tenun & sutra",
    "kriya": "Kriya",
    "tani": "Hasil tani & perikanan",
    "oleh_oleh": "Oleh-oleh",
    "kosmetik": "Kosmetik & herbal",
    "jasa": "Jasa",
    "lainnya": "Lainnya",
}

SHOP_STATUSES = VERIFICATION_STATUSES


def name_key(name: str) -> str:
    """What the directory sorts shops by: the name without case."""
    return name.lower()


class Shop(Verifiable, db.Model):
    """A warung, kios or KUMKM producer. Starts ``pending``; a coordinator verifies or rejects it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(120))  # lower(name): the directory's order, by index
    category: Mapped[str] = mapped_column(String(16))
    district: Mapped[str] = mapped_column(String(80))  # kecamatan, its name (copied from district_id's row)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"), index=True)
    village: Mapped[str] = mapped_column(String(80))  # kelurahan/desa
    street: Mapped[str] = mapped_column(String(200))
    whatsapp: Mapped[str] = mapped_column(String(20))  # E.164
    description: Mapped[str] = mapped_column(Text, default="")
    products: Mapped[str] = mapped_column(Text, default="")
    nib: Mapped[str | None] = mapped_column(String(13))
    covid_affected: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    region: Mapped[Region] = relationship()

    __table_args__ = (
        CheckConstraint(f"status IN ({sql_list(SHOP_STATUSES)})", name="status"),
        CheckConstraint(f"category IN ({sql_list(CATEGORIES)})", name="category"),
        CheckConstraint("nib IS NULL OR length(nib) = 13", name="nib_length"),
        Index("ix_shop_region_status", "region_id", "status"),
        # The directory lists verified shops by name (then id), also within a region, kecamatan or category.
        Index("ix_shop_directory", "status", "name_key", "id"),
        Index("ix_shop_directory_region", "region_id", "status", "name_key", "id"),
        Index("ix_shop_directory_category", "category", "status", "name_key", "id"),
        Index("ix_shop_directory_district", "district_id", "status", "name_key", "id"),
    )

    @validates("name")
    def _keep_name_key(self, _key: str, name: str) -> str:
        self.name_key = name_key(name)
        return name

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category, self.category)


markers.watch(Shop, lambda _obj: markers.SHOPS)  # the directory and the catalogue
