"""Engine set-up and the unit of work that service functions run in.

SQLite: every connection gets WAL, foreign keys and a busy timeout. pysqlite's own implicit
BEGIN is switched off so we emit BEGIN ourselves: a write transaction starts with
``BEGIN IMMEDIATE`` and so takes the write lock up front and waits for it (busy timeout)
instead of failing with "database is locked" when it upgrades from a read; before that, the
writers queue at a :class:`WriterGate`, which hands the lock over without SQLite's sleeps.
PostgreSQL needs none of this; rows are locked with ``SELECT ... FOR UPDATE`` where a rule reads
then writes. There a transaction that only read ends with COMMIT, not ROLLBACK, so that
psycopg keeps its prepared statements (:func:`_keep_prepared_statements`).
"""
from __future__ import annotations

import fcntl
import functools
import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager, nullcontext
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any, NamedTuple, TypeVar

from flask import Flask, current_app
from sqlalchemy import DateTime, event, inspect, select, text
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.dialects.postgresql import psycopg as psycopg_dialect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from campaign.core.errors import NotFound
from campaign.core.extensions import db

T = TypeVar("T")

_IMMEDIATE = "campaign_sqlite_immediate"


def init_engine_events(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"], app.config["SQLITE_CHECKPOINT_WRITES"],
                          app.config["SQLITE_WAL_LIMIT_MB"] * 1024 * 1024)
    elif engine.dialect.name == "postgresql":
        _keep_prepared_statements(engine)


_WROTE = "campaign_transaction_wrote"
_READ_START = re.compile(r"(?:SELECT|WITH)\b")
_WRITE_WORDS = ("INSERT", "UPDATE", "DELETE", "MERGE")
_WRITE_WORD = re.compile(r"\b(?:" + "|".join(_WRITE_WORDS) + r")\b")


@functools.lru_cache(maxsize=512)
def _only_reads(statement: str) -> bool:
    """A ``SELECT``, or a ``WITH`` whose parts do not write (``FOR UPDATE`` counts as writing:
    it locks rows). Kept per statement text, which comes from the code (the values travel as
    parameters): one regular expression over the whole text took 20 µs for a directory page's
    700-character statement and 100 µs for a 4 KB one, on every statement; a known text costs
    about 1 µs."""
    upper = statement.lstrip().upper()
    if not _READ_START.match(upper):
        return False
    return not any(word in upper for word in _WRITE_WORDS) or _WRITE_WORD.search(upper) is None


def _keep_prepared_statements(engine: Engine) -> None:
    """End a transaction that only read with COMMIT instead of ROLLBACK (the same to PostgreSQL:
    there is nothing to undo).

    psycopg prepares a statement on a connection once it has run five times, so PostgreSQL plans
    it once, but it forgets them all on every ROLLBACK. SQLAlchemy ends each request's session
    with one, so the statements of every page were planned again on every request: 0.9-1.3 ms
    of the database's CPU for each directory or search statement (EXPLAIN's planning time), more
    than running it.

    A transaction counts as one that wrote once it runs any statement but a ``SELECT`` (or a
    ``WITH`` that only reads) or enters :func:`write_transaction` (where the services write,
    also through the driver's own cursor, as the roster import does); such a transaction is
    rolled back as before, and so is a failed one. Deciding here costs no round trip: asking
    PostgreSQL (``txid_current_if_assigned()``) made every read request, ``/healthz`` included,
    one round trip longer."""
    from psycopg.pq import TransactionStatus

    @event.listens_for(engine, "begin")
    def forget(connection) -> None:
        connection.info.pop(_WROTE, None)

    @event.listens_for(engine, "before_cursor_execute")
    def note_writes(connection, _cursor, statement, *_args) -> None:
        if not _only_reads(statement):
            connection.info[_WROTE] = True

    @event.listens_for(engine, "rollback")
    def commit_if_only_read(connection) -> None:
        if connection.info.pop(_WROTE, False):
            return
        driver = connection.connection.driver_connection
        if driver.pgconn.transaction_status == TransactionStatus.INTRANS:  # not failed, not gone
            driver.commit()  # the rollback that follows finds no transaction and keeps the statements


class WriterGate:
    """One writer at a time per SQLite database file, queued before ``BEGIN IMMEDIATE``.

    SQLite lets one transaction write; the others wait in its busy handler, which sleeps 1, 2,
    5 ... up to 100 ms between tries, so under a burst of purchases the lock sits free while
    waiters sleep (10M-purchase benchmark, 3 workers, 16 connections: 102 purchases/s, p99
    1.4 s). Writers of this process queue on a thread lock, handed over the moment the holder
    commits, and then writers of all processes on an ``flock`` of ``<database>-writer.lock``,
    retried every half millisecond. The wait is bounded by the busy timeout: past it the writer
    goes on to SQLite's own waiting, so nothing waits longer than before. Re-entrant within a
    thread. A writer that does not use it (the sqlite3 shell) is still handled by SQLite.
    """

    POLL_SECONDS = 0.0005

    def __init__(self, database: str, timeout_ms: int):
        self.database = database
        self.path = f"{database}-writer.lock"
        self.timeout = timeout_ms / 1000
        self._threads = threading.Lock()
        self._local = threading.local()

    @contextmanager
    def held(self) -> Iterator[None]:
        depth = getattr(self._local, "depth", 0)
        descriptor = None
        if depth == 0:
            deadline = time.monotonic() + self.timeout
            if self._threads.acquire(timeout=self.timeout):
                descriptor = self._flock(deadline)
                if descriptor is None:
                    self._threads.release()
        self._local.depth = depth + 1
        try:
            yield
        finally:
            self._local.depth = depth
            if descriptor is not None:
                os.close(descriptor)  # releases the flock
                self._threads.release()

    def _flock(self, deadline: float) -> int | None:
        """The lock file's descriptor, locked; None if the deadline passed first."""
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return descriptor
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(descriptor)
                    return None
                time.sleep(self.POLL_SECONDS)


class Checkpointer:
    """SQLite's WAL checkpoints, run after a write transaction's turn instead of inside it.

    SQLite copies the WAL back into the database (a checkpoint) when a commit leaves 1,000 pages
    in it, inside that commit: a logged purchase writes about 45 pages, so one writer in about
    twenty spent 5-10 ms (mostly the fsync of ``synchronous = NORMAL``) in the one writer's turn
    while every other writer waited. The app's connections switch that off
    (``wal_autocheckpoint = 0``); instead each process runs a ``PASSIVE`` checkpoint, which waits
    for no reader or writer, after every ``every`` of its write transactions once it has left the
    writer's gate, on a connection of its own. Only one of its threads checkpoints at a time; the
    others go on. When the last connection to the database closes, SQLite checkpoints it as before.

    A passive checkpoint copies the WAL into the database but never starts it over. SQLite reuses
    the WAL from its beginning only when a writer begins after a checkpoint has copied all of it
    and while no reader still reads from it; with writers back to back the next one has always
    appended before the checkpoint ends, and on a busy day some reader is always reading. Under a
    steady stream of logged purchases the WAL grew by about 50 MB a second without ever starting
    over (the 10M-purchase benchmark's run left it at 724 MB). So once a passive checkpoint leaves
    more than ``wal_limit`` bytes in the WAL, the process takes the writer gate and runs a
    ``RESTART`` checkpoint: it copies what is left, waits up to :attr:`RESTART_WAIT_MS` for the
    readers still in the WAL (new readers read the database file), and the next writer starts the
    WAL from its beginning (9-20 ms with the gate held, every 64 MB). If a reader holds on longer
    (an export, a reconciliation), it gives up and waits :attr:`RESTART_BACKOFF_SECONDS` before
    trying again.
    """

    RESTART_WAIT_MS = 200
    RESTART_BACKOFF_SECONDS = 1.0

    def __init__(self, database: str, every: int, gate: WriterGate, wal_limit: int):
        self.database = database
        self.every = max(1, every)
        self.gate = gate
        self.wal_limit = wal_limit
        self._writes = 0
        self._lock = threading.Lock()
        self._restart_after = 0.0  # monotonic time before which no RESTART is tried
        self._page_bytes = 0

    def wrote(self) -> None:
        """Count a committed write transaction; checkpoint after every ``every``. A checkpoint
        that fails (a full disk) is logged and tried again after the next ``every`` writes: the
        write is committed, and its request answers as such."""
        self._writes += 1
        if self._writes < self.every or not self._lock.acquire(blocking=False):
            return
        try:
            self._writes = 0
            # a connection of its own, opened for it (a fraction of a millisecond against the
            # checkpoint's several): nothing kept open, nothing a forked worker inherits
            with closing(sqlite3.connect(self.database, isolation_level=None)) as connection:
                _busy, frames, _copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                if frames * self._page_size(connection) > self.wal_limit and time.monotonic() >= self._restart_after:
                    self._restart(connection)
        except sqlite3.Error as exc:
            current_app.logger.warning("SQLite checkpoint of %s failed: %s", self.database, exc)
        finally:
            self._lock.release()

    def _page_size(self, connection: sqlite3.Connection) -> int:
        if not self._page_bytes:
            self._page_bytes = connection.execute("PRAGMA page_size").fetchone()[0]
        return self._page_bytes

    def _restart(self, connection: sqlite3.Connection) -> None:
        """Start the WAL over, holding the writer gate so that the writers wait there meanwhile
        (not in SQLite's busy handler); back off if readers hold on past the wait."""
        connection.execute(f"PRAGMA busy_timeout = {self.RESTART_WAIT_MS}")
        with self.gate.held():
            busy, _frames, _copied = connection.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()
        if busy:
            self._restart_after = time.monotonic() + self.RESTART_BACKOFF_SECONDS


_GATES: dict[str, WriterGate] = {}
_CHECKPOINTERS: dict[str, Checkpointer] = {}


def _writer_gate():
    """The gate of the session's SQLite database file (none for PostgreSQL or in-memory SQLite)."""
    engine = db.session.get_bind()
    return _GATES.get(engine.url.database or "") if engine.dialect.name == "sqlite" else None


def writers_take_turns() -> bool:
    """Whether the session's database lets one write transaction run at a time, queued at a
    :class:`WriterGate` (a SQLite file): what runs inside one delays every other writer."""
    return _writer_gate() is not None


def _configure_sqlite(engine: Engine, busy_timeout_ms: int, checkpoint_writes: int, wal_limit: int) -> None:
    file = engine.url.database not in (None, "", ":memory:")
    if file:
        gate = _GATES.setdefault(engine.url.database, WriterGate(engine.url.database, busy_timeout_ms))
        _CHECKPOINTERS.setdefault(engine.url.database,
                                  Checkpointer(engine.url.database, checkpoint_writes, gate, wal_limit))

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if file:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA wal_autocheckpoint = 0")  # the Checkpointer's, after the writer's turn
            # when the WAL starts over, a file a burst (an import) left larger than this shrinks to it
            cursor.execute(f"PRAGMA journal_size_limit = {2 * int(wal_limit)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        immediate = connection.get_execution_options().get(_IMMEDIATE)
        # on the driver: through SQLAlchemy's execution it took three times as long, and a write's
        # BEGIN IMMEDIATE is the first thing inside the one writer's turn
        connection.connection.driver_connection.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")


_WRITING = "campaign_write_transaction"
_HELD = "campaign_rows_held"


class _Writing(NamedTuple):
    """The running write transaction's dialect and, on SQLite, its sqlite3 connection."""

    dialect: str
    driver: Any


# set by write_transaction for its body, so that the statements inside SQLite's one writer's turn
# reach their connection without asking the session for it (the scoped session's lookup, the
# session's and Flask-SQLAlchemy's bind resolution: about a tenth of a logged purchase's turn)
_RUNNING: ContextVar[_Writing | None] = ContextVar("campaign_running_write", default=None)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _transaction_ended(_session) -> None:
    """A transaction ended inside a write transaction's body (nothing in the code does that): its
    connection is no longer the session's, so the statements after it ask the session again."""
    _RUNNING.set(None)


@contextmanager
def write_transaction() -> Iterator[None]:
    """Run a service's writes as one transaction: commit on success, roll back on any error.

    Any transaction the request already had open (say, loading ``current_user``) is ended first
    so the write starts from a fresh snapshot; on SQLite it begins with ``BEGIN IMMEDIATE``.
    Objects loaded before are expired and reload on next access.

    Inside a write transaction already open (a request that authenticates and writes in one
    transaction, see ``campaign.api.auth.writes``), it joins that one: the outer one commits or
    rolls back, so a request is one transaction however many services it calls.
    """
    session = db.session()  # the request's Session behind the scoped_session proxy
    if session.info.get(_WRITING):
        yield
        return
    if session.in_transaction():
        session.commit()
    gate = _writer_gate()
    with gate.held() if gate else nullcontext():
        connection = session.connection(execution_options={_IMMEDIATE: True})
        connection.info[_WROTE] = True
        session.info[_WRITING] = True
        sqlite = connection.dialect.name == "sqlite"
        running = _RUNNING.set(_Writing(connection.dialect.name,
                                        connection.connection.driver_connection if sqlite else None))
        try:
            yield
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            _RUNNING.reset(running)
            session.info.pop(_WRITING, None)
            session.info.pop(_HELD, None)
    if gate is not None:  # committed, and the next writer's turn has begun
        _CHECKPOINTERS[gate.database].wrote()


def dialect_name() -> str:
    """The name of the session's dialect (``sqlite``, ``postgresql``); inside a write transaction
    without asking the session."""
    running = _RUNNING.get()
    return running.dialect if running is not None else db.session.get_bind().dialect.name


def hold(model: type, ident: int) -> None:
    """Note that the running write transaction has locked the row ``model``/``ident`` (``SELECT
    ... FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` holds every row), so a service
    it calls later can take the loaded object instead of locking it again (:func:`holds`)."""
    db.session().info.setdefault(_HELD, set()).add((model, ident))


def holds(model: type, ident: int) -> bool:
    """Whether the running write transaction has already locked that row (:func:`hold`)."""
    return (model, ident) in db.session().info.get(_HELD, ())


def refresh_statistics() -> None:
    """``ANALYZE`` after a bulk load or rebuild: with stale statistics PostgreSQL guessed one shop
    per region and chose a nested loop that took 0.6 s for the idle-shops list (3 ms after)."""
    with write_transaction():
        db.session.execute(text("ANALYZE"))


def driver_rows(sql: str, params: Iterable = (), *, session=None) -> list[tuple]:
    """Run driver SQL (``?`` marks on SQLite, ``%s`` on PostgreSQL) in the session's transaction;
    its rows, if it returns any.

    On SQLite straight on the sqlite3 connection, which keeps the statement prepared: SQLAlchemy's
    execution of a driver statement (its context, events and result) took 30-60 µs where SQLite's
    own took 10, and a logged purchase runs a dozen of them inside the one writer's turn. The
    values are stored as SQLAlchemy's types store them there (:func:`_sqlite_values`). On
    PostgreSQL through SQLAlchemy, whose events note that the transaction wrote
    (:func:`_keep_prepared_statements`). ``session``: another than the request's."""
    running = _RUNNING.get() if session is None else None
    if running is not None and running.driver is not None:
        return running.driver.execute(sql, _sqlite_values(params)).fetchall()
    connection = (session or db.session).connection()
    if connection.dialect.name == "sqlite":
        return connection.connection.driver_connection.execute(sql, _sqlite_values(params)).fetchall()
    result = connection.exec_driver_sql(sql, tuple(params))
    return result.all() if result.returns_rows else []


_SQLITE = sqlite_dialect.dialect()
_SQLITE_DATETIME = DateTime(timezone=True).dialect_impl(_SQLITE).bind_processor(_SQLITE)
_STORED_AS_IS = frozenset({int, str, float, bool, bytes, type(None)})


def _sqlite_values(values: Iterable) -> tuple:
    """``values`` as SQLAlchemy stores them on SQLite (:func:`driver_rows` stores them so): datetimes in its
    ``DATETIME`` text, dates in ISO form, dicts and lists as JSON. Values that need none of this
    (a tally move's hundred or so integers) are checked by type in one pass without a Python call
    per value."""
    values = tuple(values)
    if _STORED_AS_IS.issuperset(map(type, values)):
        return values
    return tuple(_SQLITE_DATETIME(value) if isinstance(value, datetime)
                 else value.isoformat() if isinstance(value, date)
                 else json.dumps(value) if isinstance(value, (dict, list)) else value for value in values)


class DriverSQL(NamedTuple):
    sql: str
    names: tuple[str, ...]
    fixed: dict[str, Any]
    readers: tuple[Callable[[Any], Any] | None, ...]  # () when no column needs one
    binders: tuple[Callable[[Any], Any] | None, ...]  # () when no value needs one (SQLite: _sqlite_values)

    def values(self, params: dict[str, Any]) -> tuple:
        """The statement's values in order, ``params`` and the statement's own literals."""
        values = tuple(params[name] if name in params else self.fixed[name] for name in self.names)
        if not self.binders:
            return values
        return tuple(value if binder is None else binder(value) for binder, value in zip(self.binders, values))

    def read(self, row: tuple) -> tuple:
        """A row the driver returned, each value as SQLAlchemy's type of its column reads it."""
        if not self.readers:
            return row
        return tuple(value if reader is None or value is None else reader(value)
                     for reader, value in zip(self.readers, row))


_POSTGRESQL = psycopg_dialect.dialect(paramstyle="format")  # positional %s, as DriverSQL.values gives them


@functools.cache
def driver_sql(statement, dialect: str) -> DriverSQL | None:
    """A Core statement built once and kept, as ``dialect``'s driver SQL (``sqlite`` for
    :func:`driver_rows`, ``postgresql`` for psycopg), with the names of its parameters in order,
    the values it carries itself, how to read each column it returns and, on PostgreSQL, how to
    bind each value as SQLAlchemy's type of its parameter does (JSON, booleans; on SQLite
    :func:`_sqlite_values` does it): one definition for both databases, compiled once. None for a
    statement whose text depends on its values (an expanding ``IN``), which runs through
    SQLAlchemy."""
    compiler = _SQLITE if dialect == "sqlite" else _POSTGRESQL
    compiled = statement.compile(dialect=compiler)
    if compiled.post_compile_params or compiled.literal_execute_params:
        return None
    names = tuple(compiled.positiontup or ())
    readers = tuple(column.type.dialect_impl(compiler).result_processor(compiler, None)
                    for column in statement.selected_columns)
    binders = () if dialect == "sqlite" else tuple(
        compiled.binds[name].type.dialect_impl(compiler).bind_processor(compiler) for name in names)
    return DriverSQL(compiled.string, names, dict(compiled.params), readers if any(readers) else (),
                     binders if any(binders) else ())


def rows(statement, params: dict[str, Any]) -> list[tuple]:
    """The rows of a Core statement built once and kept, as tuples of the values SQLAlchemy's types
    read, in the session's transaction, through the driver with the statement's compiled text
    kept (:func:`driver_sql`): on SQLite through :func:`driver_rows`, on PostgreSQL on psycopg's
    connection. SQLAlchemy's execution and result machinery took several times SQLite's own work
    inside its one writer's turn, and on PostgreSQL 0.45 ms of a worker's CPU for a directory
    page's statement, against 0.19 ms here."""
    dialect = dialect_name()
    driver = driver_sql(statement, dialect)
    if driver is None:
        return [tuple(row) for row in db.session.execute(statement, params)]
    if dialect == "sqlite":
        found = driver_rows(driver.sql, driver.values(params))
    else:
        connection = db.session.connection()
        if not _only_reads(driver.sql):  # as _keep_prepared_statements notes a write SQLAlchemy runs
            connection.info[_WROTE] = True
        found = connection.connection.driver_connection.execute(driver.sql, driver.values(params)).fetchall()
    return [driver.read(row) for row in found] if driver.readers else found


class ColumnAttributes(NamedTuple):
    names: tuple[str, ...]
    attributes: tuple


@functools.cache
def column_attributes(model: type) -> ColumnAttributes:
    """The names of ``model``'s column attributes and the attributes, in mapper order: what to
    select for :func:`loaded` (``dict(zip(names, row))``)."""
    names = tuple(attribute.key for attribute in inspect(model).column_attrs)
    return ColumnAttributes(names, tuple(getattr(model, name) for name in names))


def loaded(model: type[T], values: dict[str, Any]) -> T:
    """The object of ``model`` holding ``values`` (column attributes by name, the primary key
    among them), in the session as if a query had loaded it: persistent, with no changes to
    flush; an attribute not given loads on first access, as after ``load_only``. An object of
    that identity the session has already is given the values (any change it had on them is
    dropped, as a refresh would) and returned instead.

    For rows read with :func:`rows` inside SQLite's one writer's turn: a query's loading
    machinery (its context, the row processors it builds at each run, one per joined
    relationship) took a fifth of a confirmation's turn; this is a dictionary and the session's
    ``add``."""
    session = db.session()
    mapper = inspect(model)
    key = mapper.identity_key_from_primary_key([values[name] for name in _primary_key(model)])
    instance = session.identity_map.get(key)
    if instance is not None:
        for name, value in values.items():
            set_committed_value(instance, name, value)
        return instance
    instance = mapper.class_manager.new_instance()  # as the query's loading creates it: no __init__
    instance.__dict__.update(values)  # loaded state: no history
    make_transient_to_detached(instance)
    session.add(instance)
    return instance


@functools.cache
def _primary_key(model: type) -> tuple[str, ...]:
    mapper = inspect(model)
    return tuple(mapper.get_property_by_column(column).key for column in mapper.primary_key)


def sql_list(values) -> str:
    """``'a', 'b'``: fixed values from the code, for a CHECK constraint's ``IN (...)``."""
    return ", ".join(f"'{value}'" for value in values)


def dialect_insert(table):
    """``INSERT`` with ``on_conflict_do_update`` for the running dialect (SQLite or PostgreSQL)."""
    if dialect_name() == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def get_or_not_found(model: type[T], ident: int, message: str, *, for_update: bool = False) -> T:
    """The row of ``model`` with primary key ``ident`` (locked FOR UPDATE with ``for_update``),
    or NotFound with ``message``, which a view turns into a 404."""
    if for_update:
        row = db.session.scalar(select(model).where(model.id == ident).with_for_update())
    else:
        row = db.session.get(model, ident)
    if row is None:
        raise NotFound(message)
    return row
