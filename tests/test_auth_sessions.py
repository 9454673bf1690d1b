"""Sessions end when they should: log out, the remember cookie, log out everywhere, and accounts
that a province admin deactivates and reactivates (HTML and API)."""
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from sqlalchemy import select

from campaign.audit import AuditEvent
from campaign.auth.models import User
from conftest import PASSWORD, csrf_token

PROTECTED = "/akun/kata-sandi"  # any page that needs a signed-in user


def _signed_in(client) -> bool:
    return client.get(PROTECTED).status_code == 200


def _client_with(app, **cookies):
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def _token(client, person) -> str:
    response = client.post("/api/v1/tokens", json={"login": person.login, "password": PASSWORD})
    assert response.status_code == 201
    return response.get_json()["token"]


def _remember_login(client, person):
    response = client.post("/masuk", data={"login": person.login, "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    return response


def test_a_session_cookie_copied_before_logout_is_dead_after_it(app, client, auth, make_asn):
    asn = make_asn()
    auth.login(asn)
    copied = client.get_cookie("session").value
    assert _client_with(app, session=copied).get("/saya").status_code == 200  # the copy works while signed in
    auth.logout()
    assert _client_with(app, session=copied).get("/saya").status_code == 302


def test_a_remember_cookie_alone_is_dead_after_logout(app, client, auth, make_asn):
    asn = make_asn()
    _remember_login(client, asn)
    remember = client.get_cookie("remember_token").value
    assert _client_with(app, remember_token=remember).get("/saya").status_code == 200
    auth.logout()
    assert _client_with(app, remember_token=remember).get("/saya").status_code == 302


def test_remember_cookie_is_samesite_lax_and_lives_30_days(client, make_asn):
    response = _remember_login(client, make_asn())
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token="))
    assert "SameSite=Lax" in header and "HttpOnly" in header
    expires = parsedate_to_datetime(next(p.split("=", 1)[1] for p in header.split("; ")
                                         if p.startswith("Expires=")))
    lifetime = expires - datetime.now(timezone.utc)
    assert timedelta(days=29) < lifetime <= timedelta(days=30)


def test_log_out_everywhere_ends_other_sessions_remember_cookies_and_tokens(app, make_asn, fetch):
    asn = make_asn()
    phone = app.test_client()
    _remember_login(phone, asn)
    remember = phone.get_cookie("remember_token").value
    token = _token(app.test_client(), asn)
    laptop = app.test_client()
    _remember_login(laptop, asn)

    response = laptop.post("/akun/keluar-semua", follow_redirects=True)
    assert "keluar dari semua perangkat" in response.get_data(as_text=True)
    assert not _signed_in(laptop) and not _signed_in(phone)
    assert not _signed_in(_client_with(app, remember_token=remember))
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    events = fetch(select(AuditEvent).where(AuditEvent.action == "user.logged_out_everywhere"))
    assert [(e.actor_id, e.after) for e in events] == [(asn.id, {"tokens_revoked": 1})]


def test_account_page_offers_log_out_everywhere(client, auth, make_owner):
    auth.login(make_owner())
    page = client.get(PROTECTED).get_data(as_text=True)
    assert 'action="/akun/keluar-semua"' in page and "Keluar dari semua perangkat" in page


def test_log_out_everywhere_needs_csrf(csrf_app, make_owner):
    client = csrf_app.test_client()
    owner = make_owner()
    client.post("/masuk", data={"login": owner.login, "password": PASSWORD,
                                "csrf_token": csrf_token(client, "/masuk")})
    assert client.post("/akun/keluar-semua").status_code == 400
    assert _signed_in(client)
