"""seed-demo over several provinces (``--province semua``, what ``bench/run.py --national`` builds
for all 38), and init-db serving every province."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from campaign.core.extensions import db
from campaign.demo.places import ASN_PER_KECAMATAN
from campaign.domains.auth.models import AsnProfile
from campaign.domains.regions import areas
from campaign.domains.regions.models import Campaign, District, Region, RegionTarget
from campaign.domains.shops.models import Shop


@pytest.fixture
def app_config():
    return {"PROVINCES": ["34", "35"]}  # DI Yogyakarta (5 regions, 78 kecamatan), Jawa Timur (38, 666)


def _per_region(app, model, column) -> dict[str, int]:
    with app.app_context():
        return dict(db.session.execute(select(Region.code, func.count()).join(model, column == Region.id)
                                       .group_by(Region.code)).all())


def test_seed_demo_semua_spreads_people_and_shops_over_every_served_province_by_kecamatan(app, runner):
    result = runner.invoke(args=["seed-demo", "--asn", "3000", "--shops", "900", "--purchases", "3000",
                                 "--province", "semua"])

    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["check-tallies"]).exit_code == 0
    with app.app_context():
        kecamatan = dict(db.session.execute(select(Region.code, func.count()).join(District)
                                            .where(District.active).group_by(Region.code)).all())
        targets = dict(db.session.execute(select(Region.code, RegionTarget.asn_headcount)
                                          .join(RegionTarget, RegionTarget.region_id == Region.id)).all())
    served = [r.code for code in ("34", "35") for r in areas.regencies(code)]
    assert sorted(targets) == sorted(served)  # 43 regions
    assert targets == {code: kecamatan[code] * ASN_PER_KECAMATAN for code in served}
    asn = _per_region(app, AsnProfile, AsnProfile.region_id)
    shops = _per_region(app, Shop, Shop.region_id)
    assert set(asn) == set(shops) == set(served)  # people and shops in every region
    jatim, diy = (sum(n for code, n in asn.items() if code.startswith(p)) for p in ("35.", "34."))
    assert 6 < jatim / diy < 11  # 666 kecamatan against 78
    assert asn["35.78"] > 3 * asn["35.76"]  # Kota Surabaya (31 kecamatan) against Kota Mojokerto (3)


@pytest.mark.parametrize("app_config", [{"PROVINCES": list(areas.provinces())}], ids=["all_38"])
def test_init_db_serves_all_38_provinces(app, runner):
    assert "sudah mutakhir" in runner.invoke(args=["init-db"]).output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Region).where(Region.active)) == 514
        # the provinces' names (over 400 characters) do not fit the issuing office; a campaign is made anyway
        assert db.session.scalar(select(Campaign.issuing_office)) == "Pemerintah Provinsi se-Indonesia"


def test_seed_demo_leaves_postgresql_vacuumed_so_index_only_scans_skip_the_heap(app, runner):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("VACUUM and the visibility map are PostgreSQL's")
    assert runner.invoke(args=["seed-demo", "--asn", "60", "--shops", "40", "--purchases", "300"]).exit_code == 0
    with app.app_context(), db.engine.connect() as connection:
        connection.exec_driver_sql("SELECT pg_stat_clear_snapshot()")
        vacuumed = dict(connection.exec_driver_sql(
            "SELECT relname, last_vacuum IS NOT NULL FROM pg_stat_user_tables "
            "WHERE relname IN ('shop', 'purchase', 'tally', 'tally_member', 'user_account')").all())
    assert vacuumed == dict.fromkeys(["shop", "purchase", "tally", "tally_member", "user_account"], True)
