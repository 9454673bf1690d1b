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
* a browser that has logged in to the account before carries a signed "known device" cookie
  and is not subject to the account's lock, so an attacker elsewhere cannot keep the owner out
  of their own phone. Such a device has its own budget of wrong passwords
  (``LOGIN_KNOWN_DEVICE_FAILURES``, counted in the rate-limit storage); past it, it is treated
  like any other browser, so a shared computer is no way around the lock.
"""
from __future__ import annotations

import math
from datetime import timedelta

from flask import Response, current_app, has_request_context, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import parse
from sqlalchemy import update

from campaign.core.database import write_transaction
from campaign.core.errors import DomainError
from campaign.core.extensions import db, limiter
from campaign.domains.auth.models import User
from campaign.util.formatting import as_utc, utcnow

DEVICE_COOKIE = "known_device"


class AccountLocked(DomainError):
    status = 429
    code = "account_locked"


def check_not_locked(user: User) -> None:
    """Raise AccountLocked while the account's lock runs."""
    if user.login_locked_until is None:
        return
    remaining = (as_utc(user.login_locked_until) - utcnow()).total_seconds()
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


# --- the known-device cookie ------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="known-device")


def known_device_for(user: User) -> bool:
    """True when this browser logged in to ``user`` before and has wrong-password budget left."""
    if device_user_id() != user.id:
        return False
    return limiter.limiter.test(_device_budget(), *_device_key())


def spend_device_budget() -> None:
    """Count a wrong password against this known device's own budget."""
    limiter.limiter.hit(_device_budget(), *_device_key())


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
