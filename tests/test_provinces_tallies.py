"""Several provinces in one deployment, the tallies' province level: a purchase moves its region,
its province and the national figures; the province's distinct counts are its own (an ASN buying
in two of its regions is one participant), proved by check-tallies and built by the migration."""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

from campaign.core.extensions import db
from campaign.domains.tallies.models import Tally


@pytest.fixture
def app_config():
    return {"PROVINCES": ["73", "34"]}


def _tally(app, dimension: str, key: int):
    with app.app_context():
        row = db.session.execute(select(Tally).where(Tally.dimension == dimension, Tally.key_id == key)).scalar()
        return None if row is None else (row.realized_amount, row.participants, row.shops_supported)


def test_a_buyer_in_two_regions_of_a_province_is_one_participant_of_it(
        app, make_asn, make_shop, make_purchase, tallies_agree):
    palopo, makassar, jogja = make_shop(region="73.73"), make_shop(region="73.71"), make_shop(region="34.71")
    buyer = make_asn(region="73.73")
    for shop in (palopo, makassar, jogja):
        make_purchase(buyer=buyer, shop_id=shop, amount=100_000)
    assert _tally(app, "shop_prov", 73) == (200_000, 1, 2)  # two regions' shops, one participant
    assert _tally(app, "shop_prov", 34) == (100_000, 1, 1)
    assert _tally(app, "asn_prov", 73) == (300_000, 1, 3)
    assert _tally(app, "asn_prov", 34) is None
    tallies_agree()


def test_a_purchase_moves_its_region_its_province_and_the_nation(api, make_asn, make_shop, make_purchase,
                                                                 tallies_agree):
    shop = make_shop(region="34.71")
    buyers = [make_asn(region="34.71") for _ in range(5)]
    for buyer in buyers:
        make_purchase(buyer=buyer, shop_id=shop, amount=70_000)
    for _ in range(5):
        make_purchase(buyer=make_asn(region="73.73"), shop_id=make_shop(region="73.73"), amount=20_000)

    def figures():
        provinces = api.get("/leaderboard/provinces").get_json()
        region = api.get("/leaderboard?province=34").get_json()
        return ({row["province"]["code"]: row["realized"] for row in provinces["rows"]},
                provinces["totals"]["realized"],
                {row["region"]["code"]: row["realized"] for row in region["rows"]}["34.71"],
                region["totals"]["realized"])
    before = figures()
    make_purchase(buyer=buyers[0], shop_id=shop, amount=30_000)
    after = figures()
    assert before == ({"34": 350_000, "73": 100_000}, 450_000, 350_000, 350_000)
    assert after == ({"34": 380_000, "73": 100_000}, 480_000, 380_000, 380_000)
    tallies_agree()


def test_check_tallies_proves_the_province_level(app, runner, make_asn, make_shop, make_purchase):
    make_purchase(buyer=make_asn(region="34.71"), shop_id=make_shop(region="73.73"), amount=50_000)
    with app.app_context():
        db.session.execute(update(Tally).where(Tally.dimension == "shop_prov", Tally.key_id == 73)
                           .values(participants=Tally.participants + 1))
        db.session.commit()
    result = runner.invoke(args=["check-tallies"])
    assert result.exit_code == 1 and "'shop_prov', 73" in result.output, result.output
    assert runner.invoke(args=["rebuild-tallies"]).exit_code == 0
    assert runner.invoke(args=["check-tallies"]).exit_code == 0
    assert _tally(app, "shop_prov", 73) == (50_000, 1, 1)


def test_seed_demo_on_two_provinces_keeps_province_tallies_exact(app, runner):
    result = runner.invoke(args=["seed-demo", "--asn", "60", "--shops", "30", "--purchases", "300"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["check-tallies"]).exit_code == 0
    with app.app_context():
        keys = set(db.session.scalars(select(Tally.key_id).where(Tally.dimension == "asn_prov")))
    assert keys <= {73, 34} and keys


def test_the_migration_builds_the_province_level_for_existing_purchases(app, make_asn, make_shop,
                                                                       make_purchase, tallies_agree):
    from flask_migrate import downgrade, upgrade

    buyer = make_asn(region="73.72")
    for shop in (make_shop(region="73.73"), make_shop(region="34.04")):
        make_purchase(buyer=buyer, shop_id=shop, amount=40_000)
    with app.app_context():
        db.session.remove()
        downgrade(revision="deals_bounded")
        upgrade()
        db.session.remove()
    assert _tally(app, "asn_prov", 73) == (80_000, 1, 2)
    assert _tally(app, "shop_prov", 34) == (40_000, 1, 1)
    tallies_agree()
