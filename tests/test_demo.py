from helpers import province_today
"""seed-demo: realistic, complete, consistent with the tallies, and safe to run twice."""
from sqlalchemy import func, inspect, select

from campaign.core.extensions import db
from campaign.core.maintenance import schema_differences
from campaign.demo import trust as trust_demo
from campaign.domains.purchases.models import PURCHASE_STATUSES, Purchase
from campaign.domains.regions.models import Region, RegionTarget
from campaign.domains.shops.models import CATEGORIES, Shop
from campaign.domains.tallies.models import Tally


def test_seed_demo_builds_everything_once(app, runner, client):
    result = runner.invoke(args=["seed-demo", "--asn", "60", "--shops", "40", "--purchases", "400"])
    assert result.exit_code == 0, result.output
    assert "60 ASN, 40 toko" in result.output and "400 belanja" in result.output
    for login in ("admin@demo.id", "koordinator@demo.id", "asn@demo.id", "toko@demo.id"):
        assert login in result.output
    with app.app_context():
        statuses = set(db.session.scalars(select(Purchase.status).distinct()))
        assert statuses == set(PURCHASE_STATUSES)
        regions_with_shops = db.session.scalar(select(func.count(func.distinct(Shop.region_id))))
        assert regions_with_shops == db.session.scalar(select(func.count()).select_from(Region)) == 24
        assert set(db.session.scalars(select(Shop.category).distinct())) == set(CATEGORIES)
        assert db.session.scalar(select(func.count()).select_from(RegionTarget)) == 24
        palopo = db.session.scalar(select(Region.id).where(Region.code == "73.73"))
        makassar = db.session.scalar(select(Region.id).where(Region.code == "73.71"))
        count = lambda rid: db.session.scalar(select(func.count()).select_from(Shop).where(Shop.region_id == rid))
        assert count(palopo) > count(makassar) / 2  # Palopo is over-represented, as in 2020
        assert db.session.scalar(select(func.count()).select_from(Shop).where(Shop.covid_affected)) > 0
    assert runner.invoke(args=["check-tallies"]).exit_code == 0
    with app.app_context(), db.engine.connect() as connection:  # indexes and all constraints are back
        assert schema_differences(connection) == []
        inspector = inspect(connection)
        for table in ("purchase", "pledge", "tally", "tally_week", "tally_member", "tally_week_member"):  # bulk-loaded
            expected = db.metadata.tables[table].primary_key.columns.keys()
            assert inspector.get_pk_constraint(table)["constrained_columns"] == expected, table

    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "sudah ada" in again.output
    with app.app_context():
        # plus the suspicious patterns logged through the services (campaign/demo/trust.py)
        assert db.session.scalar(select(func.count()).select_from(Purchase)) == 400 + trust_demo.PURCHASES

    for login in ("admin@demo.id", "asn@demo.id"):
        response = client.post("/masuk", data={"login": login, "password": "demo12345"})
        assert response.status_code == 302
        client.post("/keluar")


def test_rebuild_repairs_drifted_tallies(app, runner):
    assert runner.invoke(args=["seed-demo", "--asn", "30", "--shops", "30", "--purchases", "200"]).exit_code == 0
    with app.app_context():
        from campaign.domains.tallies.models import Tally
        tally = db.session.scalar(select(Tally).where(Tally.dimension == "asn_region", Tally.realized_amount > 0))
        tally.realized_amount += 1
        db.session.commit()
    result = runner.invoke(args=["check-tallies"])
    assert result.exit_code == 1 and "selisih" in result.output
    assert runner.invoke(args=["rebuild-tallies"]).exit_code == 0
    assert runner.invoke(args=["check-tallies"]).exit_code == 0


def test_seed_demo_loads_a_roster_for_every_region_with_most_demo_asn_on_it(app, runner, client):
    from campaign.domains.auth.models import AsnProfile
    from campaign.domains.roster.models import RosterEntry

    assert runner.invoke(args=["seed-demo", "--asn", "80", "--shops", "20", "--purchases", "400"]).exit_code == 0
    with app.app_context():
        regions = set(db.session.scalars(select(Region.id).where(Region.code.startswith("73."))))
        assert set(db.session.scalars(select(RosterEntry.region_id).distinct())) == regions
        signed = set(db.session.scalars(select(AsnProfile.nip)))
        listed = set(db.session.scalars(select(RosterEntry.nip).where(RosterEntry.active.is_(True))))
        on, off = signed & listed, signed - listed
        assert len(on) > 10 * len(off) > 0  # most demo ASN on it, a few not
        assert listed - signed  # colleagues not yet signed up
        assert db.session.scalar(select(func.count()).select_from(RosterEntry).where(RosterEntry.active.is_(False)))
        realized, verified = db.session.execute(select(func.sum(Tally.realized_amount), func.sum(Tally.verified_amount))
                                                .where(Tally.dimension == "asn_region")).one()
        confirmed = db.session.scalar(select(func.sum(Purchase.amount)).where(Purchase.status == "confirmed"))
        assert 0 < verified < confirmed < realized  # the off-roster ASN's confirmed purchases are not verified
    for code in ("73.73", "73.71"):
        assert "dicek dengan daftar ASN: hanya NIP" in client.get(f"/wilayah/{code}").get_data(as_text=True)
    assert runner.invoke(args=["check-tallies"]).exit_code == 0


def test_seed_demo_on_a_database_with_purchases_keeps_the_tallies_exact(runner, make_asn, make_shop,
                                                                       make_purchase):
    make_purchase(buyer=make_asn(), shop_id=make_shop(), amount=42_000)
    result = runner.invoke(args=["seed-demo", "--asn", "30", "--shops", "20", "--purchases", "300"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["check-tallies"]).exit_code == 0


def test_after_seed_demo_people_can_sign_up_register_a_shop_and_log_a_purchase(app, runner, fetch):
    """seed-demo loads rows with explicit ids; on PostgreSQL the sequences must move past them."""
    assert runner.invoke(args=["seed-demo", "--asn", "30", "--shops", "20", "--purchases", "100"]).exit_code == 0
    from campaign.domains.auth.models import AsnProfile
    from campaign.domains.roster.models import RosterEntry

    sign_up = {"password": "rahasia-baru-1", "confirm": "rahasia-baru-1", "consent": "y"}
    buyer, owner, admin = app.test_client(), app.test_client(), app.test_client()
    with app.app_context():
        nip = db.session.scalar(select(RosterEntry.nip).outerjoin(AsnProfile, AsnProfile.nip == RosterEntry.nip).where(
            RosterEntry.active.is_(True), AsnProfile.id.is_(None)).order_by(RosterEntry.id).limit(1))
    response = buyer.post("/daftar/asn", data={**sign_up, "name": "Andi Baso", "login": "andi.baso@contoh.id",
                                               "nip": nip, "agency": "Dinas Pendidikan",
                                               "region": "73.71"})  # a colleague on the demo roster
    assert response.status_code == 302, response.get_data(as_text=True)
    response = owner.post("/daftar/pemilik-toko", data={**sign_up, "name": "Ibu Sitti", "login": "sitti@contoh.id"})
    assert response.status_code == 302
    response = owner.post("/toko/baru", data={
        "name": "Warung Sitti Setelah Demo", "category": "sembako", "region": "73.73", "district": "73.73.01",
        "village": "Amassangan", "street": "Jl. Andi Djemma No. 5", "whatsapp": "0812-3456-7890"})
    assert response.status_code == 302, response.get_data(as_text=True)
    shop = fetch(select(Shop).where(Shop.name == "Warung Sitti Setelah Demo"))[0]
    assert admin.post("/masuk", data={"login": "admin@demo.id", "password": "demo12345"}).status_code == 302
    assert admin.post(f"/koordinator/toko/{shop.id}/verifikasi").status_code == 302

    response = buyer.post("/belanja/baru", data={"shop_id": str(shop.id), "amount": "45.000",
                                                 "purchased_on": province_today().isoformat()})

    assert response.status_code == 302, response.get_data(as_text=True)
    assert [p.amount for p in fetch(select(Purchase).where(Purchase.shop_id == shop.id))] == [45_000]
