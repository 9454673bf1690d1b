"""Loading millions of demo rows fast: indexes and constraints built once after the load, a large
SQLite page cache, and inserts through the driver (COPY on PostgreSQL)."""
from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from itertools import islice, repeat

import numpy as np
from psycopg.copy import QueuedLibpqWriter
from sqlalchemy import UniqueConstraint
from sqlalchemy.schema import AddConstraint, DropConstraint

from campaign.core.extensions import db
from campaign.demo import binary_copy

COPY_CHUNK = 200_000


@contextmanager
def bulk_load(model, *, keys: bool = False):
    """Build the table's secondary indexes, and on PostgreSQL its unique constraints (and with
    ``keys`` its primary key, for tables nothing references) and foreign keys, once after a large
    load instead of row by row, as pg_restore does. 1M purchases on PostgreSQL: COPY 31 s with
    them in place, 1.5 s without; the 3.1M member rows of 1M purchases: 16.8 s, 5.2 s with the
    key rebuilt and checked after. All inside the caller's transaction, so nothing is left
    half-done; re-adding a constraint checks every row."""
    connection = db.session.connection()
    table = model.__table__
    indexes = list(table.indexes)
    constraints = []
    if connection.dialect.name == "postgresql":
        # sort each index build in memory (the 64 MB default spills to disk)
        connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
        constraints = [*table.foreign_key_constraints,
                       *(c for c in table.constraints if isinstance(c, UniqueConstraint)),
                       *([table.primary_key] if keys else [])]
    for constraint in constraints:
        connection.execute(DropConstraint(constraint))
    for index in indexes:
        index.drop(connection)
    yield
    for index in indexes:
        index.create(connection)
    for constraint in reversed(constraints):  # the primary key first, the foreign keys last
        connection.execute(AddConstraint(constraint))


def large_cache() -> None:
    """SQLite's default 2 MB page cache makes index inserts for a million rows disk-bound."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA cache_size = -524288")  # 512 MB, this connection only


def bulk_insert(model, rows: list[dict]) -> None:
    """Insert many rows (dicts with the same keys) through the driver; see :func:`insert_columns`."""
    if rows:
        insert_columns(model, {name: [row[name] for row in rows] for name in rows[0]}, len(rows))


def insert_columns(model, columns: dict[str, Iterable], count: int) -> None:
    """Insert ``count`` rows given as columns (lists, or ``itertools.repeat`` for one value) through
    the driver (COPY on PostgreSQL, executemany on SQLite), inside the session's transaction; the
    model's Python-side defaults fill the columns not given. The ORM's bulk insert spends most of
    its time building parameters."""
    if not count:
        return
    table = model.__table__
    defaults = {c.name: repeat(c.default.arg(None) if c.default.is_callable else c.default.arg)
                for c in table.columns if c.default is not None and c.name not in columns}
    columns = {**columns, **defaults}
    names = list(columns)
    rows = islice(zip(*columns.values()), count)
    connection = db.session.connection()
    raw = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        with raw.cursor().copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    process = [table.c[name].type._cached_bind_processor(connection.dialect) for name in names]
    if any(process):
        rows = ([p(value) if p else value for p, value in zip(process, row)] for row in rows)
    # Table and column names come from the models' metadata; every value is a bound parameter.
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"  # nosec B608
    raw.cursor().executemany(sql, rows)


def copy_columns(table: str, columns: dict, count: int) -> None:
    """PostgreSQL: ``count`` rows given as columns (see :mod:`campaign.demo.binary_copy`) through a
    binary COPY, encoded by numpy a chunk at a time while a writer thread sends the previous one,
    inside the session's transaction. 1M purchases: 1.2 s, 6.3 s through ``copy.write_row``."""
    if not count:
        return
    cursor = db.session.connection().connection.driver_connection.cursor()
    types = binary_copy.column_types(cursor, table)
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)"
    with cursor.copy(sql, writer=QueuedLibpqWriter(cursor)) as copy:
        copy.write(binary_copy.SIGNATURE)
        for start in range(0, count, COPY_CHUNK):
            part = slice(start, min(start + COPY_CHUNK, count))
            chunk = {name: _rows(value, part) for name, value in columns.items()}
            copy.write(binary_copy.encode(chunk, types, part.stop - part.start))
        copy.write(binary_copy.TRAILER)


def _rows(value, part: slice):
    if isinstance(value, binary_copy.Labels):
        return binary_copy.Labels(value.codes[part], value.labels)
    return value[part] if isinstance(value, np.ndarray) else value
