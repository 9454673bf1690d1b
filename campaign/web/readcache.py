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

import dataclasses
import hashlib
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app

from campaign.web import markers

T = TypeVar("T")
Version = tuple
ENTRY_OVERHEAD = 256  # bytes: the entry's tuple, the key, the ordered dict's node


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


def size_of(value: Any, _depth: int = 0) -> int:
    """An estimate of the bytes ``value`` holds (its containers, dataclasses and strings), for
    the cache's bound; shared objects are counted each time they appear, which errs high."""
    size = sys.getsizeof(value)
    if _depth > 6 or isinstance(value, str | bytes | int | float | bool | type(None)):
        return size
    if isinstance(value, dict):
        return size + sum(size_of(k, _depth + 1) + size_of(v, _depth + 1) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return size + sum(size_of(item, _depth + 1) for item in value)
    if dataclasses.is_dataclass(value):
        return size + sum(size_of(getattr(value, f.name), _depth + 1) for f in dataclasses.fields(value))
    if hasattr(value, "__dict__"):
        return size + size_of(vars(value), _depth + 1)
    return size


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
    cache().put(key, version, value, size_of(value) + size_of(key))
    return value


def recent(name: str, max_age: float, read: Callable[[], T]) -> T:
    """``read()``'s answer (markers), reused by this process for up to ``max_age`` seconds.

    The bounded staleness window of anonymous pages: with ``max_age`` N, a write is seen by
    each worker's anonymous pages at most N seconds later; with 0, at once.
    """
    if max_age <= 0:
        return read()
    kept = current_app.extensions.setdefault("recent_markers", {})
    now = time.monotonic()
    found = kept.get(name)
    if found is not None and now - found[0] < max_age:
        return found[1]
    value = read()
    kept[name] = (now, value)
    return value


def shops_version(max_age: float = 0) -> Version:
    tokens = recent("markers", max_age, markers.snapshot)
    return tokens.get(markers.REFERENCE), tokens.get(markers.SHOPS)


def etag(key: tuple, version: Version) -> str:
    return hashlib.sha256(repr((key, version)).encode()).hexdigest()[:32]
