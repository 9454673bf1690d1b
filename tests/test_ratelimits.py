"""Rate limits on the HTML sign-up forms (per address, like the API) and on logging purchases
(per account, one count for the HTML form and the API)."""
import pytest
from helpers import PASSWORD, province_today
from sqlalchemy import select

from campaign.domains.auth.models import User
from campaign.domains.purchases.models import Purchase


def _sign_up(client, kind: str, n: int):
    data = {"name": f"Orang {n}", "login": f"orang{n}@example.id", "password": PASSWORD, "confirm": PASSWORD,
            "consent": "y"}
    if kind == "asn":
        data.update(nip=f"198609262015051{n:03d}", agency="Dinas Koperasi dan UKM", region="73.73")
        return client.post("/daftar/asn", data=data)
    return client.post("/daftar/pemilik-toko", data=data)


@pytest.mark.parametrize("app_config", [{"RATELIMIT_SIGN_UP": "3 per minute"}])
def test_html_sign_up_forms_share_one_limit_per_address(app, fetch):
    statuses = [_sign_up(app.test_client(), kind, n).status_code
                for n, kind in enumerate(["asn", "shop_owner", "asn", "shop_owner", "asn"], start=1)]
    assert statuses == [302, 302, 302, 429, 429]
    assert len(fetch(select(User))) == 3
    assert app.test_client().get("/daftar/asn").status_code == 200  # reading the form is not counted


def _html_purchase(client, shop_id):
    return client.post("/belanja/baru", data={"shop_id": shop_id, "amount": "20.000",
                                              "purchased_on": province_today().isoformat()})


def _api_purchase(client, token, shop_id):
    return client.post("/api/v1/purchases", headers={"Authorization": f"Bearer {token}"},
                       json={"shop_id": shop_id, "amount": 20_000})


@pytest.mark.parametrize("app_config", [{"RATELIMIT_PURCHASE": "3 per minute"}])
def test_logging_purchases_is_limited_per_account_across_html_and_api(app, login_as, make_asn, make_shop, fetch,
                                                                    no_logging_limits):
    shop_id, buyer, neighbour = make_shop(), make_asn(), make_asn()
    browser = login_as(buyer)
    token = app.test_client().post("/api/v1/tokens", json={"login": buyer.login,
                                                           "password": PASSWORD}).get_json()["token"]
    assert [_html_purchase(browser, shop_id).status_code for _ in range(2)] == [302, 302]
    assert _api_purchase(app.test_client(), token, shop_id).status_code == 201
    assert _api_purchase(app.test_client(), token, shop_id).status_code == 429
    assert _html_purchase(browser, shop_id).status_code == 429
    assert browser.get("/belanja/baru").status_code == 200  # the form itself still opens
    assert _html_purchase(login_as(neighbour), shop_id).status_code == 302  # another account: its own count
    bought = fetch(select(Purchase))
    assert sorted(p.buyer_id for p in bought) == sorted([buyer.id] * 3 + [neighbour.id])


@pytest.mark.parametrize("app_config", [{"RATELIMIT_PURCHASE": "2 per minute"}])
def test_the_api_counts_a_purchase_limit_per_account_before_taking_the_write_lock(app, make_asn, make_shop, fetch,
                                                                                  no_logging_limits):
    """The API counts the limit under the account its token was issued to; on SQLite before its
    write transaction, so a refused request begins none and never waits for the writer's turn
    (PostgreSQL, with no turn to wait for, counts it inside). Two tokens of one account share one
    count while another account keeps its own."""
    from sqlalchemy import event

    from campaign.core.extensions import db

    shop_id, buyer, neighbour = make_shop(), make_asn(), make_asn()

    def token_of(person):
        return app.test_client().post("/api/v1/tokens", json={"login": person.login,
                                                              "password": PASSWORD}).get_json()["token"]

    first, second, other = token_of(buyer), token_of(buyer), token_of(neighbour)
    assert _api_purchase(app.test_client(), first, shop_id).status_code == 201
    assert _api_purchase(app.test_client(), second, shop_id).status_code == 201
    begun = []
    with app.app_context():
        engine = db.engine
    listener = lambda _conn: begun.append(1)  # noqa: E731
    event.listen(engine, "begin", listener)
    try:
        refused = _api_purchase(app.test_client(), first, shop_id)
    finally:
        event.remove(engine, "begin", listener)
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    if engine.dialect.name == "sqlite":
        assert begun == []
    assert _api_purchase(app.test_client(), other, shop_id).status_code == 201
    assert sorted(p.buyer_id for p in fetch(select(Purchase))) == sorted([buyer.id] * 2 + [neighbour.id])
