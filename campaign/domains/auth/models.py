from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.core.extensions import db
from campaign.domains.regions.models import Agency, Region
from campaign.util.formatting import utcnow


class User(UserMixin, db.Model):
    """An account. Roles: ASN (has ``asn``), shop owner, coordinator of one region, admin: national
    (``admin_province`` None: every served province) or of one province (its Kemendagri code).

    Logs in by e-mail or by phone (E.164); at least one is set. ``session_version`` is part of
    the login session id, so changing the password logs out every other session.
    ``failed_logins`` and ``login_locked_until`` hold the per-account lockout (``auth.lockout``).
    """

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    session_version: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    login_locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    is_admin: Mapped[bool] = mapped_column(default=False)
    admin_province: Mapped[str | None] = mapped_column(String(2))  # a province admin's province; None: national
    is_shop_owner: Mapped[bool] = mapped_column(default=False)
    coordinator_region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    consent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    coordinator_region: Mapped[Region | None] = relationship()
    asn: Mapped[AsnProfile | None] = relationship(back_populates="user", uselist=False)

    __table_args__ = (
        CheckConstraint("email IS NOT NULL OR phone IS NOT NULL", name="has_login"),
    )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def is_asn(self) -> bool:
        return self.asn is not None

    @property
    def acts_for_shops(self) -> bool:
        """May use the shop owner's pages and endpoints (owners, and national admins who oversee them)."""
        return self.is_shop_owner or self.is_national_admin

    @property
    def is_national_admin(self) -> bool:
        """An admin of every served province (today's admins); a province admin is not."""
        return self.is_admin and self.admin_province is None

    @property
    def is_staff(self) -> bool:
        """A coordinator of some region, or an admin."""
        return self.is_admin or self.coordinator_region_id is not None

    def covers(self, region_code: str) -> bool:
        """Whether the region of that code is this user's to act on: a national admin's every
        region, a province admin's those of the province, a coordinator's own."""
        if self.is_admin:
            return self.admin_province is None or region_code.split(".")[0] == self.admin_province
        region = self.coordinator_region
        return region is not None and region.code == region_code

    def coordinates(self, region_id: int) -> bool:
        """True for the region's coordinator and for every admin whose scope holds it."""
        if self.is_admin and self.admin_province is not None:
            region = db.session.get(Region, region_id)
            return region is not None and region.province_code == self.admin_province
        return self.is_admin or self.coordinator_region_id == region_id

    @property
    def login_label(self) -> str:
        return self.email or self.phone or ""


class AsnProfile(db.Model):
    """The civil-servant side of a user: NIP (unique, stored as text), agency and region of work.
    ``on_roster``: the NIP is on an active roster entry (kept by the roster's changes; copied onto
    each purchase, whose verified spend needs it)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), unique=True)
    nip: Mapped[str] = mapped_column(String(18), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    on_roster: Mapped[bool] = mapped_column(default=False, server_default=false())

    user: Mapped[User] = relationship(back_populates="asn")
    agency: Mapped[Agency] = relationship()
    region: Mapped[Region] = relationship()

    __table_args__ = (CheckConstraint("length(nip) = 18", name="nip_length"),)


class ApiToken(db.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored; the token is shown once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class LoginFailure(db.Model):
    """Wrong passwords for a login that has no account, counted like an account's own
    (``auth.lockout``) so the lock and its message cannot tell whether an account exists. Keyed
    by an HMAC of the normalised login: no login typed by a stranger is stored readable."""

    login_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    login_locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
