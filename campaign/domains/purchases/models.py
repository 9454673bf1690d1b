from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.core.database import sql_list
from campaign.core.extensions import db
from campaign.core.money import SAFE_MAX
from campaign.domains.auth.models import User
from campaign.domains.regions.models import Agency, Campaign
from campaign.domains.shops.models import Shop
from campaign.domains.tallies.buckets import REALIZED
from campaign.util.formatting import utcnow

PURCHASE_STATUSES = {
    "reported": "Dilaporkan",
    "confirmed": "Dikonfirmasi toko",
    "disputed": "Dibantah toko",
    "voided": "Dibatalkan koordinator",
    "withdrawn": "Ditarik pembeli",
}


class Pledge(db.Model):
    """An ASN's promise to spend ``amount`` at local shops during one campaign (one per ASN).

    ``region_id``/``agency_id`` copy the ASN's profile when the pledge is made or changed, so
    the tallies can be recomputed from this row alone.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    campaign: Mapped[Campaign] = relationship()

    __table_args__ = (
        UniqueConstraint("campaign_id", "user_id"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(f"amount <= {SAFE_MAX}", name="amount_safe"),
    )


class Purchase(db.Model):
    """One purchase an ASN logged at a shop.

    ``reported`` -> ``confirmed`` | ``disputed`` (shop owner), ``voided`` (coordinator, from any
    live state), ``withdrawn`` (the ASN, while ``reported``). The ASN's region and agency and
    the shop's region are copied at logging time, so a later move does not rewrite history;
    ``asn_province`` and ``shop_province`` are those regions' provinces (the Kemendagri code as a
    number, 73), the keys of the tallies' province dimensions.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    # Foreign keys without index=True are the first column of a composite index below.
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"))
    asn_region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    shop_region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    asn_province: Mapped[int] = mapped_column()
    shop_province: Mapped[int] = mapped_column()
    amount: Mapped[int] = mapped_column(BigInteger)
    purchased_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    # A random token the form (or API client) sends, so a double tap on a slow connection
    # records one purchase, not two.
    client_ref: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10), default="reported")
    # the buyer's NIP is on an active roster entry (their profile's on_roster, kept current by the
    # roster's changes): only then does a confirmed purchase count as verified (tallies.buckets)
    buyer_on_roster: Mapped[bool] = mapped_column(default=False, server_default=false())
    status_reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    buyer: Mapped[User] = relationship(foreign_keys=[buyer_id])
    shop: Mapped[Shop] = relationship()
    agency: Mapped[Agency] = relationship()
    campaign: Mapped[Campaign] = relationship()

    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(f"amount <= {SAFE_MAX}", name="amount_safe"),
        CheckConstraint(f"status IN ({sql_list(PURCHASE_STATUSES)})", name="status"),
        UniqueConstraint("buyer_id", "client_ref"),  # also the index behind "my purchases"
        Index("ix_purchase_shop_status", "shop_id", "status"),
        # the buyer's purchases logged today: limits and duplicate guard (campaign.domains.purchases.limits)
        Index("ix_purchase_buyer_created", "buyer_id", "created_at"),
        # ordered like the coordinator's disputed list, so it reads only the rows it shows
        Index("ix_purchase_shop_region_status", "shop_region_id", "status", "purchased_on"),
    )

    @property
    def status_label(self) -> str:
        return PURCHASE_STATUSES[self.status]

    @property
    def is_realized(self) -> bool:
        return self.status in REALIZED
