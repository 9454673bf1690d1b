"""Notifications: in-app for everyone, by e-mail too when SMTP is configured.

The domains below announce their changes through blinker signals (``<domain>/signals.py``),
sent inside their transaction; the receivers here (:mod:`.events`, :mod:`.programmes`) add the
rows to that same transaction, and the e-mails wait in the session until it commits
(:mod:`.mail`), so a mail failure never loses the change and a rolled-back change never sends
mail.
"""
from __future__ import annotations

from flask import Flask


def register_template_globals(app: Flask) -> None:
    from campaign.domains.notifications.badges import menu_badges

    app.jinja_env.globals.update(menu_badges=menu_badges)
