"""The people behind verified spend and behind each week (what campaign.domains.leaderboard.privacy withholds by):
every status move keeps them equal to the raw purchases; check-tallies proves it, rebuild-tallies
repairs them, seed-demo writes them right."""
from __future__ import annotations

from datetime import timedelta

from helpers import province_today
import pytest
from sqlalchemy import select, update

from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.purchases import services as purchases
from campaign.domains.regions.models import Campaign, Region
from campaign.domains.tallies import moves as tallies
from campaign.domains.tallies.buckets import week_start
from campaign.domains.tallies.models import Tally, TallyMember, TallyWeek, TallyWeekMember
from campaign.domains.trust import services as trust
from campaign.domains.trust.selection import Selection

MAKASSAR = "73.71"


@pytest.fixture
def scene(app, make_asn, make_owner, make_shop, make_staff, make_purchase, no_logging_limits):
    owner = make_owner()
    shop = make_shop(owner=owner, region=MAKASSAR)
    ana, budi = make_asn(region=MAKASSAR), make_asn(region=MAKASSAR)
    return {"owner": owner, "shop": shop, "ana": ana, "budi": budi, "admin": make_staff(role="admin"),
            "ana_buys": [make_purchase(buyer=ana, shop_id=shop, amount=amount) for amount in (10_000, 20_000)],
            "budi_buys": [make_purchase(buyer=budi, shop_id=shop, amount=30_000)]}


def people(app) -> tuple[int, int, int, int]:
    """Makassar's (participants, verified buyers) by the ASN's region, then the same this week."""
    with app.app_context():
        region = db.session.scalar(select(Region.id).where(Region.code == MAKASSAR))
        campaign = db.session.scalar(select(Campaign.id))
        tally = db.session.get(Tally, (campaign, "asn_region", region))
        week = db.session.get(TallyWeek, (campaign, "asn_region", region, week_start(province_today())))
        return tally.participants, tally.verified_buyers, week.participants, week.verified_buyers


def act(app, who, verb, purchase_id, **extra):
    with app.app_context():
        getattr(purchases, verb)(actor=db.session.get(User, who.id), purchase_id=purchase_id, **extra)


def test_confirm_dispute_and_void_move_the_verified_buyers(app, scene, tallies_agree):
    owner, admin = scene["owner"], scene["admin"]
    (ana_1, ana_2), (budi_1,) = scene["ana_buys"], scene["budi_buys"]
    assert people(app) == (2, 0, 2, 0)
    act(app, owner, "confirm_purchase", ana_1)
    assert people(app) == (2, 1, 2, 1)
    act(app, owner, "confirm_purchase", ana_2)  # Ana was already a verified buyer
    assert people(app) == (2, 1, 2, 1)
    act(app, owner, "dispute_purchase", budi_1, reason="Tidak pernah belanja")
    assert people(app) == (1, 1, 1, 1)
    act(app, admin, "void_purchase", ana_1, reason="Salah catat")  # her other confirmed purchase stays
    assert people(app) == (1, 1, 1, 1)
    tallies_agree()
    act(app, admin, "void_purchase", ana_2, reason="Salah catat")
    assert people(app) == (0, 0, 0, 0)
    tallies_agree()


def test_confirm_all_moves_the_verified_buyers(app, scene, tallies_agree):
    with app.app_context():
        purchases.confirm_purchases(actor=db.session.get(User, scene["owner"].id),
                                    purchase_ids=scene["ana_buys"] + scene["budi_buys"])
    assert people(app) == (2, 2, 2, 2)
    tallies_agree()


@pytest.mark.parametrize("batch", [tallies.MEMBER_BATCH, 2])  # 2: the member rows span several statements
def test_bulk_void_and_its_undo_move_the_people_counts(app, scene, tallies_agree, batch, monkeypatch):
    monkeypatch.setattr(tallies, "MEMBER_BATCH", batch)
    act(app, scene["owner"], "confirm_purchase", scene["budi_buys"][0])
    with app.app_context():
        operation = trust.bulk_void(actor=db.session.get(User, scene["admin"].id), region_code=MAKASSAR,
                                    selection=Selection(shop_id=scene["shop"]), reason="Toko fiktif")
        operation_id = operation.id
    assert people(app) == (0, 0, 0, 0)
    tallies_agree()
    with app.app_context():
        trust.undo_bulk_void(actor=db.session.get(User, scene["admin"].id), bulk_void_id=operation_id)
    assert people(app) == (2, 1, 2, 1)
    tallies_agree()


def test_a_week_counts_its_own_buyers(app, make_asn, make_shop, make_purchase, no_logging_limits, tallies_agree):
    today = province_today()
    with app.app_context():
        db.session.scalar(select(Campaign)).starts_on = today - timedelta(days=14)
        db.session.commit()
    shop = make_shop(region=MAKASSAR)
    ana = make_asn(region=MAKASSAR)
    for day in (today, today, today - timedelta(days=7)):
        make_purchase(buyer=ana, shop_id=shop, purchased_on=day)
    with app.app_context():
        weeks = dict(db.session.execute(select(TallyWeek.week_start, TallyWeek.participants)
                                        .where(TallyWeek.dimension == "asn_region")).all())
    assert weeks == {week_start(today): 1, week_start(today - timedelta(days=7)): 1}
    tallies_agree()


@pytest.mark.parametrize("model, column", [
    (Tally, "verified_buyers"), (TallyWeek, "participants"), (TallyWeek, "verified_buyers"),
    (TallyMember, "verified_count"), (TallyWeekMember, "realized_count"), (TallyWeekMember, "verified_count"),
])
def test_seed_demo_counts_people_and_check_tallies_guards_them(app, runner, model, column):
    assert runner.invoke(args=["seed-demo", "--asn", "30", "--shops", "30", "--purchases", "300"]).exit_code == 0
    assert runner.invoke(args=["check-tallies"]).exit_code == 0
    with app.app_context():
        field = getattr(model, column)
        keys = [c for c in model.__table__.primary_key.columns]
        row = db.session.execute(select(*keys).where(field > 0).limit(1)).one()  # seed-demo wrote some
        db.session.execute(update(model).where(*(c == v for c, v in zip(keys, row))).values({column: field + 1}))
        db.session.commit()
    result = runner.invoke(args=["check-tallies"])
    assert result.exit_code == 1 and model.__tablename__ in result.output
    assert runner.invoke(args=["rebuild-tallies"]).exit_code == 0
    assert runner.invoke(args=["check-tallies"]).exit_code == 0
