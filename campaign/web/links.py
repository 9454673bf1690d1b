"""``url_for`` in templates, kept per process: the links every page repeats are built once.

An anonymous page sends about fifteen ``url_for`` calls through Werkzeug's URL map (the menu,
the stylesheet, the footer), the same on every render; they were a tenth of a directory page
rendered cold. A link depends only on its endpoint and values and on where the app is mounted
(``request.script_root``), so it is kept under those. Links with options (``_external``,
``_anchor`` ...) or values that cannot be a key go to ``url_for`` each time. At most
:data:`KEEP` are kept: past it the whole set is dropped and built again.
"""
from __future__ import annotations

import threading

from flask import Flask, request, url_for

KEEP = 4096


def register_kept_links(app: Flask) -> None:
    kept: dict[tuple, str] = {}
    lock = threading.Lock()

    def kept_url_for(endpoint: str, **values) -> str:
        if any(name.startswith("_") for name in values):
            return url_for(endpoint, **values)
        key = (request.script_root, request.blueprint if endpoint.startswith(".") else None, endpoint,
               tuple(sorted(values.items())))
        try:
            found = kept.get(key)
        except TypeError:  # a value that cannot be a key (a list)
            return url_for(endpoint, **values)
        if found is None:
            found = url_for(endpoint, **values)
            with lock:
                if len(kept) >= KEEP:
                    kept.clear()
                kept[key] = found
        return found

    app.jinja_env.globals["url_for"] = kept_url_for
