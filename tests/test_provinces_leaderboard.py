"""Several provinces in one deployment: the province level of the leaderboard (page and API), each
province's own leaderboard of kabupaten/kota, the national totals, and the small-number rule at
every level (a province of too few people withheld as a region is, unranked, its part of the
national total in steps), watched at two moments."""
from __future__ import annotations

import pytest
from helpers import standings_rows, stats

HIDDEN = "< 5 peserta"
STEP = 10_000_000  # PUBLIC_TOTAL_STEP's default
AMOUNT = 9_876_543


@pytest.fixture
def app_config():
    return {"PROVINCES": ["73", "34", "35"]}


@pytest.fixture
def buyers(make_asn, make_shop, make_purchase):
    """``buyers(region, n, amount)``: n new ASN of the region, each with one purchase at one shop there."""
    shops: dict[str, int] = {}

    def make(region: str, n: int, amount: int = 100_000) -> None:
        shop = shops.setdefault(region, make_shop(region=region))
        for _ in range(n):
            make_purchase(buyer=make_asn(region=region), shop_id=shop, amount=amount)
    return make


def _provinces(api, **query) -> dict[str, dict]:
    return {row["province"]["code"]: row for row in api.get("/leaderboard/provinces", query_string=query)
            .get_json()["rows"]}


def test_provinces_are_ranked_under_the_national_totals(client, api, buyers):
    buyers("34.71", 6, 100_000)
    buyers("34.04", 5, 100_000)
    buyers("73.73", 7, 50_000)
    buyers("35.78", 8, 200_000)
    page = client.get("/peringkat").get_data(as_text=True)
    assert "Papan Peringkat Provinsi" in page
    assert stats(page, "nasional")["Total nasional: belanja terealisasi"] == "Rp3.050.000"
    rows = standings_rows(client)
    assert [row[:3] for row in rows[:3]] == [["1", "Jawa Timur (38 kab/kota)", "Rp1.600.000"],
                                             ["2", "Daerah Istimewa Yogyakarta (5 kab/kota)", "Rp1.100.000"],
                                             ["3", "Sulawesi Selatan (24 kab/kota)", "Rp350.000"]]
    assert rows[3][1].startswith("Nasional") and rows[3][2] == "Rp3.050.000"
    assert 'href="/peringkat?provinsi=34&amp;' in page
    body = api.get("/leaderboard/provinces", query_string={"metric": "participants"}).get_json()
    assert [(r["rank"], r["province"]["code"], r["participants"]) for r in body["rows"]] == [
        (1, "34", 11), (2, "35", 8), (3, "73", 7)]
    assert body["totals"]["participants"] == 26


def test_rates_use_the_provinces_headcount(app, client, api, buyers, make_staff, login_as):
    from campaign.core.extensions import db
    from campaign.domains.regions.models import Region
    from campaign.domains.regions.services import get_campaign, set_region_target
    from campaign.domains.auth.models import User

    buyers("34.71", 5)
    buyers("34.04", 5)
    admin = make_staff(role="admin")
    with app.app_context():
        campaign, actor = get_campaign(None), db.session.get(User, admin.id)
        for code, headcount in (("34.71", 30), ("34.04", 20)):
            region = db.session.query(Region).filter_by(code=code).one()
            set_region_target(actor=actor, campaign_id=campaign.id, region_id=region.id, asn_headcount=headcount,
                              target_amount=0)
    row = _provinces(api, metric="participation_rate")["34"]
    assert (row["asn_headcount"], row["participation_rate"], row["spend_per_asn"]) == (50, 0.2, 20_000)


def test_each_province_has_its_own_leaderboard_of_regions(client, api, buyers):
    buyers("34.71", 6)
    buyers("73.73", 5)
    rows = standings_rows(client, provinsi="34")
    assert len(rows) == 5 + 1  # DI Yogyakarta's five regions, then its total
    assert rows[0][:3] == ["1", "Kota Yogyakarta", "Rp600.000"]
    assert rows[-1][1] == "Provinsi Daerah Istimewa Yogyakarta" and rows[-1][2] == "Rp600.000"
    body = api.get("/leaderboard", query_string={"province": "34"}).get_json()
    assert body["province"] == "34" and {r["region"]["code"][:2] for r in body["rows"]} == {"34"}
    assert api.get("/leaderboard", query_string={"province": "11"}).status_code == 404
    page = client.get("/wilayah/34.71").get_data(as_text=True)
    assert "Peringkat <strong>1</strong> dari 5 kabupaten/kota" in page


def test_the_province_tile_map_is_a_grid_of_the_served_provinces(client, buyers):
    buyers("35.78", 5)
    page = client.get("/peringkat").get_data(as_text=True)
    svg = page.split('class="chart tile-map"', 1)[1].split("</svg>", 1)[0]
    assert svg.count('class="tile"') == 3
    assert "Peta petak 3 provinsi" in page
    for code in ("73", "34", "35"):
        assert f'href="/peringkat?provinsi={code}&amp;' in svg


def test_a_province_of_too_few_people_is_withheld_unranked_and_last(client, api, buyers):
    buyers("34.71", 3)  # DI Yogyakarta: 3 people
    buyers("73.73", 6)  # the smallest shown one joins it: together 9 people
    buyers("35.78", 7)
    rows = _provinces(api)
    assert rows["34"]["realized"] is None and rows["34"]["rank"] is None
    assert rows["73"]["realized"] is None and rows["73"]["rank"] is None  # else 34 = total - 35 - 73
    assert rows["35"]["rank"] == 1 and rows["35"]["realized"] == 700_000
    html = standings_rows(client)
    assert [row[0] for row in html[:3]] == ["1", "–", "–"]
    assert [row[1].split(" (")[0] for row in html[1:3]] == ["Daerah Istimewa Yogyakarta", "Sulawesi Selatan"]
    # its own leaderboard withholds its regions and its total too
    rows = standings_rows(client, provinsi="73")
    assert rows[-1][2] == HIDDEN
    assert {row[2] for row in rows[:-1]} == {HIDDEN, "Rp0"}


def _public_numbers(client) -> dict:
    found = {}
    for metric in ("realized", "verified", "participants", "spend_per_asn"):
        for perspective in ("asn_region", "shop_region"):
            body = client.get("/api/v1/leaderboard/provinces",
                              query_string={"metric": metric, "perspective": perspective}).get_json()
            for row in body["rows"]:
                found[(metric, perspective, row["province"]["code"])] = (row["rank"], row["realized"])
            found[(metric, perspective, "totals")] = body["totals"]["realized"]
    return found


def test_watching_two_moments_does_not_pin_a_purchase_in_a_withheld_province(client, buyers):
    buyers("34.71", 3, 50_000)
    buyers("73.73", 6)
    buyers("35.78", 7)
    before = _public_numbers(client)
    buyers("34.71", 1, AMOUNT)  # a newcomer in withheld DI Yogyakarta, a distinctive amount
    after = _public_numbers(client)
    for key, value in before.items():
        if key[2] == "totals":
            assert after[key] - value in (0, STEP), key  # the withheld part moves in whole steps
        else:
            assert after[key] == value, key  # no province's rank or shown figure moved
    assert all(after[key][0] is None for key in after if key[2] == "34")
