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


def post_worker_init(worker) -> None:
    if os.environ.get("GC_UNFREEZE") == "1":
        gc.unfreeze()
    stats = {"collections": [0, 0, 0], "seconds": [0.0, 0.0, 0.0], "longest": [0.0, 0.0, 0.0]}
    started = [0.0]

    def timed(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
            return
        generation, spent = info["generation"], time.perf_counter() - started[0]
        stats["collections"][generation] += 1
        stats["seconds"][generation] += spent
        stats["longest"][generation] = max(stats["longest"][generation], spent)

    gc.callbacks.append(timed)
    worker.gc_stats = stats


def worker_exit(server, worker) -> None:
    stats = getattr(worker, "gc_stats", None)
    if stats is not None and os.environ.get("GC_STATS_DIR"):
        stats.update(frozen=gc.get_freeze_count(), tracked=len(gc.get_objects()))
        (Path(os.environ["GC_STATS_DIR"]) / f"{os.getpid()}.json").write_text(json.dumps(stats))
