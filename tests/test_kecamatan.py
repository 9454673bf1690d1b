"""Kecamatan from the kept dataset (idn-area-data, ODbL): loaded by init-db, chosen for a shop
within its region, a filter in the directory."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, update

from campaign.core.errors import ValidationFailed
from campaign.core.extensions import db
from campaign.domains.regions import areas
from campaign.domains.regions.models import District, Region
from campaign.domains.shops.models import Shop


def test_the_dataset_holds_every_kecamatan_of_the_24_regions():
    rows = areas.districts("73")
    assert len(rows) == 313 and len({region_code for _, region_code, _ in rows}) == 24
    assert all(code.startswith(region_code + ".") for code, region_code, _ in rows)
    assert (areas.DATA_DIR / "README.md").read_text().count("ODbL") >= 2


def test_init_db_loads_the_kecamatan_once(app, runner):
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(District)) == 313
        palopo = db.session.scalars(select(District.name).join(Region).where(Region.code == "73.73")
                                    .order_by(District.code)).all()
    assert palopo[:3] == ["Wara", "Wara Utara", "Wara Selatan"] and len(palopo) == 9
    assert "Kecamatan" not in runner.invoke(args=["init-db"]).output  # nothing new the second time


def test_a_shop_takes_its_kecamatan_from_the_list(make_shop, fetch):
    by_name = fetch(Shop, make_shop(region="73.73", district="wara utara"))
    by_code = fetch(Shop, make_shop(region="73.71", district="73.71.10"))
    assert (by_name.district, by_code.district) == ("Wara Utara", "Tamalate")
    assert fetch(District, by_code.district_id).code == "73.71.10"


def test_the_kecamatan_must_be_in_the_shops_region(make_shop, fetch):
    with pytest.raises(ValidationFailed) as error:
        make_shop(region="73.73", district="Tamalate")  # a kecamatan of Makassar
    assert error.value.fields == {"district": ["Pilih kecamatan dari daftar kecamatan kabupaten/kota ini."]}
    assert fetch(select(Shop)) == []


def test_a_region_without_a_kecamatan_list_keeps_the_typed_name(app, make_shop, fetch):
    with app.app_context():
        region_id = db.session.scalar(select(Region.id).where(Region.code == "73.72"))
        db.session.execute(delete(District).where(District.region_id == region_id))
        db.session.commit()
    shop = fetch(Shop, make_shop(region="73.72", district="Soreang Baru"))
    assert (shop.district, shop.district_id) == ("Soreang Baru", None)


def test_shops_from_before_the_list_are_linked_by_name(app, make_shop, fetch):
    from campaign.domains.regions.services import load_reference_data

    shop_id = make_shop(region="73.73", district="Bara")
    with app.app_context():
        db.session.execute(update(Shop).values(district_id=None))
        db.session.execute(delete(District))
        db.session.commit()
        report = load_reference_data()
    assert report.districts_added == 313
    assert fetch(District, fetch(Shop, shop_id).district_id).name == "Bara"


def test_directory_filters_by_kecamatan(client, make_shop):
    make_shop(region="73.73", district="Wara", name="Warung di Wara")
    make_shop(region="73.73", district="Bara", name="Warung di Bara")
    assert 'name="kecamatan"' not in client.get("/toko").get_data(as_text=True)  # no region chosen yet
    page = client.get("/toko?wilayah=73.73").get_data(as_text=True)
    assert 'name="kecamatan"' in page and "Warung di Wara" in page and "Warung di Bara" in page
    page = client.get("/toko?wilayah=73.73&kecamatan=73.73.09").get_data(as_text=True)
    assert "Warung di Bara" in page and "Warung di Wara" not in page
