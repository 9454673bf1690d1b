"""Accounts: sign-up, authentication, passwords and role assignment."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from campaign.core import audit
from campaign.core.database import write_transaction
from campaign.core.errors import Conflict, InvalidCredentials, NotFound, PermissionDenied, ValidationFailed
from campaign.core.extensions import db
from campaign.core.validation import require_text
from campaign.domains.auth import lockout
from campaign.domains.auth.models import ApiToken, AsnProfile, User
from campaign.domains.auth.roster_gate import roster_gate
from campaign.domains.auth.validation import check_password, clean_nip, parse_login
from campaign.domains.regions.models import Region
from campaign.domains.regions.provinces import configured_provinces
from campaign.domains.regions.services import all_regions, find_or_add_agency, region_by_code
from campaign.util.formatting import utcnow


def hash_password(password: str) -> str:
    """Werkzeug's default method unless ``PASSWORD_HASH_METHOD`` says otherwise (tests use a cheap one)."""
    method = current_app.config.get("PASSWORD_HASH_METHOD")
    return generate_password_hash(password, method=method) if method else generate_password_hash(password)


# Checked against when the login is unknown, so both failures take the same time.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(8))
BAD_CREDENTIALS = "Login atau kata sandi salah."


def find_by_login(login: str) -> User | None:
    try:
        kind, value = parse_login(login)
    except ValidationFailed:
        return None
    column = User.email if kind == "email" else User.phone
    return db.session.scalar(select(User).where(column == value))


def _normalised(login: str) -> str:
    """The form a login is looked up in (e-mail lowercased, phone as E.164), else as typed."""
    try:
        return ":".join(parse_login(login))
    except ValidationFailed:
        return "raw:" + (login or "").strip().lower()[:254]


def authenticate(*, login: str, password: str) -> User:
    """The active user with that login and password; InvalidCredentials (one message) otherwise.

    Wrong passwords count towards the account's lockout; while it runs, AccountLocked (429) is
    raised before the password is looked at (rules in :mod:`.lockout`).
    """
    user = find_by_login(login)
    if user is None:
        # A login without an account meets the same lock, with the same message, as one with.
        lockout.check_unknown_not_locked(_normalised(login))
        check_password_hash(_DUMMY_HASH, password or "")
        lockout.record_unknown_failure(_normalised(login))
        raise InvalidCredentials(BAD_CREDENTIALS)
    known_device = lockout.known_device_for(user)
    if not known_device:
        lockout.check_not_locked(user)
    if not check_password_hash(user.password_hash, password or "") or not user.active:
        if known_device:
            lockout.spend_device_budget()
        lockout.record_failure(user.id)
        raise InvalidCredentials(BAD_CREDENTIALS)
    lockout.clear_failures(user)
    return user


def _new_user(*, name: str, login: str, password: str, consent: bool) -> User:
    name = require_text(name, "name", "Nama", 120)
    kind, value = parse_login(login)
    check_password(password)
    if not consent:
        message = "Anda perlu menyetujui pemberitahuan privasi untuk mendaftar."
        raise ValidationFailed(message, fields={"consent": [message]})
    column = User.email if kind == "email" else User.phone
    if db.session.scalar(select(User.id).where(column == value)) is not None:
        message = ("E-mail ini sudah terdaftar." if kind == "email" else "Nomor ini sudah terdaftar.") + \
            " Silakan masuk."
        raise Conflict(message, fields={"login": [message]})
    return User(name=name, password_hash=hash_password(password), consent_at=utcnow(),
                **{kind: value})


def sign_up_asn(*, name: str, nip: str, agency_name: str | None, region_code: str, login: str,
                password: str, consent: bool) -> User:
    """Create an ASN account.

    Where the NIP is on the ASN roster the account takes the entry's region and agency
    (``agency_name`` is ignored); in a roster-checked region the NIP must be on its active roster
    (the registered :mod:`~campaign.domains.auth.roster_gate`). Otherwise ``agency_name`` is required and
    matched loosely against the region's agencies (:func:`find_or_add_agency`).
    Raises ValidationFailed (shape, not on the roster) or Conflict (NIP/login taken).
    """
    nip = clean_nip(nip)
    with write_transaction():
        region = region_by_code(region_code)
        user = _new_user(name=name, login=login, password=password, consent=consent)
        if db.session.scalar(select(AsnProfile.id).where(AsnProfile.nip == nip)) is not None:
            message = "NIP ini sudah terdaftar. Jika ini NIP Anda, hubungi koordinator kabupaten/kota."
            raise Conflict(message, fields={"nip": [message]})
        entry = roster_gate().entry_for_sign_up(nip=nip, region=region)
        if entry is not None:
            region, agency_name = entry.region, entry.agency_name
        agency = find_or_add_agency(region_id=region.id,
                                    name=require_text(agency_name, "agency", "Instansi/OPD", 160))
        user.asn = AsnProfile(nip=nip, agency_id=agency.id, region_id=region.id, on_roster=entry is not None)
        db.session.add(user)
        _flush_unique()
        audit.record(actor=user, action="user.signed_up", entity=user, region_id=region.id,
                     after={"role": "asn", "agency": agency.name, "region": region.code,
                            "roster_checked": entry is not None})
    return user


def sign_up_shop_owner(*, name: str, login: str, password: str, consent: bool) -> User:
    with write_transaction():
        user = _new_user(name=name, login=login, password=password, consent=consent)
        user.is_shop_owner = True
        db.session.add(user)
        _flush_unique()
        audit.record(actor=user, action="user.signed_up", entity=user, after={"role": "shop_owner"})
    return user


def sign_up_organisation_account(*, name: str, login: str, password: str, consent: bool) -> User:
    """An account for someone who buys for an organisation: no role yet; registering the
    organisation (``buyers.register_buyer``) is their next step, as a shop is an owner's."""
    with write_transaction():
        user = _new_user(name=name, login=login, password=password, consent=consent)
        db.session.add(user)
        _flush_unique()
        audit.record(actor=user, action="user.signed_up", entity=user, after={"role": "organisation"})
    return user


def _flush_unique() -> None:
    """Turn a unique-constraint race (two sign-ups at once) into a Conflict, not a 500."""
    try:
        db.session.flush()
    except IntegrityError:
        raise Conflict("NIP atau login ini baru saja didaftarkan. Silakan masuk.") from None


def change_password(*, user: User, current_password: str, new_password: str) -> User:
    """Replace the password, log out every other session (``session_version`` moves on) and
    revoke the user's API tokens."""
    if not check_password_hash(user.password_hash, current_password or ""):
        message = "Kata sandi saat ini salah."
        raise ValidationFailed(message, fields={"current_password": [message]})
    check_password(new_password, "new_password")
    with write_transaction():
        user.password_hash = hash_password(new_password)
        user.session_version += 1
        db.session.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                           .values(revoked_at=utcnow()))
        audit.record(actor=user, action="user.password_changed", entity=user)
    return user


ROLES = ("admin", "coordinator")


def create_user(*, name: str, login: str, role: str, region_code: str | None = None,
                province_code: str | None = None, password: str | None = None) -> tuple[User, str]:
    """Create an admin or a coordinator (for the CLI). An admin with ``province_code`` (a served
    province) is that province's admin; without, national. Returns the user and the password used
    (generated when none is given)."""
    if role not in ROLES:
        raise ValidationFailed(f"Peran harus salah satu dari: {', '.join(ROLES)}.")
    if role == "coordinator" and not region_code:
        raise ValidationFailed("Koordinator memerlukan --region (kode Kemendagri, mis. 73.73).")
    if province_code is not None and (role != "admin" or province_code not in configured_provinces()):
        raise ValidationFailed(f"--province hanya untuk admin, dengan kode provinsi yang dilayani "
                               f"({', '.join(configured_provinces())}).")
    password = password or secrets.token_urlsafe(12)
    with write_transaction():
        region = region_by_code(region_code) if role == "coordinator" else None
        user = _new_user(name=name, login=login, password=password, consent=True)
        user.is_admin = role == "admin"
        user.admin_province = province_code if role == "admin" else None
        user.coordinator_region_id = region.id if role == "coordinator" else None
        db.session.add(user)
        _flush_unique()
        audit.record(actor=None, action="user.created", entity=user, region_id=user.coordinator_region_id,
                     after={"role": role, "region": region.code if region else None, "province": province_code})
    return user, password


# --- coordinators: appointed and removed by a province admin --------------------------------

@dataclass
class RegionCoordinators:
    region: Region
    coordinators: list[User]


def coordinator_roster(actor: User) -> list[RegionCoordinators]:
    """Every region of ``actor``'s scope (by Kemendagri code) with its coordinators by name; an
    empty list: none yet."""
    users = db.session.scalars(select(User).where(User.coordinator_region_id.is_not(None))
                               .order_by(User.name, User.id))
    by_region: dict[int, list[User]] = {}
    for user in users:
        by_region.setdefault(user.coordinator_region_id, []).append(user)
    return [RegionCoordinators(region, by_region.get(region.id, [])) for region in all_regions()
            if actor.covers(region.code)]


def appoint_coordinator(*, actor: User, login: str, region_code: str) -> User:
    """Make the account with that e-mail or phone the coordinator of one region, moving it from
    the region it coordinated before, if any (province admins only).

    Only ``coordinator_region_id`` changes: admin rights are granted on the command line alone.
    Raises PermissionDenied, NotFound (no such login: on the field ``login``; no such region) or
    Conflict (already the coordinator of that region).
    """
    _require_admin(actor)
    with write_transaction():
        region = region_by_code(region_code)
        if not actor.covers(region.code):
            raise PermissionDenied(f"{region.full_name} di luar provinsi Anda.")
        found = find_by_login(login)
        if found is None:
            message = "Tidak ada akun dengan e-mail atau nomor ini. Akun harus sudah terdaftar."
            raise NotFound(message, fields={"login": [message]})
        user = lock_user(found.id)
        if user.coordinator_region_id == region.id:
            message = f"{user.name} sudah koordinator {region.full_name}."
            raise Conflict(message, fields={"login": [message]})
        before = _coordinator_state(user)
        user.coordinator_region_id = region.id
        audit.record(actor=actor, action="user.role_changed", entity=user, region_id=region.id,
                     before=before, after={"coordinator_region": region.code})
    return user


def remove_coordinator(*, actor: User, user_id: int) -> User:
    """Take a user's coordinator role away (province admins only); their other roles stay.

    Raises PermissionDenied, NotFound or Conflict (the user coordinates no region).
    """
    _require_admin(actor)
    with write_transaction():
        user = lock_user(user_id)
        if user.coordinator_region_id is None:
            raise Conflict(f"{user.name} bukan koordinator kabupaten/kota.")
        if not actor.coordinates(user.coordinator_region_id):
            raise NotFound("Pengguna tidak ditemukan.")  # another province's coordinator: not this admin's to see
        before, region_id = _coordinator_state(user), user.coordinator_region_id
        user.coordinator_region_id = None
        audit.record(actor=actor, action="user.role_changed", entity=user, region_id=region_id,
                     before=before, after={"coordinator_region": None})
    return user


def _require_admin(actor: User) -> None:
    if not actor.is_admin:
        raise PermissionDenied("Hanya admin provinsi yang dapat menunjuk atau mencabut koordinator.")


def lock_user(user_id: int) -> User:
    """The user, re-read and locked (PostgreSQL) so two admins' changes and audits queue up."""
    user = db.session.scalar(select(User).where(User.id == user_id).with_for_update()
                             .execution_options(populate_existing=True))
    if user is None:
        raise NotFound("Pengguna tidak ditemukan.")
    return user


def _coordinator_state(user: User) -> dict:
    region = db.session.get(Region, user.coordinator_region_id) if user.coordinator_region_id else None
    return {"coordinator_region": region.code if region else None}
