"""Small numbers stay private: no public figure belongs to fewer than MIN_PUBLIC_PARTICIPANTS (5)
people, on the leaderboard, the region page and the public API; ranks still use the real values;
coordinators (their region) and admins see the real figures."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from campaign.auth.models import User
from campaign.extensions import db
from campaign.formatting import today_wita
from campaign.privacy import withheld_groups
from campaign.regions.models import Campaign
from test_leaderboard_standings import standings_rows

PALOPO, MAKASSAR, PAREPARE, BONE = "73.73", "73.71", "73.72", "73.08"
HIDDEN = "< 5 peserta"


@pytest.fixture
def buyers(make_asn, make_shop, make_purchase):
    """``buyers(region, n, amount)``: n new ASN of the region, each with one purchase there."""
    shops: dict[str, int] = {}

    def make(region: str, n: int, amount: int = 100_000, purchased_on=None) -> list:
        shop = shops.setdefault(region, make_shop(region=region))
        people = [make_asn(region=region) for _ in range(n)]
        for person in people:
            make_purchase(buyer=person, shop_id=shop, amount=amount, purchased_on=purchased_on)
        return people
    return make


def by_region(rows: list[list[str]]) -> dict[str, list[str]]:
    return {row[1]: row for row in rows}


def api_rows(client, **query) -> dict[str, dict]:
    return {r["region"]["code"]: r for r in client.get("/api/v1/leaderboard", query_string=query).get_json()["rows"]}


# --- the rule itself ------------------------------------------------------------------------

@pytest.mark.parametrize("sizes, known, hidden, total_hidden", [
    ([0, 0, 7], [], set(), False),            # zero belongs to nobody; 7 is enough
    ([1, 0, 7], [], {0, 2}, False),           # 1 alone would be total minus the rest: 7 joins it
    ([2, 3, 9, 8], [], {0, 1}, False),        # two small groups hide 5 people together
    ([1, 6, 7], [], {0, 1}, False),           # the smallest shown group joins
    ([1, 2, 0], [], {0, 1}, True),            # 3 people in all: the total goes too
    ([1, 6, 7], [1], {0, 2}, False),          # the viewer knows group 1: it cannot hide anyone
    ([1, 6], [1], {0}, True),                 # ... and then only the total can protect group 0
])
def test_withheld_groups_hide_at_least_the_minimum_together(sizes, known, hidden, total_hidden):
    assert withheld_groups(sizes, least=5, known=known) == (hidden, total_hidden)


# --- leaderboard ----------------------------------------------------------------------------

def test_leaderboard_withholds_a_region_of_fewer_than_five_participants(client, buyers):
    buyers(PALOPO, 1, amount=900_000)
    buyers(MAKASSAR, 6)
    buyers(BONE, 5)
    rows = by_region(standings_rows(client, metric="realized"))
    # columns: #, region, realized, verified, participants, participation, pledge realization, spend/ASN,
    # shops supported, headcount
    assert rows["Kota Palopo"][2:9] == [HIDDEN] * 7
    assert rows["Kota Palopo"][9] == "-"  # the headcount is the coordinator's, not anyone's spending
    assert rows["Kota Makassar"][2] == "Rp600.000" and rows["Kota Makassar"][4] == "6"
    assert rows["Kabupaten Bone"][2] == HIDDEN  # secondary: Palopo's 1 person would be total minus the rest
    assert rows["Provinsi Sulawesi Selatan"][2] == "Rp2.000.000"


def test_ranks_are_computed_on_the_real_values(client, buyers):
    buyers(PALOPO, 1, amount=900_000)
    buyers(MAKASSAR, 6, amount=100_000)
    buyers(BONE, 7, amount=100_000)
    rows = standings_rows(client, metric="realized")
    assert [(row[0], row[1]) for row in rows[:3]] == [("1", "Kota Palopo"), ("2", "Kabupaten Bone"),
                                                     ("3", "Kota Makassar")]


def test_regions_without_participants_show_zero(client, buyers):
    buyers(MAKASSAR, 5)
    rows = by_region(standings_rows(client, metric="realized"))
    assert rows["Kota Parepare"][2] == "Rp0" and rows["Kota Parepare"][4] == "0"
    assert rows["Kota Makassar"][2] == "Rp500.000"


def test_province_total_withheld_when_the_province_has_fewer_than_five(client, buyers):
    buyers(PALOPO, 2)
    buyers(MAKASSAR, 2)
    rows = by_region(standings_rows(client, metric="realized"))
    assert rows["Provinsi Sulawesi Selatan"][2] == HIDDEN
    assert rows["Kota Palopo"][2] == HIDDEN and rows["Kota Makassar"][2] == HIDDEN


def test_pledged_amount_belongs_to_its_pledgers(app, client, buyers):
    from campaign.purchases.services import make_pledge

    people = buyers(MAKASSAR, 5)
    with app.app_context():
        make_pledge(asn=db.session.get(User, people[0].id), amount=2_000_000)
    row = api_rows(client)[MAKASSAR]
    assert row["realized"] == 500_000 and row["participants"] == 5
    assert row["pledge_realization"] is None and "pledged" in row["suppressed_fields"]
    page = client.get("/wilayah/73.71").get_data(as_text=True)
    assert "Rp2.000.000" not in page and "&lt; 5 peserta" in page


def test_public_api_answers_null_with_suppressed_true(client, buyers):
    buyers(PALOPO, 1, amount=1_500_000)
    buyers(MAKASSAR, 12)
    buyers(BONE, 6)  # withheld too, so that Palopo is not the total minus the rest
    rows = api_rows(client)
    assert rows[PALOPO]["realized"] is None and rows[PALOPO]["participants"] is None
    assert rows[PALOPO]["suppressed"] is True and "realized" in rows[PALOPO]["suppressed_fields"]
    assert rows[PALOPO]["rank"] == 1  # ranked on the real 1.500.000
    assert rows[MAKASSAR]["realized"] == 1_200_000 and rows[MAKASSAR]["suppressed"] is False
    progress = client.get("/api/v1/regions/73.73/progress").get_json()
    assert progress["asn_region"]["realized"] is None and progress["asn_region"]["suppressed"] is True
    assert all(week["realized"] is None for week in progress["weeks"]["asn_region"] if week["suppressed"])
    assert "1500000" not in client.get("/api/v1/regions/73.73/progress").get_data(as_text=True)


def test_threshold_is_configurable(app, client, buyers):
    buyers(PALOPO, 2)
    buyers(MAKASSAR, 2)
    app.config["MIN_PUBLIC_PARTICIPANTS"] = 2
    rows = by_region(standings_rows(client, metric="realized"))
    assert rows["Kota Palopo"][2] == "Rp200.000" and rows["Kota Palopo"][4] == "2"


# --- region page ----------------------------------------------------------------------------

def test_region_page_withholds_like_the_leaderboard(client, buyers):
    buyers(PALOPO, 1, amount=900_000)
    buyers(MAKASSAR, 6)
    buyers(BONE, 5)
    for code in (PALOPO, BONE):
        page = client.get(f"/wilayah/{code}").get_data(as_text=True)
        assert "Belanja terealisasi</span><strong>&lt; 5 peserta" in page
        assert "Rp900.000" not in page and "Rp500.000" not in page
    assert "Belanja terealisasi</span><strong>Rp600.000" in client.get("/wilayah/73.71").get_data(as_text=True)


def test_weeks_with_fewer_than_five_purchases_are_withheld(app, client, buyers):
    today = today_wita()
    with app.app_context():
        db.session.scalar(select(Campaign)).starts_on = today - timedelta(days=21)
        db.session.commit()
    buyers(MAKASSAR, 6, amount=100_000)
    buyers(MAKASSAR, 2, amount=70_000, purchased_on=today - timedelta(days=7))
    buyers(MAKASSAR, 3, amount=30_000, purchased_on=today - timedelta(days=14))
    page = client.get("/wilayah/73.71").get_data(as_text=True)
    assert "Rp600.000" in page and "Rp140.000" not in page and "Rp90.000" not in page
    assert page.count("&lt; 5 peserta") >= 2
    data = client.get("/api/v1/regions/73.71/progress").get_json()
    shown = [(w["realized"], w["suppressed"]) for w in data["weeks"]["asn_region"] if w["suppressed"] or w["realized"]]
    assert sorted(shown, key=str) == sorted([(None, True), (None, True), (600_000, False)], key=str)


# --- who sees the real figures --------------------------------------------------------------

def test_coordinator_sees_own_region_real_figures(buyers, make_staff, login_as):
    buyers(PALOPO, 1, amount=900_000)
    buyers(MAKASSAR, 6)
    buyers(BONE, 7)
    coordinator = login_as(make_staff(region=PALOPO))
    rows = by_region(standings_rows(coordinator, metric="realized"))
    assert rows["Kota Palopo"][2] == "Rp900.000"
    # Palopo is known to this viewer, so it hides no one; Makassar and Bone are public.
    assert rows["Kota Makassar"][2] == "Rp600.000"
    page = coordinator.get("/wilayah/73.73").get_data(as_text=True)
    assert "Belanja terealisasi</span><strong>Rp900.000" in page
    other = login_as(make_staff(region=MAKASSAR))
    assert by_region(standings_rows(other, metric="realized"))["Kota Palopo"][2] == HIDDEN
    assert "Rp900.000" not in other.get("/wilayah/73.73").get_data(as_text=True)


def test_admin_sees_every_real_figure(buyers, make_staff, login_as):
    buyers(PALOPO, 1, amount=900_000)
    buyers(MAKASSAR, 2)
    admin = login_as(make_staff(role="admin"))
    rows = by_region(standings_rows(admin, metric="realized"))
    assert rows["Kota Palopo"][2] == "Rp900.000" and rows["Kota Makassar"][2] == "Rp200.000"
    assert rows["Provinsi Sulawesi Selatan"][2] == "Rp1.100.000"
    assert "Belanja terealisasi</span><strong>Rp200.000" in admin.get("/wilayah/73.71").get_data(as_text=True)


def test_public_api_is_the_same_for_every_caller(client, buyers, make_staff):
    """Public answers sit in shared caches: a token never reveals more there (coordinators use /details)."""
    buyers(PALOPO, 1, amount=900_000)
    buyers(MAKASSAR, 6)
    anonymous = client.get("/api/v1/leaderboard").get_json()
    staff = make_staff(role="admin")
    token = client.post("/api/v1/tokens", json={"login": staff.login, "password": staff.password}).get_json()["token"]
    with_token = client.get("/api/v1/leaderboard", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert with_token == anonymous
