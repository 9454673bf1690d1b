"""Limits on logging and the duplicate guard (campaign.domains.purchases.limits), one test per rule, then the
same rules under 20 simultaneous requests against a live server."""
from concurrent.futures import ThreadPoolExecutor
from datetime import time, timedelta

from helpers import province_time, province_today
import pytest
import requests
from api_helpers import error_of
from sqlalchemy import func, select, update

from campaign.core.errors import Duplicate, LimitExceeded
from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.purchases import services
from campaign.domains.purchases.models import Purchase
from campaign.domains.regions.models import Campaign
from campaign.util.formatting import utcnow


@pytest.fixture(autouse=True)
def campaign_started_a_month_ago(app):
    with app.app_context():
        db.session.execute(update(Campaign).values(starts_on=province_today() - timedelta(days=30)))
        db.session.commit()


@pytest.fixture
def buyer(make_asn):
    return make_asn(region="73.73")


@pytest.fixture
def shops(make_shop):
    return [make_shop(region="73.73") for _ in range(3)]


def _log(app, person, shop_id, amount=50_000, **kwargs):
    with app.app_context():
        return services.log_purchase(buyer=db.session.get(User, person.id), shop_id=shop_id, amount=amount,
                                     **kwargs).id


def _age(app, purchase_id, **delta):
    """Pretend a purchase was logged earlier."""
    with app.app_context():
        db.session.execute(update(Purchase).where(Purchase.id == purchase_id)
                           .values(created_at=utcnow() - timedelta(**delta)))
        db.session.commit()


def _count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Purchase))


# --- limits ------------------------------------------------------------------------------

def test_purchases_per_asn_per_day_limit(app, buyer, shops):
    app.config["PURCHASE_LIMIT_PER_DAY"] = 4
    for n in range(4):
        _log(app, buyer, shops[n % 3], amount=10_000 + n)
    with pytest.raises(LimitExceeded, match="Batas 4 catatan belanja per hari"):
        _log(app, buyer, shops[0], amount=99_000)
    assert _count(app) == 4


def test_rupiah_per_asn_per_day_limit(app, buyer, shops):
    _log(app, buyer, shops[0], amount=10_000_000)
    _log(app, buyer, shops[1], amount=9_999_000)
    with pytest.raises(LimitExceeded, match="Rp20.000.000") as info:
        _log(app, buyer, shops[2], amount=2_000)
    assert "sisa hari ini Rp1.000" in info.value.fields["amount"][0]
    assert _log(app, buyer, shops[2], amount=1_000)


def test_purchases_per_asn_per_shop_per_day_limit(app, buyer, shops):
    for n in range(3):
        _log(app, buyer, shops[0], amount=10_000 + n)
    with pytest.raises(LimitExceeded, match="di toko yang sama"):
        _log(app, buyer, shops[0], amount=20_000)
    assert _log(app, buyer, shops[1], amount=20_000)


def test_withdrawn_purchases_do_not_count(app, buyer, shops):
    app.config["PURCHASE_LIMIT_PER_DAY"] = 1
    first = _log(app, buyer, shops[0])
    with app.app_context():
        services.withdraw_purchase(actor=db.session.get(User, buyer.id), purchase_id=first)
    assert _log(app, buyer, shops[0], amount=60_000)


def test_limits_count_the_local_day_of_logging_not_the_purchase_date(app, buyer, shops):
    app.config["PURCHASE_LIMIT_PER_DAY"] = 1
    yesterday = _log(app, buyer, shops[0])
    minutes_since_midnight = (utcnow() - province_time(province_today(), time())).total_seconds() / 60
    _age(app, yesterday, minutes=minutes_since_midnight + 1)  # logged before midnight WITA
    _log(app, buyer, shops[0], amount=70_000, purchased_on=province_today() - timedelta(days=3))
    with pytest.raises(LimitExceeded):  # a backdated purchase logged today counts for today
        _log(app, buyer, shops[1], amount=80_000)


def test_a_limit_set_to_none_is_off(app, buyer, shops):
    app.config.update(PURCHASE_LIMIT_PER_SHOP_PER_DAY=None, PURCHASE_LIMIT_PER_DAY=None)
    for n in range(12):
        _log(app, buyer, shops[0], amount=10_000 + n)
    assert _count(app) == 12


# --- duplicates ----------------------------------------------------------------------------

def test_same_shop_amount_and_date_within_the_window_is_a_duplicate(app, buyer, shops):
    first = _log(app, buyer, shops[0])
    with pytest.raises(Duplicate) as info:
        _log(app, buyer, shops[0])
    assert f"belanja nomor {first}" in info.value.message and "Rp50.000" in info.value.message
    assert _count(app) == 1


def test_same_purchase_after_the_window_is_accepted(app, buyer, shops):
    first = _log(app, buyer, shops[0])
    _age(app, first, minutes=11)
    assert _log(app, buyer, shops[0]) != first


@pytest.mark.parametrize("change", [{"amount": 50_500}, {"shop": 1}, {"days_back": 1}])
def test_another_amount_shop_or_date_is_not_a_duplicate(app, buyer, shops, change):
    _log(app, buyer, shops[0])
    on = province_today() - timedelta(days=change.get("days_back", 0))
    assert _log(app, buyer, shops[change.get("shop", 0)], amount=change.get("amount", 50_000), purchased_on=on)


def test_a_withdrawn_purchase_is_no_duplicate(app, buyer, shops):
    first = _log(app, buyer, shops[0])
    with app.app_context():
        services.withdraw_purchase(actor=db.session.get(User, buyer.id), purchase_id=first)
    assert _log(app, buyer, shops[0]) != first


def test_a_repeated_client_ref_still_returns_the_first_purchase(app, buyer, shops):
    first = _log(app, buyer, shops[0], client_ref="tap-1")
    assert _log(app, buyer, shops[0], client_ref="tap-1") == first
    with pytest.raises(Duplicate):
        _log(app, buyer, shops[0], client_ref="tap-2")


# --- what a person sees ------------------------------------------------------------------

def test_html_form_shows_the_limit_in_indonesian(app, login_as, buyer, shops):
    client = login_as(buyer)
    form = {"shop_id": shops[0], "amount": "10.000.000", "purchased_on": province_today().isoformat()}
    assert client.post("/belanja/baru", data={**form, "client_ref": "a"}).status_code == 302
    assert client.post("/belanja/baru", data={**form, "client_ref": "b", "shop_id": shops[1]}).status_code == 302
    page = client.post("/belanja/baru", data={**form, "client_ref": "c", "shop_id": shops[2]})
    assert page.status_code == 200 and "Batas belanja Rp20.000.000 per hari terlampaui" in page.get_data(as_text=True)


def test_html_form_shows_the_earlier_purchase_of_a_duplicate(app, login_as, buyer, shops):
    client = login_as(buyer)
    form = {"shop_id": shops[0], "amount": "25.000", "purchased_on": province_today().isoformat()}
    client.post("/belanja/baru", data={**form, "client_ref": "a"})
    page = client.post("/belanja/baru", data={**form, "client_ref": "b"}).get_data(as_text=True)
    assert "Belanja yang sama (Rp25.000" in page and "belanja nomor 1" in page


def test_api_over_a_limit_is_422_limit_exceeded(app, api, world):
    app.config["PURCHASE_LIMIT_PER_DAY"] = 1
    api.post("/purchases", json={"shop_id": world.shop_id, "amount": 50_000}, token=world.tokens["asn"])
    response = api.post("/purchases", json={"shop_id": world.shop_id, "amount": 60_000}, token=world.tokens["asn"])
    assert response.status_code == 422 and error_of(response)["code"] == "limit_exceeded"


def test_api_duplicate_is_409_duplicate(api, world):
    body = {"shop_id": world.shop_id, "amount": 50_000}
    assert api.post("/purchases", json=body, token=world.tokens["asn"]).status_code == 201
    response = api.post("/purchases", json=body, token=world.tokens["asn"])
    assert response.status_code == 409 and error_of(response)["code"] == "duplicate"


# --- 20 requests at once against a live server --------------------------------------------

def _fire(base, token, bodies):
    def post(body):
        return requests.post(f"{base}/api/v1/purchases", json=body, timeout=60,
                             headers={"Authorization": f"Bearer {token}"})
    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return [(r.status_code, r.json()) for r in pool.map(post, bodies)]


@pytest.mark.slow
def test_twenty_simultaneous_requests_cannot_pass_the_daily_limits(app, api, world, live_server, make_shop,
                                                                    tallies_agree):
    shops = [world.shop_id] + [make_shop(region="73.73") for _ in range(6)]
    bodies = [{"shop_id": shops[n % 7], "amount": 1_000_000 + n} for n in range(20)]
    results = _fire(live_server, world.tokens["asn"], bodies)
    assert sorted(status for status, _ in results).count(201) == 10
    assert {body["error"]["code"] for status, body in results if status != 201} == {"limit_exceeded"}
    assert _count(app) == 10
    tallies_agree()


@pytest.mark.slow
def test_twenty_simultaneous_copies_of_one_purchase_record_one(app, api, world, live_server, tallies_agree):
    results = _fire(live_server, world.tokens["asn"], [{"shop_id": world.shop_id, "amount": 75_000}] * 20)
    assert [status for status, _ in results].count(201) == 1
    assert {body["error"]["code"] for status, body in results if status != 201} == {"duplicate"}
    assert _count(app) == 1
    tallies_agree()
