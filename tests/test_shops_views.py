"""Registering a shop, the owner's list and a shop's page, through the real views."""
import re
from urllib.parse import quote

import pytest
from helpers import PASSWORD, csrf_token
from sqlalchemy import select

from campaign.core.audit import AuditEvent
from campaign.domains.auth.models import User
from campaign.domains.regions.models import Region
from campaign.domains.shops.models import Shop

SHOP_FORM = {
    "name": "Warung Bu Sitti", "category": "sembako", "region": "73.73", "district": "73.73.01",
    "village": "Amassangan", "street": "Jl. Andi Djemma No. 7", "whatsapp": "0812-3456-7890",
    "description": "Warung dekat kantor wali kota", "products": "Beras, gula, minyak goreng",
    "nib": "", "covid_affected": "y",
}


def login_with_csrf(client, person):
    token = csrf_token(client, "/masuk")
    response = client.post("/masuk", data={"login": person.login, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_shop_journey_with_csrf(csrf_app, make_owner, make_staff, fetch):
    owner, coordinator = make_owner(), make_staff(region="73.73")
    owner_client, coordinator_client, public = (csrf_app.test_client() for _ in range(3))
    login_with_csrf(owner_client, owner)

    assert owner_client.post("/toko/baru", data=SHOP_FORM).status_code == 400  # no CSRF token
    data = {**SHOP_FORM, "csrf_token": csrf_token(owner_client, "/toko/baru")}
    response = owner_client.post("/toko/baru", data=data)
    assert response.status_code == 302 and response.headers["Location"] == "/toko/saya"
    page = owner_client.get("/toko/saya").get_data(as_text=True)
    assert "Toko terdaftar dan menunggu verifikasi koordinator." in page
    assert "Warung Bu Sitti" in page and "Menunggu verifikasi" in page
    shop = fetch(select(Shop))[0]
    assert "Warung Bu Sitti" not in public.get("/toko").get_data(as_text=True)
    assert public.get(f"/toko/{shop.id}").status_code == 404

    login_with_csrf(coordinator_client, coordinator)
    queue = coordinator_client.get("/koordinator/").get_data(as_text=True)
    assert "Warung Bu Sitti" in queue and owner.name in queue
    response = coordinator_client.post(f"/koordinator/toko/{shop.id}/verifikasi",
                                       data={"csrf_token": csrf_token(coordinator_client, "/koordinator/")})
    assert response.status_code == 302 and response.headers["Location"] == "/koordinator/"
    assert "terverifikasi" in coordinator_client.get("/koordinator/").get_data(as_text=True)

    assert fetch(Shop, shop.id).status == "verified"
    assert "Warung Bu Sitti" in public.get("/toko").get_data(as_text=True)
    assert public.get(f"/toko/{shop.id}").status_code == 200
    assert "Terverifikasi" in owner_client.get("/toko/saya").get_data(as_text=True)
    events = fetch(select(AuditEvent).where(AuditEvent.action == "shop.verified"))
    assert [(e.entity_id, e.actor_id) for e in events] == [(shop.id, coordinator.id)]


def test_rejected_shop_shows_reason_to_owner_and_stays_out_of_directory(client, login_as, make_owner,
                                                                         make_staff, fetch):
    owner = make_owner()
    owner_client = login_as(owner)
    owner_client.post("/toko/baru", data=SHOP_FORM)
    shop = fetch(select(Shop))[0]
    coordinator_client = login_as(make_staff(region="73.73"))
    response = coordinator_client.post(f"/koordinator/toko/{shop.id}/tolak",
                                       data={"reason": "Alamat tidak ditemukan di Kelurahan Amassangan"})
    assert response.status_code == 302

    page = owner_client.get("/toko/saya").get_data(as_text=True)
    assert "Ditolak" in page and "Alamat tidak ditemukan di Kelurahan Amassangan" in page
    assert "Warung Bu Sitti" not in client.get("/toko").get_data(as_text=True)
    assert "Warung Bu Sitti" not in client.get("/toko?q=sitti").get_data(as_text=True)
    assert client.get(f"/toko/{shop.id}").status_code == 404
    assert fetch(Shop, shop.id).rejection_reason == "Alamat tidak ditemukan di Kelurahan Amassangan"


def test_registration_stores_clean_values(login_as, make_owner, fetch):
    owner = make_owner()
    data = {**SHOP_FORM, "nib": "1234 5678 90123", "whatsapp": "+62 812 3456 7890"}
    login_as(owner).post("/toko/baru", data=data)
    shop = fetch(select(Shop))[0]
    assert (shop.owner_id, shop.status, shop.nib, shop.whatsapp) == (owner.id, "pending", "1234567890123",
                                                                      "+6281234567890")
    assert shop.covid_affected is True and shop.category == "sembako"
    assert fetch(select(Region).where(Region.id == shop.region_id))[0].code == "73.73"


def test_any_signed_in_user_may_register_a_shop(login_as, make_asn, fetch):
    asn = make_asn()
    assert fetch(User, asn.id).is_shop_owner is False
    response = login_as(asn).post("/toko/baru", data={**SHOP_FORM, "covid_affected": ""})
    assert response.status_code == 302
    assert fetch(User, asn.id).is_shop_owner is True
    assert fetch(select(Shop))[0].covid_affected is False


def test_registration_needs_sign_in(client):
    response = client.get("/toko/baru")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_form_lists_categories_24_regions_and_their_kecamatan(login_as, make_owner):
    page = login_as(make_owner()).get("/toko/baru").get_data(as_text=True)
    assert len(re.findall(r'<option value="73\.\d\d">', page)) == 24
    assert len(re.findall(r'<option value="73\.\d\d\.\d\d">', page)) == 313
    assert page.count("<optgroup ") == 24 and '<optgroup label="Kota Palopo"><option value="73.73.09">Bara</option>' in page
    assert "Warung kelontong/sembako" in page and "Tenun &amp; sutra" in page
    assert "Usaha terdampak Covid-19" in page


@pytest.mark.parametrize("field, value, message", [
    ("nib", "12345", "NIB harus 13 digit"),
    ("nib", "12345678901ab", "NIB harus 13 digit"),
    ("nib", "12345678901234", "NIB harus 13 digit"),
    ("whatsapp", "12345", "Nomor WhatsApp tidak valid"),
    ("whatsapp", "+1 202 555 0100", "Nomor WhatsApp tidak valid"),
    ("whatsapp", "0812-abcd-7890", "Nomor WhatsApp tidak valid"),
    ("whatsapp", "", "Wajib diisi"),
    ("name", "", "Wajib diisi"),
    ("name", "W" * 121, "Maksimal 120 karakter"),
    ("district", "", "Wajib diisi"),
    ("district", "Wara", "Pilih dari daftar"),
    ("district", "73.71.10", "Pilih kecamatan dari daftar kecamatan kabupaten/kota ini"),  # Tamalate, Makassar
    ("village", "", "Wajib diisi"),
    ("street", "", "Wajib diisi"),
    ("category", "", "Wajib diisi"),
    ("category", "bengkel", "Pilih dari daftar"),
    ("region", "", "Wajib diisi"),
    ("region", "99.99", "Pilih dari daftar"),
])
def test_shop_form_rejects_bad_input(login_as, make_owner, fetch, field, value, message):
    response = login_as(make_owner()).post("/toko/baru", data={**SHOP_FORM, field: value})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    error = re.search(rf'<div class="field has-error">\s*<label for="{field}".*?</div>', page, re.S)
    assert error and message in error.group(0)
    assert fetch(select(Shop)) == []
    # what the person typed is kept, the bad value included
    for other in ("district", "village", "street", "products"):
        if other != field:
            assert SHOP_FORM[other] in page
    if value and field not in ("category", "region", "district"):
        assert f'value="{value}"' in page


def test_owner_list_links_poster_only_for_verified(login_as, make_owner, make_shop):
    owner = make_owner()
    verified = make_shop(owner=owner, name="Kopi Daeng")
    pending = make_shop(owner=owner, name="Kue Tunggu", status="pending")
    page = login_as(owner).get("/toko/saya").get_data(as_text=True)
    assert f"/toko/{verified}/poster" in page and f"/toko/{pending}/poster" not in page
    assert "Terverifikasi" in page and "Menunggu verifikasi" in page


def test_owner_list_is_only_mine(login_as, make_owner, make_shop):
    make_shop(name="Toko Orang Lain")
    page = login_as(make_owner()).get("/toko/saya").get_data(as_text=True)
    assert "Toko Orang Lain" not in page and "Anda belum mendaftarkan toko." in page


def test_owner_list_links_purchases_at_my_shops_when_that_page_exists(app, login_as, make_owner, make_shop):
    owner = make_owner()
    make_shop(owner=owner)
    page = login_as(owner).get("/toko/saya").get_data(as_text=True)
    assert "Belanja di toko saya" in page and 'href="/toko/saya/belanja"' in page


@pytest.mark.parametrize("viewer, expected", [
    ("public", 404), ("owner", 200), ("coordinator", 200), ("admin", 200),
    ("other_coordinator", 404), ("other_owner", 404), ("asn", 404),
])
@pytest.mark.parametrize("status", ["pending", "rejected"])
def test_unverified_shop_page_only_for_owner_coordinator_admin(client, login_as, make_owner, make_staff,
                                                               make_asn, make_shop, viewer, expected, status):
    owner = make_owner()
    shop_id = make_shop(owner=owner, status=status, name="Warung Belum Tampil")
    people = {"owner": owner, "coordinator": make_staff(region="73.73"), "admin": make_staff(role="admin"),
              "other_coordinator": make_staff(region="73.71"), "other_owner": make_owner(), "asn": make_asn()}
    viewer_client = client if viewer == "public" else login_as(people[viewer])
    response = viewer_client.get(f"/toko/{shop_id}")
    assert response.status_code == expected
    if expected == 200:
        page = response.get_data(as_text=True)
        assert "Warung Belum Tampil" in page and "belum terlihat oleh publik" in page


def test_verified_shop_page_is_public(client, make_shop):
    shop_id = make_shop(name="Warung Pak Baso", products="Ikan kering\nBeras Enrekang",
                        description="Buka setiap hari", covid_affected=True)
    page = client.get(f"/toko/{shop_id}").get_data(as_text=True)
    for text in ("Warung Pak Baso", "Ikan kering", "Beras Enrekang", "Buka setiap hari", "Jl. Andi Djemma",
                 "Amassangan", "Kec. Wara", "Kota Palopo", "+62 812-3456-7890", "Terdampak Covid-19"):
        assert text in page
    assert client.get("/toko/999999").status_code == 404


def test_whatsapp_order_link_is_exact(client, make_shop):
    shop_id = make_shop(name="Warung Bu Sitti")
    message = quote("Halo Warung Bu Sitti, saya ingin memesan. (Dari Belanja Warung Tetangga)")
    expected = f"https://wa.me/6281234567890?text={message}"
    for url in (f"/toko/{shop_id}", "/toko"):
        links = re.findall(r'href="(https://wa\.me/[^"]+)"', client.get(url).get_data(as_text=True))
        assert links == [expected]


def test_asn_sees_log_purchase_button_except_at_own_shop(app, login_as, make_asn, make_shop):
    asn_owner, buyer = make_asn(), make_asn()
    own_shop = make_shop(owner=asn_owner)
    other_shop = make_shop()
    page = login_as(buyer).get(f"/toko/{other_shop}").get_data(as_text=True)
    assert "Catat belanja di sini" in page and f"/belanja/baru?toko={other_shop}" in page
    assert "Catat belanja di sini" not in login_as(asn_owner).get(f"/toko/{own_shop}").get_data(as_text=True)
