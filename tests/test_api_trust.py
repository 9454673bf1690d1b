"""Flags and bulk void through the API: the same rules as the pages, in the documented shapes."""
import pytest
from api_helpers import error_of

from campaign.domains.purchases.models import Purchase


@pytest.fixture
def app_config():
    return {"FLAG_BURST_SHOP_PURCHASES": 3, "FLAG_BURST_MINUTES": 1440}


@pytest.fixture
def burst(world, make_asn, make_purchase):
    return [make_purchase(buyer=make_asn(region="73.71"), shop_id=world.shop_id, amount=200_000 + n) for n in range(3)]


def test_region_flags_list_the_burst(api, world, burst):
    response = api.get("/regions/73.73/flags", token=world.tokens["coordinator"])
    [flag] = response.get_json()["items"]
    assert flag["kind"] == "log" and flag["subject"] == "Warung Sitti" and flag["reviewed"] is False


def test_flags_are_for_the_region_coordinator_and_admin(api, world, burst):
    assert api.get("/regions/73.73/flags", token=world.tokens["other_coordinator"]).status_code == 403
    assert api.get("/regions/73.73/flags", token=world.tokens["asn"]).status_code == 403
    assert api.get("/regions/73.73/flags", token=world.tokens["admin"]).status_code == 200
    assert api.get("/regions/99.99/flags", token=world.tokens["admin"]).status_code == 404


def test_mark_a_flag_reviewed(api, world, burst):
    key = api.get("/regions/73.73/flags", token=world.tokens["coordinator"]).get_json()["items"][0]["key"]
    response = api.post("/regions/73.73/flags/review", json={"flag": key, "note": "Bazar"},
                        token=world.tokens["coordinator"])
    assert response.status_code == 201 and response.get_json()["flag"] == key
    [flag] = api.get("/regions/73.73/flags", token=world.tokens["coordinator"]).get_json()["items"]
    assert flag["reviewed"] is True and flag["review_note"] == "Bazar"
    again = api.post("/regions/73.73/flags/review", json={"flag": key}, token=world.tokens["coordinator"])
    assert again.status_code == 409
    unknown = api.post("/regions/73.73/flags/review", json={"flag": "asn:999"}, token=world.tokens["coordinator"])
    assert unknown.status_code == 404


def test_preview_then_void_then_undo(api, world, burst, fetch, tallies_agree):
    token = world.tokens["coordinator"]
    key = api.get("/regions/73.73/flags", token=token).get_json()["items"][0]["key"]
    preview = api.post("/regions/73.73/bulk-voids/preview", json={"flag": key}, token=token).get_json()
    assert preview == {"count": 3, "amount": 600_003, "purchase_ids": burst}
    assert {fetch(Purchase, i).status for i in burst} == {"reported"}
    done = api.post("/regions/73.73/bulk-voids", json={"flag": key, "reason": "Kolusi toko"}, token=token)
    assert done.status_code == 201
    body = done.get_json()
    assert (body["count"], body["amount"], body["purchase_ids"], body["can_undo"]) == (3, 600_003, burst, True)
    assert {fetch(Purchase, i).status for i in burst} == {"voided"}
    tallies_agree()
    undone = api.post(f"/bulk-voids/{body['id']}/undo", token=token)
    assert undone.status_code == 200 and undone.get_json()["undone_at"] and not undone.get_json()["can_undo"]
    assert {fetch(Purchase, i).status for i in burst} == {"reported"}
    assert api.post(f"/bulk-voids/{body['id']}/undo", token=token).status_code == 409
    tallies_agree()


@pytest.mark.parametrize("body, field", [({}, None), ({"status": "voided"}, "status"), ({"flag": "xyz"}, "flag"),
                                         ({"shop_id": 0}, "shop_id"), ({"date_from": "kemarin"}, "date_from")])
def test_bad_selections_are_422(api, world, burst, body, field):
    response = api.post("/regions/73.73/bulk-voids/preview", json=body, token=world.tokens["coordinator"])
    assert response.status_code == 422
    if field:
        assert field in error_of(response)["fields"]


def test_bulk_void_needs_a_reason_and_own_region(api, world, burst, fetch):
    no_reason = api.post("/regions/73.73/bulk-voids", json={"shop_id": world.shop_id, "reason": "x"},
                         token=world.tokens["coordinator"])
    assert no_reason.status_code == 422 and "reason" in error_of(no_reason)["fields"]
    other = api.post("/regions/73.73/bulk-voids", json={"shop_id": world.shop_id, "reason": "Kolusi toko"},
                     token=world.tokens["other_coordinator"])
    assert other.status_code == 403
    assert {fetch(Purchase, i).status for i in burst} == {"reported"}
