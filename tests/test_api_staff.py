"""Coordinators and admins through the API: queue, verify/reject, void, targets, region details."""
import pytest
from api_helpers import error_of, token_for
from sqlalchemy import select

from campaign.core.audit import AuditEvent
from campaign.domains.regions.models import RegionTarget


@pytest.fixture
def pending(make_shop, world):
    return make_shop(owner=world.owner, name="Warung Tunggu", status="pending")


def test_queue_shows_the_coordinators_region_only(api, world, make_shop, pending):
    make_shop(name="Kios Makassar", region="73.71", status="pending")
    mine = api.get("/shops/pending", token=world.tokens["coordinator"]).get_json()
    assert [s["name"] for s in mine["items"]] == ["Warung Tunggu"] and mine["items"][0]["owner_name"] == "Ibu Sitti"
    assert api.get("/shops/pending?region=73.71", token=world.tokens["coordinator"]).status_code == 403
    everything = api.get("/shops/pending", token=world.tokens["admin"]).get_json()
    assert everything["total"] == 2
    assert api.get("/shops/pending?region=73.71", token=world.tokens["admin"]).get_json()["total"] == 1
    assert api.get("/shops/pending?region=73.99", token=world.tokens["admin"]).status_code == 404
    assert api.get("/shops/pending", token=world.tokens["asn"]).status_code == 403
    assert api.get("/shops/pending").status_code == 401


def test_verify(api, world, pending, fetch):
    assert api.post(f"/shops/{pending}/verify", token=world.tokens["other_coordinator"]).status_code == 403
    assert api.post(f"/shops/{pending}/verify", token=world.tokens["owner"]).status_code == 403
    response = api.post(f"/shops/{pending}/verify", token=world.tokens["coordinator"])
    assert response.status_code == 200 and response.get_json()["status"] == "verified"
    assert api.post(f"/shops/{pending}/verify", token=world.tokens["admin"]).status_code == 409
    assert api.post("/shops/999999/verify", token=world.tokens["admin"]).status_code == 404
    assert api.get("/shops?q=Tunggu").get_json()["total"] == 1
    events = fetch(select(AuditEvent).where(AuditEvent.action == "shop.verified", AuditEvent.entity_id == pending))
    assert len(events) == 1 and events[0].actor_id == world.coordinator.id


def test_reject(api, world, pending):
    short = api.post(f"/shops/{pending}/reject", json={"reason": "no"}, token=world.tokens["coordinator"])
    assert short.status_code == 422 and "reason" in error_of(short)["fields"]
    assert api.post(f"/shops/{pending}/reject", json={}, token=world.tokens["coordinator"]).status_code == 422
    response = api.post(f"/shops/{pending}/reject", json={"reason": "Alamat tidak ditemukan"},
                        token=world.tokens["coordinator"])
    assert response.status_code == 200
    assert response.get_json()["status"] == "rejected"
    assert response.get_json()["rejection_reason"] == "Alamat tidak ditemukan"
    mine = api.get("/me/shops", token=world.tokens["owner"]).get_json()["items"]
    assert {s["name"]: s["rejection_reason"] for s in mine}["Warung Tunggu"] == "Alamat tidak ditemukan"
    again = api.post(f"/shops/{pending}/reject", json={"reason": "Alamat tidak ditemukan"},
                     token=world.tokens["admin"])
    assert again.status_code == 409


def test_void(api, world, make_asn, make_purchase, tallies_agree):
    purchase_id = make_purchase(buyer=world.asn, shop_id=world.shop_id, amount=80_000)
    body = {"reason": "Struk palsu"}
    assert api.post(f"/purchases/{purchase_id}/void", json=body, token=world.tokens["other_coordinator"]) \
        .status_code == 403
    assert api.post(f"/purchases/{purchase_id}/void", json=body, token=world.tokens["asn"]).status_code == 403
    assert api.post(f"/purchases/{purchase_id}/void", json={"reason": "x"},
                    token=world.tokens["coordinator"]).status_code == 422
    response = api.post(f"/purchases/{purchase_id}/void", json=body, token=world.tokens["coordinator"])
    assert response.status_code == 200
    assert response.get_json()["status"] == "voided" and response.get_json()["status_reason"] == "Struk palsu"
    assert api.post(f"/purchases/{purchase_id}/void", json=body, token=world.tokens["admin"]).status_code == 409
    assert api.post("/purchases/999999/void", json=body, token=world.tokens["admin"]).status_code == 404
    assert api.get("/leaderboard").get_json()["rows"][0]["realized"] == 0
    tallies_agree()


def test_set_target(api, world, fetch):
    body = {"asn_headcount": 4_200, "target_amount": 750_000_000}
    response = api.put("/regions/73.73/target", json=body, token=world.tokens["coordinator"])
    assert response.status_code == 200
    target = response.get_json()
    assert target["region"] == "73.73" and target["asn_headcount"] == 4_200
    assert target["updated_at"].endswith("+08:00")
    assert [(t.asn_headcount, t.target_amount) for t in fetch(select(RegionTarget))] == [(4_200, 750_000_000)]
    assert api.put("/regions/73.71/target", json=body, token=world.tokens["coordinator"]).status_code == 403
    assert api.put("/regions/73.71/target", json=body, token=world.tokens["admin"]).status_code == 200
    assert api.put("/regions/73.99/target", json=body, token=world.tokens["admin"]).status_code == 404
    assert api.put("/regions/73.73/target", json={**body, "campaign": 999},
                   token=world.tokens["admin"]).status_code == 404
    assert api.put("/regions/73.73/target", json=body, token=world.tokens["asn"]).status_code == 403
    row = next(r for r in api.get("/leaderboard").get_json()["rows"] if r["region"]["code"] == "73.73")
    assert row["asn_headcount"] == 4_200 and row["target_amount"] == 750_000_000


@pytest.mark.parametrize("change, field", [
    ({"asn_headcount": -1}, "asn_headcount"), ({"asn_headcount": 10 ** 12}, "asn_headcount"),
    ({"target_amount": -5}, "target_amount"), ({"target_amount": "1.000"}, "target_amount"),
    ({"asn_headcount": None}, "asn_headcount"),
])
def test_set_target_validation(api, world, change, field):
    body = {"asn_headcount": 100, "target_amount": 1_000_000, **change}
    response = api.put("/regions/73.73/target", json=body, token=world.tokens["coordinator"])
    assert response.status_code == 422 and field in error_of(response)["fields"]


def test_region_details_for_coordinators_only(app, api, world, make_purchase, make_shop):
    make_shop(name="Warung Sepi")
    disputed = make_purchase(buyer=world.asn, shop_id=world.shop_id, amount=60_000)
    api.post(f"/purchases/{disputed}/dispute", json={"reason": "Tidak kenal"}, token=world.tokens["owner"])
    make_purchase(buyer=world.asn, shop_id=world.shop_id, amount=40_000)
    response = api.get("/regions/73.73/details", token=world.tokens["coordinator"])
    assert response.status_code == 200
    data = response.get_json()
    assert data["asn_region"]["realized"] == 40_000
    detail = data["detail"]
    assert [(row["name"], row["realized"]) for row in detail["top_shops"]] == [("Warung Sitti", 40_000)]
    assert [row["name"] for row in detail["idle_shops"]] == ["Warung Sepi"]
    assert detail["disputed"][0]["buyer_name"] == "Andi Baso" and detail["disputed"][0]["reason"] == "Tidak kenal"
    assert detail["by_agency"][0]["name"] == "Dinas Koperasi dan UKM"
    public = api.get("/regions/73.73/progress").get_json()
    assert public["asn_region"]["realized"] is None and public["asn_region"]["suppressed"]  # one buyer
    app.config["MIN_PUBLIC_PARTICIPANTS"] = 1
    public = api.get("/regions/73.73/progress").get_json()
    assert {k: v for k, v in data.items() if k != "detail"} == public
    assert api.get("/regions/73.73/details", token=world.tokens["admin"]).status_code == 200
    assert api.get("/regions/73.73/details", token=world.tokens["other_coordinator"]).status_code == 403
    assert api.get("/regions/73.73/details", token=world.tokens["asn"]).status_code == 403
    assert api.get("/regions/73.73/details").status_code == 401
    assert api.get("/regions/73.99/details", token=world.tokens["admin"]).status_code == 404


def test_full_day_through_the_api_keeps_tallies_exact(api, world, make_asn, tallies_agree):
    """Sign-up, pledge, purchases, confirm, dispute, withdraw, void: the aggregates stay exact."""
    makassar = make_asn(region="73.71")
    tokens = [world.tokens["asn"], token_for(api, makassar)]
    ids = []
    for n, token in enumerate(tokens * 3):
        api.put("/me/pledge", json={"amount": 100_000 * (n + 1)}, token=token)
        ids.append(api.post("/purchases", json={"shop_id": world.shop_id, "amount": 10_000 * (n + 1)},
                            token=token).get_json()["id"])
    api.post(f"/purchases/{ids[0]}/confirm", token=world.tokens["owner"])
    api.post(f"/purchases/{ids[1]}/dispute", token=world.tokens["owner"])
    api.post(f"/purchases/{ids[2]}/withdraw", token=tokens[0])
    api.post(f"/purchases/{ids[0]}/void", json={"reason": "Salah catat"}, token=world.tokens["coordinator"])
    details = api.get("/regions/73.73/details", token=world.tokens["coordinator"]).get_json()
    assert details["shop_region"]["realized"] == 40_000 + 50_000 + 60_000
    tallies_agree()
