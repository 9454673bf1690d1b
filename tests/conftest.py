"""Fixtures: a throwaway database per test (SQLite file copy, or a truncated PostgreSQL schema
when TEST_DATABASE_URL is set), the app, its client, API client and runner, and sign-in helpers.

The builders (make_asn, make_shop, make_campaign, ...) are in builders.py and the ready-made worlds
(scenario, world) in scenarios.py, both loaded as plugins below; plain helpers are in helpers.py.
Test modules ask for fixtures by name and import only plain helper modules, never a test module,
a plugin or this file."""
from __future__ import annotations

import sqlite3
import threading

import pytest
from api_helpers import ApiClient
from helpers import BASE_CONFIG, PASSWORD, PG_URL, Person, csrf_token
from sqlalchemy import inspect, text
from werkzeug.serving import make_server

from campaign import create_app
from campaign.core.extensions import db

pytest_plugins = ["builders", "scenarios", "smtp_sink"]

KEEP_TABLES = {"alembic_version", "region", "district"}
DEFAULT_PROVINCES = ("73",)


def _prepare_schema(url: str, instance: str, provinces: tuple[str, ...]) -> None:
    from campaign.core.maintenance import migrate_to_head
    from campaign.domains.regions.services import load_reference_data

    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "PROVINCES": list(provinces)},
                     instance_path=instance)
    with app.app_context():
        if PG_URL:
            db.session.execute(text("DROP SCHEMA public CASCADE"))
            db.session.execute(text("CREATE SCHEMA public"))
            db.session.commit()
        migrate_to_head()
        load_reference_data()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_templates(tmp_path_factory):
    """``template(provinces)``: a prepared database with those provinces' regions loaded, made on
    first use (SQLite: one file per set of provinces; PostgreSQL: the one database, prepared once
    with the default province, another province loaded per test by ``make_app``)."""
    made: dict[tuple[str, ...], object] = {}

    def template(provinces: tuple[str, ...]):
        key = (PG_URL and DEFAULT_PROVINCES) or tuple(provinces)
        if key not in made:
            instance = str(tmp_path_factory.mktemp("instance"))
            if PG_URL:
                _prepare_schema(PG_URL, instance, key)
                made[key] = PG_URL
            else:
                path = tmp_path_factory.mktemp("db") / f"template-{'-'.join(key)}.sqlite3"
                _prepare_schema(f"sqlite:///{path}", instance, key)
                made[key] = path
        return made[key]
    return template


@pytest.fixture(scope="session")
def database_template(database_templates):
    return database_templates(DEFAULT_PROVINCES)


def _reset_postgres() -> None:
    """Empty every table but the reference data; put back the default province's regions (a test
    of another province loaded its own) and drop the rows no longer served, which no row uses now."""
    from campaign.domains.regions.models import District, Region
    from campaign.domains.regions.services import load_reference_data

    names = [n for n in inspect(db.engine).get_table_names() if n not in KEEP_TABLES]
    db.session.execute(text(f"TRUNCATE {', '.join(f'{n!r}'.replace(chr(39), chr(34)) for n in names)} "
                            "RESTART IDENTITY CASCADE"))
    db.session.commit()
    load_reference_data(DEFAULT_PROVINCES)
    db.session.execute(District.__table__.delete().where(~District.active))
    db.session.execute(Region.__table__.delete().where(~Region.active))
    db.session.commit()


def _copy_sqlite(template, target) -> None:
    """Overwrite the SQLite database at ``target`` with the template's content."""
    source, copy = sqlite3.connect(template), sqlite3.connect(target)
    with copy:
        source.backup(copy)
    source.close()
    copy.close()


def make_app(database_template, tmp_path, **config):
    if PG_URL:
        url = PG_URL
    else:
        target = tmp_path / "test.sqlite3"
        _copy_sqlite(database_template, target)
        url = f"sqlite:///{target}"
    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    return create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url, **config}, instance_path=str(instance))


@pytest.fixture
def app_config():
    """Override to change the app's configuration for a module or test."""
    return {}


def _load_other_provinces(app, provinces: tuple[str, ...]) -> None:
    """On PostgreSQL, whose one database holds the default province's regions, load the app's own."""
    if PG_URL and provinces != DEFAULT_PROVINCES:
        from campaign.domains.regions.models import Campaign
        from campaign.domains.regions.services import load_reference_data

        with app.app_context():
            db.session.execute(Campaign.__table__.delete())  # opened under the default province's letter
            db.session.commit()
            load_reference_data()
            db.session.remove()


@pytest.fixture
def app(database_templates, tmp_path, app_config):
    provinces = tuple(app_config.get("PROVINCES", DEFAULT_PROVINCES))
    app = make_app(database_templates(provinces), tmp_path, **app_config)
    _load_other_provinces(app, provinces)
    yield app
    with app.app_context():
        db.session.remove()
        if PG_URL:
            _reset_postgres()
            db.session.remove()
        db.engine.dispose()


@pytest.fixture
def fresh_database(app, database_templates, app_config):
    """``fresh_database()``: empty the app's database again, as a new test finds it (reference data
    and the running campaign only). For a test that runs many examples in one app (Hypothesis):
    each example starts from nothing, so a failure replays and shrinks the same way."""
    provinces = tuple(app_config.get("PROVINCES", DEFAULT_PROVINCES))

    def reset() -> None:
        with app.app_context():
            db.session.remove()
            if PG_URL:
                _reset_postgres()
                db.session.remove()
            else:
                db.engine.dispose()
                _copy_sqlite(database_templates(provinces), db.engine.url.database)
        _load_other_provinces(app, provinces)
    return reset


@pytest.fixture
def live_server(app):
    """The app served on 127.0.0.1 at a free port, in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def api(app, client):
    """The test client for the JSON API, checking every response against the OpenAPI document."""
    return ApiClient(app, client)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def csrf_app(app):
    """The same app with CSRF protection on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, who: Person | str, password: str = PASSWORD, **kwargs):
        login = who.login if isinstance(who, Person) else who
        if isinstance(who, Person):
            password = who.password
        return self._client.post("/masuk", data={"login": login, "password": password}, **kwargs)

    def logout(self):
        return self._client.post("/keluar")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def login_as(app):
    """``login_as(person)``: a fresh client signed in as ``person`` (``None``: signed out)."""
    def login(person):
        client = app.test_client()
        if person is not None:
            response = client.post("/masuk", data={"login": person.login, "password": person.password})
            assert response.status_code == 302
        return client
    return login


@pytest.fixture
def no_logging_limits(app):
    """Switch off the per-day limits and the duplicate guard, for tests about something else that
    log many purchases quickly (campaign.domains.purchases.limits has its own tests)."""
    app.config.update(PURCHASE_LIMIT_PER_DAY=None, PURCHASE_LIMIT_AMOUNT_PER_DAY=None,
                      PURCHASE_LIMIT_PER_SHOP_PER_DAY=None, DUPLICATE_WINDOW_MINUTES=0)


@pytest.fixture
def fetch(app):
    """``fetch(Model, id)`` or ``fetch(select(...))``: rows read in a fresh session, detached."""
    def get(what, ident=None):
        with app.app_context():
            if ident is not None:
                row = db.session.get(what, ident)
                rows = [row] if row is not None else []
            else:
                rows = list(db.session.scalars(what))
            for row in rows:
                db.session.refresh(row)
                db.session.expunge(row)
            if ident is not None:
                return rows[0] if rows else None
            return rows
    return get


@pytest.fixture
def tallies_agree(app):
    """Call at the end of a scenario: the stored aggregates equal a recomputation from raw rows."""
    from campaign.domains.tallies.reconcile import find_differences

    def check():
        with app.app_context():
            problems = find_differences(limit=10)
        assert problems == [], problems
    return check


# Re-exported for test modules of other branches that still import them from here; new code imports
# them from helpers.py (pytest discourages importing conftest.py).
__all__ = ["BASE_CONFIG", "PASSWORD", "PG_URL", "Person", "csrf_token"]
