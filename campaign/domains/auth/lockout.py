"""Per-account lockout after repeated wrong passwords, stored on the account row.

Because it lives in the database it holds across workers and instances without Redis, and it
complements the per-IP rate limits: an attacker spreading guesses over many addresses still
meets it. The rules:

* the ``LOGIN_LOCKOUT_THRESHOLD``-th wrong password in a row locks the account for
  ``LOGIN_LOCKOUT_BASE_SECONDS``; each further failure after a lock has passed doubles the lock,
  up to ``LOGIN_LOCKOUT_MAX_SECONDS`` (bounded: an attacker can never lock anyone out for longer);
* while locked, attempts are refused without checking the password and are not counted, so
  hammering does not lengthen the lock;
* a correct password resets the count;
* a login without an account is counted and locked the same way (``LoginFailure``), so neither the
  lock nor its message tells whether an account exists;
* a browser that has logged in to the account before carries a signed "known device" cookie
  and is not subject to the account's lock, so an attacker elsewhere cannot keep the owner out
  of their own phone. Such a device has its own budget of wrong passwords
  (``LOGIN_KNOWN_DEVICE_FAILURES``, counted in the rate-limit storage); past it, it is treated
  like any other browser, so a shared computer is no way around the lock. With rate limiting
  switched off the budget is counted in a storage of its own (``RATELIMIT_STORAGE_URI``).
"""
from __future__ import annotations

import hashlib
import hmac
import math
from datetime import datetime, timedelta

from flask import Response, current_app, has_request_context, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import parse, storage
from limits.strategies import MovingWindowRateLimiter, RateLimiter
from sqlalchemy import delete, update

from campaign.core.database import dialect_insert, write_transaction
from campaign.core.errors import DomainError
from campaign.core.extensions import db, limiter
from campaign.domains.auth.models import LoginFailure, User
from campaign.util.formatting import as_utc, utcnow

DEVICE_COOKIE = "known_device"


class AccountLocked(DomainError):
    status = 429
    code = "account_locked"


def check_not_locked(user: User) -> None:
    """Raise AccountLocked while the account's lock runs."""
    _check_lock(user.login_locked_until)


def _check_lock(locked_until: datetime | None) -> None:
    if locked_until is None:
        return
    remaining = (as_utc(locked_until) - utcnow()).total_seconds()
    if remaining > 0:
        minutes = max(1, math.ceil(remaining / 60))
        raise AccountLocked(f"Terlalu banyak percobaan masuk yang gagal untuk akun ini. Coba lagi dalam "
                            f"{minutes} menit, atau masuk dari perangkat yang pernah Anda pakai.")


def lock_seconds(failures: int) -> int:
    """How long ``failures`` wrong passwords in a row lock the account (0: not locked)."""
    config = current_app.config
    over = failures - config["LOGIN_LOCKOUT_THRESHOLD"]
    if over < 0:
        return 0
    return min(config["LOGIN_LOCKOUT_BASE_SECONDS"] * 2 ** min(over, 30), config["LOGIN_LOCKOUT_MAX_SECONDS"])


def record_failure(user_id: int) -> None:
    """Count a wrong password; lock the account when the count reaches the threshold."""
    with write_transaction():
        db.session.execute(update(User).where(User.id == user_id).values(failed_logins=User.failed_logins + 1))
        failures = db.session.get(User, user_id, populate_existing=True).failed_logins
        seconds = lock_seconds(failures)
        if seconds:
            db.session.execute(update(User).where(User.id == user_id)
                               .values(login_locked_until=utcnow() + timedelta(seconds=seconds)))


def clear_failures(user: User) -> None:
    if user.failed_logins or user.login_locked_until is not None:
        with write_transaction():
            db.session.execute(update(User).where(User.id == user.id)
                               .values(failed_logins=0, login_locked_until=None))


# --- logins without an account ----------------------------------------------------------------

def _digest(login: str) -> str:
    return hmac.new(current_app.secret_key.encode(), login.encode(), hashlib.sha256).hexdigest()


def check_unknown_not_locked(login: str) -> None:
    """Raise AccountLocked while the lock of a login without an account runs (the same message)."""
    row = db.session.get(LoginFailure, _digest(login), populate_existing=True)
    _check_lock(row.login_locked_until if row else None)


def record_unknown_failure(login: str) -> None:
    """Count a wrong password for a login without an account, exactly as :func:`record_failure`
    counts an account's. Rows untouched for longer than the longest lock are dropped on the way."""
    digest, now = _digest(login), utcnow()
    table = LoginFailure.__table__
    with write_transaction():
        statement = dialect_insert(table).values(login_digest=digest, failed_logins=1, updated_at=now)
        db.session.execute(statement.on_conflict_do_update(
            index_elements=[table.c.login_digest],
            set_={"failed_logins": table.c.failed_logins + 1, "updated_at": now}))
        failures = db.session.get(LoginFailure, digest, populate_existing=True).failed_logins
        seconds = lock_seconds(failures)
        if seconds:
            db.session.execute(update(LoginFailure).where(LoginFailure.login_digest == digest)
                               .values(login_locked_until=now + timedelta(seconds=seconds)))
        stale = now - timedelta(days=1, seconds=current_app.config["LOGIN_LOCKOUT_MAX_SECONDS"])
        db.session.execute(delete(LoginFailure).where(LoginFailure.updated_at < stale))


# --- the known-device cookie ------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="known-device")


def known_device_for(user: User) -> bool:
    """True when this browser logged in to ``user`` before and has wrong-password budget left."""
    if device_user_id() != user.id:
        return False
    return _counter().test(_device_budget(), *_device_key())


def spend_device_budget() -> None:
    """Count a wrong password against this known device's own budget."""
    _counter().hit(_device_budget(), *_device_key())


def _counter() -> RateLimiter:
    """The rate limiter's counter; with rate limiting off (it then has none), one of our own."""
    if current_app.config.get("RATELIMIT_ENABLED", True) and limiter.initialized:
        return limiter.limiter
    extensions = current_app.extensions
    if "known_device_counter" not in extensions:
        uri = current_app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
        extensions["known_device_counter"] = MovingWindowRateLimiter(storage.storage_from_string(uri))
    return extensions["known_device_counter"]


def _device_budget():
    return parse(current_app.config["LOGIN_KNOWN_DEVICE_FAILURES"])


def _device_key() -> tuple[str, str, str]:
    return current_app.config.get("RATELIMIT_KEY_PREFIX") or "", "known-device", request.cookies[DEVICE_COOKIE]


def device_user_id() -> int | None:
    """The account this browser has logged in to before (from its signed cookie), if any."""
    value = request.cookies.get(DEVICE_COOKIE) if has_request_context() else None
    if not value or len(value) > 200:
        return None
    max_age = current_app.config["KNOWN_DEVICE_DAYS"] * 24 * 3600
    try:
        user_id = _serializer().loads(value, max_age=max_age)
    except BadSignature:
        return None
    return user_id if isinstance(user_id, int) else None


def remember_device(response: Response, user: User) -> Response:
    """Mark this browser as one that ``user`` logs in from (after a correct password)."""
    config = current_app.config
    response.set_cookie(DEVICE_COOKIE, _serializer().dumps(user.id),
                        max_age=config["KNOWN_DEVICE_DAYS"] * 24 * 3600, httponly=True, samesite="Lax",
                        secure=bool(config.get("SESSION_COOKIE_SECURE")))
    return response
