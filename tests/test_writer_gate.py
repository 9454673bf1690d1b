"""SQLite writers queue at the writer gate before BEGIN IMMEDIATE (campaign.core.database.WriterGate):
another process holding it makes a write wait, the write goes ahead the moment it is let go, and
no write waits at the gate longer than the busy timeout."""
import fcntl
import os
import threading
import time

import pytest

from campaign.core.database import write_transaction
from campaign.core.extensions import db
from campaign.domains.regions.services import region_by_code
from helpers import PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="the gate is SQLite's (PostgreSQL has row locks)")


def _gate_path(app) -> str:
    with app.app_context():
        return f"{db.engine.url.database}-writer.lock"


def _held_by_another_process(path: str) -> int:
    """The gate's lock taken through a separate open file, as another worker process takes it."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    return descriptor


def _write(app, done: list) -> None:
    with app.app_context():
        with write_transaction():
            region = region_by_code("73.73")
            region.capital = "Palopo"
        done.append(time.monotonic())


def test_a_write_waits_while_another_process_writes_and_goes_ahead_when_it_is_done(app):
    held = _held_by_another_process(_gate_path(app))
    done: list[float] = []
    writer = threading.Thread(target=_write, args=(app, done))
    writer.start()
    time.sleep(0.5)
    assert done == []  # still queued at the gate
    released = time.monotonic()
    os.close(held)
    writer.join(timeout=10)
    assert done and done[0] - released < 5


@pytest.mark.parametrize("app_config", [{"SQLITE_BUSY_TIMEOUT_MS": 300}])
def test_no_write_waits_at_the_gate_longer_than_the_busy_timeout(app):
    held = _held_by_another_process(_gate_path(app))
    try:
        started, done = time.monotonic(), []
        _write(app, done)  # SQLite itself is free: past the timeout the write goes on without the gate
        assert done and 0.3 <= done[0] - started < 10
    finally:
        os.close(held)


def test_a_writer_inside_a_write_passes_its_own_gate(app):
    started = time.monotonic()
    with app.app_context():
        with write_transaction():
            with write_transaction():  # a service calling another: not held up by its own gate
                region_by_code("73.73").capital = "Palopo"
        assert region_by_code("73.73").capital == "Palopo"
    assert time.monotonic() - started < 10  # waiting for itself would last the 30 s busy timeout
