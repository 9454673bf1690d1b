"""A per-process cache of public read results, each kept under the change markers it depends on.

A result is served from the cache only while the markers (:mod:`campaign.web.markers`) still hold
the tokens it was built under, so every worker and every app instance on the same database
answers from current data: the marker is read on each request (one small indexed read), and a
write anywhere changes it in the same transaction as the data. The same version decides a
public response's ETag before any work, so a matching ``If-None-Match`` costs that one read.

The cache is bounded in bytes (``READ_CACHE_BYTES`` for read results, ``PAGE_CACHE_BYTES`` for
whole pages, :mod:`campaign.web.pagecache`), least recently used first out, so however many
distinct URLs a crawler sends, a worker's memory stays bounded. Anonymous pages may read the
markers through :func:`recent`, which reuses a read for ``PAGE_CACHE_STALE_SECONDS``.
"""
from __future__ import annotations

import hashlib
import pickle  # nosec B403: only to measure our own values, never to load anything
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, g

from campaign.core.extensions import db
from campaign.web import markers

T = TypeVar("T")
Version = tuple
ENTRY_OVERHEAD = 256  # bytes: the entry's tuple, the key, the ordered dict's node
MEMORY_PER_PICKLED_BYTE = 5  # measured on standings and directory pages: 4-5 bytes of objects per byte
UNPICKLABLE_SIZE = 64 * 1024


class ReadCache:
    """Least recently used entries of (key -> (version, value)), at most ``max_bytes`` of them
    by the sizes given to :meth:`put`. A value larger than the whole cache is not kept."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict[tuple, tuple[Version, Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple, version: Version) -> tuple[bool, Any]:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != version:
                return False, None
            self._entries.move_to_end(key)
            return True, entry[1]

    def put(self, key: tuple, version: Version, value: Any, size: int) -> None:
        size += ENTRY_OVERHEAD
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.bytes -= old[2]
            if size > self.max_bytes:
                return
            self._entries[key] = (version, value, size)
            self.bytes += size
            while self.bytes > self.max_bytes:
                self.bytes -= self._entries.popitem(last=False)[1][2]


def size_of(value: Any) -> int:
    """An estimate of the bytes ``value`` holds in memory, for the cache's bound: what its
    ``approximate_bytes()`` says where it has one (the leaderboard's results, whose rows cost
    more to pickle than to compute), else its pickled length (a C-speed walk of every object in
    it) times the usual ratio of Python objects to their pickle; a value that cannot be pickled
    counts as :data:`UNPICKLABLE_SIZE`."""
    if isinstance(value, bytes | str):
        return sys.getsizeof(value)
    estimate = getattr(value, "approximate_bytes", None)
    if callable(estimate):
        return int(estimate())
    try:
        return MEMORY_PER_PICKLED_BYTE * len(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except (pickle.PicklingError, TypeError, AttributeError):
        return UNPICKLABLE_SIZE


def cache(name: str = "read_cache", setting: str = "READ_CACHE_BYTES") -> ReadCache:
    """The app's cache ``name``, bounded by the configuration value ``setting`` (bytes)."""
    found = current_app.extensions.get(name)
    if found is None:
        found = current_app.extensions.setdefault(name, ReadCache(int(current_app.config[setting])))
    return found


def remember(key: tuple, version: Version, build: Callable[[], T]) -> T:
    """``build()``'s result for ``key`` at ``version`` (just read), from the cache when it holds
    that version.

    A write that commits while ``build`` runs can make the value newer than ``version``, never
    older (the markers are read first). That is harmless: marker tokens are random, so once the
    newer token is visible no request finds the older one again, and the entry is rebuilt.
    """
    found, value = cache().get(key, version)
    if found:
        return value
    value = build()
    cache().put(key, version, value, size_of(value) + sys.getsizeof(repr(key)))
    return value


def recent(name: str, max_age: float, read: Callable[[], T]) -> T:
    """``read()``'s answer (markers), reused by this process for up to ``max_age`` seconds.

    The bounded staleness window of anonymous pages: with ``max_age`` N, a write is seen by
    each worker's anonymous pages at most N seconds later. With 0 the markers are read once per
    request, and again after each commit of this request's session that touched a marker (so a
    request sees its own writes at once, and everyone else's as of its first read).
    """
    max_age = max(max_age, g.get("markers_max_age", 0))  # an anonymous page's render (pagecache)
    fresh = g.setdefault("request_markers", {})
    stamp = (name, markers.commits(db.session()))
    if stamp in fresh:
        return fresh[stamp]
    if max_age <= 0:
        fresh[stamp] = read()
        return fresh[stamp]
    # A fresh read never restarts the window: otherwise, under a steady trickle of writes, every
    # page rendered would move the version the others are kept under, and none would be kept.
    kept = current_app.extensions.setdefault("recent_markers", {})
    now = time.monotonic()
    found = kept.get(name)
    if found is None or now - found[0] >= max_age:
        found = kept[name] = (now, fresh.setdefault(stamp, read()))
    return found[1]


def shops_version(max_age: float = 0) -> Version:
    tokens = recent("markers", max_age, markers.snapshot)
    return tokens.get(markers.REFERENCE), tokens.get(markers.SHOPS)


def etag(key: tuple, version: Version) -> str:
    return hashlib.sha256(repr((key, version)).encode()).hexdigest()[:32]
