"""The home page shows each signed-in person their next step, by role; visitors get the sign-ups."""
from __future__ import annotations

import re

import pytest
from helpers import buttons


def test_visitor_is_offered_the_sign_ups(client):
    shown = buttons(client.get("/").get_data(as_text=True))
    assert shown["Daftar sebagai ASN"] == "/daftar/asn" and shown["Daftarkan toko"] == "/daftar/pemilik-toko"


def test_new_asn_is_asked_to_pledge_not_to_sign_up_again(login_as, make_asn):
    page = login_as(make_asn(name="Andi Baso")).get("/").get_data(as_text=True)
    assert "Halo, Andi Baso" in page and buttons(page)["Buat janji belanja"] == "/janji"
    assert "Daftar sebagai ASN" not in page


def test_asn_with_a_pledge_is_asked_to_log(login_as, make_asn, make_shop, make_purchase):
    asn = make_asn()
    client = login_as(asn)
    client.post("/janji", data={"amount": "200.000"})
    make_purchase(buyer=asn, shop_id=make_shop(), amount=50_000)
    page = client.get("/").get_data(as_text=True)
    assert buttons(page)["Catat Belanja"] == "/belanja/baru" and "Buat janji belanja" not in page
    assert "Rp50.000 (25,0% dari janji)" in page


def test_owner_without_a_shop_goes_straight_to_the_shop_form(login_as, make_owner):
    page = login_as(make_owner()).get("/").get_data(as_text=True)
    assert buttons(page)["Daftarkan toko"] == "/toko/baru"


def test_owner_sees_purchases_waiting(login_as, make_owner, make_shop, make_asn, make_purchase):
    owner = make_owner()
    client = login_as(owner)
    shop = make_shop(owner=owner)
    assert buttons(client.get("/").get_data(as_text=True))["Lihat Toko Saya"] == "/toko/saya"
    make_purchase(buyer=make_asn(), shop_id=shop)
    make_purchase(buyer=make_asn(), shop_id=shop)
    page = client.get("/").get_data(as_text=True)
    assert "2 belanja di toko Anda menunggu konfirmasi." in page
    assert buttons(page)["Konfirmasi belanja"] == "/toko/saya/belanja"


def test_owner_of_a_pending_shop_is_told_to_wait(login_as, make_owner, make_shop):
    owner = make_owner()
    make_shop(owner=owner, status="pending")
    assert "menunggu verifikasi koordinator" in login_as(owner).get("/").get_data(as_text=True)


def test_coordinator_sees_shops_waiting_in_the_region(login_as, make_staff, make_shop):
    make_shop(status="pending")  # Palopo
    make_shop(status="pending", region="73.71")
    page = login_as(make_staff(region="73.73")).get("/").get_data(as_text=True)
    assert "1 toko menunggu verifikasi." in page
    assert buttons(page)["Buka antrean verifikasi"] == "/koordinator/"
    assert buttons(page)["Buka halaman wilayah"] == "/wilayah/73.73"
    assert "2 toko menunggu verifikasi." in login_as(make_staff(role="admin")).get("/").get_data(as_text=True)


# --- the campaign on the first screen (issue 18, item 4) ---------------------------------------

def _headline(page: str) -> str:
    return page.split('<section class="headline"', 1)[1].split("</section>", 1)[0]


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "asn"])
def test_home_page_shows_the_live_headline_and_the_tile_map(client, login_as, make_asn, make_shop, make_purchase,
                                                           signed_in):
    shop = make_shop(region="73.73")
    for _ in range(5):
        make_purchase(buyer=make_asn(region="73.73"), shop_id=shop, amount=50_000)
    page = (login_as(make_asn()) if signed_in else client).get("/").get_data(as_text=True)
    headline = _headline(page)
    figures = dict(re.findall(r'<span class="muted">([^<]+)</span><strong>([^<]+)</strong>', headline))
    assert figures == {"Belanja terealisasi": "Rp250.000", "Terverifikasi toko": "Rp0",
                       "ASN berpartisipasi": "5", "Toko didukung": "1"}
    assert "Angka diperbarui terakhir" in headline and "WITA" in headline
    assert 'class="chart tile-map"' in headline and 'href="/wilayah/73.73?campaign=' in headline


def test_home_headline_keeps_small_numbers_private(client, make_asn, make_shop, make_purchase):
    shop = make_shop(region="73.73")
    for _ in range(2):
        make_purchase(buyer=make_asn(region="73.73"), shop_id=shop, amount=50_000)
    headline = _headline(client.get("/").get_data(as_text=True))
    assert "Rp100.000" not in headline and "&lt; 5 peserta" in headline
    tile = headline.split('href="/wilayah/73.73', 1)[1].split("</a>", 1)[0]
    assert "&lt; 5" in tile and "Rp100" not in tile
