"""Pelatihan through the API: every operation's success and refusal paths, checked against the document."""
from datetime import timedelta, timezone

import pytest
from api_helpers import error_of
from sqlalchemy import select, update

from campaign.core.extensions import db
from campaign.domains.training.models import Training, TrainingSeat
from campaign.util.formatting import utcnow


def _body(**fields):
    start = (utcnow() + timedelta(days=5)).astimezone(timezone(timedelta(hours=8))).replace(microsecond=0)  # WITA
    return {"title": "Pembukuan Warung", "topic": "keuangan", "mode": "online", "starts_at": start.isoformat(),
            "duration_minutes": 90, "capacity": 2, "online_url": "https://meet.example.id/buku",
            "region": "73.73", **fields}


@pytest.fixture
def training_id(api, world):
    response = api.post("/trainings", json=_body(), token=world.tokens["coordinator"])
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_publish_and_read_it_back_publicly(api, world, training_id):
    listed = api.get("/trainings").get_json()
    assert [t["id"] for t in listed["items"]] == [training_id] and listed["total"] == 1
    detail = api.get(f"/trainings/{training_id}").get_json()
    assert (detail["seats_left"], detail["region_code"], detail["title"]) == (2, "73.73", "Pembukuan Warung")
    assert "online_url" not in detail  # the link is for those with a seat
    assert api.get("/trainings?region=73.71").get_json()["items"] == []


@pytest.mark.parametrize("who, fields, status", [
    ("coordinator", {"region": "73.71"}, 403),
    ("coordinator", {"region": None}, 403),
    ("other_coordinator", {"region": "73.73"}, 403),
    ("admin", {"region": "99.99"}, 404),
    ("coordinator", {"starts_at": "2020-01-01T09:00:00+08:00"}, 422),
    ("coordinator", {"starts_at": "besok pagi"}, 422),
    ("coordinator", {"capacity": 0}, 422),
    ("coordinator", {"mode": "offline", "online_url": None}, 422),
    ("asn", {}, 403),
    ("owner", {}, 403),
])
def test_publish_refusals(api, world, who, fields, status):
    body = {k: v for k, v in _body(**fields).items() if v is not None}
    response = api.post("/trainings", json=body, token=world.tokens[who])
    assert response.status_code == status, response.get_json()


def test_admin_publishes_province_wide(api, world):
    body = {k: v for k, v in _body().items() if k != "region"}
    response = api.post("/trainings", json=body, token=world.tokens["admin"])
    assert response.status_code == 201 and response.get_json()["region_code"] is None


def test_seats_taken_given_back_and_full(api, world, training_id, make_owner, make_shop):
    taken = api.post(f"/trainings/{training_id}/seats", json={"shop_id": world.shop_id}, token=world.tokens["owner"])
    assert taken.status_code == 201 and taken.get_json()["status"] == "registered"
    again = api.post(f"/trainings/{training_id}/seats", json={"shop_id": world.shop_id}, token=world.tokens["owner"])
    assert again.status_code == 409 and error_of(again)["code"] == "conflict"
    back = api.delete(f"/trainings/{training_id}/seats/{world.shop_id}", token=world.tokens["owner"])
    assert back.status_code == 200 and back.get_json()["status"] == "cancelled"
    assert api.get(f"/trainings/{training_id}").get_json()["seats_taken"] == 0


def test_a_shop_of_someone_else_is_403_and_unknown_training_404(api, world, training_id, make_shop):
    other_shop = make_shop()
    response = api.post(f"/trainings/{training_id}/seats", json={"shop_id": other_shop}, token=world.tokens["owner"])
    assert response.status_code == 403
    assert api.post("/trainings/999999/seats", json={"shop_id": world.shop_id},
                    token=world.tokens["owner"]).status_code == 404
    assert api.post(f"/trainings/{training_id}/seats", json={"shop_id": world.shop_id},
                    token=world.tokens["asn"]).status_code == 403


def test_attendance_after_the_start(app, api, world, training_id):
    api.post(f"/trainings/{training_id}/seats", json={"shop_id": world.shop_id}, token=world.tokens["owner"])
    early = api.put(f"/trainings/{training_id}/attendance", json={"attended": [world.shop_id]},
                    token=world.tokens["coordinator"])
    assert early.status_code == 409
    with app.app_context():
        db.session.execute(update(Training).values(starts_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
    other = api.put(f"/trainings/{training_id}/attendance", json={"attended": [world.shop_id]},
                    token=world.tokens["other_coordinator"])
    assert other.status_code == 403
    done = api.put(f"/trainings/{training_id}/attendance", json={"attended": [world.shop_id]},
                   token=world.tokens["coordinator"])
    assert done.status_code == 200 and done.get_json() == {"training_id": training_id, "attended": 1, "absent": 0}
    seats = api.get(f"/trainings/{training_id}/participants", token=world.tokens["coordinator"]).get_json()["items"]
    assert [(s["shop_id"], s["status"]) for s in seats] == [(world.shop_id, "attended")]


@pytest.mark.parametrize("attended", [[0], [1, 1], ["1"], [True], "1,2", list(range(1, 1002))])
def test_attendance_body_shape(api, world, training_id, attended):
    response = api.put(f"/trainings/{training_id}/attendance", json={"attended": attended},
                       token=world.tokens["coordinator"])
    assert response.status_code == 422 and "attended" in error_of(response)["fields"]


def test_seat_list_is_for_the_trainings_managers(api, world, training_id):
    assert api.get(f"/trainings/{training_id}/participants", token=world.tokens["other_coordinator"]).status_code == 403
    assert api.get(f"/trainings/{training_id}/participants", token=world.tokens["admin"]).status_code == 200
    assert api.get(f"/trainings/{training_id}/participants").status_code == 401



@pytest.mark.parametrize("method, path", [
    ("get", "/trainings/0"), ("get", "/trainings/0/participants"), ("post", "/trainings/0/seats"),
    ("put", "/trainings/0/attendance"), ("delete", "/trainings/0/seats/1"),
    ("delete", "/trainings/1/seats/2147483648"), ("get", "/trainings/2147483648/participants")])
def test_ids_out_of_range_are_404(api, world, method, path):
    response = getattr(api, method)(path, json={"shop_id": 1, "attended": []}, token=world.tokens["admin"])
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"
