"""The helpers the write path runs inside SQLite's one writer's turn (campaign.core.database):
driver SQL in the running write transaction, values stored as SQLAlchemy stores them."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from campaign.core.audit import AuditEvent
from campaign.core.database import driver_rows, write_transaction
from campaign.core.extensions import db
from campaign.domains.regions.models import Region
from helpers import PG_URL


def _mark(app) -> str:
    with app.app_context():
        return "%s" if db.engine.dialect.name == "postgresql" else "?"


def _capital(app) -> str | None:
    with app.app_context():
        return db.session.scalar(select(Region.capital).where(Region.code == "73.73"))


def test_driver_sql_after_a_commit_inside_a_write_joins_the_new_transaction(app):
    """Nothing in the code ends a transaction inside a write transaction; if something did, the
    driver SQL after it still runs in the session's transaction and rolls back with it."""
    mark = _mark(app)
    before = _capital(app)
    with app.app_context():
        with pytest.raises(RuntimeError):
            with write_transaction():
                db.session.commit()
                driver_rows(f"UPDATE region SET capital = {mark} WHERE code = {mark}", ("Ditulis", "73.73"))
                raise RuntimeError("rolled back")
    assert _capital(app) == before


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's driver gets values converted; psycopg adapts its own")
def test_driver_sql_stores_values_as_sqlalchemy_stores_them(app):
    """Dates, aware datetimes and JSON written through SQLite's driver read back through the ORM
    as written; plain values pass as they are."""
    mark = _mark(app)
    at = datetime(2026, 12, 6, 5, 30, 15, 123456, tzinfo=timezone.utc)
    with app.app_context():
        with write_transaction():
            driver_rows(f"INSERT INTO audit_event (at, actor_id, action, entity_type, entity_id, region_id, "
                        f'"before", "after") VALUES ({", ".join([mark] * 8)})',
                        (at, None, "test.driver", "region", 7, None, {"day": date(2026, 12, 6).isoformat()},
                         {"amounts": [1, 2], "ok": True}))
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "test.driver"))
        assert (event.entity_type, event.entity_id, event.before, event.after) == (
            "region", 7, {"day": "2026-12-06"}, {"amounts": [1, 2], "ok": True})
        assert event.at.replace(tzinfo=timezone.utc) == at
