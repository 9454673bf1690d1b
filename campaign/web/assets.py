"""Static files with a content hash in their URL (``app.css?v=1a2b3c4d``), cached for a year.

On a slow phone connection every page view would otherwise revalidate the stylesheet; with the
hash in the URL the browser keeps it until the file changes.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, request

ONE_YEAR = 365 * 24 * 60 * 60


def register_asset_versions(app: Flask) -> None:
    static = Path(app.static_folder)

    @lru_cache(maxsize=64)
    def version(filename: str) -> str | None:
        path = (static / filename).resolve()
        if static.resolve() not in path.parents or not path.is_file():
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()[:10]

    @app.url_defaults
    def add_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values and (tag := version(values.get("filename", ""))):
            values["v"] = tag

    @app.after_request
    def cache_versioned(response: Response) -> Response:
        if request.endpoint == "static" and request.args.get("v") and response.status_code == 200:
            response.cache_control.no_cache = None  # send_file's default: it would cancel the year
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
        return response
