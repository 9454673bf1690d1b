"""Installable and usable without a signal: the service worker at the site root, the web app
manifest, and the two pages the worker shows offline (kept in its cache at install).

The worker itself is ``static/sw.js`` with Workbox from ``static/vendor/workbox/`` (see the README
there). It is served from ``/sw.js`` so that its scope is the whole site, with ``no-cache`` so a
phone notices a new version on its next visit; the app shell's versioned URLs are written in front
of it, which also makes the worker's bytes (and so its version) change when the stylesheet does.
"""
from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, current_app, render_template, url_for

from campaign.domains.auth.decorators import public

bp = Blueprint("pwa", __name__)

SHELL_FILES = ("css/app.css", "js/offline.js", "img/icon-192.png")


def shell_urls() -> list[str]:
    """What the worker caches at install: versioned static files and the two offline pages."""
    return [*(url_for("static", filename=name) for name in SHELL_FILES),
            url_for("pwa.offline"), url_for("pwa.saved")]


@bp.route("/sw.js")
@public
def service_worker():
    script = Path(current_app.static_folder, "sw.js").read_text(encoding="utf-8")
    body = f"self.SHELL = {json.dumps(shell_urls())};\n{script}"
    response = current_app.response_class(body, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    response.cache_control.no_cache = True
    return response


@bp.route("/manifest.webmanifest")
@public
def manifest():
    document = {
        "name": "Belanja Warung Tetangga",
        "short_name": "Warung Tetangga",
        "description": "Catat belanja ASN di warung tetangga dan lihat capaian kabupaten/kota.",
        "lang": "id",
        "start_url": url_for("main.index"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f7f8",
        "theme_color": "#0b6e4f",
        "icons": [{"src": url_for("static", filename=f"img/icon-{size}.png"), "sizes": f"{size}x{size}",
                   "type": "image/png", "purpose": "any maskable"} for size in (192, 512)],
    }
    response = current_app.response_class(json.dumps(document, ensure_ascii=False),
                                          mimetype="application/manifest+json")
    response.cache_control.public = True
    response.cache_control.max_age = 24 * 60 * 60
    return response


@bp.route("/luring")
@public
def offline():
    """Shown by the worker for a page it has not kept, while the phone has no connection."""
    return render_template("pwa/offline.html", saved=False)


@bp.route("/luring/tersimpan")
@public
def saved():
    """Shown by the worker when a purchase was submitted without a connection and kept."""
    return render_template("pwa/offline.html", saved=True)
