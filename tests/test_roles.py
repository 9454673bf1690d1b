"""Each role decorator, on small views registered for the test."""
import pytest

from campaign.domains.auth.decorators import admin_required, asn_required, coordinator_required, shop_owner_required


@pytest.fixture
def guarded(app):
    def ok(**kwargs):
        return "ok"
    rules = {
        "/uji/asn": asn_required, "/uji/pemilik": shop_owner_required, "/uji/admin": admin_required,
        "/uji/koordinator": coordinator_required(),
    }
    for path, decorator in rules.items():
        app.add_url_rule(path, path, decorator(ok))
    app.add_url_rule("/uji/wilayah/<code>", "wilayah", coordinator_required("code")(ok))
    return app


@pytest.fixture
def people(make_asn, make_owner, make_staff):
    return {
        "asn": make_asn(), "owner": make_owner(), "admin": make_staff(role="admin"),
        "coord_palopo": make_staff(region="73.73"), "coord_makassar": make_staff(region="73.71"),
    }


EXPECTED = {
    # path: who gets 200 (everyone else signed in gets 403)
    "/uji/asn": {"asn"},
    "/uji/pemilik": {"owner", "admin"},
    "/uji/admin": {"admin"},
    "/uji/koordinator": {"admin", "coord_palopo", "coord_makassar"},
    "/uji/wilayah/73.73": {"admin", "coord_palopo"},
    "/uji/wilayah/73.71": {"admin", "coord_makassar"},
}


@pytest.mark.parametrize("path", EXPECTED)
def test_role_decorators(guarded, people, path):
    for who, person in people.items():
        client = guarded.test_client()
        client.post("/masuk", data={"login": person.login, "password": person.password})
        expected = 200 if who in EXPECTED[path] else 403
        assert client.get(path).status_code == expected, (who, path)


@pytest.mark.parametrize("path", EXPECTED)
def test_anonymous_is_sent_to_login_or_gets_401_json(guarded, path):
    client = guarded.test_client()
    assert client.get(path).status_code == 302
    response = client.get(path, headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_forbidden_is_html_or_json(guarded, people):
    client = guarded.test_client()
    client.post("/masuk", data={"login": people["asn"].login, "password": people["asn"].password})
    response = client.get("/uji/admin")
    assert response.status_code == 403 and "Akses ditolak" in response.get_data(as_text=True)
    response = client.get("/uji/admin", headers={"Accept": "application/json"})
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"
