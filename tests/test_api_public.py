"""Public reads: regions, campaigns, leaderboard and progress (equal to the HTML pages), the shop
directory; caching with ETag; and no personal data in any public answer."""
import re
from html import unescape

import pytest
from api_helpers import error_of, token_for

from campaign.api import serializers
from campaign.domains.leaderboard.queries import get_region_progress, get_standings
from campaign.util.formatting import percent, rupiah


@pytest.fixture
def app_config():
    """These tests check the figures themselves; withholding small numbers is tested in test_privacy.py."""
    return {"MIN_PUBLIC_PARTICIPANTS": 1}


def test_regions(api):
    response = api.get("/regions")
    body = response.get_json()
    assert response.status_code == 200 and body["total"] == 24 and len(body["items"]) == 24
    assert body["items"][0] == {"code": "73.01", "bps_code": "7301", "kind": "Kabupaten",
                                "name": "Kepulauan Selayar", "capital": "Benteng"}
    bone = next(r for r in body["items"] if r["code"] == "73.08")
    assert bone["bps_code"] == "7311" and bone["name"] == "Bone"
    assert [r["code"] for r in body["items"]][-3:] == ["73.71", "73.72", "73.73"]


def test_campaigns_and_current(api):
    campaigns = api.get("/campaigns").get_json()
    current = api.get("/campaigns/current").get_json()
    assert campaigns["total"] == 1 and campaigns["items"] == [current]
    assert current["appeal_letter_number"] == "4432/3004/JK/UMKM"
    assert current["appeal_letter_date"] == "2020-04-30" and current["ends_on"] is None
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", current["starts_on"])


@pytest.mark.parametrize("query, field", [
    ("page=0", "page"), ("page=-1", "page"), ("page=abc", "page"), ("per_page=101", "per_page"),
    ("per_page=0", "per_page"), ("page=" + "9" * 40, "page"), ("per_page=1.5", "per_page"),
])
def test_pagination_out_of_range_is_422(api, query, field):
    response = api.get(f"/shops?{query}")
    assert response.status_code == 422
    assert field in error_of(response)["fields"]


@pytest.fixture
def spending(app, api, world, make_asn, make_purchase):
    """Palopo's ASN spends Rp1.250.000 (confirmed) and pledged Rp5.000.000; a Makassar ASN spends
    Rp300.000 at the same Palopo shop; Palopo's headcount is 100."""
    asn_token, owner_token = world.tokens["asn"], world.tokens["owner"]
    assert api.put("/me/pledge", json={"amount": 5_000_000}, token=asn_token).status_code == 200
    first = api.post("/purchases", json={"shop_id": world.shop_id, "amount": 1_250_000}, token=asn_token)
    api.post(f"/purchases/{first.get_json()['id']}/confirm", token=owner_token)
    make_purchase(buyer=make_asn(region="73.71"), shop_id=world.shop_id, amount=300_000)
    api.put("/regions/73.73/target", json={"asn_headcount": 100, "target_amount": 50_000_000},
            token=world.tokens["coordinator"])
    return world


def _table_rows(page: str) -> list[list[str]]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in body.split("<tr>")[1:]]


@pytest.mark.parametrize("metric, perspective", [("realized", "asn_region"), ("verified", "shop_region"),
                                                 ("participation_rate", "asn_region")])
def test_leaderboard_equals_the_html_page(app, api, client, spending, metric, perspective):
    response = api.get(f"/leaderboard?metric={metric}&perspective={perspective}")
    data = response.get_json()
    assert data["metric"] == metric and data["perspective"] == perspective and len(data["rows"]) == 24
    with app.test_request_context():
        shared = get_standings(campaign_id=None, metric=metric, perspective=perspective)
        assert data == serializers.standings(shared)  # the one read function, unchanged
    html_rows = _table_rows(client.get(f"/peringkat?metric={metric}&perspective={perspective}").get_data(as_text=True))
    assert len(html_rows) == 24
    for row, cells in zip(data["rows"], html_rows):
        shown = rupiah(row[metric]) if metric in ("realized", "verified") else percent(row[metric])
        assert cells[:3] == [str(row["rank"]), f"{row['region']['kind']} {row['region']['name']}", shown]


def test_leaderboard_numbers(api, spending):
    rows = {r["region"]["code"]: r for r in api.get("/leaderboard").get_json()["rows"]}
    palopo, makassar = rows["73.73"], rows["73.71"]
    assert palopo["rank"] == 1 and palopo["realized"] == 1_250_000 and palopo["verified"] == 1_250_000
    assert palopo["pledged"] == 5_000_000 and palopo["pledge_realization"] == 0.25
    assert palopo["participation_rate"] == 0.01 and palopo["spend_per_asn"] == 12_500
    assert makassar["rank"] == 2 and makassar["realized"] == 300_000 and makassar["participation_rate"] is None
    assert rows["73.01"]["realized"] == 0 and rows["73.01"]["pledge_realization"] is None
    by_shop = {r["region"]["code"]: r for r in api.get("/leaderboard?perspective=shop_region").get_json()["rows"]}
    assert by_shop["73.73"]["realized"] == 1_550_000 and by_shop["73.73"]["pledged"] is None
    assert sorted(r["rank"] for r in rows.values()) == list(range(1, 25))


@pytest.mark.parametrize("query, status, field", [
    ("metric=fame", 422, "metric"), ("perspective=pusat", 422, "perspective"), ("campaign=abc", 422, "campaign"),
    ("campaign=999", 404, None), ("campaign=0", 422, "campaign"),
])
def test_leaderboard_bad_queries(api, query, status, field):
    response = api.get(f"/leaderboard?{query}")
    assert response.status_code == status
    if field:
        assert field in error_of(response)["fields"]


def _stats(page: str, section: str) -> dict[str, str]:
    block = page.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]
    pairs = re.findall(r'<span class="muted">([^<]+)</span><strong>([^<]*)</strong>', block)
    return {label: unescape(text) for label, text in pairs}


def test_region_progress_equals_the_html_page(app, api, client, spending):
    data = api.get("/regions/73.73/progress").get_json()
    with app.test_request_context():
        assert data == serializers.progress(get_region_progress(code="73.73", campaign_id=None, detailed=False))
    assert data["rank"] == 1 and data["region_count"] == 24 and "detail" not in data
    asn, shop = data["asn_region"], data["shop_region"]
    assert (asn["realized"], asn["target_amount"], shop["realized"]) == (1_250_000, 50_000_000, 1_550_000)
    assert sum(week["realized"] for week in data["weeks"]["shop_region"]) == 1_550_000
    page = client.get("/wilayah/73.73").get_data(as_text=True)
    assert _stats(page, "ringkasan-asn")["Belanja terealisasi"] == "Rp1.250.000" == rupiah(asn["realized"])
    assert _stats(page, "ringkasan-asn")["Janji belanja"] == rupiah(asn["pledged"])
    assert _stats(page, "ringkasan-asn")["Capaian target"] == percent(asn["target_progress"]) == "2,5%"
    assert _stats(page, "ringkasan-toko")["Belanja terealisasi"] == "Rp1.550.000" == rupiah(shop["realized"])
    assert _stats(page, "ringkasan-toko")["ASN pembeli"] == str(shop["participants"]) == "2"
    assert f"Peringkat <strong>{data['rank']}</strong> dari 24" in page


@pytest.mark.parametrize("code", ["73.99", "7373", "abc", "73.73x", "%00"])
def test_region_progress_unknown_region_is_404(api, code):
    assert api.get(f"/regions/{code}/progress").status_code == 404


def test_public_gets_send_cache_control_and_answer_304(api, world, make_purchase):
    for path in ("/regions", "/campaigns", "/campaigns/current", "/leaderboard", "/regions/73.73/progress",
                 "/shops", f"/shops/{world.shop_id}", "/openapi.json"):
        first = api.get(path)
        etag = first.headers["ETag"]
        assert first.status_code == 200 and not etag.startswith("W/"), path
        assert first.headers["Cache-Control"] in ("public, max-age=60", "max-age=60, public"), path
        again = api.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.headers["ETag"] == etag, path
    etag = api.get("/leaderboard").headers["ETag"]
    make_purchase(buyer=world.asn, shop_id=world.shop_id, amount=20_000)
    changed = api.get("/leaderboard", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_private_answers_are_not_stored(api, world):
    response = api.get("/me", token=world.tokens["asn"])
    assert response.headers["Cache-Control"] == "no-store" and "ETag" not in response.headers


def test_public_answers_carry_no_personal_data(api, spending):
    asn_phone = "+6281355500011"
    secrets = [spending.asn.nip, asn_phone, asn_phone[1:], "081355500011", spending.asn.name,
               spending.owner.login, spending.owner.name, "example.id"]
    paths = ["/regions", "/campaigns", "/campaigns/current", "/regions/73.73/progress", "/regions/73.71/progress",
             "/shops", f"/shops/{spending.shop_id}", "/shops?region=73.73&q=Sitti", "/openapi.json"]
    paths += [f"/leaderboard?metric={m}&perspective={p}" for m in ("realized", "participants")
              for p in ("asn_region", "shop_region")]
    for path in paths:
        text = api.get(path).get_data(as_text=True)
        for secret in secrets:
            assert secret not in text, (path, secret)


def test_directory_lists_verified_shops_only(api, world, make_shop):
    make_shop(name="Kios Pending", status="pending")
    make_shop(name="Kios Ditolak", status="rejected")
    make_shop(name="Kopi Toraja", region="73.26", category="kopi")
    everything = api.get("/shops").get_json()
    assert [s["name"] for s in everything["items"]] == ["Kopi Toraja", "Warung Sitti"]
    sitti = everything["items"][1]
    assert sitti["region_code"] == "73.73" and sitti["region_name"] == "Kota Palopo"
    assert sitti["whatsapp_url"].startswith("https://wa.me/6281234567890?text=")
    assert api.get("/shops?region=73.26").get_json()["total"] == 1
    assert api.get("/shops?category=kopi&q=toraja").get_json()["items"][0]["name"] == "Kopi Toraja"
    assert api.get("/shops?region=99.99").get_json() == {"items": [], "page": 1, "per_page": 20, "total": 0}
    assert api.get("/shops?category=senjata").status_code == 422
    page = api.get("/shops?per_page=1&page=2").get_json()
    assert page["total"] == 2 and [s["name"] for s in page["items"]] == ["Warung Sitti"]


def test_shop_page_hides_unverified_shops_except_from_those_who_manage_them(api, world, make_shop, make_asn):
    pending = make_shop(owner=world.owner, name="Warung Baru", status="pending")
    assert api.get(f"/shops/{world.shop_id}").get_json()["status"] == "verified"
    assert api.get(f"/shops/{pending}").status_code == 404
    assert api.get(f"/shops/{pending}", token=token_for(api, make_asn())).status_code == 404
    assert api.get(f"/shops/{pending}", token="bukan-token").status_code == 401
    for who in ("owner", "coordinator", "admin"):
        response = api.get(f"/shops/{pending}", token=world.tokens[who])
        assert response.status_code == 200 and response.get_json()["status"] == "pending"
        assert "public" not in response.headers["Cache-Control"]
    assert api.get(f"/shops/{pending}", token=world.tokens["other_coordinator"]).status_code == 404
    assert api.get("/shops/999999").status_code == 404
