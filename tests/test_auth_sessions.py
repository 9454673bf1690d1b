"""Sessions end when they should: log out, the remember cookie, log out everywhere, and accounts
that a province admin deactivates and reactivates (HTML and API)."""
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from helpers import PASSWORD, csrf_token
from sqlalchemy import select

from campaign.core.audit import AuditEvent
from campaign.domains.auth.models import User

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


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_admin_deactivation_ends_sessions_and_tokens_at_once(app, login_as, make_staff, make_owner, fetch):
    admin, owner = make_staff(role="admin"), make_owner()
    browser = app.test_client()
    _remember_login(browser, owner)
    remember = browser.get_cookie("remember_token").value
    token = _token(app.test_client(), owner)

    response = login_as(admin).post("/admin/akun", data={"login": owner.login}, follow_redirects=True)
    assert f"Akun {owner.name} dinonaktifkan" in response.get_data(as_text=True)
    assert not _signed_in(browser)
    assert not _signed_in(_client_with(app, remember_token=remember))
    assert app.test_client().get("/api/v1/me", headers=_bearer(token)).status_code == 401
    assert app.test_client().post("/masuk", data={"login": owner.login, "password": PASSWORD}).status_code == 200
    assert app.test_client().post("/api/v1/tokens", json={"login": owner.login,
                                                          "password": PASSWORD}).status_code == 401
    events = fetch(select(AuditEvent).where(AuditEvent.action == "user.deactivated"))
    assert [(e.actor_id, e.entity_id, e.before, e.after) for e in events] == [
        (admin.id, owner.id, {"active": True}, {"active": False, "tokens_revoked": 1})]


def test_admin_reactivates_from_the_list_of_deactivated_accounts(app, login_as, make_staff, make_owner, fetch):
    admin, owner = make_staff(role="admin"), make_owner()
    client = login_as(admin)
    client.post("/admin/akun", data={"login": owner.login})
    assert owner.name in client.get("/admin/akun").get_data(as_text=True)
    response = client.post(f"/admin/akun/{owner.id}/aktifkan", follow_redirects=True)
    assert f"Akun {owner.name} aktif kembali" in response.get_data(as_text=True)
    assert "Tidak ada akun nonaktif" in response.get_data(as_text=True)
    assert login_as(owner) is not None  # logs in again
    events = fetch(select(AuditEvent).where(AuditEvent.action == "user.reactivated"))
    assert [(e.actor_id, e.entity_id, e.after) for e in events] == [(admin.id, owner.id, {"active": True})]


def test_admin_cannot_deactivate_own_account_or_an_unknown_login(login_as, make_staff, fetch):
    admin = make_staff(role="admin")
    client = login_as(admin)
    own = client.post("/admin/akun", data={"login": admin.login}, follow_redirects=True).get_data(as_text=True)
    assert "akun Anda sendiri" in own
    unknown = client.post("/admin/akun", data={"login": "tidak.ada@example.id"}).get_data(as_text=True)
    assert "Tidak ada akun dengan e-mail atau nomor ini" in unknown
    assert fetch(User, admin.id).active and _signed_in(client)


def test_only_admins_deactivate(login_as, make_staff, make_owner, fetch):
    coordinator, owner = make_staff(), make_owner()
    assert login_as(coordinator).post("/admin/akun", data={"login": owner.login}).status_code == 403
    assert fetch(User, owner.id).active


def test_api_deactivate_and_reactivate(app, make_staff, make_asn, fetch):
    admin, asn = make_staff(role="admin"), make_asn()
    client = app.test_client()
    admin_token, asn_token = _token(client, admin), _token(client, asn)
    response = client.post(f"/api/v1/users/{asn.id}/deactivate", headers=_bearer(admin_token))
    assert response.status_code == 200
    assert response.get_json() == {"id": asn.id, "name": asn.name, "active": False}
    assert client.get("/api/v1/me", headers=_bearer(asn_token)).status_code == 401
    assert client.post(f"/api/v1/users/{asn.id}/deactivate", headers=_bearer(admin_token)).status_code == 409
    response = client.post(f"/api/v1/users/{asn.id}/reactivate", headers=_bearer(admin_token))
    assert response.get_json()["active"] is True
    assert client.get("/api/v1/me", headers=_bearer(asn_token)).status_code == 401  # old tokens stay revoked
    assert client.get("/api/v1/me", headers=_bearer(_token(client, asn))).status_code == 200
    assert [e.action for e in fetch(select(AuditEvent).where(AuditEvent.entity_id == asn.id,
                                                             AuditEvent.action.like("user.%activated"))
                                             .order_by(AuditEvent.id))] == [
        "user.deactivated", "user.reactivated"]


def test_api_deactivation_is_for_admins_only(app, make_staff, make_asn, fetch):
    coordinator, asn = make_staff(), make_asn()
    client = app.test_client()
    response = client.post(f"/api/v1/users/{asn.id}/deactivate", headers=_bearer(_token(client, coordinator)))
    assert response.status_code == 403
    assert client.post(f"/api/v1/users/{asn.id}/deactivate", headers=_bearer(_token(client, asn))).status_code == 403
    assert fetch(User, asn.id).active
