"""A logged purchase and a confirmation are one transaction of few statements (issue 17):
the token's lookup, the checks' reads, the write and the answer built from what is in hand.

On PostgreSQL four statements besides BEGIN, COMMIT and the pool's ping: the token's lookup,
two reads and the write, one statement of data-modifying ``WITH`` parts (:mod:`campaign.core.chain`) that also
carries the burst counters and the change markers. SQLite has no data-modifying
``WITH``: its write is the insert, four tally upserts and the audit insert, each a call inside
the process rather than a round trip; its bound here keeps the count from growing unseen."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from helpers import PG_URL, sent_statements
from sqlalchemy import event, func, select

from campaign.core.audit import AuditEvent
from campaign.core.extensions import db
from campaign.domains.tallies.models import Tally

MOST = 4 if PG_URL else 12  # statements, BEGIN and COMMIT not counted


@contextmanager
def watched(app):
    """The statements the app sends meanwhile (:func:`helpers.sent_statements`: read off the
    driver, because the write path runs some past SQLAlchemy), and how many transactions begin
    and commit."""
    with app.app_context():
        engine = db.engine
    seen = {"begin": 0, "commit": 0}

    def begin(_conn):
        seen["begin"] += 1

    def commit(_conn):
        seen["commit"] += 1

    listeners = [("begin", begin), ("commit", commit)]
    for name, listener in listeners:
        event.listen(engine, name, listener)
    try:
        with sent_statements(engine) as seen["statements"]:
            yield seen
    finally:
        for name, listener in listeners:
            event.remove(engine, name, listener)


def _realized(app, shop_id: int) -> tuple[int, int]:
    with app.app_context():
        tally = db.session.scalar(select(Tally).where(Tally.dimension == "shop", Tally.key_id == shop_id))
        return (tally.realized_amount, tally.verified_amount) if tally else (0, 0)


@pytest.fixture
def warmed(api, world):
    """One purchase first, so the statements below are a busy day's, not a first one's."""
    api.post("/purchases", json={"shop_id": world.shop_id, "amount": 40_000}, token=world.tokens["asn"])
    return api


def test_a_logged_purchase_is_one_transaction_of_few_statements(app, warmed, world):
    with watched(app) as seen:
        response = warmed.post("/purchases", json={"shop_id": world.shop_id, "amount": 50_000, "client_ref": "k-1"},
                               token=world.tokens["asn"])
    body = response.get_json()
    assert response.status_code == 201
    assert body["shop"]["name"] == "Warung Sitti" and body["buyer"]["name"] == "Andi Baso" and body["amount"] == 50_000
    assert (seen["begin"], seen["commit"]) == (1, 1), "the token's lookup, the write and the answer in one"
    assert len(seen["statements"]) <= MOST, "\n".join(seen["statements"])
    assert _realized(app, world.shop_id) == (90_000, 0)


def test_a_confirmation_is_one_transaction_of_few_statements(app, warmed, world):
    purchase_id = warmed.post("/purchases", json={"shop_id": world.shop_id, "amount": 50_000},
                              token=world.tokens["asn"]).get_json()["id"]
    with watched(app) as seen:
        response = warmed.post(f"/purchases/{purchase_id}/confirm", token=world.tokens["owner"])
    assert response.status_code == 200 and response.get_json()["status"] == "confirmed"
    assert response.get_json()["buyer"] == {"name": "Andi Baso", "agency": "Dinas Koperasi dan UKM"}
    assert (seen["begin"], seen["commit"]) == (1, 1)
    assert len(seen["statements"]) <= MOST, "\n".join(seen["statements"])
    assert _realized(app, world.shop_id) == (90_000, 50_000)


def test_a_refused_purchase_writes_nothing_and_rolls_back(app, warmed, world, make_shop, make_owner):
    """A rule refusing inside the one transaction (a shop not yet verified) leaves no trace."""
    pending = make_shop(status="pending")
    with watched(app) as seen:
        response = warmed.post("/purchases", json={"shop_id": pending, "amount": 50_000}, token=world.tokens["asn"])
    assert response.status_code == 422 and "shop_id" in response.get_json()["error"]["fields"]
    assert seen["commit"] == 0 and not any(text.lstrip().upper().startswith(("INSERT", "UPDATE", "WITH"))
                                           for text in seen["statements"])
    assert _realized(app, pending) == (0, 0)


def test_a_request_without_a_token_is_refused_before_any_transaction(app, api, world):
    with watched(app) as seen:
        response = api.post("/purchases", json={"shop_id": world.shop_id, "amount": 50_000})
    assert response.status_code == 401
    assert (seen["begin"], seen["statements"]) == (0, [])


def test_a_token_never_issued_is_refused_without_a_write_transaction(app, api, world):
    """On SQLite it never waits for the writer's turn: the one read that finds no such token
    refuses it (PostgreSQL's token check is inside its transaction, which waits for nobody)."""
    with watched(app) as seen:
        response = api.post("/purchases", json={"shop_id": world.shop_id, "amount": 50_000}, token="bukan-token")
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    if not PG_URL:
        assert seen["commit"] == 0 and not any(text.lstrip().upper().startswith(("INSERT", "UPDATE"))
                                               for text in seen["statements"])
        assert len(seen["statements"]) == 1 and "api_token" in seen["statements"][0]


def test_repeated_purchases_all_count_once_the_write_is_prepared(app, warmed, world, no_logging_limits):
    """psycopg prepares a statement on the server from its sixth call on one connection: the
    chained write of every purchase after that still counts each amount exactly once."""
    for n in range(8):
        body = {"shop_id": world.shop_id, "amount": 1_000 + n, "client_ref": f"r-{n}"}
        response = warmed.post("/purchases", json=body, token=world.tokens["asn"])
        assert response.status_code == 201, response.get_json()
    assert _realized(app, world.shop_id) == (40_000 + 8 * 1_000 + sum(range(8)), 0)


@pytest.mark.skipif(not PG_URL, reason="data-modifying WITH is PostgreSQL's")
def test_a_chain_keeps_its_parameters_in_order_and_a_literal_percent(app):
    from campaign.core.chain import Chain

    with app.app_context():
        chain = Chain()
        chain.add("a", "SELECT %s::text AS word, %s::int AS n", ("kopi", 7))
        chain.add("b", "SELECT word || '%%' AS word, n + %s::int AS n FROM a", (3,))
        assert chain.run("SELECT word, n FROM b") == [("kopi%", 10)]
        db.session.rollback()


def test_a_write_that_loses_a_race_moves_nothing_the_write_carries(app, warmed, world):
    """Two requests with one client_ref at the same moment: the second insert finds the first's
    row and writes nothing, and nothing that travels with the write moves either: no tally, no
    audit record, no burst count (on PostgreSQL all of them are parts of the one statement, run
    only when its insert returned a row). The change markers may turn: a page rendered again
    for nothing, never a stale one."""
    from campaign.core.database import write_transaction
    from campaign.domains.auth.models import User
    from campaign.domains.purchases import writes
    from campaign.domains.purchases.models import Purchase
    from campaign.domains.trust.models import ActivityWindow
    from campaign.web import markers
    from campaign.web.markers import ChangeMarker

    first = warmed.post("/purchases", json={"shop_id": world.shop_id, "amount": 50_000, "client_ref": "race-1"},
                        token=world.tokens["asn"]).get_json()["id"]

    def state():
        with app.app_context():
            return (_realized(app, world.shop_id), db.session.scalar(select(func.count(AuditEvent.id))),
                    sorted(db.session.execute(select(ActivityWindow.kind, ActivityWindow.count)).all()))

    def shops_token():
        with app.app_context():
            return db.session.scalar(select(ChangeMarker.token).where(ChangeMarker.name == markers.SHOPS))

    before, token = state(), shops_token()
    assert ("log", 2) in before[2]  # the warm-up purchase and this one, at one shop in one period
    with app.app_context():
        row = db.session.get(Purchase, first)
        values = {column: getattr(row, column) for column in writes._COLUMNS}
        buyer = db.session.get(User, world.asn.id)
        with write_transaction():
            markers.touch(markers.SHOPS)  # something the same transaction changed before the write
            again = writes.insert_reported(values, actor=buyer, audit_after={"amount": 50_000}, names=("", "", ""),
                                           earlier_logged=[])
    assert again is None
    assert state() == before
    assert shops_token() != token, "a marker touched before the write is still turned"


def test_a_body_read_before_the_transaction_is_still_answered_after_the_token(app, client, warmed, world):
    """The body is parsed before the write transaction (outside SQLite's one writer's turn), but
    a caller still learns first whether its token is good, then what its body got wrong."""
    headers = {"Content-Type": "application/json"}
    bad_token = client.post("/api/v1/purchases", data="{not json", headers={**headers, "Authorization": "Bearer nope"})
    assert bad_token.status_code == 401
    with watched(app) as seen:
        bad_body = client.post("/api/v1/purchases", data="{not json",
                               headers={**headers, "Authorization": f"Bearer {world.tokens['asn']}"})
    assert bad_body.status_code == 400 and bad_body.get_json()["error"]["message"].startswith("Badan permintaan")
    assert seen["commit"] == 0
    wrong_field = client.post("/api/v1/purchases", json={"shop_id": "satu", "amount": 50_000},
                              headers={"Authorization": f"Bearer {world.tokens['asn']}"})
    assert wrong_field.status_code == 422 and "shop_id" in wrong_field.get_json()["error"]["fields"]
    assert _realized(app, world.shop_id) == (40_000, 0)


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's connections have no server to ping")
def test_a_sqlite_write_sends_nothing_before_its_begin(app, warmed, world):
    """The writer's turn starts with BEGIN IMMEDIATE: no pool ping before it (a SQLite file has
    no server to lose), and the body and the rate limit were dealt with before the turn."""
    seen = []

    def trace(connection, _record):
        connection.set_trace_callback(seen.append)

    with app.app_context():
        engine = db.engine
        event.listen(engine, "connect", trace)
        engine.dispose()  # the pooled connections are opened again, traced
    try:
        assert warmed.get("/me", token=world.tokens["asn"]).status_code == 200  # a pooled connection, reused below
        seen.clear()
        response = warmed.post("/purchases", json={"shop_id": world.shop_id, "amount": 45_000},
                               token=world.tokens["asn"])
    finally:
        event.remove(engine, "connect", trace)
        engine.dispose()
    assert response.status_code == 201
    assert seen[0] == "BEGIN IMMEDIATE" and seen[-1] == "COMMIT", "\n".join(seen)
