"""SQLite's WAL checkpoints run after a write transaction's turn, not inside a commit
(campaign.core.database.Checkpointer): the app's connections leave the WAL alone however much a
commit wrote, and each process folds it into the database after every SQLITE_CHECKPOINT_WRITES of
its write transactions, once it has let the next writer in; past SQLITE_WAL_LIMIT_MB it starts
the WAL over, which a passive checkpoint never does while writers and readers keep coming."""
import fcntl
import hashlib
import os
import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text

from campaign.core.database import write_transaction
from campaign.core.extensions import db
from campaign.domains.regions.services import region_by_code
from helpers import PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="WAL checkpoints are SQLite's")


def _database(app) -> Path:
    with app.app_context():
        return Path(db.engine.url.database)


def _digest(path: Path) -> str:
    """The database file itself: in WAL mode only a checkpoint writes to it."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write(app, capital: str, *, pages: int = 0) -> None:
    with app.app_context():
        with write_transaction():
            region_by_code("73.73").capital = capital
            if pages:  # a big commit: SQLite's automatic checkpoint would run inside it
                db.session.execute(text("CREATE TABLE IF NOT EXISTS filler (body BLOB)"))
                db.session.execute(text("INSERT INTO filler (body) SELECT zeroblob(4000) FROM "
                                        "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                                        "WHERE i < :pages) SELECT i FROM n)"), {"pages": pages})


def _capital_in_database_file(path: Path) -> str:
    """Palopo's capital as the database file holds it, without the WAL (a copy of the file alone)."""
    copy = path.with_name("file-only.sqlite3")
    copy.write_bytes(path.read_bytes())
    with sqlite3.connect(copy) as connection:
        return connection.execute("SELECT capital FROM region WHERE code = '73.73'").fetchone()[0]


@pytest.mark.parametrize("app_config", [{"SQLITE_CHECKPOINT_WRITES": 3}])
def test_the_wal_is_folded_into_the_database_after_every_few_writes_and_not_inside_a_commit(app):
    path = _database(app)
    before = _digest(path)
    for _ in range(3):  # up to a checkpoint, wherever the count stood (the app may have written already)
        _write(app, "Sebelum")
        if _digest(path) != before:
            break
    else:
        raise AssertionError("three writes and no checkpoint")
    before = _digest(path)
    _write(app, "Satu", pages=2_000)  # 8 MB: past SQLite's own 1,000-page threshold
    _write(app, "Dua")
    assert _digest(path) == before  # the WAL holds both commits, the database file is untouched
    assert _capital_in_database_file(path) == "Sebelum"
    _write(app, "Tiga")
    assert _digest(path) != before
    assert _capital_in_database_file(path) == "Tiga"
    with app.app_context():  # and readers see every commit all along
        assert region_by_code("73.73").capital == "Tiga"


@pytest.mark.parametrize("app_config", [{"SQLITE_CHECKPOINT_WRITES": 1}])
def test_the_checkpoint_runs_once_the_next_writer_may_go(app):
    """The checkpoint comes after the writer's gate is let go: another writer holding the gate
    meanwhile (as another worker process would) does not stop it."""
    path = _database(app)
    gate = str(path) + "-writer.lock"
    before = _digest(path)
    seen: list[bool] = []
    with app.app_context():
        from campaign.core import database

        checkpointer = database._CHECKPOINTERS[str(path)]
        wrote = checkpointer.wrote

        def wrote_while_another_writer_holds_the_gate():
            descriptor = os.open(gate, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if still held by this write
                seen.append(True)
                wrote()
            finally:
                os.close(descriptor)

        checkpointer.wrote = wrote_while_another_writer_holds_the_gate
        try:
            _write(app, "Palopo Baru")
        finally:
            del checkpointer.wrote
    assert seen == [True]
    assert _digest(path) != before
    assert _capital_in_database_file(path) == "Palopo Baru"


def _reading_all_along(path: Path, stop: threading.Event) -> None:
    """One of two readers that between them always have a read transaction open, as a busy
    day's page views do: each holds its snapshot for 20 ms, then begins another."""
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        while not stop.is_set():
            connection.execute("BEGIN")
            connection.execute("SELECT count(*) FROM region").fetchall()
            time.sleep(0.02)
            connection.execute("COMMIT")


@pytest.mark.parametrize("app_config", [{"SQLITE_CHECKPOINT_WRITES": 1, "SQLITE_WAL_LIMIT_MB": 1}])
def test_the_wal_starts_over_past_its_limit_while_readers_keep_reading(app):
    """A passive checkpoint never starts the WAL over while some reader is still reading from it;
    past SQLITE_WAL_LIMIT_MB the checkpoint waits for those readers and the WAL starts over, so
    it stays near the limit instead of growing with every write of the day."""
    path = _database(app)
    wal = Path(f"{path}-wal")
    stop = threading.Event()
    readers = [threading.Thread(target=_reading_all_along, args=(path, stop)) for _ in range(2)]
    readers[0].start()
    time.sleep(0.01)
    readers[1].start()
    sizes = []
    try:
        for n in range(20):
            _write(app, f"Palopo {n}", pages=300)  # 1.2 MB a write
            sizes.append(wal.stat().st_size)
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert max(sizes) < 4 * 1024 * 1024, sizes  # about the limit and a write or two, not 20 writes' 24 MB
    with app.app_context():
        assert region_by_code("73.73").capital == "Palopo 19"


@pytest.mark.parametrize("app_config", [{"SQLITE_CHECKPOINT_WRITES": 1, "SQLITE_WAL_LIMIT_MB": 1}])
def test_a_wal_file_a_burst_left_large_shrinks_when_the_wal_starts_over(app):
    path = _database(app)
    wal = Path(f"{path}-wal")
    with closing(sqlite3.connect(path, isolation_level=None)) as reader:
        reader.execute("BEGIN")  # an old snapshot: the WAL cannot start over under the burst
        reader.execute("SELECT count(*) FROM region").fetchall()
        for n in range(4):
            _write(app, f"Borongan {n}", pages=500)
        reader.execute("COMMIT")
    assert wal.stat().st_size > 6 * 1024 * 1024
    for n in range(3):
        _write(app, f"Sesudah {n}")
    assert wal.stat().st_size <= 2 * 1024 * 1024  # twice the limit at most


@pytest.mark.parametrize("app_config", [{"SQLITE_CHECKPOINT_WRITES": 1, "SQLITE_WAL_LIMIT_MB": 1}])
def test_writers_do_not_wait_for_a_long_reader_to_start_the_wal_over(app):
    """An export reading for seconds keeps the WAL from starting over: the checkpoint waits for it
    only briefly, once, and then lets the writes go on until it tries again a second later."""
    path = _database(app)
    holding, stop = threading.Event(), threading.Event()

    def export():
        with closing(sqlite3.connect(path, isolation_level=None)) as connection:
            connection.execute("BEGIN")
            connection.execute("SELECT count(*) FROM region").fetchall()
            holding.set()
            stop.wait(5)
            connection.execute("COMMIT")

    reader = threading.Thread(target=export)
    reader.start()
    holding.wait(5)
    waits = []
    try:
        for n in range(10):  # each past the limit
            started = time.monotonic()
            _write(app, f"Ekspor {n}", pages=300)
            waits.append(time.monotonic() - started)
    finally:
        stop.set()
        reader.join()
    # a write is some milliseconds; one that waited for the reader, the RESTART's 0.2 s
    assert sum(wait >= 0.15 for wait in waits) <= 2, waits
    with app.app_context():
        assert region_by_code("73.73").capital == "Ekspor 9"


@pytest.mark.parametrize("app_config", [{"SQLITE_CHECKPOINT_WRITES": 1}])
def test_a_checkpoint_that_fails_does_not_fail_the_committed_write(app, caplog):
    """The write is in before its checkpoint runs: a checkpoint that cannot open the database
    (here a path gone missing; in production, say, a full disk) is logged, and the write stands."""
    path = _database(app)
    with app.app_context():
        from campaign.core import database

        checkpointer = database._CHECKPOINTERS[str(path)]
        checkpointer.database = str(path.parent / "hilang" / path.name)
        try:
            _write(app, "Tetap Tersimpan")
        finally:
            checkpointer.database = str(path)
    assert "checkpoint" in caplog.text and "failed" in caplog.text
    with app.app_context():
        assert region_by_code("73.73").capital == "Tetap Tersimpan"
    _write(app, "Sesudahnya")  # and the next checkpoint runs as before
    assert _capital_in_database_file(path) == "Sesudahnya"
