"""Per-account lockout after repeated wrong passwords: stored in the database, growing, bounded,
and no way to keep the owner out of a browser they have logged in from before."""
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from helpers import PASSWORD
from sqlalchemy import select, update

from campaign import create_app
from campaign.core.config import Defaults
from campaign.core.extensions import db
from campaign.domains.auth.lockout import lock_seconds
from campaign.domains.auth.models import LoginFailure, User
from campaign.util.formatting import as_utc, utcnow

LOCKED = "Terlalu banyak percobaan masuk yang gagal"


@dataclass
class Person:
    """Someone typing a login that has no account."""

    login: str


LOCKOUT = {"LOGIN_LOCKOUT_THRESHOLD": Defaults.LOGIN_LOCKOUT_THRESHOLD}  # conftest turns it off elsewhere


@pytest.fixture
def app_config():
    return LOCKOUT


def _attempt(client, person, password=PASSWORD):
    return client.post("/masuk", data={"login": person.login, "password": password})


def _fail(client, person, times: int) -> None:
    for _ in range(times):
        assert "Login atau kata sandi salah" in _attempt(client, person, "salah-sandi").get_data(as_text=True)


def _let_the_lock_pass(app, person) -> None:
    """What waiting out the lock does: its end moves into the past."""
    with app.app_context():
        db.session.execute(update(User).where(User.id == person.id)
                           .values(login_locked_until=utcnow() - timedelta(seconds=1)))
        db.session.commit()


def _lock_left(fetch, person) -> float:
    user = fetch(User, person.id)
    return (as_utc(user.login_locked_until) - utcnow()).total_seconds()


def test_the_fifth_wrong_password_in_a_row_locks_the_account(app, make_owner, fetch):
    owner = make_owner()
    _fail(app.test_client(), owner, 4)
    assert _attempt(app.test_client(), owner).status_code == 302  # four are forgiven...
    _fail(app.test_client(), owner, 5)
    response = _attempt(app.test_client(), owner)  # ...the fifth locks, even the right password waits
    assert response.status_code == 200 and LOCKED in response.get_data(as_text=True)
    assert 55 < _lock_left(fetch, owner) <= 60


def test_the_lock_grows_with_each_failure_and_stops_at_15_minutes(app):
    with app.app_context():
        assert [lock_seconds(n) for n in (1, 4, 5, 6, 7, 8, 9, 10, 500)] == [
            0, 0, 60, 120, 240, 480, 900, 900, 900]


def test_a_failure_after_the_lock_doubles_it(app, make_owner, fetch):
    owner = make_owner()
    _fail(app.test_client(), owner, 5)
    _let_the_lock_pass(app, owner)
    _fail(app.test_client(), owner, 1)
    assert 115 < _lock_left(fetch, owner) <= 120


def test_attempts_while_locked_do_not_lengthen_the_lock(app, make_owner, fetch):
    owner = make_owner()
    _fail(app.test_client(), owner, 5)
    before = fetch(User, owner.id)
    for _ in range(20):
        assert LOCKED in _attempt(app.test_client(), owner, "salah-sandi").get_data(as_text=True)
    after = fetch(User, owner.id)
    assert (after.failed_logins, after.login_locked_until) == (before.failed_logins, before.login_locked_until)


def test_a_correct_password_resets_the_count(app, make_owner, fetch):
    owner = make_owner()
    _fail(app.test_client(), owner, 4)
    assert _attempt(app.test_client(), owner).status_code == 302
    _fail(app.test_client(), owner, 4)
    assert _attempt(app.test_client(), owner).status_code == 302
    assert fetch(User, owner.id).failed_logins == 0


def test_a_browser_that_logged_in_before_is_not_held_by_the_lock(app, make_owner):
    owner = make_owner()
    phone = app.test_client()
    assert _attempt(phone, owner).status_code == 302
    phone.post("/keluar")
    _fail(app.test_client(), owner, 5)  # an attacker elsewhere
    assert LOCKED in _attempt(app.test_client(), owner).get_data(as_text=True)
    assert _attempt(phone, owner).status_code == 302  # the owner's phone still gets in


@pytest.mark.parametrize("app_config", [{**LOCKOUT, "LOGIN_KNOWN_DEVICE_FAILURES": "2 per hour"}])
def test_a_known_browser_has_its_own_small_budget_of_wrong_passwords(app, make_owner):
    owner = make_owner()
    shared_computer = app.test_client()
    assert _attempt(shared_computer, owner).status_code == 302
    shared_computer.post("/keluar")
    _fail(app.test_client(), owner, 5)
    _fail(shared_computer, owner, 2)  # not held by the lock, but each guess costs its own budget
    assert LOCKED in _attempt(shared_computer, owner).get_data(as_text=True)


def test_the_api_token_endpoint_meets_the_same_lock(client, make_asn):
    asn = make_asn()
    for _ in range(5):
        assert client.post("/api/v1/tokens", json={"login": asn.login, "password": "salah"}).status_code == 401
    response = client.post("/api/v1/tokens", json={"login": asn.login, "password": PASSWORD})
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "account_locked"


def test_the_lock_is_stored_in_the_database_so_every_instance_sees_it(app, make_owner, tmp_path):
    owner = make_owner()
    _fail(app.test_client(), owner, 5)
    other_instance = create_app(dict(app.config), instance_path=str(tmp_path / "other"))
    assert LOCKED in _attempt(other_instance.test_client(), owner).get_data(as_text=True)
    with other_instance.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("app_config", [{**LOCKOUT, "RATELIMIT_ENABLED": False, "LOGIN_KNOWN_DEVICE_FAILURES": "2 per hour"}])
def test_with_rate_limiting_off_a_known_browser_logs_in_and_keeps_its_budget(app, make_owner):
    """It was a 500 (the switched-off limiter has no storage to count the budget in)."""
    owner = make_owner()
    phone = app.test_client()
    assert _attempt(phone, owner).status_code == 302
    phone.post("/keluar")
    assert _attempt(phone, owner).status_code == 302
    phone.post("/keluar")
    _fail(app.test_client(), owner, 5)
    _fail(phone, owner, 2)
    assert LOCKED in _attempt(phone, owner).get_data(as_text=True)


def _message(response) -> str:
    match = re.search(r"Terlalu banyak percobaan[^<]*", response.get_data(as_text=True))
    return match.group(0) if match else response.get_data(as_text=True)[:0]


def test_a_login_without_an_account_meets_the_same_lock_and_message(app, make_owner, fetch):
    """Otherwise five wrong guesses tell an attacker whether an account exists."""
    owner = make_owner()
    nobody = Person(login="tidak-ada@example.id")
    answers = {}
    for who in (owner, nobody):
        _fail(app.test_client(), who, 5)
        answers[who.login] = _message(_attempt(app.test_client(), who))
    assert answers[owner.login] == answers[nobody.login] == \
        "Terlalu banyak percobaan masuk yang gagal untuk akun ini. Coba lagi dalam 1 menit, atau masuk dari " \
        "perangkat yang pernah Anda pakai."
    response = app.test_client().post("/api/v1/tokens", json={"login": "TIDAK-ADA@example.id", "password": "x"})
    assert response.status_code == 429 and response.get_json()["error"]["code"] == "account_locked"
    stored = fetch(select(LoginFailure))
    assert len(stored) == 1 and "tidak-ada" not in stored[0].login_digest and stored[0].failed_logins == 5


def test_a_login_without_an_account_is_locked_longer_after_the_lock_passed(app, fetch):
    nobody = Person(login="0812-9999-0000")
    _fail(app.test_client(), nobody, 5)
    with app.app_context():
        db.session.execute(update(LoginFailure).values(login_locked_until=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    _fail(app.test_client(), nobody, 1)
    assert 115 < (as_utc(fetch(select(LoginFailure))[0].login_locked_until) - utcnow()).total_seconds() <= 120
