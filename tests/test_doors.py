"""A door for every role (issue 18, item 1): organisations sign up from /daftar and from every
"Daftarkan lembaga" link and land on the organisation form; their home page and menu are theirs;
an owner who scans their own poster is told what the code is for."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update
from helpers import PASSWORD, Person, badge, buttons

from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.shops.models import Shop

ACCOUNT = {"name": "Ibu Rahma", "login": "yayasan@example.id", "password": PASSWORD, "confirm": PASSWORD,
           "consent": "y"}


def links(page: str) -> dict[str, str]:
    """Link text -> href, for every plain link and button."""
    return {re.sub(r"<[^>]+>|\s+", " ", text).strip(): href
            for href, text in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', page, re.S)}


@pytest.fixture
def make_organisation_account(app):
    from campaign.domains.auth.services import sign_up_organisation_account

    def make(login: str = "pengurus@example.id") -> Person:
        with app.app_context():
            account = sign_up_organisation_account(name="Pengurus Lembaga", login=login, password=PASSWORD,
                                                   consent=True)
            return Person(account.id, account.name, login)
    return make


# --- the doors -----------------------------------------------------------------------------

def test_the_sign_up_page_has_a_door_for_organisations(client):
    assert buttons(client.get("/daftar").get_data(as_text=True))["Daftarkan lembaga"] == "/daftar/lembaga"


def test_an_organisation_signs_up_and_lands_on_the_organisation_form(client, fetch):
    response = client.post("/daftar/lembaga", data=ACCOUNT)
    assert response.status_code == 302 and response.headers["Location"] == "/lembaga/daftar"
    page = client.get("/lembaga/daftar").get_data(as_text=True)
    assert "Akun sudah dibuat. Langkah berikutnya: isi data lembaga Anda." in page and 'name="kind"' in page
    [account] = fetch(select(User).where(User.email == "yayasan@example.id"))
    assert not account.is_shop_owner and account.coordinator_region_id is None


@pytest.mark.parametrize("hostile", ["https://evil.example/", "//evil.example/lembaga", "/\\evil.example"])
def test_no_redirect_is_taken_from_the_request(client, hostile):
    response = client.post(f"/daftar/lembaga?next={hostile}", data=ACCOUNT)
    assert response.headers["Location"] == "/lembaga/daftar"


def test_a_shop_owner_signing_up_from_the_organisation_form_goes_back_to_it(client):
    login_page = client.get("/masuk?next=/lembaga/daftar").get_data(as_text=True)
    assert links(login_page)["Daftarkan lembaga"] == "/daftar/lembaga"
    chooser = client.get("/daftar?next=/lembaga/daftar").get_data(as_text=True)
    assert buttons(chooser)["Daftar sebagai pemilik toko"] == "/daftar/pemilik-toko?next=/lembaga/daftar"
    response = client.post("/daftar/pemilik-toko?next=/lembaga/daftar", data=ACCOUNT)
    assert response.headers["Location"] == "/lembaga/daftar"


@pytest.mark.parametrize("hostile", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_the_owner_sign_up_refuses_a_next_off_this_site(client, hostile):
    response = client.post("/daftar/pemilik-toko", query_string={"next": hostile}, data=ACCOUNT)
    assert response.headers["Location"] == "/"


def test_the_needs_board_link_opens_the_door_for_visitors_and_the_form_for_accounts(client, login_as,
                                                                                    make_organisation_account):
    assert links(client.get("/kebutuhan").get_data(as_text=True))["Daftarkan lembaga Anda"] == "/daftar/lembaga"
    page = login_as(make_organisation_account()).get("/kebutuhan").get_data(as_text=True)
    assert links(page)["Daftarkan lembaga Anda"] == "/lembaga/daftar"


# --- an organisation's home page and menu --------------------------------------------------

def test_an_account_with_no_role_yet_is_offered_both_doors(login_as, make_organisation_account):
    page = login_as(make_organisation_account()).get("/").get_data(as_text=True)
    assert buttons(page)["Daftarkan lembaga"] == "/lembaga/daftar" and buttons(page)["Daftarkan toko"] == "/toko/baru"
    assert links(page)["Lembaga Saya"] == "/lembaga/saya"


def test_an_organisation_waiting_is_told_so_and_not_asked_for_a_shop(login_as, make_buyer, make_organisation_account):
    account = make_organisation_account()
    make_buyer(owner=account, status="pending")
    page = login_as(account).get("/").get_data(as_text=True)
    assert "Lembaga Anda menunggu verifikasi koordinator kabupaten/kota." in page
    assert "Daftarkan toko" not in page and "Toko Saya" not in page
    assert links(page)["Lembaga Saya"] == "/lembaga/saya"


def test_an_organisation_sees_its_offers_waiting_on_the_home_page_and_in_the_menu(
        login_as, make_buyer, make_need, make_offer, make_organisation_account):
    account = make_organisation_account()
    _, need_id = make_need(buyer=make_buyer(owner=account))
    page = login_as(account).get("/").get_data(as_text=True)
    assert buttons(page)["Pasang kebutuhan"] == "/kebutuhan/baru" and badge(page, "Lembaga Saya") is None
    make_offer(need_id)
    make_offer(need_id)
    page = login_as(account).get("/").get_data(as_text=True)
    assert "2 penawaran menunggu keputusan Anda." in page and badge(page, "Lembaga Saya") == "2"
    assert "penawaran menunggu keputusan</span>" in page  # the badge says what it counts to screen readers
    assert "Daftarkan toko" not in page


def test_an_organisation_owner_made_as_a_shop_owner_keeps_both_menus_only_with_a_shop(
        login_as, make_owner, make_buyer, make_shop):
    owner = make_owner()
    make_buyer(owner=owner)
    page = login_as(owner).get("/").get_data(as_text=True)
    assert "Pasang kebutuhan" in page and "Daftarkan toko" not in page
    make_shop(owner=owner)
    page = login_as(owner).get("/").get_data(as_text=True)
    assert "Pasang kebutuhan" in page and "Lihat Toko Saya" in page


# --- an owner scans their own poster -------------------------------------------------------

def test_an_owner_scanning_their_own_poster_is_told_what_it_is_for(make_owner, make_shop, login_as):
    owner = make_owner()
    shop_id = make_shop(owner=owner, name="Warung Daeng")
    client = login_as(owner)
    for url in (f"/t/{shop_id}", f"/belanja/baru?toko={shop_id}"):  # the short link and what the QR code opens
        response = client.get(url, follow_redirects=True)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "Ini kode QR toko Anda" in page, url
        assert "untuk <strong>ASN pembeli</strong>" in page and "Warung Daeng" in page
        assert buttons(page)["Lihat belanja di toko saya"] == "/toko/saya/belanja"
        assert "Akses ditolak" not in page


def test_an_asn_who_owns_the_shop_gets_the_same_explanation(make_asn, make_shop, login_as, app):
    asn = make_asn()
    shop_id = make_shop()
    with app.app_context():  # the ASN takes the shop over: one account, both roles
        db.session.execute(update(User).where(User.id == asn.id).values(is_shop_owner=True))
        db.session.execute(update(Shop).where(Shop.id == shop_id).values(owner_id=asn.id))
        db.session.commit()
    page = login_as(asn).get(f"/belanja/baru?toko={shop_id}").get_data(as_text=True)
    assert "Ini kode QR toko Anda" in page and 'name="amount"' not in page


def test_another_shops_poster_tells_a_non_asn_that_logging_is_for_asn(make_owner, make_shop, login_as):
    owner = make_owner()
    make_shop(owner=owner)
    response = login_as(owner).get(f"/belanja/baru?toko={make_shop()}")
    page = response.get_data(as_text=True)
    assert response.status_code == 403 and "Pencatatan belanja khusus ASN" in page
    assert buttons(page)["Lihat belanja di toko saya"] == "/toko/saya/belanja"


def test_an_asn_still_gets_the_purchase_form_from_a_poster(make_asn, make_shop, login_as):
    page = login_as(make_asn()).get(f"/t/{make_shop(name='Kios Ani')}", follow_redirects=True).get_data(as_text=True)
    assert "Kios Ani" in page and 'name="amount"' in page
