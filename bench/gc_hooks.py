"""A gunicorn configuration file for :mod:`bench.gc_served`: each worker records the garbage
collector's collections and pauses, and writes them to ``$GC_STATS_DIR`` when it exits; with
``GC_UNFREEZE=1`` it first undoes the freeze of its start-up objects (:mod:`campaign.core.startup`),
so one checkout can be served both ways. Not used outside the benchmark.

    GUNICORN_CMD_ARGS="-c bench/gc_hooks.py" GC_STATS_DIR=/tmp/gc GC_UNFREEZE=1 gunicorn ...
"""
from __future__ import annotations

import gc
import json
import os
import time
from pathlib import Path


class Pauses:
    """A ``gc.callbacks`` entry: per generation, how many collections, their seconds and the longest
    (also what ``bench/profiling.py pauses`` reads in process)."""

    def __init__(self) -> None:
        self.stats = {"collections": [0, 0, 0], "seconds": [0.0, 0.0, 0.0], "longest": [0.0, 0.0, 0.0]}
        self._started = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        generation, spent = info["generation"], time.perf_counter() - self._started
        self.stats["collections"][generation] += 1
        self.stats["seconds"][generation] += spent
        self.stats["longest"][generation] = max(self.stats["longest"][generation], spent)


def post_worker_init(worker) -> None:
    if os.environ.get("GC_UNFREEZE") == "1":
        gc.unfreeze()
    worker.gc_pauses = Pauses()
    gc.callbacks.append(worker.gc_pauses)


def worker_exit(server, worker) -> None:
    pauses = getattr(worker, "gc_pauses", None)
    if pauses is not None and os.environ.get("GC_STATS_DIR"):
        stats = dict(pauses.stats, frozen=gc.get_freeze_count(), tracked=len(gc.get_objects()))
        (Path(os.environ["GC_STATS_DIR"]) / f"{os.getpid()}.json").write_text(json.dumps(stats))
