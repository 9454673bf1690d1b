"""Engine set-up and the unit of work that service functions run in.

SQLite: every connection gets WAL, foreign keys and a busy timeout. pysqlite's own implicit
BEGIN is switched off so we emit BEGIN ourselves: a write transaction starts with
``BEGIN IMMEDIATE`` and so takes the write lock up front and waits for it (busy timeout)
instead of failing with "database is locked" when it upgrades from a read. PostgreSQL needs
none of this; rows are locked with ``SELECT ... FOR UPDATE`` where a rule reads then writes.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from .extensions import db

_IMMEDIATE = "campaign_sqlite_immediate"


def init_engine_events(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        immediate = connection.get_execution_options().get(_IMMEDIATE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def write_transaction() -> Iterator[None]:
    """Run a service's writes as one transaction: commit on success, roll back on any error.

    Any transaction the request already had open (say, loading ``current_user``) is ended first
    so the write starts from a fresh snapshot; on SQLite it begins with ``BEGIN IMMEDIATE``.
    Objects loaded before are expired and reload on next access.
    """
    session = db.session()  # the request's Session behind the scoped_session proxy
    if session.in_transaction():
        session.commit()
    session.connection(execution_options={_IMMEDIATE: True})
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise


def refresh_statistics() -> None:
    """``ANALYZE`` after a bulk load or rebuild: with stale statistics PostgreSQL guessed one shop
    per region and chose a nested loop that took 0.6 s for the idle-shops list (3 ms after)."""
    with write_transaction():
        db.session.execute(text("ANALYZE"))


def dialect_insert(table):
    """``INSERT`` with ``on_conflict_do_update`` for the running dialect (SQLite or PostgreSQL)."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)
