"""HTTP security headers on every response (set unless a view already chose its own).

In production (served over HTTPS, see ``config``) every response also carries
Strict-Transport-Security, so browsers never fall back to plain HTTP for this host.
"""
from __future__ import annotations

from flask import Flask, Response

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
        return response
