"""Writing notifications (inside the caller's transaction) and marking them read."""
from __future__ import annotations

from collections.abc import Iterable

from flask import current_app, has_request_context, url_for
from sqlalchemy import select, update

from campaign.core import audit
from campaign.core.database import write_transaction
from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.notifications import mail
from campaign.domains.notifications.models import KINDS, Notification
from campaign.util.formatting import utcnow

SITE = "Belanja Warung Tetangga"


def notify(*, users: Iterable[User], kind: str, message: str, endpoint: str, **values) -> list[Notification]:
    """Add one notification per user to the current transaction, and queue an e-mail to each user
    with an e-mail address when SMTP is configured (sent only once the transaction commits).
    ``endpoint``/``values`` make the link, a path on this site."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    link = _path(endpoint, values)
    rows = []
    for user in users:
        row = Notification(user_id=user.id, kind=kind, message=message, link=link)
        db.session.add(row)
        rows.append(row)
        if user.email and mail.enabled():
            mail.queue(db.session(), mail.Mail(
                to=user.email, subject=f"{KINDS[kind]} · {SITE}",
                body=f"Halo {user.name},\n\n{message}\n\nBuka: {_external(endpoint, values, link)}\n\n"
                     f"-- \n{SITE}\n(Pesan otomatis; tidak perlu dibalas.)\n"))
    return rows


def _path(endpoint: str, values: dict) -> str:
    """The path of ``endpoint``, in a request or not (services also run from the CLI)."""
    if has_request_context():
        return url_for(endpoint, **values)
    root = current_app.config.get("APPLICATION_ROOT") or "/"
    return current_app.url_map.bind("localhost", script_name=root).build(endpoint, values)


def _external(endpoint: str, values: dict, path: str) -> str:
    """The full URL when the host is known (a request, or SERVER_NAME set), else the path."""
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return url_for(endpoint, _external=True, **values)
    return path


def mark_all_read(*, user: User) -> int:
    """Mark every unread notification of ``user`` read; returns how many (audited when any)."""
    with write_transaction():
        result = db.session.execute(update(Notification).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow()))
        count = result.rowcount or 0
        if count:
            audit.record(actor=db.session.get(User, user.id), action="notifications.read",
                         entity=db.session.get(User, user.id), after={"count": count})
    return count


def unread_count(user_id: int) -> int:
    from sqlalchemy import func

    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))) or 0
