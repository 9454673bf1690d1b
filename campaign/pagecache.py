"""Whole public pages kept for anonymous visitors while the data under them holds.

The refresh storm after an announcement is anonymous: the same leaderboard, region page or
directory page, thousands of times. For a visitor who is not logged in and has no message
waiting, such a page depends only on its URL and on the data behind it, so its HTML is kept
per process under the change markers (:mod:`campaign.readcache`) and served again until a
write moves them. Logged-in users (their menu, their CSRF token, a coordinator's details)
always get a fresh render, and so does any answer that was not a plain 200 or that touched
the session (a flashed message).
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import request, session
from flask_login import current_user

from . import readcache


def campaign_from_args() -> readcache.Version:
    """The version of the campaign a page's ``?campaign=`` names (the current one without it)."""
    return readcache.campaign_version(request.args.get("campaign", type=int))[1]


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
                return page, 200, {"Content-Type": "text/html; charset=utf-8"}
            response = view(*args, **kwargs)
            if isinstance(response, str) and not session.modified:
                readcache.store(key, current, response)
            return response
        return wrapper
    return decorator
