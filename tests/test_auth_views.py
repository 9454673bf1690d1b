"""Sign-up, log-in, log-out, password change and the role decorators, through the real views."""
import pytest
from helpers import PASSWORD, csrf_token
from sqlalchemy import select

from campaign.core.audit import AuditEvent
from campaign.core.extensions import db
from campaign.domains.auth.models import AsnProfile, User

ASN_FORM = {
    "name": "Andi Baso", "nip": "19860926 201505 1 001", "agency": "Dinas Koperasi dan UKM",
    "region": "73.73", "login": "0812-1111-2222", "password": "rahasia123", "confirm": "rahasia123",
    "consent": "y",
}


def test_asn_sign_up_with_csrf(csrf_app, fetch):
    client = csrf_app.test_client()
    response = client.post("/daftar/asn", data=ASN_FORM)
    assert response.status_code == 400  # no CSRF token: refused
    data = {**ASN_FORM, "csrf_token": csrf_token(client, "/daftar/asn?region=73.73")}
    response = client.post("/daftar/asn", data=data, follow_redirects=True)
    assert "Akun ASN Anda sudah dibuat" in response.get_data(as_text=True)
    profile = fetch(select(AsnProfile))[0]
    assert profile.nip == "198609262015051001"
    user = fetch(User, profile.user_id)
    assert user.phone == "+6281211112222" and user.email is None
    assert user.password_hash != "rahasia123" and user.consent_at is not None
    events = fetch(select(AuditEvent).where(AuditEvent.action == "user.signed_up"))
    assert [(e.actor_id, e.after["role"], e.after["region"]) for e in events] == [(user.id, "asn", "73.73")]


def test_sign_up_page_lists_24_regions(client):
    page = client.get("/daftar/asn").get_data(as_text=True)
    assert page.count('<option value="73.') == 24
    assert "pemberitahuan privasi" in page


@pytest.mark.parametrize("field, value, message", [
    ("nip", "198609262015053001", "jenis kelamin"),
    ("nip", "12345", "18 digit"),
    ("login", "bukan-nomor", "nomor WhatsApp yang valid"),
    ("password", "pendek", "minimal 8"),
    ("consent", "", "Persetujuan diperlukan"),
    ("region", "", "Wajib diisi"),
])
def test_asn_sign_up_rejects_bad_input(client, field, value, message, fetch):
    data = {**ASN_FORM, field: value}
    if field == "password":
        data["confirm"] = value
    response = client.post("/daftar/asn", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert fetch(select(User)) == []
    # what the person typed is kept (nothing lost)
    assert "Dinas Koperasi dan UKM" in response.get_data(as_text=True)


def test_nip_with_00_as_digits_13_14_is_refused(client, fetch):
    response = client.post("/daftar/asn", data={**ASN_FORM, "nip": "19860926 201500 1 001"})
    assert "Digit 13-14 NIP" in response.get_data(as_text=True)
    assert fetch(select(User)) == []


def test_duplicate_nip_is_a_message_not_a_500(client, make_asn, fetch):
    make_asn(nip="198609262015051001")
    response = client.post("/daftar/asn", data=ASN_FORM)
    assert response.status_code == 200
    assert "NIP ini sudah terdaftar" in response.get_data(as_text=True)
    assert len(fetch(select(User))) == 1


def test_duplicate_login_is_a_message_not_a_500(client, make_owner, fetch):
    make_owner(login="0812-1111-2222")
    response = client.post("/daftar/asn", data=ASN_FORM)
    assert response.status_code == 200
    assert "Nomor ini sudah terdaftar" in response.get_data(as_text=True)
    assert len(fetch(select(User))) == 1


def test_shop_owner_sign_up_with_email(client, fetch):
    response = client.post("/daftar/pemilik-toko", data={
        "name": "Ibu Sitti", "login": "Sitti@Warung.ID", "password": "rahasia123", "confirm": "rahasia123",
        "consent": "y"}, follow_redirects=True)
    assert "Akun pemilik toko sudah dibuat" in response.get_data(as_text=True)
    user = fetch(select(User))[0]
    assert user.email == "sitti@warung.id" and user.is_shop_owner
    assert fetch(select(AsnProfile)) == []


@pytest.mark.parametrize("typed", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890"])
def test_login_with_any_phone_spelling(client, auth, make_owner, typed):
    owner = make_owner(login="081234567890")
    response = auth.login(typed, PASSWORD, follow_redirects=True)
    assert f"Selamat datang, {owner.name}" in response.get_data(as_text=True)


def test_bad_password_and_unknown_user_get_the_same_message(client, auth, make_owner):
    owner = make_owner()
    wrong = auth.login(owner.login, "salah-sandi").get_data(as_text=True)
    unknown = auth.login("tidak.ada@example.id", "salah-sandi").get_data(as_text=True)
    assert "Login atau kata sandi salah." in wrong
    assert "Login atau kata sandi salah." in unknown
    assert client.get("/akun/kata-sandi").status_code == 302  # still signed out


def test_logout(client, auth, make_owner):
    auth.login(make_owner())
    assert client.get("/akun/kata-sandi").status_code == 200
    response = auth.logout()
    assert response.status_code == 302
    assert client.get("/akun/kata-sandi").status_code == 302


def test_logout_needs_post(client, auth, make_owner):
    auth.login(make_owner())
    assert client.get("/keluar").status_code == 405


@pytest.mark.parametrize("target, expected", [
    ("/akun/kata-sandi", "/akun/kata-sandi"),
    ("https://evil.example/", "/"),
    ("//evil.example/", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
])
def test_next_only_follows_local_paths(client, make_owner, target, expected):
    owner = make_owner()
    response = client.post("/masuk", query_string={"next": target},
                           data={"login": owner.login, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_protected_page_redirects_to_login_with_next(client):
    response = client.get("/akun/kata-sandi")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/masuk?next=/akun/kata-sandi")


def test_change_password_logs_out_other_sessions(app, auth, client, make_owner, fetch):
    owner = make_owner()
    other = app.test_client()
    other.post("/masuk", data={"login": owner.login, "password": PASSWORD})
    auth.login(owner)
    response = client.post("/akun/kata-sandi", data={
        "current_password": PASSWORD, "new_password": "sandibaru123", "confirm": "sandibaru123"},
        follow_redirects=True)
    assert "Kata sandi sudah diganti" in response.get_data(as_text=True)
    assert client.get("/akun/kata-sandi").status_code == 200  # this session stays
    assert other.get("/akun/kata-sandi").status_code == 302   # the other one is out
    assert auth.login(owner.login, "sandibaru123").status_code == 302
    events = fetch(select(AuditEvent).where(AuditEvent.action == "user.password_changed"))
    assert [e.actor_id for e in events] == [owner.id]


def test_change_password_wrong_current(client, auth, make_owner):
    auth.login(make_owner())
    response = client.post("/akun/kata-sandi", data={
        "current_password": "bukan-ini", "new_password": "sandibaru123", "confirm": "sandibaru123"})
    assert "Kata sandi saat ini salah." in response.get_data(as_text=True)


def test_login_is_rate_limited(app, make_owner):
    app.config["RATELIMIT_LOGIN"] = "3 per minute"
    client = app.test_client()
    codes = [client.post("/masuk", data={"login": "x@example.id", "password": "salah-sandi"}).status_code
             for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_behind_a_proxy_rate_limits_count_per_client(app, make_owner):
    from campaign import create_app
    proxied = create_app({**app.config, "PROXY_FIX": True, "RATELIMIT_LOGIN": "2 per minute"},
                         instance_path=app.instance_path)
    client = proxied.test_client()

    def attempt(ip):
        return client.post("/masuk", data={"login": "x@example.id", "password": "salah-sandi"},
                           headers={"X-Forwarded-For": ip}).status_code
    try:
        assert [attempt("10.0.0.1") for _ in range(3)] == [200, 200, 429]
        assert attempt("10.0.0.2") == 200  # another phone behind the same proxy is not blocked
    finally:
        with proxied.app_context():
            db.engine.dispose()  # a second engine: close its connections (PostgreSQL warns otherwise)
