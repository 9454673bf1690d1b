"""A per-process cache of public read results, each kept under the change markers it depends on.

A result is served from the cache only while the markers (:mod:`campaign.web.markers`) still hold
the tokens it was built under, so every worker and every app instance on the same database
answers from current data: the marker is read on each request (one small indexed read), and a
write anywhere changes it in the same transaction as the data. The same version decides a
public response's ETag before any work, so a matching ``If-None-Match`` costs that one read.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app

from campaign.web import markers

T = TypeVar("T")
MAX_ENTRIES = 1024
Version = tuple


class ReadCache:
    """Least recently used entries of (key -> (version, value)), at most ``size`` of them."""

    def __init__(self, size: int = MAX_ENTRIES) -> None:
        self._size = size
        self._entries: OrderedDict[tuple, tuple[Version, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, version: Version) -> tuple[bool, Any]:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != version:
                return False, None
            self._entries.move_to_end(key)
            return True, entry[1]

    def put(self, key: tuple, version: Version, value: Any) -> None:
        with self._lock:
            self._entries[key] = (version, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


def _cache() -> ReadCache:
    return current_app.extensions.setdefault("read_cache", ReadCache())


def remember(key: tuple, version: Version, build: Callable[[], T]) -> T:
    """``build()``'s result for ``key`` at ``version`` (just read), from the cache when it holds
    that version.

    A write that commits while ``build`` runs can make the value newer than ``version``, never
    older (the markers are read first). That is harmless: marker tokens are random, so once the
    newer token is visible no request finds the older one again, and the entry is rebuilt.
    """
    found, value = _cache().get(key, version)
    if found:
        return value
    value = build()
    _cache().put(key, version, value)
    return value


def lookup(key: tuple, version: Version) -> tuple[bool, Any]:
    return _cache().get(key, version)


def store(key: tuple, version: Version, value: Any) -> None:
    _cache().put(key, version, value)


def shops_version() -> Version:
    tokens = markers.snapshot()
    return tokens.get(markers.REFERENCE), tokens.get(markers.SHOPS)


def etag(key: tuple, version: Version) -> str:
    return hashlib.sha256(repr((key, version)).encode()).hexdigest()[:32]
