"""Several writes of one change sent as one statement: PostgreSQL's data-modifying ``WITH``.

A logged purchase writes the purchase, four kinds of tally rows, the audit record: on
PostgreSQL each is a round trip of its own unless they travel together, as common table
expressions of one statement (``WITH p AS (INSERT ... RETURNING id), m AS (INSERT ... SELECT
... WHERE EXISTS (SELECT 1 FROM p)) ... SELECT id FROM p``). A part names the parts it reads,
which orders them: PostgreSQL runs every part exactly once, and one that reads another's
``RETURNING`` after it. SQLite has no data-modifying ``WITH``; its callers write part by part.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from campaign.core.extensions import db


@dataclass
class Chain:
    """The parts of one statement, in order: ``(name, SQL with %s marks, parameters)``."""

    parts: list[tuple[str, str, tuple]] = field(default_factory=list)

    def add(self, name: str, sql: str, params: tuple = ()) -> None:
        self.parts.append((name, sql, tuple(params)))

    def statement(self, final: str) -> tuple[str, tuple]:
        """``WITH`` every part, then ``final`` (a SELECT reading the parts)."""
        ctes = ",\n".join(f"{name} AS ({sql})" for name, sql, _ in self.parts)
        params = tuple(value for _, _, values in self.parts for value in values)
        return f"WITH {ctes}\n{final}", params

    def run(self, final: str) -> list[Any]:
        """Send the whole chain as one statement in the session's transaction; ``final``'s rows."""
        sql, params = self.statement(final)
        return db.session.connection().exec_driver_sql(sql, params).all()


def values(rows: list[tuple], casts: tuple[str, ...]) -> tuple[str, tuple]:
    """``VALUES (%s::type, ...), (%s, ...)``: the first row cast to the column types (the others
    follow it), and the flattened parameters."""
    if not rows:
        raise ValueError("VALUES needs at least one row")
    first = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    rest = "(" + ", ".join(["%s"] * len(casts)) + ")"
    sql = "VALUES " + ", ".join([first] + [rest] * (len(rows) - 1))
    return sql, tuple(value for row in rows for value in row)
