"""What a served process does once, when its app is built.

A built app leaves about 150,000 objects that live as long as the process: modules, classes,
the models' mappers, the URL map, the extensions. CPython's full collections walk every one of
them each time, and a busy worker runs one every thousand requests or so: in process over the
busy-day routes of ``bench/busy.py`` (PostgreSQL, 10M purchases, ``bench/profiling.py pauses``),
2,000 requests spent 316 ms in collections, the longest 111 ms; with those objects frozen,
137 ms, the longest 13 ms. Served (``bench/gc_served.py``), the longest fell from 198-234 ms to
about 30 ms and the p99 of deep directory pages by about a third.
:func:`freeze_startup_objects` moves them into the permanent generation, which collections skip
(the Python documentation's advice for servers that fork).
"""
from __future__ import annotations

import gc
import os

from sqlalchemy.orm import configure_mappers

_frozen_in: int | None = None  # the process id that froze its objects


def freeze_startup_objects() -> None:
    """Build the mappers now (else the first query builds them, after the freeze), collect what
    start-up left behind, and freeze the rest; once per process (a second app built in the same
    process freezes nothing more)."""
    global _frozen_in
    if _frozen_in == os.getpid():
        return
    configure_mappers()
    gc.collect()
    gc.freeze()
    _frozen_in = os.getpid()
