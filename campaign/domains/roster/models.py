"""Roster entries and the record of each import."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.core.extensions import db
from campaign.domains.regions.models import Region
from campaign.util.formatting import utcnow
from campaign.web import markers


class RosterEntry(db.Model):
    """One civil servant on a region's roster. The NIP is unique across the province (one
    entry per person); a retired entry (``active`` False) no longer lets anyone sign up.

    A region is roster-checked as soon as it has an entry (see :mod:`campaign.domains.roster.queries`).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    nip: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    agency_name: Mapped[str] = mapped_column(String(160))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    region: Mapped[Region] = relationship()

    __table_args__ = (
        CheckConstraint("length(nip) = 18", name="nip_length"),
        Index("ix_roster_entry_region_active", "region_id", "active"),
    )


class RosterImport(db.Model):
    """One import of a roster file, with its counts (the audit event points here)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)  # None: the province
    filename: Mapped[str] = mapped_column(String(200))
    added: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    refused: Mapped[int] = mapped_column(default=0)


# the region page shows whether a roster is loaded
markers.watch(RosterImport, lambda _obj: markers.REFERENCE)
markers.watch(RosterEntry, lambda _obj: markers.REFERENCE)
