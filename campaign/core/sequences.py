"""Identity sequences after rows were loaded with explicit ids (``seed-demo``, a restore).

PostgreSQL hands out ids from a sequence that an ``INSERT``/``COPY`` with explicit ids does not
move; the next ordinary insert would then take an id already in use (UniqueViolation). SQLite
takes max(id) + 1 by itself, so there is nothing to do there.
"""
from __future__ import annotations

from sqlalchemy import Integer, func, select, text

from campaign.core.extensions import db


def move_sequences_past_ids() -> int:
    """Set the sequence of every integer primary key to continue after the table's largest id
    (or at 1 for an empty table), in the session's transaction. Returns how many were moved."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return 0
    moved = 0
    for table in db.metadata.sorted_tables:
        for column in table.primary_key.columns:
            if not isinstance(column.type, Integer) or column.autoincrement is False:
                continue
            sequence = connection.scalar(text("SELECT pg_get_serial_sequence(:table, :column)"),
                                         {"table": f'"{table.name}"', "column": column.name})
            if sequence is None:
                continue
            largest = select(func.max(column)).scalar_subquery()
            connection.execute(select(func.setval(sequence, func.coalesce(largest, 0) + 1, False)))
            moved += 1
    return moved
