"""Plain helpers for the tests (no fixtures: those come through conftest.py and its plugins).

Test modules import from here (``from helpers import csrf_token``); they never import conftest.py,
a plugin module or another test module.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from sqlalchemy import event

from campaign.domains.regions import areas

PG_URL = os.environ.get("TEST_DATABASE_URL")
PASSWORD = "rahasia123"
PALOPO, MAKASSAR, PAREPARE, BONE = "73.73", "73.71", "73.72", "73.08"
# The configuration every test app starts from (conftest.py adds the database; app_config overrides).
BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-0123456789",
    "WTF_CSRF_ENABLED": False,
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast hashing; production keeps Werkzeug's default
    "RATELIMIT_LOGIN": "1000 per minute",
    "RATELIMIT_API_TOKENS": "1000 per minute",
    "RATELIMIT_SIGN_UP": "1000 per minute",
    "RATELIMIT_PURCHASE": "1000 per minute",
    "LOGIN_LOCKOUT_THRESHOLD": 1000,  # the lockout has its own tests (test_auth_lockout.py), with the default
    "PAGE_CACHE_STALE_SECONDS": 0,  # anonymous pages exact at once; the window has its own tests (test_page_cache.py)
}


@dataclass(frozen=True)
class Person:
    """Someone the builders made: their user id, name, login and password (and NIP for an ASN)."""

    id: int
    name: str
    login: str
    password: str = PASSWORD
    nip: str | None = None


def user(person: Person):
    """The person's User row in the current session (call inside an app context)."""
    from campaign.core.extensions import db
    from campaign.domains.auth.models import User

    return db.session.get(User, person.id)


def act(app, service, actor_id: int, **kwargs):
    """Run a service as a user (looked up in a fresh session)."""
    from campaign.core.extensions import db
    from campaign.domains.auth.models import User

    with app.app_context():
        return service(actor=db.session.get(User, actor_id), **kwargs)


def csrf_token(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
        re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


# --- reading pages -------------------------------------------------------------------------

class _TableParser(HTMLParser):
    """The text of each body/foot row of the table with ``id``, one list of cell texts per row."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id, self.depth, self.rows, self.cell = table_id, 0, [], None
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "table" and (self.depth or dict(attrs).get("id") == self.table_id):
            self.depth += 1
        elif self.depth and tag in ("tbody", "tfoot"):
            self.in_body = True
        elif self.depth and self.in_body and tag == "tr":
            self.rows.append([])
        elif self.depth and self.in_body and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag in ("tbody", "tfoot"):
            self.in_body = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html: str, table_id: str) -> list[list[str]]:
    parser = _TableParser(table_id)
    parser.feed(html)
    return parser.rows


def standings_rows(client, **query) -> list[list[str]]:
    response = client.get("/peringkat", query_string=query)
    assert response.status_code == 200
    return table_rows(response.get_data(as_text=True), "peringkat")


STAT = re.compile(r'<span class="muted">([^<]+)</span><strong>([^<]*)</strong>')


def stats(page: str, section_id: str) -> dict[str, str]:
    """The label -> shown value pairs of one ``.stats`` block."""
    chunk = page.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]
    return dict(STAT.findall(chunk))


def buttons(page: str) -> dict[str, str]:
    """Button label -> its link."""
    return {label.strip(): href for href, label in re.findall(r'<a class="button[^"]*" href="([^"]+)">([^<]+)</a>', page)}


def badge(page: str, label: str) -> str | None:
    """The count shown in the badge after a menu label, or None."""
    match = re.search(r'>' + re.escape(label) + r' <span class="count">(\d+)<span class="sr-only">', page)
    return match.group(1) if match else None


def province_zone(province: str = "73") -> ZoneInfo:
    """The province's time zone as the kept area data gives it (Sulawesi Selatan's by default, the
    province the test apps serve unless told otherwise); usable outside an app context."""
    return ZoneInfo(areas.time_zones()[province])


def province_today(province: str = "73") -> date:
    """Today in the province's time zone, for test data made outside an app context."""
    return datetime.now(province_zone(province)).date()


def province_time(day: date, clock_time: time, province: str = "73") -> datetime:
    """``day`` at ``clock_time`` in the province's time zone, aware."""
    return datetime.combine(day, clock_time, province_zone(province))


_TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@contextmanager
def sent_statements(engine) -> Iterator[list[str]]:
    """Every statement the app sends to ``engine``'s database meanwhile, transaction control
    (BEGIN, COMMIT ...) and the pool's ping on checking a connection out (``;`` on PostgreSQL)
    aside, as the driver sees it: also those run past SQLAlchemy
    (``campaign.core.database.rows`` and ``driver_rows``), which SQLAlchemy's
    ``before_cursor_execute`` never sees. On SQLite the trace callback of each connection that
    begins a transaction meanwhile; on PostgreSQL psycopg's ``Cursor.execute`` (SQLAlchemy's
    cursors and the raw ones alike), for this process while the block runs."""
    seen: list[str] = []

    def note(text) -> None:
        text = text.decode() if isinstance(text, bytes) else str(text)
        if text.strip() != ";" and not text.lstrip().upper().startswith(_TRANSACTION_CONTROL):
            seen.append(text)

    if engine.dialect.name == "sqlite":
        traced = []

        def begin(connection) -> None:
            driver = connection.connection.driver_connection
            driver.set_trace_callback(note)
            traced.append(driver)

        event.listen(engine, "begin", begin)
        try:
            yield seen
        finally:
            event.remove(engine, "begin", begin)
            for driver in traced:
                driver.set_trace_callback(None)
        return
    import psycopg

    executed = psycopg.Cursor.execute

    def execute(cursor, query, *args, **kwargs):
        note(query)
        return executed(cursor, query, *args, **kwargs)

    psycopg.Cursor.execute = execute
    try:
        yield seen
    finally:
        psycopg.Cursor.execute = executed
