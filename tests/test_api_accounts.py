"""Tokens, sign-up and /me: issue, use, expire, revoke; one 401 body; rate limits; CSRF."""
import hashlib
from datetime import datetime, timedelta

import pytest
from api_helpers import error_of, token_for
from helpers import PASSWORD
from sqlalchemy import select

from campaign.core.extensions import db
from campaign.domains.auth.models import ApiToken, AsnProfile, User


def test_token_is_issued_once_and_stored_hashed(api, make_asn, fetch):
    asn = make_asn()
    before = datetime.now().astimezone()
    response = api.post("/tokens", json={"login": asn.login, "password": PASSWORD})
    assert response.status_code == 201
    body = response.get_json()
    assert body["token_type"] == "Bearer" and len(body["token"]) >= 40
    expires = datetime.fromisoformat(body["expires_at"])
    assert expires.utcoffset() == timedelta(hours=8)  # WITA
    assert timedelta(days=29) < expires - before <= timedelta(days=30, minutes=1)
    (row,) = fetch(select(ApiToken))
    assert row.token_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    assert body["token"] not in repr(vars(row))


def test_token_works_on_me(api, make_asn):
    asn = make_asn(name="Andi Baso", region="73.73", agency="Dinas Kominfo")
    response = api.get("/me", token=token_for(api, asn))
    assert response.status_code == 200
    me = response.get_json()
    assert me["name"] == "Andi Baso" and me["roles"] == ["asn"] and me["email"] == asn.login
    assert me["asn"] == {"nip": asn.nip, "agency": "Dinas Kominfo", "region": {"code": "73.73", "name": "Palopo"}}


def test_wrong_password_and_unknown_login_get_the_same_401(api, make_asn):
    asn = make_asn()
    wrong = api.post("/tokens", json={"login": asn.login, "password": "salah-sekali"})
    unknown = api.post("/tokens", json={"login": "siapa@example.id", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()
    assert error_of(wrong)["code"] == "invalid_credentials"


@pytest.mark.parametrize("body, field", [
    ({"password": PASSWORD}, "login"),
    ({"login": "a@example.id"}, "password"),
    ({"login": 123, "password": PASSWORD}, "login"),
    ({"login": "a@example.id", "password": None}, "password"),
    ({"login": "a\u0000@example.id", "password": PASSWORD}, "login"),
])
def test_token_request_of_the_wrong_shape_is_422(api, body, field):
    response = api.post("/tokens", json=body)
    assert response.status_code == 422
    assert field in error_of(response)["fields"]


@pytest.mark.parametrize("data, content_type, status", [
    ("{not json", "application/json", 400),
    ("", "application/json", 400),
    ("[1, 2]", "application/json", 422),
    ('"text"', "application/json", 422),
    ("login=a&password=b", "application/x-www-form-urlencoded", 415),
    ("[" * 100_000 + "]" * 100_000, "application/json", 400),
    ('{"login": 1' + "0" * 5000 + "}", "application/json", 400),
    ("x" * (1024 * 1024 + 10), "application/json", 413),
])
def test_unreadable_bodies(api, data, content_type, status):
    response = api.post("/tokens", data=data, content_type=content_type)
    assert response.status_code == status
    error_of(response)


@pytest.fixture
def expired_and_revoked(app, api, make_asn):
    asn = make_asn()
    expired, revoked = token_for(api, asn), token_for(api, asn)
    with app.app_context():
        rows = {row.token_hash: row for row in db.session.scalars(select(ApiToken))}
        rows[hashlib.sha256(expired.encode()).hexdigest()].expires_at = datetime.now().astimezone() - timedelta(1)
        rows[hashlib.sha256(revoked.encode()).hexdigest()].revoked_at = datetime.now().astimezone()
        db.session.commit()
    return expired, revoked


def test_missing_invalid_expired_and_revoked_tokens_get_one_401(api, expired_and_revoked):
    expired, revoked = expired_and_revoked
    answers = [api.get("/me"), api.get("/me", token="bukan-token"), api.get("/me", token=expired),
               api.get("/me", token=revoked), api.get("/me", headers={"Authorization": "Basic YTpi"})]
    assert {r.status_code for r in answers} == {401}
    assert len({r.get_data() for r in answers}) == 1
    assert error_of(answers[0])["code"] == "unauthorized"
    assert all(r.headers["WWW-Authenticate"].startswith("Bearer") for r in answers)


def test_revoking_the_current_token(api, make_asn):
    asn = make_asn()
    token, other = token_for(api, asn), token_for(api, asn)
    assert api.delete("/tokens/current", token=token).status_code == 204
    assert api.get("/me", token=token).status_code == 401
    assert api.delete("/tokens/current", token=token).status_code == 401
    assert api.get("/me", token=other).status_code == 200  # only that token


def test_deactivated_user_loses_api_access(app, api, make_asn):
    asn = make_asn()
    token = token_for(api, asn)
    with app.app_context():
        db.session.get(User, asn.id).active = False
        db.session.commit()
    assert api.get("/me", token=token).status_code == 401


def test_session_cookie_does_not_authenticate_the_api(api, client, auth, make_asn):
    auth.login(make_asn())
    assert client.get("/saya").status_code == 200  # logged in for the HTML pages
    assert api.get("/me").status_code == 401


def test_api_needs_no_csrf_token_but_html_forms_still_do(csrf_app, make_asn):
    from api_helpers import ApiClient

    asn = make_asn()
    client = csrf_app.test_client()
    assert client.post("/masuk", data={"login": asn.login, "password": PASSWORD}).status_code == 400
    api = ApiClient(csrf_app, client)
    response = api.post("/tokens", json={"login": asn.login, "password": PASSWORD})
    assert response.status_code == 201
    token = response.get_json()["token"]
    assert api.put("/me/pledge", json={"amount": 100_000}, token=token).status_code == 200


class TestRateLimit:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_API_TOKENS": "3 per minute"}

    def test_token_requests_are_rate_limited(self, api, make_asn):
        asn = make_asn()
        statuses = [api.post("/tokens", json={"login": asn.login, "password": "salah-sekali"}).status_code
                    for _ in range(3)]
        assert statuses == [401, 401, 401]
        response = api.post("/tokens", json={"login": asn.login, "password": PASSWORD})
        assert response.status_code == 429
        assert error_of(response)["code"] == "rate_limited"
        assert int(response.headers["Retry-After"]) > 0

    def test_sign_ups_are_rate_limited(self, api):
        body = {"role": "shop_owner", "name": "Pemilik", "password": PASSWORD, "consent": True}
        statuses = [api.post("/users", json={**body, "login": f"pemilik{n}@example.id"}).status_code
                    for n in range(4)]
        assert statuses == [201, 201, 201, 429]


ASN_SIGN_UP = {"role": "asn", "name": "Nurul Hidayah", "nip": "1990 0512 201503 2 004",
               "agency": "Dinas Pendidikan", "region": "73.71", "login": "nurul@example.id",
               "password": PASSWORD, "consent": True}


def test_sign_up_as_asn_then_get_a_token(api, fetch):
    response = api.post("/users", json=ASN_SIGN_UP)
    assert response.status_code == 201
    me = response.get_json()
    assert me["roles"] == ["asn"] and me["asn"]["nip"] == "199005122015032004"
    assert me["asn"]["region"] == {"code": "73.71", "name": "Makassar"}
    assert [p.nip for p in fetch(select(AsnProfile))] == ["199005122015032004"]
    token = token_for(api, type("P", (), {"login": "nurul@example.id", "password": PASSWORD}))
    assert api.get("/me", token=token).get_json()["id"] == me["id"]


def test_sign_up_as_shop_owner_with_a_phone_number(api):
    response = api.post("/users", json={"role": "shop_owner", "name": "Daeng Rani", "login": "0812-3456-7001",
                                        "password": PASSWORD, "consent": True})
    assert response.status_code == 201
    assert response.get_json()["phone"] == "+6281234567001"
    assert response.get_json()["roles"] == ["shop_owner"] and response.get_json()["asn"] is None


@pytest.mark.parametrize("change, field", [
    ({"nip": "12345"}, "nip"),
    ({"region": "73.99"}, "region"),
    ({"consent": False}, "consent"),
    ({"consent": "ya"}, "consent"),
    ({"password": "pendek"}, "password"),
    ({"login": "bukan login"}, "login"),
    ({"role": "admin"}, "role"),
    ({"role": None}, "role"),
    ({"name": None}, "name"),
    ({"agency": ["Dinas"]}, "agency"),
])
def test_sign_up_validation(api, change, field):
    response = api.post("/users", json={**ASN_SIGN_UP, **change})
    assert response.status_code == 422
    assert field in error_of(response)["fields"]


def test_sign_up_without_role_is_422(api):
    body = {k: v for k, v in ASN_SIGN_UP.items() if k != "role"}
    assert "role" in error_of(api.post("/users", json=body))["fields"]


@pytest.mark.parametrize("change, field", [({"login": "NURUL@example.id"}, "login"), ({}, "nip")])
def test_sign_up_duplicates_are_409(api, change, field):
    assert api.post("/users", json=ASN_SIGN_UP).status_code == 201
    again = {**ASN_SIGN_UP, "login": "lain@example.id", **change}
    response = api.post("/users", json=again)
    assert response.status_code == 409
    assert field in error_of(response)["fields"]


def test_changing_the_password_revokes_api_tokens(api, make_asn, auth, client):
    asn = make_asn()
    token = token_for(api, asn)
    assert api.get("/me", token=token).status_code == 200
    auth.login(asn)
    client.post("/akun/kata-sandi", data={"current_password": PASSWORD, "new_password": "sandibaru123",
                                          "confirm": "sandibaru123"})
    assert api.get("/me", token=token).status_code == 401


def test_logging_a_purchase_refuses_the_same_tokens_and_writes_nothing(app, api, expired_and_revoked, make_asn,
                                                                       make_owner, make_shop):
    """Logging a purchase looks its token up with the ASN in one read of plain values
    (``auth.find_buyer``): expired, revoked and deactivated tokens get the same 401 as everywhere,
    a shop owner's token the 403, and nothing is written."""
    from campaign.domains.purchases.models import Purchase

    shop_id = make_shop()
    deactivated = make_asn()
    deactivated_token = token_for(api, deactivated)
    with app.app_context():
        db.session.get(User, deactivated.id).active = False
        db.session.commit()
    body = {"shop_id": shop_id, "amount": 25_000}
    answers = [api.post("/purchases", json=body, token=token) for token in (*expired_and_revoked, deactivated_token)]
    assert [r.status_code for r in answers] == [401, 401, 401]
    assert len({r.get_data() for r in answers}) == 1
    owner_answer = api.post("/purchases", json=body, token=token_for(api, make_owner()))
    assert owner_answer.status_code == 403 and error_of(owner_answer)["code"] == "forbidden"
    with app.app_context():
        assert db.session.scalar(select(Purchase.id)) is None
