"""Whole public pages kept for anonymous visitors while the data under them holds.

The refresh storm after an announcement is anonymous: the same leaderboard, region page or
directory page, thousands of times. For a visitor who is not logged in and has no message
waiting, such a page depends only on its URL and on the data behind it, so its HTML is kept
per process under the change markers (:mod:`campaign.web.readcache`) and served again until a
write moves them. Logged-in users (their menu, their CSRF token, a coordinator's details)
always get a fresh render, and so does any answer that was not a plain 200 or that touched
the session (a flashed message). The page is kept gzipped too, so phones (which all ask for
gzip) get it without compressing it again on every request.

Three bounds keep this cheap on a busy day:

- the key is the endpoint, its path arguments and the query arguments the view declares,
  nothing else: ``/peringkat?_=123`` is the page ``/peringkat`` (the view renders with the
  declared arguments only, so what is kept cannot carry the others);
- the pages are kept in at most ``PAGE_CACHE_BYTES`` per process (default 20 MB), least
  recently used out first;
- the version is read at most every ``PAGE_CACHE_STALE_SECONDS`` per process (default 3 s):
  an anonymous page may lag a write by that long, never more. A page rendered anew reads its
  figures from the read cache under the same window, so it sends no statement for the markers
  either. Signed-in pages, the API and
  every total that a check or a coordinator reads stay exact.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from flask import Response, current_app, g, request, session
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict

from campaign.web import compression, readcache


@dataclass(frozen=True)
class Page:
    html: bytes
    gzipped: bytes | None  # None: too small to be worth it (compression.MIN_SIZE)

    @classmethod
    def of(cls, html: str) -> Page:
        data = html.encode()
        return cls(data, compression.gzip_bytes(data) if len(data) >= compression.MIN_SIZE else None)

    @property
    def size(self) -> int:
        return len(self.html) + len(self.gzipped or b"")

    def response(self) -> Response:
        response = Response(self.html, 200, content_type="text/html; charset=utf-8")
        if self.gzipped is not None and compression.wants_gzip():
            response.set_data(self.gzipped)
            response.headers["Content-Encoding"] = "gzip"
        response.vary.add("Accept-Encoding")
        return response


def stale_seconds() -> float:
    """How long an anonymous page may lag a write (``PAGE_CACHE_STALE_SECONDS``)."""
    return float(current_app.config["PAGE_CACHE_STALE_SECONDS"])


def shops_version() -> readcache.Version:
    return readcache.shops_version(stale_seconds())


def page_cache() -> readcache.ReadCache:
    return readcache.cache("page_cache", "PAGE_CACHE_BYTES")


def page_key(args: tuple[str, ...]) -> tuple:
    """The endpoint, its path arguments and the declared query arguments' values."""
    return ("page", request.endpoint, tuple(sorted((request.view_args or {}).items())),
            tuple((name, tuple(request.args.getlist(name))) for name in args if name in request.args))


def _keep_only(args: tuple[str, ...]) -> None:
    """The request's query arguments reduced to ``args``, so the render cannot depend on others."""
    request.args = ImmutableMultiDict([(name, value) for name, value in request.args.items(multi=True)
                                       if name in args])


def anonymous_page(version: Callable[[], readcache.Version], *, args: Iterable[str] = ()):
    """Serve the view's page from the cache for anonymous visitors while ``version()`` holds.

    ``args``: the query arguments the view reads; any other is dropped before the view runs."""
    declared = tuple(args)

    def decorator(view):
        @wraps(view)
        def wrapper(*view_args, **kwargs):
            if current_user.is_authenticated or "_flashes" in session:
                return view(*view_args, **kwargs)
            _keep_only(declared)
            key = page_key(declared)
            current = version()
            found, page = page_cache().get(key, current)
            if found:
                return page.response()
            g.markers_max_age = stale_seconds()  # the render's reads may lag as the page may
            response = view(*view_args, **kwargs)
            if isinstance(response, str) and not session.modified:
                page = Page.of(response)
                page_cache().put(key, current, page, page.size)
                return page.response()
            return response
        return wrapper
    return decorator
