"""What trust keeps: burst counters, flag reviews and bulk voids."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.util.formatting import utcnow


class ActivityWindow(db.Model):
    """How many purchases were logged at a shop (``kind="log"``), confirmed by a shop
    (``"confirm"``), logged by one ASN (``"asn"``), or how many ASN accounts of a region were
    created from one source (``"signup"``) in one fixed period of ``FLAG_BURST_MINUTES`` starting
    at ``window_start`` (UTC). Moved in the same transaction as the purchase (or right after the
    sign-up); a row at or over its threshold is a burst flag (:mod:`campaign.domains.trust.flags`).
    ``"asn"`` rows are only written once the ASN reaches the threshold (its count comes from the
    rows the limits already read), so they stay few."""

    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    # shop id, the ASN's user id, or a sign-up source (see SignupSource)
    subject_id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    count: Mapped[int] = mapped_column(default=0)

    __table_args__ = (Index("ix_activity_window_region", "region_id", "kind", "count"),)


class SignupSource(db.Model):
    """Where an ASN account was created from, as little as that can be said: ``source`` is the first
    28 bits of an HMAC (keyed with the app's secret) of the client's IP address. It cannot be
    turned back into the address, only compared with other sign-ups; nothing else is kept."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    source: Mapped[int] = mapped_column()
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_signup_source_source", "source", "created_at"),)


class FlagReview(db.Model):
    """A coordinator or admin looked at a flag (``flag_key``, see :mod:`campaign.domains.trust.flags`)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    flag_key: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(Text, default="")
    reviewed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    reviewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    reviewed_by: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("campaign_id", "flag_key"),)


class BulkVoid(db.Model):
    """One bulk void: the selection, the reason, and per purchase what it was before (``items``:
    ``[{"id", "status", "reason", "decided_by_id", "decided_at"}]``), so it can be undone."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    selection: Mapped[dict] = mapped_column(JSON)
    items: Mapped[list] = mapped_column(JSON)
    purchase_count: Mapped[int] = mapped_column()
    amount: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)

    actor: Mapped[User] = relationship(foreign_keys=[actor_id])
