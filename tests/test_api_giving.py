"""The ASN's pledge and purchases and the shop owner's shops and confirmations, through the API."""
import json
from datetime import date, timedelta

from helpers import province_today
import pytest
from api_helpers import error_of, token_for
from sqlalchemy import select, update

from campaign.core.extensions import db
from campaign.domains.purchases.models import Pledge, Purchase
from campaign.domains.shops.models import Shop


def _buy(api, world, **body):
    return api.post("/purchases", json={"shop_id": world.shop_id, "amount": 50_000, **body},
                    token=world.tokens["asn"])


# --- pledge and summary -------------------------------------------------------------------

def test_pledge_then_change_it(api, world, fetch):
    first = api.put("/me/pledge", json={"amount": 500_000}, token=world.tokens["asn"])
    assert first.status_code == 200 and first.get_json()["amount"] == 500_000
    second = api.put("/me/pledge", json={"amount": 750_000}, token=world.tokens["asn"])
    assert second.get_json()["amount"] == 750_000
    assert [p.amount for p in fetch(select(Pledge))] == [750_000]


@pytest.mark.parametrize("body, status", [
    ({"amount": 0}, 422), ({"amount": "500.000"}, 422), ({"amount": 1.5}, 422), ({"amount": True}, 422),
    ({"amount": None}, 422), ({}, 422), ({"amount": 10 ** 30}, 422), ({"amount": 2_000_000_000}, 422),
    ({"amount": 1000, "campaign": 999}, 404), ({"amount": 1000, "campaign": "1"}, 422),
])
def test_pledge_validation(api, world, body, status):
    response = api.put("/me/pledge", json=body, token=world.tokens["asn"])
    assert response.status_code == status
    if status == 422:
        assert "amount" in error_of(response)["fields"] or "campaign" in error_of(response)["fields"]


def test_pledge_needs_an_asn_token(api, world):
    assert api.put("/me/pledge", json={"amount": 1000}).status_code == 401
    response = api.put("/me/pledge", json={"amount": 1000}, token=world.tokens["owner"])
    assert response.status_code == 403 and error_of(response)["code"] == "forbidden"


def test_pledge_for_an_ended_campaign_is_409(api, world, make_campaign):
    ended_id = make_campaign(name="Gerakan 2020", appeal_letter_date=date(2020, 4, 1), starts_on=date(2020, 5, 1),
                             ends_on=date(2020, 12, 31))
    response = api.put("/me/pledge", json={"amount": 1000, "campaign": ended_id}, token=world.tokens["asn"])
    assert response.status_code == 409 and error_of(response)["code"] == "conflict"


def test_summary(api, world):
    api.put("/me/pledge", json={"amount": 200_000}, token=world.tokens["asn"])
    _buy(api, world, amount=50_000)
    summary = api.get("/me/summary", token=world.tokens["asn"]).get_json()
    assert (summary["pledged"], summary["realized"], summary["verified"], summary["progress"]) == \
        (200_000, 50_000, 0, 0.25)
    assert api.get("/me/summary?campaign=999", token=world.tokens["asn"]).status_code == 404


# --- purchases ------------------------------------------------------------------------------

def test_log_purchase(api, world, tallies_agree):
    response = _buy(api, world, amount=125_000, note="beras dan telur", purchased_on=province_today().isoformat())
    assert response.status_code == 201
    purchase = response.get_json()
    assert purchase["status"] == "reported" and purchase["amount"] == 125_000
    assert purchase["shop"] == {"id": world.shop_id, "name": "Warung Sitti"}
    assert purchase["purchased_on"] == province_today().isoformat() and purchase["created_at"].endswith("+08:00")
    tallies_agree()


def test_repeated_client_ref_records_one_purchase(api, world, fetch):
    first = _buy(api, world, client_ref="bot-msg-42")
    again = _buy(api, world, client_ref="bot-msg-42")
    assert first.status_code == again.status_code == 201
    assert first.get_json()["id"] == again.get_json()["id"]
    assert len(fetch(select(Purchase))) == 1


@pytest.mark.parametrize("change", [{"amount": 75_000}, {"note": "lain"}, {"purchased_on": "yesterday"},
                                    {"shop_id": "another"}])
def test_a_client_ref_reused_with_another_body_is_409_naming_the_first_purchase(api, world, make_shop, fetch,
                                                                                change):
    first = _buy(api, world, client_ref="bot-msg-44", purchased_on=province_today().isoformat()).get_json()
    if change.get("purchased_on"):
        change = {"purchased_on": (province_today() - timedelta(days=1)).isoformat()}
    if change.get("shop_id"):
        change = {"shop_id": make_shop(owner=world.owner, name="Kios Kedua", region="73.73")}
    again = _buy(api, world, client_ref="bot-msg-44", **change)
    error = error_of(again)
    assert again.status_code == 409 and error["code"] == "idempotency_mismatch"
    assert error["purchase_id"] == first["id"] and f"#{first['id']}" in error["message"]
    assert "Rp50.000" in error["message"] and "Warung Sitti" in error["message"]
    assert [p.id for p in fetch(select(Purchase))] == [first["id"]]


def test_a_retry_without_its_date_the_next_day_is_still_the_same_purchase(api, world, fetch):
    first = _buy(api, world, client_ref="bot-msg-45").get_json()
    with api.app.app_context():
        db.session.execute(update(Purchase).values(purchased_on=province_today() - timedelta(days=1)))
        db.session.commit()
    again = _buy(api, world, client_ref="bot-msg-45")
    assert again.status_code == 201 and again.get_json()["id"] == first["id"]


def test_simultaneous_retries_with_one_client_ref_record_one_purchase(api, world, fetch, monkeypatch,
                                                                      tallies_agree):
    """A bot's retry racing its first request (PostgreSQL lets both pass the look-up): the unique
    (buyer, client_ref) constraint stops the second's insert, which writes nothing else either and
    answers with the first's purchase."""
    from campaign.domains.purchases import limits

    first = _buy(api, world, client_ref="bot-msg-43").get_json()
    lookup, calls = limits.recent_purchases, []

    def misses_the_first(*args):
        calls.append(args)
        rows, _repeated = lookup(*args)
        return rows, None  # the look-up ran before the first request committed

    monkeypatch.setattr(limits, "recent_purchases", misses_the_first)
    again = _buy(api, world, client_ref="bot-msg-43")
    assert again.status_code == 201 and again.get_json()["id"] == first["id"] and len(calls) == 1
    assert len(fetch(select(Purchase))) == 1
    tallies_agree()


@pytest.mark.parametrize("change, field", [
    ({"amount": 500}, "amount"), ({"amount": 20_000_000}, "amount"), ({"amount": "50.000"}, "amount"),
    ({"amount": None}, "amount"), ({"shop_id": "1"}, "shop_id"), ({"shop_id": 0}, "shop_id"),
    ({"shop_id": 10 ** 20}, "shop_id"), ({"purchased_on": "2026-02-30"}, "purchased_on"),
    ({"purchased_on": "kemarin"}, "purchased_on"), ({"purchased_on": 20260101}, "purchased_on"),
    ({"note": "x" * 501}, "note"), ({"client_ref": "r" * 65}, "client_ref"), ({"note": "a\u0000b"}, "note"),
])
def test_purchase_validation(api, world, change, field):
    response = _buy(api, world, **change)
    assert response.status_code == 422
    assert field in error_of(response)["fields"]


def test_purchase_date_rules(api, world):
    tomorrow = (province_today() + timedelta(days=1)).isoformat()
    assert "purchased_on" in error_of(_buy(api, world, purchased_on=tomorrow))["fields"]
    assert "purchased_on" in error_of(_buy(api, world, purchased_on="2019-01-01"))["fields"]


def test_purchase_shop_rules(api, world, make_shop, make_asn):
    assert _buy(api, world, shop_id=999_999).status_code == 404
    pending = make_shop(status="pending")
    assert "shop_id" in error_of(_buy(api, world, shop_id=pending))["fields"]
    asn_owner = make_asn()
    own_shop = make_shop(owner=asn_owner)
    response = api.post("/purchases", json={"shop_id": own_shop, "amount": 50_000}, token=token_for(api, asn_owner))
    assert response.status_code == 403


NOT_AN_INTEGER, NOT_NULL = "Harus bilangan bulat.", "Tidak boleh null."


@pytest.mark.parametrize("raw, field, message", [
    ('{"shop_id": SHOP, "amount": 1e400}', "amount", NOT_AN_INTEGER),
    ('{"shop_id": SHOP, "amount": NaN}', "amount", NOT_AN_INTEGER),
    ('{"shop_id": [SHOP], "amount": {}}', "shop_id", NOT_AN_INTEGER),
    ('{"shop_id": SHOP, "amount": 50000, "note": "\\ud800"}', "note", "Mengandung karakter yang tidak diizinkan."),
    ('{"shop_id": SHOP, "amount": -50000}', "amount", "Jumlah belanja antara Rp1.000 dan Rp10.000.000."),
    ('{"shop_id": SHOP, "amount": 50000, "purchased_on": null}', "purchased_on", NOT_NULL),
    ('{"shop_id": SHOP, "amount": 50000, "note": null}', "note", NOT_NULL),
    ('{"shop_id": SHOP, "amount": 123456789012345678901234567890}', "amount", "Harus antara"),
], ids=["amount-1e400", "amount-NaN", "lists", "note-lone-surrogate", "amount-negative", "date-null", "note-null",
        "amount-30-digits"])
def test_hostile_bodies_are_refused_on_the_field_at_fault_and_store_nothing(api, world, fetch, raw, field, message):
    response = api.post("/purchases", data=raw.replace("SHOP", str(world.shop_id)), content_type="application/json",
                        token=world.tokens["asn"])
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid" and field in error["fields"]
    assert any(text.startswith(message) for text in error["fields"][field]), error["fields"]
    assert fetch(select(Purchase)) == []


def test_an_unknown_field_in_a_body_is_ignored(api, world, fetch):
    raw = f'{{"shop_id": {world.shop_id}, "amount": 50000, "x": "\u00e9"}}'
    response = api.post("/purchases", data=raw, content_type="application/json", token=world.tokens["asn"])
    assert response.status_code == 201 and response.get_json()["amount"] == 50_000
    assert [(p.amount, p.shop_id) for p in fetch(select(Purchase))] == [(50_000, world.shop_id)]


def test_my_purchases_are_paginated(api, world):
    for amount in (10_000, 20_000, 30_000):
        _buy(api, world, amount=amount)
    page = api.get("/me/purchases?per_page=2", token=world.tokens["asn"]).get_json()
    assert page["total"] == 3 and page["per_page"] == 2 and [p["amount"] for p in page["items"]] == [30_000, 20_000]
    assert api.get("/me/purchases?page=2&per_page=2", token=world.tokens["asn"]).get_json()["items"][0]["amount"] \
        == 10_000
    assert api.get("/me/purchases", token=world.tokens["owner"]).status_code == 403


def test_withdraw(api, world, make_asn, tallies_agree):
    purchase_id = _buy(api, world).get_json()["id"]
    other = token_for(api, make_asn())
    assert api.post(f"/purchases/{purchase_id}/withdraw", token=other).status_code == 403
    response = api.post(f"/purchases/{purchase_id}/withdraw", token=world.tokens["asn"])
    assert response.status_code == 200 and response.get_json()["status"] == "withdrawn"
    assert api.post(f"/purchases/{purchase_id}/withdraw", token=world.tokens["asn"]).status_code == 409
    assert api.post("/purchases/999999/withdraw", token=world.tokens["asn"]).status_code == 404
    assert api.post(f"/purchases/{purchase_id}/withdraw").status_code == 401
    tallies_agree()


# --- shop owners -----------------------------------------------------------------------------

SHOP = {"name": "Toko Kue Daeng", "category": "kue", "region": "73.71", "district": "Tamalate",
        "village": "Mangasa", "street": "Jl. Daeng Tata No. 7", "whatsapp": "0813-4000-1234",
        "products": "barongko, cucuru bayao", "covid_affected": True}


def test_register_a_shop_then_see_it_in_my_shops(api, make_asn, fetch):
    asn = make_asn()  # an ASN may own a shop too
    token = token_for(api, asn)
    response = api.post("/shops", json=SHOP, token=token)
    assert response.status_code == 201
    shop = response.get_json()
    assert shop["status"] == "pending" and shop["region_code"] == "73.71" and shop["whatsapp"] == "+6281340001234"
    assert fetch(Shop, shop["id"]).owner_id == asn.id
    mine = api.get("/me/shops", token=token).get_json()
    assert mine["total"] == 1 and mine["items"][0]["id"] == shop["id"]
    assert "shop_owner" in api.get("/me", token=token).get_json()["roles"]


@pytest.mark.parametrize("change, field", [
    ({"name": ""}, "name"), ({"category": "senjata"}, "category"), ({"region": "73.99"}, "region"),
    ({"whatsapp": "12345"}, "whatsapp"), ({"nib": "123"}, "nib"), ({"covid_affected": "ya"}, "covid_affected"),
    ({"district": None}, "district"), ({"description": "x" * 2001}, "description"),
])
def test_register_shop_validation(api, world, change, field):
    response = api.post("/shops", json={**SHOP, **change}, token=world.tokens["owner"])
    assert response.status_code == 422
    assert field in error_of(response)["fields"]


def test_register_shop_needs_a_token(api):
    assert api.post("/shops", json=SHOP).status_code == 401


def test_owner_sees_purchases_at_the_shop_with_buyer_name_and_agency_only(api, world, make_owner):
    _buy(api, world, amount=70_000)
    response = api.get(f"/shops/{world.shop_id}/purchases", token=world.tokens["owner"])
    page = response.get_json()
    assert page["total"] == 1 and page["items"][0]["buyer"] == {"name": "Andi Baso", "agency": "Dinas Koperasi dan UKM"}
    assert world.asn.nip not in response.get_data(as_text=True)
    assert api.get(f"/shops/{world.shop_id}/purchases?status=confirmed", token=world.tokens["owner"]).get_json() \
        ["total"] == 0
    assert api.get(f"/shops/{world.shop_id}/purchases", token=world.tokens["coordinator"]).status_code == 200
    assert api.get(f"/shops/{world.shop_id}/purchases", token=world.tokens["other_coordinator"]).status_code == 403
    assert api.get(f"/shops/{world.shop_id}/purchases", token=token_for(api, make_owner())).status_code == 403
    assert api.get("/shops/999999/purchases", token=world.tokens["owner"]).status_code == 404
    assert api.get(f"/shops/{world.shop_id}/purchases?status=lost", token=world.tokens["owner"]).status_code == 422


def test_confirm_then_nothing_else_from_the_owner(api, world, make_owner, tallies_agree):
    purchase_id = _buy(api, world).get_json()["id"]
    stranger = token_for(api, make_owner())
    assert api.post(f"/purchases/{purchase_id}/confirm", token=stranger).status_code == 403
    assert api.post(f"/purchases/{purchase_id}/confirm", token=world.tokens["asn"]).status_code == 403
    response = api.post(f"/purchases/{purchase_id}/confirm", token=world.tokens["owner"])
    assert response.status_code == 200 and response.get_json()["status"] == "confirmed"
    assert api.post(f"/purchases/{purchase_id}/confirm", token=world.tokens["owner"]).status_code == 409
    assert api.post(f"/purchases/{purchase_id}/dispute", token=world.tokens["owner"]).status_code == 409
    assert api.post(f"/purchases/{purchase_id}/withdraw", token=world.tokens["asn"]).status_code == 409
    assert api.post("/purchases/999999/confirm", token=world.tokens["owner"]).status_code == 404
    summary = api.get("/me/summary", token=world.tokens["asn"]).get_json()
    assert summary["verified"] == summary["realized"] == 50_000
    tallies_agree()


@pytest.mark.parametrize("kwargs, reason", [
    ({"json": {"reason": "Tidak pernah belanja di sini"}}, "Tidak pernah belanja di sini"),
    ({}, None), ({"json": {}}, None), ({"json": {"reason": None}}, None),
])
def test_dispute(api, world, kwargs, reason, tallies_agree):
    purchase_id = _buy(api, world).get_json()["id"]
    response = api.post(f"/purchases/{purchase_id}/dispute", token=world.tokens["owner"], **kwargs)
    assert response.status_code == 200
    assert response.get_json()["status"] == "disputed" and response.get_json()["status_reason"] == reason
    assert api.get("/me/summary", token=world.tokens["asn"]).get_json()["realized"] == 0
    tallies_agree()


def test_dispute_body_must_be_json_when_sent(api, world):
    purchase_id = _buy(api, world).get_json()["id"]
    assert api.post(f"/purchases/{purchase_id}/dispute", data="alasan", content_type="text/plain",
                    token=world.tokens["owner"]).status_code == 415
    response = api.post(f"/purchases/{purchase_id}/dispute", data=json.dumps({"reason": 5}),
                        content_type="application/json", token=world.tokens["owner"])
    assert response.status_code == 422 and "reason" in error_of(response)["fields"]
