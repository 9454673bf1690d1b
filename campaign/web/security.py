"""HTTP security headers on every response (set unless a view already chose its own).

In production (served over HTTPS, see ``config``) every response also carries
Strict-Transport-Security, so browsers never fall back to plain HTTP for this host.

Pages for a signed-in user carry their name, their CSRF token and often personal data (a NIP, a
purchase list), so they are ``Cache-Control: private, no-store``: no shared proxy keeps them and
the back button after "Keluar" asks the server again (which sends the login page). So is any
answer that sets the session cookie. Anonymous public pages keep their caching, as do responses
that chose ``public`` themselves (the favicon, a QR code), static files and the JSON API (which
has its own policy, ``campaign.api.core``).
"""
from __future__ import annotations

from flask import Flask, Response, request, session
from flask_login import current_user

# Everything is served from this host (no CDN); inline style attributes draw progress bars.
CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                           "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
                           "frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def register_security_headers(app: Flask) -> None:
    headers = dict(HEADERS)
    if app.config["CAMPAIGN_ENV"] == "production":
        headers["Strict-Transport-Security"] = f"max-age={int(app.config['HSTS_MAX_AGE'])}; includeSubDomains"

    @app.after_request
    def add_headers(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        if _is_private(response):
            response.headers["Cache-Control"] = "private, no-store"
        return response


def _is_private(response: Response) -> bool:
    if request.endpoint == "static" or request.blueprints[-1:] == ["api"] or response.cache_control.public:
        return False
    return session.modified or current_user.is_authenticated
