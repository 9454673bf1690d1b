"""Several writes of one change sent as one statement: PostgreSQL's data-modifying ``WITH``.

A logged purchase writes the purchase, four kinds of tally rows, the audit record: on
PostgreSQL each is a round trip of its own unless they travel together, as common table
expressions of one statement (``WITH p AS (INSERT ... RETURNING id), m AS (INSERT ... SELECT
... WHERE EXISTS (SELECT 1 FROM p)) ... SELECT id FROM p``). A part names the parts it reads,
which orders them: PostgreSQL runs every part exactly once, and one that reads another's
``RETURNING`` after it. SQLite has no data-modifying ``WITH``; its callers write part by part.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from campaign.core.extensions import db


@dataclass
class Chain:
    """The parts of one statement, in order: ``(name, SQL with %s marks, parameters)``."""

    parts: list[tuple[str, str, tuple]] = field(default_factory=list)

    def add(self, name: str, sql: str, params: tuple = ()) -> None:
        self.parts.append((name, sql, tuple(params)))

    def fresh(self, prefix: str) -> str:
        """A part name starting with ``prefix`` that no part has yet."""
        taken = {name.split("(", 1)[0] for name, _, _ in self.parts}
        return next(f"{prefix}{n}" for n in range(len(self.parts) + 1) if f"{prefix}{n}" not in taken)

    @staticmethod
    def condition(guard: str | None, after: str | None = None) -> str:
        """A ``WHERE`` condition for a new part: it runs only if the part ``guard`` (None: any)
        returned a row, and, reading the part ``after`` (which has a ``RETURNING``), only once
        that part has run, so it locks its rows after that part's, in the global order."""
        conditions = [f"EXISTS (SELECT 1 FROM {guard})"] if guard else []  # nosec B608: part names from the code
        if after is not None and after != guard:
            conditions.append(f"(SELECT count(*) FROM {after}) >= 0")  # nosec B608: as above
        return " AND ".join(conditions) or "TRUE"

    def statement(self, final: str) -> tuple[str, tuple]:
        """``WITH`` every part, then ``final`` (a SELECT reading the parts)."""
        ctes = ",\n".join(f"{name} AS ({sql})" for name, sql, _ in self.parts)
        params = tuple(value for _, _, values in self.parts for value in values)
        return f"WITH {ctes}\n{final}", params

    def run(self, final: str) -> list[Any]:
        """Send the whole chain as one statement in the session's transaction; ``final``'s rows.

        It goes with PostgreSQL's own ``$n`` marks through psycopg's ``RawCursor``: a chain is
        longer (7 KB, 211 parameters for a purchase) than psycopg caches its ``%s`` conversion
        for, and converting it on every call cost a third of a logged purchase's time in the
        driver. The text of a kind of chain is always the same, so psycopg also prepares it on
        the server after a few calls, and PostgreSQL stops planning it each time."""
        from psycopg import RawCursor

        sql, params = self.statement(final)
        connection = db.session.connection()
        driver = connection.connection.driver_connection
        usual, driver.cursor_factory = driver.cursor_factory, RawCursor
        try:
            return connection.exec_driver_sql(numbered(sql), params).all()
        finally:
            driver.cursor_factory = usual


_MARKS = re.compile(r"%[s%]")


@functools.lru_cache(maxsize=256)
def numbered(sql: str) -> str:
    """``%s`` marks as ``$1``, ``$2`` ... in order, ``%%`` as ``%`` (once per text of a chain)."""
    count = 0

    def mark(match: re.Match) -> str:
        nonlocal count
        if match.group() == "%%":
            return "%"
        count += 1
        return f"${count}"
    return _MARKS.sub(mark, sql)


def values(rows: list[tuple], casts: tuple[str, ...]) -> tuple[str, tuple]:
    """``VALUES (%s::type, ...), (%s, ...)``: the first row cast to the column types (the others
    follow it), and the flattened parameters."""
    if not rows:
        raise ValueError("VALUES needs at least one row")
    first = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    rest = "(" + ", ".join(["%s"] * len(casts)) + ")"
    sql = "VALUES " + ", ".join([first] + [rest] * (len(rows) - 1))
    return sql, tuple(value for row in rows for value in row)
