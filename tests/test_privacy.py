"""Small numbers stay private: no public figure belongs to fewer than MIN_PUBLIC_PARTICIPANTS (5)
people, on the leaderboard, the region page and the public API; a withheld region is not ranked
and the withheld part of a total is published in steps (tests/test_privacy_watching.py replays the
attack that rule answers); coordinators (their region) and admins see the real figures."""
from __future__ import annotations

from datetime import timedelta

import pytest
from helpers import BONE, MAKASSAR, PALOPO, PAREPARE, province_today, standings_rows
from sqlalchemy import select

from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.leaderboard.privacy import withheld_groups
from campaign.domains.purchases.services import confirm_purchase
from campaign.domains.regions.models import Campaign
from campaign.domains.tallies.buckets import week_start

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


@pytest.fixture
def shop_buyers(app, make_asn, make_owner, make_shop, make_purchase, no_logging_limits):
    """``shop_buyers(region, n, amount=, purchases=, confirmed=, purchased_on=)``: n new ASN of the
    region, each with ``purchases`` purchases at one new shop there; its owner confirms those of
    the first ``confirmed`` buyers."""
    def make(region: str, n: int, *, amount: int = 100_000, purchases: int = 1, confirmed: int = 0,
             purchased_on=None) -> list:
        owner = make_owner()
        shop = make_shop(owner=owner, region=region)
        people = [make_asn(region=region) for _ in range(n)]
        ids = [[make_purchase(buyer=person, shop_id=shop, amount=amount, purchased_on=purchased_on)
                for _ in range(purchases)] for person in people]
        with app.app_context():
            for purchase_id in [i for per_person in ids[:confirmed] for i in per_person]:
                confirm_purchase(actor=db.session.get(User, owner.id), purchase_id=purchase_id)
        return people
    return make


def campaign_started_weeks_ago(app, weeks: int) -> None:
    with app.app_context():
        db.session.scalar(select(Campaign)).starts_on = province_today() - timedelta(weeks=weeks)
        db.session.commit()


def api_weeks(client, code: str) -> dict:
    weeks = client.get(f"/api/v1/regions/{code}/progress").get_json()["weeks"]["asn_region"]
    return {week["week_start"]: week for week in weeks}


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
    # Palopo's and Bone's Rp1.400.000 count in steps of Rp10.000.000 (rounded down): the shown part only
    assert rows["Provinsi Sulawesi Selatan"][2] == "≈ Rp600.000"


def test_withheld_regions_are_not_ranked_and_come_last_by_code(client, buyers):
    """Ranked on the real values, Palopo's Rp900.000 would show as its place among shown ones."""
    buyers(PALOPO, 1, amount=900_000)
    buyers(MAKASSAR, 6, amount=100_000)  # withheld too (secondary): the smallest shown group
    buyers(BONE, 7, amount=100_000)
    rows = standings_rows(client, metric="realized")
    assert [(row[0], row[1]) for row in rows[:2]] == [("1", "Kabupaten Bone"), ("2", "Kabupaten Kepulauan Selayar")]
    assert [(row[0], row[1]) for row in rows[-3:-1]] == [("–", "Kota Makassar"), ("–", "Kota Palopo")]
    assert [row[0] for row in rows[:-3]] == [str(n) for n in range(1, 23)]


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
    from campaign.domains.purchases.pledges import make_pledge

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
    assert rows[PALOPO]["rank"] is None and rows[BONE]["rank"] is None  # not ranked: listed last
    assert rows[MAKASSAR]["rank"] == 1
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


def test_weeks_with_fewer_than_five_people_are_withheld(app, client, buyers):
    today = province_today()
    campaign_started_weeks_ago(app, 3)
    buyers(MAKASSAR, 6, amount=100_000)
    buyers(MAKASSAR, 2, amount=70_000, purchased_on=today - timedelta(days=7))
    buyers(MAKASSAR, 3, amount=30_000, purchased_on=today - timedelta(days=14))
    buyers(MAKASSAR, 5, amount=10_000, purchased_on=today - timedelta(days=21))
    page = client.get("/wilayah/73.71").get_data(as_text=True)
    assert "Rp140.000" not in page and "Rp90.000" not in page
    assert "per bulan (wilayah ASN)" in page  # three of four weeks withheld: the page shows months
    weeks = api_weeks(client, MAKASSAR)
    shown = [(w["realized"], w["suppressed"]) for w in weeks.values() if w["suppressed"] or w["realized"]]
    # The 2- and 3-person weeks may be the same people: the smallest shown week (5 people) goes too.
    assert sorted(shown, key=str) == sorted([(None, True)] * 3 + [(600_000, False)], key=str)


def test_a_week_of_many_purchases_by_few_people_is_withheld(app, client, shop_buyers):
    today = province_today()
    campaign_started_weeks_ago(app, 2)
    shop_buyers(MAKASSAR, 5, amount=30_000, confirmed=5, purchased_on=today - timedelta(days=14))
    shop_buyers(MAKASSAR, 5, amount=40_000, confirmed=5, purchased_on=today - timedelta(days=7))
    shop_buyers(MAKASSAR, 2, amount=50_000, purchases=3, confirmed=2)  # 6 purchases by 2 people
    page = client.get("/wilayah/73.71").get_data(as_text=True)
    assert "Belanja terealisasi</span><strong>Rp650.000" in page  # 12 participants: public
    assert "Rp300.000" not in page  # this week: 6 purchases, but 2 people
    assert "Rp150.000" not in page  # the smallest other week, so the total minus the rest tells nothing
    assert "per bulan (wilayah toko)" in page  # two of three weeks withheld: the page shows months
    weeks = api_weeks(client, MAKASSAR)
    this_week, last_week, before = (weeks[(week_start(today) - timedelta(weeks=n)).isoformat()] for n in range(3))
    assert this_week == {"week_start": this_week["week_start"], "realized": None, "verified": None,
                         "purchases": None, "suppressed": True}
    assert (last_week["realized"], last_week["verified"], last_week["purchases"]) == (200_000, 200_000, 5)
    assert last_week["suppressed"] is False
    assert before["realized"] is None and before["suppressed"] is True


def test_a_week_of_few_verified_buyers_withholds_its_verified_spend(app, client, shop_buyers):
    today = province_today()
    campaign_started_weeks_ago(app, 2)
    shop_buyers(MAKASSAR, 5, amount=30_000, confirmed=5, purchased_on=today - timedelta(days=14))
    shop_buyers(MAKASSAR, 5, amount=40_000, confirmed=5, purchased_on=today - timedelta(days=7))
    shop_buyers(MAKASSAR, 6, amount=110_000, confirmed=2)  # 6 buyers, 2 of them confirmed
    this_week = api_weeks(client, MAKASSAR)[week_start(today).isoformat()]
    assert (this_week["realized"], this_week["purchases"], this_week["verified"]) == (660_000, 6, None)
    assert this_week["suppressed"] is True
    page = client.get("/wilayah/73.71").get_data(as_text=True)
    assert "Rp660.000" in page and "Rp220.000" not in page


# --- verified spend -------------------------------------------------------------------------

def test_verified_spend_belongs_to_its_verified_buyers(client, shop_buyers, make_staff, login_as):
    shop_buyers(MAKASSAR, 6, amount=100_000, confirmed=2)  # 6 participants, 2 verified buyers
    shop_buyers(BONE, 5, amount=100_000)  # nobody verified: the province's verified is Makassar's alone
    row = api_rows(client)[MAKASSAR]
    assert row["realized"] == 600_000 and row["participants"] == 6
    assert row["verified"] is None and row["suppressed_fields"] == ["verified"]
    leaderboard = client.get("/api/v1/leaderboard").get_json()
    assert leaderboard["totals"]["realized"] == 1_100_000
    assert leaderboard["totals"]["verified"] is None and leaderboard["totals"]["suppressed_fields"] == ["verified"]
    rows = by_region(standings_rows(client, metric="realized"))
    assert rows["Kota Makassar"][2:5] == ["Rp600.000", HIDDEN, "6"]
    assert rows["Provinsi Sulawesi Selatan"][3] == HIDDEN
    page = client.get("/wilayah/73.71").get_data(as_text=True)
    assert "Belanja terverifikasi</span><strong>&lt; 5 peserta" in page and "Rp200.000" not in page
    assert client.get("/api/v1/regions/73.71/progress").get_json()["asn_region"]["verified"] is None
    for viewer in (make_staff(region=MAKASSAR), make_staff(role="admin")):
        page = login_as(viewer).get("/wilayah/73.71").get_data(as_text=True)
        assert "Belanja terverifikasi</span><strong>Rp200.000" in page


def test_small_verified_groups_hide_together(client, shop_buyers):
    shop_buyers(MAKASSAR, 6, confirmed=2)
    shop_buyers(BONE, 6, confirmed=6)
    shop_buyers(PAREPARE, 6, confirmed=5)
    rows = api_rows(client)
    assert rows[MAKASSAR]["verified"] is None
    assert rows[PAREPARE]["verified"] is None  # secondary: the smallest shown verified group
    assert rows[BONE]["verified"] == 600_000
    totals = client.get("/api/v1/leaderboard").get_json()["totals"]
    assert totals["verified"] == 600_000 and totals["rounded_fields"] == ["verified"]  # + Rp700.000 in steps


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
