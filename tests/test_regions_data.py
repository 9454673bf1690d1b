"""Indonesia's official areas as data (idn-area-data 4.x, ODbL): the kept files, and init-db loading
those of the configured provinces idempotently, following renamed names, and keeping a code that
disappeared as inactive, never deleted."""
from __future__ import annotations

import pytest
from helpers import BASE_CONFIG
from sqlalchemy import func, select

from campaign import create_app
from campaign.core.errors import NotFound
from campaign.core.extensions import db
from campaign.domains.regions import areas
from campaign.domains.regions.models import District, Region
from campaign.domains.regions.services import all_regions, load_reference_data
from campaign.domains.shops.models import Shop


def test_the_kept_data_covers_the_country():
    provinces = areas.provinces()
    assert len(provinces) == 38 and provinces["73"] == "Sulawesi Selatan" and provinces["34"].endswith("Yogyakarta")
    assert sum(len(areas.regencies(code)) for code in provinces) == 514
    assert sum(len(areas.districts(code)) for code in provinces) == 7285
    assert [len(areas.regencies(code)) for code in ("73", "34", "35")] == [24, 5, 38]
    assert areas.data_version().startswith("idn-area-data 4.")
    notice = (areas.DATA_DIR / "README.md").read_text()
    assert notice.count("ODbL") >= 2 and "idn-area-data by Fityan" in notice


def test_sulawesi_selatan_keeps_its_bps_codes_and_capitals(app):
    with app.app_context():
        rows = {r.code: (r.bps_code, r.capital) for r in all_regions()}
    assert len(rows) == 24
    assert rows["73.08"] == ("7311", "Watampone") and rows["73.24"] == ("7325", "Malili")
    assert rows["73.09"] == ("7308", "Maros") and rows["73.73"] == ("7373", "Palopo")


def test_a_region_the_overlay_does_not_know_has_no_bps_code_rather_than_a_guess():
    sleman = next(r for r in areas.regencies("34") if r.code == "34.04")
    assert (sleman.kind, sleman.name, sleman.bps_code, sleman.capital) == ("Kabupaten", "Sleman", None, None)


def test_init_db_follows_renamed_regions_and_kecamatan(app, runner):
    with app.app_context():
        db.session.scalar(select(Region).where(Region.code == "73.14")).name = "Sidrap"
        db.session.scalar(select(District).where(District.code == "73.18.01")).name = "Saluputi"  # 3.1.2's spelling
        db.session.commit()
    output = runner.invoke(args=["init-db"]).output
    assert "Wilayah: 0 ditambahkan, 1 diperbarui." in output and "Kecamatan: 0 ditambahkan, 1 diperbarui." in output
    with app.app_context():
        assert db.session.scalar(select(Region.name).where(Region.code == "73.14")) == "Sidenreng Rappang"
        assert db.session.scalar(select(District.name).where(District.code == "73.18.01")) == "Salupputti"
    assert "sudah mutakhir" in runner.invoke(args=["init-db"]).output


def test_a_code_gone_from_the_data_stays_inactive_with_its_history(app, runner, client, make_shop, make_asn,
                                                                   fetch):
    with app.app_context():
        gone = Region(code="73.99", bps_code="7399", kind="Kabupaten", name="Wilayah Lama", capital="Lama")
        db.session.add(gone)
        db.session.flush()
        db.session.add(District(code="73.99.01", region_id=gone.id, name="Kecamatan Lama"))
        db.session.commit()
    shop_id = make_shop(region="73.99", district="Kecamatan Lama", name="Warung Wilayah Lama")
    output = runner.invoke(args=["init-db"]).output
    assert "1 dinonaktifkan" in output and "Kecamatan: 0 ditambahkan, 0 diperbarui, 1 dinonaktifkan." in output
    with app.app_context():
        region = db.session.scalar(select(Region).where(Region.code == "73.99"))
        assert region is not None and not region.active and region.code not in {r.code for r in all_regions()}
        assert db.session.scalar(select(District.active).where(District.code == "73.99.01")) is False
    assert fetch(Shop, shop_id).region_id == region.id  # the history still points at it
    assert "Wilayah Lama" not in client.get("/peringkat").get_data(as_text=True)
    assert client.get("/wilayah/73.99").status_code == 404
    with pytest.raises(NotFound):  # nothing new attaches to it
        make_asn(region="73.99")
    with pytest.raises(NotFound):
        make_shop(region="73.99", district="Kecamatan Lama")
    assert "sudah mutakhir" in runner.invoke(args=["init-db"]).output


def test_serving_another_province_sets_the_first_aside_and_back(app, make_shop, fetch):
    shop_id = make_shop(region="73.72")
    with app.app_context():
        report = load_reference_data(["34"])
        assert (report.regions_added, report.regions_deactivated, report.districts_added) == (5, 24, 78)
        assert [r.code for r in all_regions()] == ["34.01", "34.02", "34.03", "34.04", "34.71"]
        report = load_reference_data(["73"])
        assert (report.regions_added, report.regions_updated, report.regions_deactivated) == (0, 24, 5)
        assert len(all_regions()) == 24
        assert db.session.scalar(select(func.count()).select_from(District).where(District.active)) == 313
    assert fetch(Shop, shop_id).district_id is not None


def test_provinces_come_from_the_environment_as_json(monkeypatch, tmp_path):
    monkeypatch.setenv("FLASK_PROVINCES", '["34"]')
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"},
                     instance_path=str(tmp_path))
    assert app.config["PROVINCES"] == ["34"]


@pytest.mark.parametrize("value, message", [(["99"], "unknown: ['99']"), ([], "none given")])
def test_an_unknown_province_stops_the_app_from_starting(tmp_path, value, message):
    with pytest.raises(RuntimeError, match=message.replace("[", r"\[").replace("]", r"\]")):
        create_app({**BASE_CONFIG, "PROVINCES": value,
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"}, instance_path=str(tmp_path))


def test_the_migration_rebuilds_regions_that_rows_point_at(app, make_shop, fetch):
    """On SQLite, changing region's nullability rebuilds the table; shops (and everything else)
    point at it, so it runs with foreign keys off and checks them after, both ways."""
    from flask_migrate import downgrade, upgrade

    shop_id = make_shop(region="73.72")
    with app.app_context():
        db.session.remove()
        downgrade(revision="people_counts")
        upgrade()
        db.session.remove()
        rows = db.session.execute(select(Region.code, Region.bps_code, Region.active)
                                  .where(Region.code.in_(["73.08", "73.72"])).order_by(Region.code)).all()
        assert [tuple(row) for row in rows] == [("73.08", "7311", True), ("73.72", "7372", True)]
        if db.engine.dialect.name == "sqlite":
            with db.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert fetch(Shop, shop_id).region_id is not None
