"""The affected-UMKM endpoints: public figures, an owner's report, coordinators' field reports."""
from api_helpers import error_of
from sqlalchemy import func, select

from campaign.core.extensions import db
from campaign.domains.affected.models import AffectedReport

IMPACT = {"status": "reduced", "workers_before": 4, "workers_now": 1, "revenue_drop": "50_75",
          "main_need": "capital"}
FIELD = {"region": "73.73", "business_name": "Konveksi Hj. Marwah", "category": "fesyen", **IMPACT}


def test_owner_reports_and_updates_a_shops_impact(api, world):
    path = f"/shops/{world.shop_id}/affected-report"
    first = api.put(path, json=IMPACT, token=world.tokens["owner"])
    assert first.status_code == 200
    body = first.get_json()
    assert (body["source"], body["region"], body["affected_workers"]) == ("owner", "73.73", 3)
    again = api.put(path, json={**IMPACT, "status": "closed", "workers_now": 0}, token=world.tokens["owner"])
    assert again.get_json()["id"] == body["id"] and again.get_json()["affected_workers"] == 4
    assert api.put(path, json=IMPACT, token=world.tokens["coordinator"]).status_code == 403
    closed = api.put(path, json={**IMPACT, "status": "closed"}, token=world.tokens["owner"])
    assert closed.status_code == 422 and "workers_now" in error_of(closed)["fields"]
    assert api.put(path, json={**IMPACT, "workers_before": "4"}, token=world.tokens["owner"]).status_code == 422


def test_field_reports_by_the_regions_coordinator(api, world, app):
    created = api.post("/affected-reports", json=FIELD, token=world.tokens["coordinator"])
    assert created.status_code == 201 and created.get_json()["shop_id"] is None
    assert api.post("/affected-reports", json=FIELD, token=world.tokens["other_coordinator"]).status_code == 403
    assert api.post("/affected-reports", json=FIELD, token=world.tokens["asn"]).status_code == 403
    unknown = api.post("/affected-reports", json={**FIELD, "region": "99.99"}, token=world.tokens["admin"])
    assert unknown.status_code == 422 and "region" in error_of(unknown)["fields"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AffectedReport)) == 1


def test_public_figures_follow_the_small_number_rule(api, world):
    for _ in range(4):
        api.post("/affected-reports", json=FIELD, token=world.tokens["coordinator"])
    region = api.get("/regions/73.73/affected").get_json()
    assert region["figures"]["businesses"] is None and region["figures"]["affected_workers"] is None
    api.post("/affected-reports", json=FIELD, token=world.tokens["coordinator"])
    region = api.get("/regions/73.73/affected").get_json()
    assert (region["figures"]["businesses"], region["figures"]["affected_workers"]) == (5, 15)
    province = api.get("/affected").get_json()
    assert len(province["regions"]) == 24 and province["regions"][0]["region"]["code"] == "73.73"
    assert province["totals"]["businesses"] == 5
    assert "Konveksi" not in str(province) and "Konveksi" not in str(region)
    assert api.get("/regions/99.99/affected").status_code == 404
