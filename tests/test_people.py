"""The coordinator's view of people: who pledged and has not bought, the region against the
province and last week, spend per kecamatan, and the purchase-level workbook without NIP."""
from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO

import pytest
from helpers import province_today, table_rows
from openpyxl import load_workbook
from sqlalchemy import update

from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.regions.models import Campaign
from campaign.domains.tallies.buckets import week_start


@pytest.fixture
def started_a_month_ago(app):
    with app.app_context():
        db.session.execute(update(Campaign).values(starts_on=province_today() - timedelta(days=30)))
        db.session.commit()


def pledge(app, person, amount=500_000):
    from campaign.domains.purchases.pledges import make_pledge
    with app.app_context():
        make_pledge(asn=db.session.get(User, person.id), amount=amount)


def test_pledged_but_not_bought_names_people_by_name_and_agency_only(app, make_asn, make_owner, make_shop,
                                                                    make_purchase, make_staff, login_as):
    from campaign.domains.purchases.services import dispute_purchase

    bought = make_asn(name="Andi Sudah", agency="Dinas Pendidikan")
    waiting = make_asn(name="Besse Belum", agency="Dinas Kesehatan")
    disputed_only = make_asn(name="Cakra Dibantah", agency="Dinas Kesehatan")
    no_pledge = make_asn(name="Daeng Tanpa Janji")
    elsewhere = make_asn(name="Evi Makassar", region="73.71")
    for person in (bought, waiting, disputed_only, elsewhere):
        pledge(app, person)
    owner = make_owner()
    shop = make_shop(owner=owner)
    make_purchase(buyer=bought, shop_id=shop)
    disputed = make_purchase(buyer=disputed_only, shop_id=shop)
    with app.app_context():
        dispute_purchase(actor=db.session.get(User, owner.id), purchase_id=disputed)
    page = login_as(make_staff(region="73.73")).get("/wilayah/73.73/asn").get_data(as_text=True)
    assert "Sudah berjanji, belum berbelanja (2)" in page
    assert table_rows(page, "belum-belanja-tabel") == [["Besse Belum", "Dinas Kesehatan"],
                                                        ["Cakra Dibantah", "Dinas Kesehatan"]]
    for absent in ("Andi Sudah", "Daeng Tanpa Janji", "Evi Makassar", waiting.nip, waiting.login):
        assert absent not in page


def test_region_is_compared_with_the_province_and_last_week(app, started_a_month_ago, make_asn, make_shop,
                                                           make_purchase, make_staff, login_as):
    from campaign.domains.regions.services import set_region_target

    admin = make_staff(role="admin")
    with app.app_context():
        for code, headcount in (("73.73", 10), ("73.71", 40)):
            set_region_target(actor=db.session.get(User, admin.id), campaign_id=1, region_id=_region_id(code),
                              asn_headcount=headcount, target_amount=100_000_000)
    palopo, makassar = make_asn(region="73.73"), make_asn(region="73.71")
    shop = make_shop()
    this_monday = week_start(province_today())
    last_week = this_monday - timedelta(days=3)
    make_purchase(buyer=palopo, shop_id=shop, amount=100_000, purchased_on=last_week)
    make_purchase(buyer=palopo, shop_id=shop, amount=50_000, purchased_on=this_monday)
    make_purchase(buyer=makassar, shop_id=shop, amount=250_000, purchased_on=last_week)
    page = login_as(make_staff(region="73.73")).get("/wilayah/73.73/asn").get_data(as_text=True)
    measures = {row[0]: row[1:] for row in table_rows(page, "banding-provinsi")}
    assert measures["Tingkat partisipasi"] == ["10,0%", "4,0%"]  # 1 of 10; 2 of 50
    assert measures["Belanja per ASN"] == ["Rp15.000", "Rp8.000"]  # 150.000 / 10; 400.000 / 50
    assert table_rows(page, "banding-minggu") == [["Minggu ini", "Rp50.000", "Rp50.000"],
                                                  ["Minggu lalu", "Rp100.000", "Rp350.000"],
                                                  ["Perubahan", "-50,0%", "-85,7%"]]


def _region_id(code: str) -> int:
    from campaign.domains.regions.services import region_by_code
    return region_by_code(code).id


def test_spend_by_kecamatan_adds_up_to_the_regions_shop_spend(app, make_asn, make_shop, make_purchase, make_staff,
                                                              login_as):
    from campaign.domains.leaderboard.queries import get_region_progress

    asn = make_asn(region="73.71")
    wara, bara = make_shop(district="Wara"), make_shop(district="Bara")
    make_shop(district="Bara", status="pending")
    make_purchase(buyer=asn, shop_id=wara, amount=70_000)
    make_purchase(buyer=asn, shop_id=bara, amount=30_000)
    make_purchase(buyer=asn, shop_id=bara, amount=20_000)
    page = login_as(make_staff(region="73.73")).get("/wilayah/73.73/kecamatan").get_data(as_text=True)
    rows = table_rows(page, "per-kecamatan")
    assert rows[:2] == [["Wara", "1", "1", "Rp70.000", "Rp0", "1"], ["Bara", "1", "1", "Rp50.000", "Rp0", "2"]]
    assert len(rows) == 9 and all(row[3] == "Rp0" for row in rows[2:])  # every kecamatan of Palopo listed
    with app.app_context():
        shop_side = get_region_progress(code="73.73", campaign_id=None, detailed=False).shop_region.realized
    assert shop_side == sum(int(re.sub(r"\D", "", row[3])) for row in rows) == 120_000
    assert page.count('class="bar"') == 9  # one bar per kecamatan


def test_purchase_workbook_lists_every_purchase_without_nip(app, make_asn, make_owner, make_shop, make_purchase,
                                                             make_staff, login_as):
    from campaign.domains.purchases.services import confirm_purchase

    here, visitor = make_asn(name="Andi Palopo"), make_asn(name="Daeng Makassar", region="73.71")
    owner = make_owner()
    palopo_shop, makassar_shop = make_shop(owner=owner, name="Warung Wara"), make_shop(region="73.71")
    first = make_purchase(buyer=here, shop_id=palopo_shop, amount=25_000)
    make_purchase(buyer=here, shop_id=makassar_shop, amount=40_000)  # a Palopo ASN in Makassar
    make_purchase(buyer=visitor, shop_id=palopo_shop, amount=60_000)  # a Makassar ASN in Palopo
    make_purchase(buyer=visitor, shop_id=makassar_shop, amount=90_000)  # not Palopo's
    with app.app_context():
        confirm_purchase(actor=db.session.get(User, owner.id), purchase_id=first)
    response = login_as(make_staff(region="73.73")).get("/wilayah/73.73/belanja.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("No. belanja", "Tanggal belanja", "Jumlah (Rp)", "Status")
    body = rows[2:]
    assert sorted(r[2] for r in body) == [25_000, 40_000, 60_000]
    assert {r[3] for r in body} == {"Dikonfirmasi toko", "Dilaporkan"}
    assert {(r[8], r[9], r[10]) for r in body} >= {("Andi Palopo", "Dinas Koperasi dan UKM", "Palopo")}
    cells = " ".join(str(value) for row in rows for value in row)
    assert here.nip not in cells and visitor.nip not in cells and here.login not in cells
