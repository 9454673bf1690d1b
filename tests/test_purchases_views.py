"""The ASN journey (pledge, log, see, withdraw) and the shop owner's confirmations, through the views."""
import re

import pytest
from helpers import csrf_token, province_today
from sqlalchemy import select

from campaign.domains.purchases.models import Pledge, Purchase


@pytest.fixture
def shop_and_owner(make_owner, make_shop):
    owner = make_owner(name="Ibu Sitti")
    return make_shop(owner=owner, name="Warung Sitti", region="73.73"), owner


def test_asn_journey_with_csrf(csrf_app, make_asn, shop_and_owner, fetch, tallies_agree):
    shop_id, owner = shop_and_owner
    asn = make_asn(name="Andi Baso", agency="Dinas Koperasi dan UKM")
    client = csrf_app.test_client()
    client.post("/masuk", data={"login": asn.login, "password": asn.password,
                                "csrf_token": csrf_token(client, "/masuk")})

    response = client.post("/janji", data={"amount": "Rp500.000", "csrf_token": csrf_token(client, "/janji")})
    assert response.status_code == 302 and response.headers["Location"] == "/saya"
    assert [p.amount for p in fetch(select(Pledge))] == [500_000]

    # scanning the QR code opens the form for that shop
    page = client.get(f"/belanja/baru?toko={shop_id}").get_data(as_text=True)
    assert "Warung Sitti" in page and province_today().isoformat() in page
    token = csrf_token(client, f"/belanja/baru?toko={shop_id}")
    response = client.post("/belanja/baru", data={
        "shop_id": shop_id, "amount": "125.000", "purchased_on": province_today().isoformat(),
        "note": "beras dan telur", "client_ref": "ref-1", "csrf_token": token}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Belanja tercatat" in page
    assert "Rp500.000" in page and "Rp125.000" in page and "25,0%" in page  # pledge, realized, progress
    assert "Dilaporkan" in page and "Warung Sitti" in page

    # the shop owner sees the buyer by name and agency (never the NIP) and confirms
    owner_client = csrf_app.test_client()
    owner_client.post("/masuk", data={"login": owner.login, "password": owner.password,
                                      "csrf_token": csrf_token(owner_client, "/masuk")})
    page = owner_client.get("/toko/saya/belanja").get_data(as_text=True)
    assert "Andi Baso" in page and "Dinas Koperasi dan UKM" in page and asn.nip not in page
    purchase = fetch(select(Purchase))[0]
    response = owner_client.post(f"/belanja/{purchase.id}/konfirmasi",
                                 data={"csrf_token": csrf_token(owner_client, "/toko/saya/belanja")})
    assert response.status_code == 302
    assert fetch(Purchase, purchase.id).status == "confirmed"

    page = client.get("/saya").get_data(as_text=True)
    assert "Dikonfirmasi toko" in page
    assert page.count("Rp125.000") >= 2  # realized and verified
    tallies_agree()


@pytest.mark.parametrize("typed", ["50.000", "Rp50.000", "50000", "Rp 50.000"])
def test_amount_spellings(client, auth, make_asn, shop_and_owner, fetch, typed):
    auth.login(make_asn())
    response = client.post("/belanja/baru", data={"shop_id": shop_and_owner[0], "amount": typed,
                                                  "purchased_on": province_today().isoformat()})
    assert response.status_code == 302
    assert [p.amount for p in fetch(select(Purchase))] == [50_000]


@pytest.mark.parametrize("field, value, message", [
    ("amount", "lima puluh", "Tulis jumlah dalam rupiah"),
    ("amount", "500", "antara Rp1.000 dan Rp10.000.000"),
    ("amount", "", "Wajib diisi"),
    ("purchased_on", "2999-01-01", "tidak boleh setelah hari ini"),
    ("purchased_on", "kemarin", "Tanggal tidak valid"),
])
def test_bad_purchase_input_keeps_what_was_typed(client, auth, make_asn, shop_and_owner, fetch, field, value,
                                                 message):
    auth.login(make_asn())
    data = {"shop_id": shop_and_owner[0], "amount": "75.000", "purchased_on": province_today().isoformat(),
            "note": "catatan saya", field: value}
    response = client.post("/belanja/baru", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert "catatan saya" in page
    assert fetch(select(Purchase)) == []


def test_unverified_shop_via_qr_link(client, auth, make_asn, make_shop):
    pending = make_shop(status="pending", name="Kios Baru")
    auth.login(make_asn())
    page = client.get(f"/belanja/baru?toko={pending}").get_data(as_text=True)
    assert "belum terverifikasi" in page
    response = client.post("/belanja/baru", data={"shop_id": pending, "amount": "50.000",
                                                  "purchased_on": province_today().isoformat()})
    assert "terverifikasi" in response.get_data(as_text=True)


def test_qr_link_when_signed_out_goes_through_login_and_back(client, make_asn, shop_and_owner):
    shop_id = shop_and_owner[0]
    response = client.get(f"/belanja/baru?toko={shop_id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/masuk?next=/belanja/baru?toko%3D{shop_id}"
    asn = make_asn()
    login = client.post(response.headers["Location"], data={"login": asn.login, "password": asn.password})
    assert login.headers["Location"] == f"/belanja/baru?toko={shop_id}"


def test_withdraw_from_my_page(client, auth, make_asn, shop_and_owner, make_purchase, fetch, tallies_agree):
    asn = make_asn()
    pid = make_purchase(buyer=asn, shop_id=shop_and_owner[0], amount=40_000)
    auth.login(asn)
    assert "Tarik" in client.get("/saya").get_data(as_text=True)
    response = client.post(f"/belanja/{pid}/tarik", follow_redirects=True)
    assert "Catatan belanja ditarik" in response.get_data(as_text=True)
    assert fetch(Purchase, pid).status == "withdrawn"
    assert "Ditarik pembeli" in client.get("/saya").get_data(as_text=True)
    tallies_agree()


def test_someone_elses_purchase_cannot_be_withdrawn(client, auth, make_asn, shop_and_owner, make_purchase, fetch):
    pid = make_purchase(buyer=make_asn(), shop_id=shop_and_owner[0])
    auth.login(make_asn())
    assert client.post(f"/belanja/{pid}/tarik").status_code == 403
    assert fetch(Purchase, pid).status == "reported"


def test_owner_disputes(client, auth, make_asn, shop_and_owner, make_purchase, fetch):
    shop_id, owner = shop_and_owner
    pid = make_purchase(buyer=make_asn(), shop_id=shop_id)
    auth.login(owner)
    response = client.post(f"/belanja/{pid}/bantah", follow_redirects=True)
    assert "Belanja dibantah" in response.get_data(as_text=True)
    assert fetch(Purchase, pid).status == "disputed"


def test_other_owner_gets_403_and_asn_cannot_confirm(client, auth, make_asn, make_owner, make_shop,
                                                      shop_and_owner, make_purchase, fetch):
    asn = make_asn()
    pid = make_purchase(buyer=asn, shop_id=shop_and_owner[0])
    other_owner = make_owner()
    make_shop(owner=other_owner)
    auth.login(other_owner)
    assert client.post(f"/belanja/{pid}/konfirmasi").status_code == 403
    assert "Rp50.000" not in client.get("/toko/saya/belanja").get_data(as_text=True)
    auth.logout()
    auth.login(asn)
    assert client.post(f"/belanja/{pid}/konfirmasi").status_code == 403
    assert fetch(Purchase, pid).status == "reported"


def test_coordinator_voids_with_reason(client, auth, make_asn, make_staff, shop_and_owner, make_purchase, fetch):
    pid = make_purchase(buyer=make_asn(), shop_id=shop_and_owner[0])
    other = make_staff(region="73.71")
    auth.login(other)
    assert client.post(f"/belanja/{pid}/batal", data={"reason": "Transaksi fiktif"}).status_code == 403
    auth.logout()
    auth.login(make_staff(region="73.73"))
    response = client.post(f"/belanja/{pid}/batal", data={"reason": "", "next": "/wilayah/73.73/bantahan"})
    page = response.get_data(as_text=True)  # no reason: refused on the confirmation page, next kept
    assert response.status_code == 200 and "Tuliskan alasan pembatalan (minimal 5 karakter)." in page
    assert 'aria-invalid="true"' in page and 'value="/wilayah/73.73/bantahan"' in page
    assert fetch(Purchase, pid).status == "reported"
    response = client.post(f"/belanja/{pid}/batal", data={"reason": "Transaksi fiktif", "next": "https://evil.example"})
    assert response.headers["Location"] == "/koordinator/"
    assert fetch(Purchase, pid).status == "voided"


def test_pages_need_the_right_role(client, auth, make_owner, make_asn):
    auth.login(make_owner())
    assert client.get("/saya").status_code == 403
    assert client.get("/janji").status_code == 403
    assert client.get("/belanja/baru").status_code == 403
    auth.logout()
    auth.login(make_asn())
    assert client.get("/toko/saya/belanja").status_code == 403


def test_my_page_shows_my_own_nip_in_full(client, auth, make_asn):
    asn = make_asn(agency="Dinas Sosial", region="73.22")
    auth.login(asn)
    page = client.get("/saya").get_data(as_text=True)
    assert f"NIP {asn.nip}" in page and "Dinas Sosial" in page and "Kabupaten Luwu Utara" in page


@pytest.mark.parametrize("page, first", [("99999999999999999999999", False), ("-3", True), ("0", True),
                                         ("abc", True)])
def test_absurd_page_numbers_do_not_break_my_page(client, auth, make_asn, shop_and_owner, make_purchase, page, first):
    """Below 1 or not a number: the first page, with my purchase; far past the end: an empty page."""
    asn = make_asn()
    purchase_id = make_purchase(buyer=asn, shop_id=shop_and_owner[0], amount=65_000)
    auth.login(asn)
    response = client.get(f"/saya?page={page}")
    page_shown = response.get_data(as_text=True)
    assert response.status_code == 200 and "Riwayat Belanja" in page_shown
    assert "Terealisasi" in page_shown and "Rp65.000" in page_shown  # the summary counts every page
    assert (f'href="/belanja/{purchase_id}/tarik"' in page_shown) is first


def test_dispute_asks_first_and_takes_an_optional_reason(client, auth, make_asn, shop_and_owner, make_purchase, fetch):
    shop_id, owner = shop_and_owner
    pid = make_purchase(buyer=make_asn(name="Andi Baso"), shop_id=shop_id)
    auth.login(owner)
    listing = client.get("/toko/saya/belanja").get_data(as_text=True)
    assert f'href="/belanja/{pid}/bantah?next=' in listing  # a link to the question, not a one-tap form
    page = client.get(f"/belanja/{pid}/bantah?next=/toko/saya/belanja").get_data(as_text=True)
    assert "Bantah belanja ini?" in page and "Andi Baso" in page and "Alasan (opsional)" in page
    assert fetch(Purchase, pid).status == "reported"  # looking changes nothing
    response = client.post(f"/belanja/{pid}/bantah", data={"reason": "Tidak belanja di sini",
                                                          "next": "/toko/saya/belanja"})
    assert response.headers["Location"] == "/toko/saya/belanja"
    purchase = fetch(Purchase, pid)
    assert (purchase.status, purchase.status_reason) == ("disputed", "Tidak belanja di sini")


def test_withdraw_asks_first(client, auth, make_asn, shop_and_owner, make_purchase, fetch):
    asn = make_asn()
    pid = make_purchase(buyer=asn, shop_id=shop_and_owner[0])
    auth.login(asn)
    assert f'href="/belanja/{pid}/tarik"' in client.get("/saya").get_data(as_text=True)
    page = client.get(f"/belanja/{pid}/tarik").get_data(as_text=True)
    assert "Tarik catatan belanja ini?" in page and "Ya, tarik catatan" in page
    assert fetch(Purchase, pid).status == "reported"
    assert client.post(f"/belanja/{pid}/tarik").headers["Location"] == "/saya"
    assert fetch(Purchase, pid).status == "withdrawn"
    assert client.get(f"/belanja/{pid}/tarik").status_code == 200  # still shown; acting again is a message
    client.post(f"/belanja/{pid}/tarik")
    assert "tindakan tidak dapat dilakukan" in client.get("/saya").get_data(as_text=True)


def test_owner_list_opens_on_purchases_waiting(client, auth, make_asn, shop_and_owner, make_purchase):
    shop_id, owner = shop_and_owner
    make_purchase(buyer=make_asn(), shop_id=shop_id, amount=11_000)
    done = make_purchase(buyer=make_asn(), shop_id=shop_id, amount=22_000)
    auth.login(owner)
    client.post(f"/belanja/{done}/konfirmasi")
    first = client.get("/toko/saya/belanja").get_data(as_text=True)
    undo_notice, _, listed = first.partition('class="confirm-all"')  # "Baru dikonfirmasi" sits above the list
    assert "Rp11.000" in listed and "Rp22.000" not in listed and "Rp22.000" in undo_notice
    assert re.search(r'<option value="reported" selected>Menunggu konfirmasi</option>', first)
    everything = client.get("/toko/saya/belanja?status=").get_data(as_text=True)
    assert "Rp11.000" in everything and "Rp22.000" in everything


def test_a_changed_resubmission_of_a_recorded_form_names_the_first_purchase(client, auth, make_asn,
                                                                           shop_and_owner, fetch):
    """Back button after "Belanja tercatat", another amount, Simpan: not silently the old purchase."""
    auth.login(make_asn())
    form = {"shop_id": shop_and_owner[0], "amount": "50.000", "purchased_on": province_today().isoformat(),
            "client_ref": "form-ref-1"}
    assert client.post("/belanja/baru", data=form).status_code == 302
    first = fetch(select(Purchase))[0]
    page = client.post("/belanja/baru", data={**form, "amount": "75.000"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and f"sudah dipakai untuk belanja #{first.id}" in text
    assert 'value="form-ref-1"' not in text  # the form shown again is a new request...
    fresh = re.search(r'name="client_ref" type="hidden" value="([^"]+)"', text).group(1)
    assert client.post("/belanja/baru", data={**form, "amount": "75.000", "client_ref": fresh}).status_code == 302
    assert sorted(p.amount for p in fetch(select(Purchase))) == [50_000, 75_000]  # ...which records the second
