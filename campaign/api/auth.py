"""Bearer tokens for the JSON API: issue, look up, revoke, and the access decorators.

A token is ``secrets.token_urlsafe(32)``, shown once; only its SHA-256 is stored. It stops
working after ``API_TOKEN_HOURS`` or when revoked. Every failure (no header, unknown, expired,
revoked token, deactivated user) answers 401 with one and the same body, so a caller learns
nothing about which tokens exist. A valid token of the wrong role answers 403.
"""
from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import datetime, timedelta
from functools import wraps

from flask import current_app, g, request
from sqlalchemy import bindparam, select
from sqlalchemy.orm import contains_eager, joinedload

from campaign.api.core import parse_body_early
from campaign.core.database import hold, write_transaction
from campaign.core.errors import DomainError, PermissionDenied
from campaign.core.extensions import db
from campaign.domains.auth.decorators import declare_access
from campaign.domains.auth.models import ApiToken, AsnProfile, User
from campaign.util.formatting import as_utc, utcnow


class TokenRequired(DomainError):
    status = 401
    code = "unauthorized"


TOKEN_REFUSED = ("Token tidak ada, tidak valid, kedaluwarsa, atau sudah dicabut. "
                 "Minta token baru lewat POST /api/v1/tokens.")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(user: User) -> tuple[str, datetime]:
    """A new token for ``user`` and when it expires. The token itself is never stored."""
    token = secrets.token_urlsafe(32)
    expires_at = utcnow() + timedelta(hours=current_app.config["API_TOKEN_HOURS"])
    with write_transaction():
        db.session.add(ApiToken(user_id=user.id, token_hash=token_hash(token), expires_at=expires_at))
    return token, expires_at


def revoke_token(token_id: int) -> None:
    with write_transaction():
        token = db.session.get(ApiToken, token_id)
        if token is not None and token.revoked_at is None:
            token.revoked_at = utcnow()


def _bearer() -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value or len(value) > 200:
        return None
    return value


def find_token(token: str | None, *, lock_asn: bool = False) -> ApiToken | None:
    """The live token row (not expired, not revoked, active user) for a presented token. With
    ``lock_asn`` (inside a write transaction), only an ASN's, with the ASN profile, its region and
    agency, and the user and profile rows locked (``FOR UPDATE`` on PostgreSQL), in the same one
    statement; the lock is noted (:func:`campaign.core.database.hold`) for the service."""
    if not token:
        return None
    row = db.session.scalar(_token_statement(lock_asn), {"token_hash": token_hash(token)})
    if row is None or row.revoked_at is not None or as_utc(row.expires_at) <= utcnow():
        return None
    if lock_asn:
        hold(User, row.user_id)
    return row if row.user.active else None


@functools.cache
def _token_statement(lock_asn: bool):
    """The token's lookup, built once (building it cost more than running it)."""
    statement = select(ApiToken).where(ApiToken.token_hash == bindparam("token_hash"))
    if not lock_asn:
        return statement.options(joinedload(ApiToken.user).joinedload(User.asn))  # one statement for all three
    return (statement.join(ApiToken.user).join(User.asn).join(AsnProfile.region).join(AsnProfile.agency)
            .options(contains_eager(ApiToken.user).contains_eager(User.asn).contains_eager(AsnProfile.region),
                     contains_eager(ApiToken.user).contains_eager(User.asn).contains_eager(AsnProfile.agency))
            .with_for_update(of=(User, AsnProfile)))


def writes(*, lock_asn: bool = False):
    """Authenticate and write in one transaction: the view (with the access decorator below this
    one) runs inside :func:`~campaign.core.database.write_transaction`, which the services it calls
    join, so the token lookup, the writes and the answer built from the objects in hand are one
    transaction. ``lock_asn``: the token's lookup also loads and locks the ASN (user and profile
    rows), as logging a purchase needs first (:mod:`campaign.domains.purchases.limits`)."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if _bearer() is None:  # no token at all: 401 at once, without taking SQLite's write lock
                authenticate_request()
            g.api_lock_asn = lock_asn
            parse_body_early()  # outside the transaction and SQLite's one writer's turn
            with write_transaction():
                return view(*args, **kwargs)
        return wrapped
    return decorator


def authenticate_request() -> User:
    """The user behind the request's bearer token; TokenRequired (401) otherwise."""
    bearer = _bearer()
    row = find_token(bearer, lock_asn=True) if g.get("api_lock_asn") else None
    row = row or find_token(bearer)  # not an ASN's token, or none: the plain lookup answers 401 or 403
    if row is None:
        raise TokenRequired(TOKEN_REFUSED)
    g.api_token_id = row.id
    g.api_user = row.user
    return row.user


def optional_user() -> User | None:
    """The token's user when an Authorization header is sent (401 if it is bad), else None."""
    return authenticate_request() if "Authorization" in request.headers else None


def api_user() -> User:
    return g.api_user


def _requires(check, access: str, refusal: str):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not check(authenticate_request()):
                raise PermissionDenied(refusal)
            return view(*args, **kwargs)
        return declare_access(wrapped, f"api:{access}")
    return decorator


def optional_token(view):
    """Public, but a bearer token (if sent) must be valid and lets its user see more."""
    return declare_access(view, "api:optional")


token_required = _requires(lambda user: True, "user", "")
asn_required = _requires(lambda user: user.is_asn, "asn", "Hanya ASN yang dapat melakukan ini.")
shop_owner_required = _requires(lambda user: user.acts_for_shops, "shop_owner",
                                "Hanya pemilik toko yang dapat melakukan ini.")
admin_required = _requires(lambda user: user.is_admin, "admin", "Hanya admin provinsi yang dapat melakukan ini.")
national_admin_required = _requires(lambda user: user.is_national_admin, "national_admin",
                                   "Hanya admin nasional yang dapat melakukan ini.")
staff_required = _requires(lambda user: user.is_staff, "staff",
                           "Hanya koordinator kabupaten/kota atau admin yang dapat melakukan ini.")
