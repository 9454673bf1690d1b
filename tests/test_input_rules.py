"""No input gives a 500: the cases found by hand, one rule each (the walk over every rule is in
tests/test_hostile_input.py)."""
from __future__ import annotations

from helpers import province_today
import pytest
from sqlalchemy import select

from campaign.domains.auth.models import AsnProfile, User
from campaign.domains.purchases.models import Purchase
from campaign.domains.regions.models import RegionTarget
from campaign.domains.shops.models import Shop

HUGE = "99999999999999999999"
OVER_INT32 = "2147483648"


@pytest.fixture
def people(make_asn, make_owner, make_staff, make_shop, make_purchase):
    owner = make_owner()
    asn = make_asn(region="73.73")
    shop_id = make_shop(owner=owner)
    return {"asn": asn, "owner": owner, "coordinator": make_staff(region="73.73"),
            "admin": make_staff(role="admin"), "shop_id": shop_id,
            "purchase_id": make_purchase(buyer=asn, shop_id=shop_id)}


@pytest.mark.parametrize("number", [HUGE, OVER_INT32])
@pytest.mark.parametrize("who, method, url", [
    (None, "GET", "/toko/{n}"),
    (None, "GET", "/toko/{n}/qr.svg"),
    ("owner", "GET", "/toko/{n}/poster"),
    ("coordinator", "POST", "/koordinator/toko/{n}/verifikasi"),
    ("coordinator", "GET", "/koordinator/toko/{n}/tolak"),
    ("owner", "POST", "/belanja/{n}/konfirmasi"),
    ("asn", "POST", "/belanja/{n}/tarik"),
    ("coordinator", "POST", "/belanja/{n}/batal"),
    ("admin", "POST", "/admin/koordinator/{n}/cabut"),
    ("asn", "GET", "/belanja/baru?toko={n}"),
    (None, "GET", "/wilayah/73.73?campaign={n}"),
    ("coordinator", "GET", "/wilayah/73.73/unduh.xlsx?campaign={n}"),
    ("admin", "GET", "/peringkat/unduh.xlsx?campaign={n}"),
])
def test_an_id_beyond_the_database_range_is_a_404(people, login_as, who, method, url, number):
    client = login_as(people[who] if who else None)
    response = client.open(url.format(n=number), method=method)
    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/toko/-1", "/toko/0", "/toko/abc", "/wilayah/73.73?campaign=-5",
                                 "/wilayah/73.73?campaign=satu"])
def test_an_id_that_is_not_a_positive_number_is_a_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who, url, heading, row", [
    ("asn", "/saya", "Riwayat Belanja", 'href="/belanja/{purchase_id}/tarik"'),
    (None, "/toko", "Daftar Toko", 'href="/toko/{shop_id}"'),
    ("coordinator", "/koordinator/", "Verifikasi toko", "Toko Menunggu Uji"),
    ("owner", "/toko/saya/belanja", "Belanja di Toko Saya", 'href="/belanja/{purchase_id}/bantah'),
], ids=["saya", "toko", "koordinator", "toko-saya-belanja"])
@pytest.mark.parametrize("page, first", [(HUGE, False), (OVER_INT32, False), ("0", True), ("-1", True),
                                         ("satu", True), ("%00", True)])
def test_any_page_number_is_a_page(people, login_as, make_shop, who, url, heading, row, page, first):
    """A number below 1 or not a number is page 1; a page past the end is the list's page, empty."""
    make_shop(status="pending", name="Toko Menunggu Uji")
    response = login_as(people[who] if who else None).get(f"{url}?page={page}")
    shown = response.get_data(as_text=True)
    assert response.status_code == 200 and heading in shown
    assert (row.format(**people) in shown) is first


def test_nul_bytes_in_a_query_are_stripped(client, make_shop):
    make_shop(name="Warung Sitti")
    response = client.get("/toko?q=Warung%00%01 Sitti")
    assert response.status_code == 200 and "Warung Sitti" in response.get_data(as_text=True)


def test_control_characters_in_sign_up_fields_are_stripped(client, fetch):
    response = client.post("/daftar/asn", data={
        "name": "Andi\x00 Baso\x1b", "login": "andi\x00@contoh.id", "password": "rahasia\x00123",
        "confirm": "rahasia\x00123", "consent": "y", "nip": "19860926\x00201505\x001001",
        "agency": "Dinas\x00 Koperasi", "region": "73.73"})
    assert response.status_code == 302
    user = fetch(select(User).where(User.email == "andi@contoh.id"))[0]
    assert user.name == "Andi Baso"
    assert fetch(select(AsnProfile).where(AsnProfile.user_id == user.id))[0].nip == "198609262015051001"


def test_control_characters_in_shop_fields_notes_and_reasons_are_stripped(people, login_as, fetch):
    owner = login_as(people["owner"])
    response = owner.post("/toko/baru", data={
        "name": "Warung\x00 Daeng", "category": "sembako", "region": "73.73", "district": "73.73.01\x00",
        "village": "Amassangan", "street": "Jl.\x00 Andi Djemma", "whatsapp": "0812-3456-7890",
        "description": "Dekat\x00 masjid\x07", "products": "beras\x00"})
    assert response.status_code == 302
    shop = fetch(select(Shop).where(Shop.name == "Warung Daeng"))[0]
    assert (shop.street, shop.description, shop.products) == ("Jl. Andi Djemma", "Dekat masjid", "beras")

    asn = login_as(people["asn"])
    response = asn.post("/belanja/baru", data={"shop_id": str(people["shop_id"]), "amount": "25.000",
                                               "purchased_on": province_today().isoformat(), "note": "telur\x00 ayam"})
    assert response.status_code == 302
    notes = {p.note for p in fetch(select(Purchase).where(Purchase.shop_id == people["shop_id"]))}
    assert "telur ayam" in notes

    response = owner.post(f"/belanja/{people['purchase_id']}/bantah", data={"reason": "tidak\x00 pernah"})
    assert response.status_code == 302
    assert fetch(Purchase, people["purchase_id"]).status_reason == "tidak pernah"


def test_a_headcount_of_only_spaces_is_a_validation_message(people, login_as, fetch):
    client = login_as(people["coordinator"])
    response = client.post("/wilayah/73.73/target", data={"campaign_id": "1", "asn_headcount": "  ",
                                                          "target_amount": "500.000"})
    assert response.status_code == 200 and "Wajib diisi." in response.get_data(as_text=True)
    assert fetch(select(RegionTarget)) == []


@pytest.mark.parametrize("size", [65, 100_000, 600_000])
def test_a_client_ref_longer_than_its_column_is_refused_before_the_database(people, login_as, fetch, size):
    client = login_as(people["asn"])
    response = client.post("/belanja/baru", data={"shop_id": str(people["shop_id"]), "amount": "25.000",
                                                  "purchased_on": province_today().isoformat(),
                                                  "client_ref": "r" * size})
    assert response.status_code in (200, 413)
    assert len(fetch(select(Purchase))) == 1  # only the fixture's


def test_every_url_part_goes_through_a_bounded_converter(app):
    from campaign.web.routing import IdConverter, TextConverter

    loose = [(rule.rule, name) for rule in app.url_map.iter_rules() if rule.endpoint != "static"
             for name, converter in rule._converters.items() if not isinstance(converter, (IdConverter, TextConverter))]
    assert loose == []


def test_the_api_refuses_control_characters_in_text_fields(app, make_owner):
    from campaign.api.auth import issue_token
    from campaign.core.extensions import db

    owner = make_owner()
    with app.app_context():
        token, _ = issue_token(db.session.get(User, owner.id))
    response = app.test_client().post("/api/v1/shops", headers={"Authorization": f"Bearer {token}"}, json={
        "name": "Warung\x1b[31m Merah", "category": "sembako", "region": "73.73", "district": "Wara",
        "village": "Amassangan", "street": "Jl. Andi Djemma No. 5", "whatsapp": "0812-3456-7890"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["name"] == ["Mengandung karakter yang tidak diizinkan."]
