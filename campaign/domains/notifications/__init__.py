"""Notifications: in-app for everyone, by e-mail too when SMTP is configured.

Services that change state call :mod:`.events` inside their transaction; the rows commit with
the change, and the e-mails wait in the session until that commit (:mod:`.mail`), so a mail
failure never loses the change and a rolled-back change never sends mail.
"""
from __future__ import annotations

from flask import Flask


def register_template_globals(app: Flask) -> None:
    from campaign.domains.notifications.badges import menu_badges

    app.jinja_env.globals.update(menu_badges=menu_badges)
