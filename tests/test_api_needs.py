"""The needs board over the API: the whole path from a buyer's sign-up to a completed deal."""
from datetime import timedelta

import pytest
from api_helpers import error_of, token_for
from helpers import province_today


@pytest.fixture
def board(api, world, make_shop, make_owner):
    """A verified buyer (token ``buyer``) and two garment makers (tokens ``maker1``, ``maker2``)."""
    buyer = make_owner(name="Pengurus Yayasan")
    tokens = dict(world.tokens, buyer=token_for(api, buyer))
    created = api.post("/buyers", json={"name": "Yayasan Peduli Luwu Raya", "kind": "social", "region": "73.73",
                                        "address": "Jl. Andi Djemma No. 9", "whatsapp": "0813-5555-0001"},
                       token=tokens["buyer"])
    assert created.status_code == 201 and created.get_json()["status"] == "pending"
    buyer_id = created.get_json()["id"]
    assert api.post(f"/buyers/{buyer_id}/verify", token=tokens["other_coordinator"]).status_code == 403
    assert api.post(f"/buyers/{buyer_id}/verify", token=tokens["coordinator"]).get_json()["status"] == "verified"
    shops = {}
    for n in (1, 2):
        maker = make_owner()
        shops[n] = make_shop(owner=maker, category="fesyen", region="73.73")
        tokens[f"maker{n}"] = token_for(api, maker)
    return {"tokens": tokens, "buyer_id": buyer_id, "shops": shops}


def _need(api, board, **changes):
    body = {"buyer_id": board["buyer_id"], "title": "Baju APD untuk RSUD", "category": "fesyen", "quantity": 100,
            "unit": "potong", "budget_min": 5_000_000, "budget_max": 10_000_000, "regions": ["73.73"],
            "deadline": (province_today() + timedelta(days=7)).isoformat(), "delivery_place": "RSUD Sawerigading",
            **changes}
    return api.post("/needs", json=body, token=board["tokens"]["buyer"])


def _offer(api, board, need_id, n, quantity):
    return api.post("/offers", token=board["tokens"][f"maker{n}"], json={
        "need_id": need_id, "shop_id": board["shops"][n], "unit_price": 90_000, "quantity": quantity,
        "delivery_date": province_today().isoformat()})


def test_from_need_to_completed_deal(api, board):
    tokens = board["tokens"]
    need = _need(api, board)
    assert need.status_code == 201
    need_id = need.get_json()["id"]
    listed = api.get("/needs?region=73.73&category=fesyen").get_json()
    assert [n["id"] for n in listed["items"]] == [need_id] and listed["items"][0]["offers"] == 0
    fits = api.get("/me/needs-for-you", token=tokens["maker1"]).get_json()["items"]
    assert [row["need"]["id"] for row in fits] == [need_id]
    first = _offer(api, board, need_id, 1, 60).get_json()
    second = _offer(api, board, need_id, 2, 60).get_json()
    assert first["whatsapp_url"] is None
    assert api.get(f"/needs/{need_id}/offers", token=tokens["maker1"]).status_code == 403
    side_by_side = api.get(f"/needs/{need_id}/offers", token=tokens["buyer"]).get_json()["items"]
    assert {o["id"] for o in side_by_side} == {first["id"], second["id"]}
    accepted = api.post(f"/offers/{first['id']}/accept", token=tokens["buyer"])
    assert accepted.get_json()["whatsapp_url"].startswith("https://wa.me/62")
    over = api.post(f"/offers/{second['id']}/accept", token=tokens["buyer"])
    assert over.status_code == 409 and "quantity" in error_of(over)["fields"]
    assert api.post(f"/offers/{second['id']}/accept", json={"quantity": 40}, token=tokens["buyer"]).status_code == 200
    assert api.get(f"/needs/{need_id}").get_json()["status"] == "closed"
    assert api.post(f"/offers/{first['id']}/confirm", token=tokens["maker1"]).status_code == 409
    assert api.post(f"/offers/{first['id']}/deliver", token=tokens["buyer"]).get_json()["status"] == "delivered"
    done = api.post(f"/offers/{first['id']}/confirm", token=tokens["maker1"]).get_json()
    assert (done["status"], done["deal_amount"]) == ("completed", 60 * 90_000)
    spend = api.get("/regions/73.73/institutional").get_json()
    assert (spend["amount"], spend["deals"], spend["rank"]) == (5_400_000, 1, 1)
    rows = {r["region"]["code"]: r for r in api.get("/leaderboard?metric=institutional").get_json()["rows"]}
    assert rows["73.73"]["institutional"] == 5_400_000 and rows["73.73"]["rank"] == 1
    assert rows["73.73"]["realized"] == 0


def test_unverified_buyer_cannot_post(api, world, make_owner):
    token = token_for(api, make_owner())
    buyer = api.post("/buyers", json={"name": "PT Baru", "kind": "company", "region": "73.73",
                                      "address": "Jl. Baru", "whatsapp": "0813-5555-0002"}, token=token).get_json()
    response = api.post("/needs", token=token, json={
        "buyer_id": buyer["id"], "title": "Nasi kotak", "category": "kuliner", "quantity": 10, "unit": "kotak",
        "budget_min": 0, "budget_max": 1_000_000, "regions": ["73.73"], "deadline": province_today().isoformat(),
        "delivery_place": "Kantor"})
    assert response.status_code == 403


def test_need_body_shape(api, board):
    bad = _need(api, board, regions="73.73", quantity="100")
    assert bad.status_code == 422 and {"regions", "quantity"} <= set(error_of(bad)["fields"])
    unknown = _need(api, board, regions=["73.73", "73.99"])
    assert unknown.status_code == 422 and "regions" in error_of(unknown)["fields"]


def test_coordinator_sees_needs_without_offers_and_idle_shops(api, board):
    need_id = _need(api, board).get_json()["id"]
    gaps = api.get("/regions/73.73/needs-board", token=board["tokens"]["coordinator"]).get_json()
    assert [n["id"] for n in gaps["needs_without_offers"]] == [need_id]
    assert set(board["shops"].values()) <= {s["id"] for s in gaps["shops_never_offered"]["items"]}
    _offer(api, board, need_id, 1, 10)
    gaps = api.get("/regions/73.73/needs-board", token=board["tokens"]["coordinator"]).get_json()
    assert gaps["needs_without_offers"] == []
    assert board["shops"][1] not in {s["id"] for s in gaps["shops_never_offered"]["items"]}
    assert api.get("/regions/73.73/needs-board", token=board["tokens"]["other_coordinator"]).status_code == 403


def test_unknown_need_is_404(api):
    assert api.get("/needs/999999").status_code == 404
    assert api.get("/regions/99.99/institutional").status_code == 404
