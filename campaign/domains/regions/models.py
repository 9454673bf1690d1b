from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, DateTime, ForeignKey, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.core.extensions import db
from campaign.util.formatting import utcnow
from campaign.web import markers


class Region(db.Model):
    """A kabupaten/kota, keyed by its Kemendagri code (``73.73``); ``bps_code`` is BPS's (``7373``)
    and ``capital`` its seat, where the kept data knows them (None elsewhere).

    ``active`` is False for a code no longer in the data of the configured provinces: the row and
    its history stay, but it leaves the leaderboard and the lists people choose from.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    bps_code: Mapped[str | None] = mapped_column(String(8), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(80))
    capital: Mapped[str | None] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())

    __table_args__ = (CheckConstraint("kind IN ('Kabupaten', 'Kota')", name="kind"),)

    @property
    def full_name(self) -> str:
        return f"{self.kind} {self.name}"

    @property
    def province_code(self) -> str:
        return self.code.split(".")[0]

    @property
    def province_number(self) -> int:
        """The province code as a number (73): the key of the tallies' province dimensions."""
        return province_number(self.code)


def province_number(region_code: str) -> int:
    """The province of a region's code (``73.10`` -> 73) as a number, for a code read without its row."""
    return int(region_code.split(".")[0])


class District(db.Model):
    """A kecamatan, keyed by its Kemendagri code (``73.73.01``); loaded from the kept dataset.
    ``active`` as for :class:`Region`: a code gone from the data stays, no longer offered."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())


class Campaign(db.Model):
    """One run of the appeal, issued under an appeal letter; ``ends_on`` None means open-ended."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    appeal_letter_number: Mapped[str] = mapped_column(String(80))
    appeal_letter_date: Mapped[date] = mapped_column(Date)
    issuing_office: Mapped[str] = mapped_column(String(160))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="period"),
        UniqueConstraint("appeal_letter_number", "starts_on"),
    )

    def covers(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class Agency(db.Model):
    """An instansi/OPD in a region; ``name_key`` is the name folded for de-duplication."""

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    name_key: Mapped[str] = mapped_column(String(160))

    region: Mapped[Region] = relationship()

    __table_args__ = (UniqueConstraint("region_id", "name_key"),)


class RegionTarget(db.Model):
    """ASN headcount and spending target of one region in one campaign (the fair denominators)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    asn_headcount: Mapped[int] = mapped_column(default=0)
    target_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("campaign_id", "region_id"),
        CheckConstraint("asn_headcount >= 0", name="headcount_not_negative"),
        CheckConstraint("target_amount >= 0", name="target_not_negative"),
    )


# public pages show regions and campaigns (reference data); a target moves its campaign's figures
markers.watch(Region, lambda _obj: markers.REFERENCE)
markers.watch(Campaign, lambda _obj: markers.REFERENCE)
markers.watch(District, lambda _obj: markers.REFERENCE)  # the filters' kecamatan (regions.options)
markers.watch(RegionTarget, lambda obj: markers.campaign(obj.campaign_id) if obj.campaign_id is not None else None)
