"""Demo data of the agency's other programmes (affected-UMKM data, the needs board), loaded by ``seed-demo``
after the campaign's own data, each through its own transactions, which also fill their tallies."""
from __future__ import annotations

import random

from sqlalchemy import func, select, text

from .affected import demo as affected_demo
from .database import write_transaction
from .extensions import db
from .needs import demo as needs_demo


def seed(random_seed: int) -> dict[str, int]:
    """Seed every programme; returns counts for the summary line."""
    rng = random.Random(random_seed)
    with write_transaction():
        sync_id_sequences()
        reports = affected_demo.seed(rng)
    return {"laporan UMKM terdampak": reports, **needs_demo.seed()}


def sync_id_sequences() -> None:
    """On PostgreSQL, move each ``id`` sequence past the largest id. The demo's bulk load writes
    users and shops with explicit ids, which leaves their sequences behind: the next account made
    the ordinary way (ours here, or a real sign-up later) would collide with a demo row."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        column = table.c.get("id")
        if column is None or not column.primary_key or not column.autoincrement:
            continue
        highest = db.session.scalar(select(func.max(column)))
        if highest is not None:
            db.session.execute(text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :value)"),
                               {"table": table.name, "value": highest})
