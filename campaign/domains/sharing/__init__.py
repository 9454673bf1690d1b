"""Sharing figures where people already are: WhatsApp (``wa.me``) links with a short Indonesian
summary, and the moment the figures last changed."""
from __future__ import annotations

from flask import Flask


def register_template_globals(app: Flask) -> None:
    from campaign.domains.sharing import whatsapp
    from campaign.domains.sharing.queries import figures_changed_at

    app.jinja_env.globals.update(share_standings_url=whatsapp.standings_link,
                                 share_region_url=whatsapp.region_link, share_own_url=whatsapp.own_link,
                                 wa_owner_url=whatsapp.owner_message_link,
                                 figures_changed_at=figures_changed_at, share_as_of=whatsapp.as_of)
