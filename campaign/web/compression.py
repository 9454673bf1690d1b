"""gzip for pages and static text on the way out: a phone on a slow network downloads a third.

Only when the client asks for it (``Accept-Encoding: gzip``), for bodies worth it, never twice.
JSON is left alone: the public API's strong ETags name the exact bytes it sends.
"""
from __future__ import annotations

import gzip

from flask import Flask, Response, request

COMPRESSIBLE = {"text/html", "text/css", "text/plain", "image/svg+xml", "application/javascript", "text/javascript"}
MIN_SIZE = 500  # bytes; below this gzip's header costs more than it saves
LEVEL = 6


def compress(response: Response) -> Response:
    """``after_request``: gzip the body of a 200 text response when the client accepts it."""
    response.vary.add("Accept-Encoding")
    if (response.status_code != 200 or response.mimetype not in COMPRESSIBLE or "Content-Encoding" in response.headers
            or response.is_streamed and not response.direct_passthrough or not wants_gzip()):
        return response
    response.direct_passthrough = False  # static files: read the file to compress it
    data = response.get_data()
    if len(data) < MIN_SIZE:
        return response
    response.set_data(gzip_bytes(data))
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)  # same content, other bytes
    return response


def gzip_bytes(data: bytes) -> bytes:
    """The gzip body :func:`compress` sends for ``data`` (the same bytes every time)."""
    return gzip.compress(data, compresslevel=LEVEL, mtime=0)


def wants_gzip() -> bool:
    return bool(request.accept_encodings["gzip"])


def register_compression(app: Flask) -> None:
    app.after_request(compress)
