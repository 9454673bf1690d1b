"""PostgreSQL: a transaction that wrote nothing ends with COMMIT, so psycopg keeps the statements
it prepared and PostgreSQL plans a page's statements once per connection, not on every request;
a transaction that wrote is still rolled back (campaign.core.database)."""
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
        with pytest.raises(RuntimeError), write_transaction():
            db.session.add(ChangeMarker(name="test:rolled-back", token=1))
            db.session.flush()
            raise RuntimeError("after the write")
        db.session.execute(text("UPDATE change_marker SET token = 7 WHERE name = 'nothing'"))  # wrote: no row
        db.session.execute(text("INSERT INTO change_marker (name, token) VALUES ('test:raw', 2)"))
        db.session.rollback()
        assert db.session.scalars(select(ChangeMarker.name).where(ChangeMarker.name.like("test:%"))).all() == []


def test_a_failed_transaction_is_rolled_back_and_the_connection_serves_on(postgresql):
    with postgresql.app_context():
        with pytest.raises(Exception, match="division by zero"):
            db.session.execute(text("SELECT 1 / 0"))
        db.session.rollback()
        assert db.session.scalar(text("SELECT 2")) == 2
