"""Admins scoped to a province (issue 19, item 3): ``create-user --province`` makes one; a province
admin's pages list and accept only their province's regions, coordinators and roster rows (a row
of another province refused, clearly, per row); national things (campaigns, accounts) stay with the
national admins, who are today's admins. Access route by route: test_authorization_matrix_provinces."""
from __future__ import annotations

import pytest
from helpers import PASSWORD, Person, standings_rows

from campaign.core.extensions import db
from campaign.domains.auth.models import User


@pytest.fixture
def app_config():
    return {"PROVINCES": ["73", "34"]}


@pytest.fixture
def province_admin(app):
    from campaign.domains.auth.services import create_user

    def make(province: str) -> Person:
        login = f"admin{province}@example.id"
        with app.app_context():
            user, _ = create_user(name=f"Admin {province}", login=login, role="admin", province_code=province,
                                  password=PASSWORD)
            return Person(user.id, user.name, login)
    return make


def test_create_user_makes_a_province_admin(app, runner):
    result = runner.invoke(args=["create-user", "--name", "Admin DIY", "--login", "diy@example.id", "--role",
                                 "admin", "--province", "34", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.query(User).filter_by(email="diy@example.id").one()
        assert (user.is_admin, user.admin_province, user.is_national_admin) == (True, "34", False)
    for args in (["--role", "admin", "--province", "35"], ["--role", "coordinator", "--region", "34.71",
                                                          "--province", "34"]):
        refused = runner.invoke(args=["create-user", "--name", "X", "--login", "x@example.id", *args])
        assert refused.exit_code != 0 and "--province hanya untuk admin" in refused.output


def test_todays_admins_stay_national(app, make_staff):
    admin = make_staff(role="admin")
    with app.app_context():
        user = db.session.get(User, admin.id)
        assert user.is_national_admin and user.covers("73.73") and user.covers("34.71")


def test_a_province_admins_roster_import_refuses_another_provinces_rows(api, province_admin):
    from campaign.api.auth import issue_token

    admin = province_admin("34")
    with api.app.app_context():
        token, _ = issue_token(db.session.get(User, admin.id))
    body = api.post("/roster/import", token=token, json={"csv": (
        "NIP,Nama,Instansi/OPD,Kabupaten/Kota\n"
        "198801012012012002,Cakra,Dinas Sosial,73.73\n"
        "198801012012012003,Dewi,Dinas Sosial,34.71\n")}).get_json()
    assert (body["added"], body["refused"]) == (1, 1)
    refusal = body["refusals"][0]
    assert refusal["line"] == 2 and "di provinsi lain (Sulawesi Selatan)" in refusal["reason"]
    assert "hanya dapat mengimpor ASN provinsinya" in refusal["reason"]


def test_a_province_admin_sees_and_appoints_only_in_their_province(app, login_as, province_admin, make_asn,
                                                                    make_staff):
    admin = province_admin("34")
    makassar = make_staff(role="coordinator", region="73.71")
    client = login_as(admin)
    page = client.get("/admin/koordinator").get_data(as_text=True)
    assert "Kota Yogyakarta" in page and "Kota Makassar" not in page and makassar.name not in page
    asn = make_asn(region="34.71")
    assert client.post("/admin/koordinator", data={"login": asn.login, "region_code": "73.72"}).status_code == 200
    with app.app_context():
        assert db.session.get(User, asn.id).coordinator_region_id is None  # 73.72 is no choice of its form
    assert client.post("/admin/koordinator", data={"login": asn.login, "region_code": "34.71"}).status_code == 302
    response = client.post(f"/admin/koordinator/{makassar.id}/cabut", follow_redirects=True)
    assert "Pengguna tidak ditemukan." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, makassar.id).coordinator_region.code == "73.71"
        assert db.session.get(User, asn.id).coordinator_region.code == "34.71"


def test_a_province_admin_sees_real_figures_of_their_province_only(login_as, province_admin, make_asn,
                                                                   make_shop, make_purchase):
    for region in ("34.71", "73.73"):
        make_purchase(buyer=make_asn(region=region), shop_id=make_shop(region=region), amount=123_000)
    client = login_as(province_admin("34"))
    assert standings_rows(client, provinsi="34")[0][2] == "Rp123.000"
    palopo = next(row for row in standings_rows(client, provinsi="73") if row[1] == "Kota Palopo")
    assert palopo[:3] == ["–", "Kota Palopo", "< 5 peserta"]


def test_campaigns_and_accounts_stay_national(login_as, province_admin, make_staff):
    client = login_as(province_admin("73"))
    assert client.get("/admin/kampanye").status_code == 403
    assert client.get("/admin/akun").status_code == 403
    home = client.get("/admin/").get_data(as_text=True)
    assert "Kampanye" not in home and "Koordinator Kabupaten/Kota" in home
    assert login_as(make_staff(role="admin")).get("/admin/kampanye").status_code == 200
