"""Whole public pages kept for anonymous visitors while the data under them holds.

The refresh storm after an announcement is anonymous: the same leaderboard, region page or
directory page, thousands of times. For a visitor who is not logged in and has no message
waiting, such a page depends only on its URL and on the data behind it, so its HTML is kept
per process under the change markers (:mod:`campaign.web.readcache`) and served again until a
write moves them. Logged-in users (their menu, their CSRF token, a coordinator's details)
always get a fresh render, and so does any answer that was not a plain 200 or that touched
the session (a flashed message). The page is kept gzipped too, so phones (which all ask for
gzip) get it without compressing it again on every request.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import Response, request, session
from flask_login import current_user

from campaign.web import compression, readcache


@dataclass(frozen=True)
class Page:
    html: str
    gzipped: bytes | None  # None: too small to be worth it (compression.MIN_SIZE)

    @classmethod
    def of(cls, html: str) -> Page:
        data = html.encode()
        return cls(html, compression.gzip_bytes(data) if len(data) >= compression.MIN_SIZE else None)

    def response(self) -> Response:
        response = Response(self.html, 200, content_type="text/html; charset=utf-8")
        if self.gzipped is not None and compression.wants_gzip():
            response.set_data(self.gzipped)
            response.headers["Content-Encoding"] = "gzip"
        response.vary.add("Accept-Encoding")
        return response


def shops_version() -> readcache.Version:
    return readcache.shops_version()


def anonymous_page(version: Callable[[], readcache.Version]):
    """Serve the view's page from the cache for anonymous visitors while ``version()`` holds."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if current_user.is_authenticated or "_flashes" in session:
                return view(*args, **kwargs)
            key = ("page", request.full_path)
            current = version()
            found, page = readcache.lookup(key, current)
            if found:
                return page.response()
            response = view(*args, **kwargs)
            if isinstance(response, str) and not session.modified:
                page = Page.of(response)
                readcache.store(key, current, page)
                return page.response()
            return response
        return wrapper
    return decorator
