"""PostgreSQL: a transaction that only read ends with COMMIT, so psycopg keeps the statements it
prepared and PostgreSQL plans a page's statements once per connection, not on every request; a
transaction that wrote, or might have, is still rolled back (campaign.core.database)."""
import pytest
from sqlalchemy import select, text

from campaign.core.database import write_transaction
from campaign.core.extensions import db
from campaign.web.markers import ChangeMarker


@pytest.fixture
def postgresql(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("psycopg's prepared statements are PostgreSQL's")
    return app


def _prepared(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(text("SELECT statement FROM pg_prepared_statements")))


def test_the_statements_of_anonymous_pages_stay_prepared_between_requests(postgresql, client, make_shop):
    for n in range(3):
        make_shop(name=f"Warung Kopi {n}")
    for n in range(8):  # psycopg prepares a statement the fifth time it runs on a connection
        postgresql.extensions.pop("read_cache", None)
        postgresql.extensions.pop("page_cache", None)
        assert client.get("/toko?q=kopi").status_code == 200

    prepared = _prepared(postgresql)
    assert any("lower(shop.name) LIKE" in statement for statement in prepared), prepared


def test_a_transaction_that_wrote_is_still_rolled_back(postgresql):
    with postgresql.app_context():
        with write_transaction():
            db.session.add(ChangeMarker(name="test:kept", token=1))
        with pytest.raises(RuntimeError), write_transaction():
            db.session.add(ChangeMarker(name="test:rolled-back", token=1))
            db.session.flush()
            raise RuntimeError("after the write")
        for statement in ("INSERT INTO change_marker (name, token) VALUES ('test:raw', 2)",
                          "UPDATE change_marker SET token = 9 WHERE name = 'test:kept'",
                          "WITH m AS (UPDATE change_marker SET token = 8 WHERE name = 'test:kept' RETURNING name) "
                          "SELECT name FROM m",
                          "DELETE FROM change_marker WHERE name = 'test:kept'"):
            db.session.execute(text("SELECT 1"))
            db.session.execute(text(statement))
            db.session.rollback()
        assert db.session.execute(select(ChangeMarker.name, ChangeMarker.token)
                                  .where(ChangeMarker.name.like("test:%"))).all() == [("test:kept", 1)]


def test_a_write_through_the_driver_inside_a_write_transaction_is_rolled_back(postgresql):
    with postgresql.app_context():
        with pytest.raises(RuntimeError), write_transaction():
            cursor = db.session.connection().connection.driver_connection.cursor()
            cursor.execute("INSERT INTO change_marker (name, token) VALUES ('test:driver', 3)")
            raise RuntimeError("after the write")
        assert db.session.scalar(select(ChangeMarker.name).where(ChangeMarker.name == "test:driver")) is None


def test_a_read_only_with_keeps_the_statements_and_a_writing_one_does_not(postgresql):
    with postgresql.app_context():
        for _ in range(6):
            db.session.execute(text("WITH m AS MATERIALIZED (SELECT id FROM shop) SELECT count(*) FROM m")).all()
            db.session.rollback()
        assert any("WITH m AS MATERIALIZED" in statement for statement in _prepared(postgresql))
        db.session.execute(text("WITH m AS (INSERT INTO change_marker (name, token) VALUES ('test:with', 4) "
                                "RETURNING name) SELECT name FROM m")).all()
        db.session.rollback()
        assert db.session.scalar(select(ChangeMarker.name).where(ChangeMarker.name == "test:with")) is None


def test_a_failed_transaction_is_rolled_back_and_the_connection_serves_on(postgresql):
    with postgresql.app_context():
        with pytest.raises(Exception, match="division by zero"):
            db.session.execute(text("SELECT 1 / 0"))
        db.session.rollback()
        assert db.session.scalar(text("SELECT 2")) == 2
