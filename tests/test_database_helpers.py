"""The helpers the write path runs inside SQLite's one writer's turn (campaign.core.database):
driver SQL in the running write transaction, values stored as SQLAlchemy stores them, and objects
made from plain rows as if a query had loaded them."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import inspect, select

from campaign.core import database
from campaign.core.audit import AuditEvent
from campaign.core.database import driver_rows, loaded, write_transaction
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


def _region_values(app) -> dict:
    with app.app_context():
        names, columns = database.column_attributes(Region)
        row = db.session.execute(select(*columns).where(Region.code == "73.73")).one()
        return dict(zip(names, row))


def test_a_loaded_object_is_persistent_with_nothing_to_flush(app):
    values = _region_values(app)
    with app.app_context():
        with write_transaction():
            region = loaded(Region, {**values, "capital": "Dari baris"})  # as a row read in this transaction said
            state = inspect(region)
            assert state.persistent and not state.modified and region in db.session
            assert db.session.get(Region, values["id"]) is region
            assert region.capital == "Dari baris"
        # the commit wrote nothing for it: the database keeps its own value
    assert _capital(app) == values["capital"]


def test_a_loaded_object_loads_what_it_was_not_given_and_takes_changes_like_any_other(app):
    values = _region_values(app)
    with app.app_context():
        with write_transaction():
            region = loaded(Region, {"id": values["id"], "code": values["code"]})
            assert region.name == values["name"]  # loaded on first access
            region.capital = "Diubah"
    assert _capital(app) == "Diubah"


def test_a_row_the_session_holds_already_gets_the_values_on_the_same_object(app):
    values = _region_values(app)
    with app.app_context():
        with write_transaction():
            held = db.session.get(Region, values["id"])
            held.capital = "Belum disimpan"
            region = loaded(Region, {**values, "capital": "Dari baris"})
            assert region is held and region.capital == "Dari baris"
    assert _capital(app) == values["capital"]


def _statement_of_every_kind():
    """A statement built once (as ``database.rows`` wants them): a datetime, JSON, a boolean and
    text read back, and a datetime, JSON and text bound."""
    from sqlalchemy import JSON, bindparam, literal

    return select(AuditEvent.at, AuditEvent.after, AuditEvent.entity_type, literal(True).label("flag"),
                  bindparam("payload", type_=JSON).label("payload")).where(
        AuditEvent.action == bindparam("action"), AuditEvent.at >= bindparam("since", type_=AuditEvent.at.type),
        AuditEvent.after.is_not(None)).order_by(AuditEvent.id)


KIND_STATEMENT = _statement_of_every_kind()


def test_rows_read_and_bind_values_as_sqlalchemy_does(app):
    """``database.rows`` runs a kept statement through the driver on both databases: its rows
    are what SQLAlchemy's own execution gives, value for value and type for type."""
    at = datetime(2026, 12, 6, 5, 30, 15, 123456, tzinfo=timezone.utc)
    with app.app_context():
        with write_transaction():
            db.session.add_all([AuditEvent(at=at, action="test.rows", entity_type="region", entity_id=n,
                                           after={"n": n, "ok": True, "day": "2026-12-06"}) for n in range(3)])
        params = {"action": "test.rows", "since": datetime(2026, 12, 6, tzinfo=timezone.utc),
                  "payload": {"amounts": [1, 2], "note": "50% di warung"}}
        through_sqlalchemy = [tuple(row) for row in db.session.execute(KIND_STATEMENT, params)]
        through_driver = database.rows(KIND_STATEMENT, params)
    assert len(through_driver) == 3 and through_driver == through_sqlalchemy
    assert [tuple(map(type, row)) for row in through_driver] == [tuple(map(type, row)) for row in through_sqlalchemy]
    assert through_driver[0][1] == {"n": 0, "ok": True, "day": "2026-12-06"} and through_driver[0][3] is True
    assert through_driver[0][4] == {"amounts": [1, 2], "note": "50% di warung"}


def test_rows_of_a_statement_whose_text_depends_on_its_values(app):
    """An expanding ``IN`` (its text has a mark per value) still runs, through SQLAlchemy."""
    from sqlalchemy import bindparam

    statement = select(Region.code).where(Region.code.in_(bindparam("codes", expanding=True))).order_by(Region.code)
    with app.app_context():
        assert database.rows(statement, {"codes": ["73.73", "73.08"]}) == [("73.08",), ("73.73",)]
        assert database.rows(statement, {"codes": ["73.71"]}) == [("73.71",)]
