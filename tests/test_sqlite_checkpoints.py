"""SQLite's WAL checkpoints run after a write transaction's turn, not inside a commit
(campaign.core.database.Checkpointer): the app's connections leave the WAL alone however much a
commit wrote, and each process folds it into the database after every SQLITE_CHECKPOINT_WRITES of
its write transactions, once it has let the next writer in."""
import fcntl
import hashlib
import os
import sqlite3
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
