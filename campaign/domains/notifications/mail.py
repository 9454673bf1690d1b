"""E-mail after commit: messages wait in the session's ``info`` until the transaction commits.

Settings follow Flask-Mail's names: ``MAIL_SERVER`` (unset: no e-mail), ``MAIL_PORT``,
``MAIL_USE_TLS`` (STARTTLS), ``MAIL_USE_SSL``, ``MAIL_USERNAME``, ``MAIL_PASSWORD``,
``MAIL_DEFAULT_SENDER``, plus ``MAIL_TIMEOUT`` in seconds. A failed delivery is logged and
dropped: the state change it reports has already committed.
"""
from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

OUTBOX = "notification_outbox"


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def queue(session: Session, mail: Mail) -> None:
    """Send ``mail`` once ``session``'s current transaction commits (never if it rolls back)."""
    session.info.setdefault(OUTBOX, []).append(mail)


def install() -> None:
    """Hook the send-after-commit and drop-on-rollback listeners on every ORM session (once)."""
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)


def _after_commit(session: Session) -> None:
    mails = session.info.pop(OUTBOX, None)
    if mails:
        send_all(mails)


def _after_rollback(session: Session) -> None:
    session.info.pop(OUTBOX, None)


def send_all(mails: list[Mail]) -> int:
    """Deliver over one SMTP connection; returns how many were accepted. Never raises."""
    config = current_app.config
    sent = 0
    try:
        with _connect(config) as smtp:
            for mail in mails:
                try:
                    smtp.send_message(_message(mail, config["MAIL_DEFAULT_SENDER"]))
                    sent += 1
                except smtplib.SMTPException as exc:
                    current_app.logger.warning("E-mail to %s refused: %s", mail.to, exc)
    except (OSError, smtplib.SMTPException) as exc:
        current_app.logger.warning("E-mail not sent (%d waiting): %s", len(mails) - sent, exc)
    return sent


def _connect(config) -> smtplib.SMTP:
    host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    smtp = (smtplib.SMTP_SSL(host, port, timeout=timeout) if config["MAIL_USE_SSL"]
            else smtplib.SMTP(host, port, timeout=timeout))
    if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
        smtp.starttls()
    if config.get("MAIL_USERNAME"):
        smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    return smtp


def _message(mail: Mail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message.set_content(mail.body)
    return message
