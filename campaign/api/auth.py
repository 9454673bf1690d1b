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
from sqlalchemy.orm.attributes import set_committed_value

from campaign.api.core import parse_body_early
from campaign.core import database
from campaign.core.database import hold, write_transaction, writers_take_turns
from campaign.core.errors import DomainError, PermissionDenied
from campaign.core.extensions import db
from campaign.domains.auth.decorators import declare_access
from campaign.domains.auth.models import ApiToken, AsnProfile, User
from campaign.domains.purchases.services import Buyer, buyer_select
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


def find_token(token: str | None) -> tuple[int, User] | None:
    """The live token's id (not expired, not revoked, active user) and its user, with the user's
    ASN profile, for a presented token: one statement of plain values made into the objects
    (:func:`campaign.core.database.loaded`; loading them through a query with two joined
    relationships was a fifth of a confirmation's turn in SQLite's one writer's turn)."""
    if not token:
        return None
    found = database.rows(_token_statement(), {"token_hash": token_hash(token)})
    if not found:
        return None
    token_id, revoked_at, expires_at, *columns = found[0]
    if not _live(revoked_at, expires_at):
        return None
    user_names = database.column_attributes(User).names
    user = database.loaded(User, dict(zip(user_names, columns)))
    profile = columns[len(user_names):]
    set_committed_value(user, "asn", None if profile[0] is None else database.loaded(
        AsnProfile, dict(zip(database.column_attributes(AsnProfile).names, profile))))
    return (token_id, user) if user.active else None


def _live(revoked_at: datetime | None, expires_at: datetime) -> bool:
    return revoked_at is None and as_utc(expires_at) > utcnow()


@functools.cache
def _token_statement():
    """The token's lookup, built once (building it cost more than running it)."""
    return (select(ApiToken.id, ApiToken.revoked_at, ApiToken.expires_at, *database.column_attributes(User).attributes,
                   *database.column_attributes(AsnProfile).attributes)
            .join(User, User.id == ApiToken.user_id).outerjoin(AsnProfile, AsnProfile.user_id == User.id)
            .where(ApiToken.token_hash == bindparam("token_hash")))


def find_buyer(token: str | None) -> tuple[int, Buyer] | None:
    """For a live token of an active ASN, inside a write transaction: the token's id and the ASN
    as logging a purchase reads them (:class:`~campaign.domains.purchases.services.Buyer`, the
    user and profile rows locked on PostgreSQL), in one statement of plain values (inside
    SQLite's one writer's turn, where loading five ORM objects took an eighth of the turn). The
    lock is noted (:func:`campaign.core.database.hold`) for the service."""
    if not token:
        return None
    digest = token_hash(token)
    found = database.rows(_buyer_statement(), {"token_hash": digest})
    if not found:
        return None
    token_id, revoked_at, expires_at, *facts = found[0]
    buyer = Buyer(*facts)
    _remember(digest, buyer.id)
    if not (_live(revoked_at, expires_at) and buyer.active):
        return None
    hold(Buyer, buyer.id)
    return token_id, buyer


@functools.cache
def _buyer_statement():
    return (buyer_select(ApiToken.id, ApiToken.revoked_at, ApiToken.expires_at)
            .join(ApiToken, ApiToken.user_id == User.id).where(ApiToken.token_hash == bindparam("token_hash")))


def writes(*, lock_asn: bool = False, limit=None):
    """Authenticate and write in one transaction: the view (with the access decorator below this
    one) runs inside :func:`~campaign.core.database.write_transaction`, which the services it calls
    join, so the token lookup, the writes and the answer built from the objects in hand are one
    transaction. ``lock_asn``: an ASN's token is looked up with the ASN as logging a purchase reads
    them, user and profile rows locked, as it needs first (:func:`find_buyer`,
    :mod:`campaign.domains.purchases.limits`).

    ``limit``: a rate limit counted per account (``campaign.web.ratelimits``). Where writers take
    turns (SQLite) it is counted before the transaction, under the account the token was issued
    to (:func:`account_of_token`; a token never issued is refused there), so that its count (a
    round trip to Redis where it is shared) is not inside the one writer's turn; elsewhere inside
    the transaction once the token is checked, as a limit below the access decorator would be."""
    def decorator(view):
        def before_transaction() -> None:
            """Where the limit is counted early: registered with the limiter under its own name."""
        before_transaction.__module__ = view.__module__
        before_transaction.__name__ = before_transaction.__qualname__ = f"{view.__name__}_before_transaction"
        count_early = limit(before_transaction) if limit is not None else None
        counted_view = limit(view) if limit is not None else view

        @wraps(view)
        def wrapped(*args, **kwargs):
            bearer = _bearer()
            if bearer is None:  # no token at all: 401 at once, without taking SQLite's write lock
                authenticate_request()
            g.api_lock_asn = lock_asn
            parse_body_early()  # outside the transaction and SQLite's one writer's turn
            early = count_early is not None and _account_known_before_the_turn(bearer)
            if early:
                count_early()
            with write_transaction():
                if count_early is None or early:
                    return view(*args, **kwargs)
                authenticate_request()  # the account the limit counts (kept for the access check)
                return counted_view(*args, **kwargs)
        return wrapped
    return decorator


def _account_known_before_the_turn(token: str) -> bool:
    """Where writers take turns, the account of ``token`` as ``g.api_account_id``; a token that
    was never issued is refused (401) at once, without waiting for the writer's turn."""
    if not writers_take_turns():
        return False
    g.api_account_id = account_of_token(token)
    if g.api_account_id is None:
        raise TokenRequired(TOKEN_REFUSED)
    return True


_ACCOUNTS: dict[str, int] = {}
ACCOUNTS_KEPT = 20_000


def account_of_token(token: str) -> int | None:
    """The account a token was issued to, live or not (None for no such token), for counting a
    rate limit before the token is checked: a token never changes hands, so the answer is kept
    per process (up to :data:`ACCOUNTS_KEPT` tokens, then forgotten all at once: plain dict
    operations, safe under threaded workers), and a token not kept costs one read. With a province
    of ASN each logging a purchase or two a day, most tokens are not kept: the read is a statement
    built once (building it and the ORM's execution were two thirds of its cost)."""
    digest = token_hash(token)
    user_id = _ACCOUNTS.get(digest)
    if user_id is None:
        found = database.rows(_account_statement(), {"token_hash": digest})
        user_id = found[0][0] if found else None
        if user_id is not None:
            _remember(digest, user_id)
    return user_id


@functools.cache
def _account_statement():
    return select(ApiToken.user_id).where(ApiToken.token_hash == bindparam("token_hash"))


def _remember(digest: str, user_id: int) -> None:
    if len(_ACCOUNTS) >= ACCOUNTS_KEPT:
        _ACCOUNTS.clear()
    _ACCOUNTS[digest] = user_id


def authenticate_request() -> User | Buyer:
    """The user behind the request's bearer token; TokenRequired (401) otherwise. Inside
    :func:`writes` with ``lock_asn``, an ASN's token gives the :class:`Buyer` (:func:`find_buyer`)."""
    if g.get("api_user") is not None:  # checked already in this request
        return g.api_user
    bearer = _bearer()
    found = find_buyer(bearer) if g.get("api_lock_asn") else None
    if found is not None:
        g.api_token_id, g.api_user = found
        return g.api_user
    found = find_token(bearer)  # not an ASN's token, or none: the plain lookup answers 401 or 403
    if found is None:
        raise TokenRequired(TOKEN_REFUSED)
    g.api_token_id, g.api_user = found
    return g.api_user


def optional_user() -> User | None:
    """The token's user when an Authorization header is sent (401 if it is bad), else None."""
    return authenticate_request() if "Authorization" in request.headers else None


def api_user() -> User | Buyer:
    """The request's user (a :class:`Buyer` inside ``writes(lock_asn=True)`` for an ASN's token)."""
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
