"""Ending sessions on the server: log out, log out everywhere, deactivate and reactivate accounts.

A browser session and its remember cookie both carry ``User.get_id()``, which includes the
account's ``session_version``; the user loader refuses any id whose version is not the current
one (or whose account is deactivated). Moving the version on therefore ends, at once and on the
server, every session and remember cookie issued before, even copies of the cookies. API tokens
are rows of their own and are revoked alongside where the whole account is concerned.
"""
from __future__ import annotations

from sqlalchemy import select, update

from campaign.core import audit
from campaign.core.database import write_transaction
from campaign.core.errors import Conflict, NotFound, PermissionDenied
from campaign.core.extensions import db
from campaign.domains.auth.models import ApiToken, User
from campaign.domains.auth.services import find_by_login, lock_user
from campaign.util.formatting import utcnow


def _end_browser_sessions(user_id: int) -> None:
    db.session.execute(update(User).where(User.id == user_id)
                       .values(session_version=User.session_version + 1))


def _revoke_api_tokens(user_id: int) -> int:
    result = db.session.execute(update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
                                .values(revoked_at=utcnow()))
    return result.rowcount


def log_out(*, user: User) -> None:
    """End this user's browser sessions and remember cookies (all of them: the version is per
    account). API tokens stay; :func:`log_out_everywhere` revokes them too."""
    with write_transaction():
        _end_browser_sessions(user.id)


def log_out_everywhere(*, user: User) -> int:
    """End every browser session and remember cookie of ``user`` and revoke all of their API
    tokens; audited. Returns the number of tokens revoked."""
    with write_transaction():
        _end_browser_sessions(user.id)
        revoked = _revoke_api_tokens(user.id)
        audit.record(actor=user, action="user.logged_out_everywhere", entity=user,
                     after={"tokens_revoked": revoked})
    return revoked


def deactivate_account(*, actor: User, user_id: int | None = None, login: str | None = None) -> User:
    """Close the account with that id, or that e-mail or phone (province admins only): it can no
    longer log in, and its sessions, remember cookies and API tokens stop working at once.
    Nothing it recorded is deleted.

    Raises PermissionDenied (not an admin, or the admin's own account), NotFound (on the field
    ``login`` when looked up by login), or Conflict (already deactivated).
    """
    _require_admin(actor)
    with write_transaction():
        user = lock_user(user_id if login is None else _id_for_login(login))
        if user.id == actor.id:
            raise PermissionDenied("Anda tidak dapat menonaktifkan akun Anda sendiri.")
        if not user.active:
            raise Conflict(f"Akun {user.name} sudah nonaktif.")
        user.active = False
        _end_browser_sessions(user.id)
        revoked = _revoke_api_tokens(user.id)
        audit.record(actor=actor, action="user.deactivated", entity=user, region_id=user.coordinator_region_id,
                     before={"active": True}, after={"active": False, "tokens_revoked": revoked})
    return user


def reactivate_account(*, actor: User, user_id: int) -> User:
    """Open a deactivated account again (province admins only). Old sessions and tokens stay
    ended: the person logs in afresh. Raises PermissionDenied, NotFound or Conflict (active)."""
    _require_admin(actor)
    with write_transaction():
        user = lock_user(user_id)
        if user.active:
            raise Conflict(f"Akun {user.name} masih aktif.")
        user.active = True
        audit.record(actor=actor, action="user.reactivated", entity=user, region_id=user.coordinator_region_id,
                     before={"active": False}, after={"active": True})
    return user


def deactivated_accounts() -> list[User]:
    """Deactivated accounts, by name, for the admin page."""
    return list(db.session.scalars(select(User).where(User.active.is_(False)).order_by(User.name, User.id)))


def _id_for_login(login: str) -> int:
    user = find_by_login(login)
    if user is None:
        message = "Tidak ada akun dengan e-mail atau nomor ini."
        raise NotFound(message, fields={"login": [message]})
    return user.id


def _require_admin(actor: User) -> None:
    if not actor.is_national_admin:
        raise PermissionDenied("Hanya admin provinsi yang dapat menonaktifkan atau mengaktifkan akun.")
