"""Notifications in the app: who hears what, the menu badges, "Konfirmasi semua", mark read,
and the coordinator's prefilled WhatsApp message to an owner."""
from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from helpers import badge
from sqlalchemy import select

from campaign.core.audit import AuditEvent
from campaign.domains.notifications.models import Notification
from campaign.domains.purchases.models import Purchase
from campaign.domains.shops.models import Shop


def notifications_of(fetch, person) -> list[tuple[str, str]]:
    return [(n.kind, n.message) for n in fetch(select(Notification).where(Notification.user_id == person.id)
                                               .order_by(Notification.id))]


# --- who hears what ------------------------------------------------------------------------

def test_owner_hears_when_the_shop_is_verified(make_owner, make_shop, make_staff, login_as, fetch):
    owner = make_owner()
    shop_id = make_shop(owner=owner, status="pending", name="Warung Daeng")
    response = login_as(make_staff()).post(f"/koordinator/toko/{shop_id}/verifikasi")
    assert response.status_code == 302
    assert notifications_of(fetch, owner) == [("shop.verified", "Toko Warung Daeng sudah terverifikasi dan tampil "
                                               "di Daftar Toko. Cetak poster kode QR agar ASN dapat mencatat belanja "
                                               "di toko Anda.")]
    page = login_as(owner).get("/notifikasi/").get_data(as_text=True)
    assert "Toko terverifikasi" in page and "Warung Daeng sudah terverifikasi" in page


def test_owner_hears_when_the_shop_is_rejected_with_the_reason(make_owner, make_shop, make_staff, login_as, fetch):
    owner = make_owner()
    shop_id = make_shop(owner=owner, status="pending", name="Warung Daeng")
    login_as(make_staff()).post(f"/koordinator/toko/{shop_id}/tolak", data={"reason": "Alamat tidak lengkap"})
    assert notifications_of(fetch, owner) == [("shop.rejected", "Toko Warung Daeng ditolak. Alasan: Alamat tidak "
                                               "lengkap")]


def test_region_coordinator_hears_of_a_new_shop_waiting(make_shop, make_staff, fetch):
    here, elsewhere = make_staff(region="73.73"), make_staff(region="73.71")
    make_shop(status="pending", region="73.73", name="Kios Baru")
    assert notifications_of(fetch, here) == [("shop.registered", "Toko baru menunggu verifikasi: Kios Baru "
                                              "(Amassangan, Kec. Wara).")]
    assert notifications_of(fetch, elsewhere) == []


@pytest.mark.parametrize("action, who, data, kind, text", [
    ("bantah", "owner", {"reason": "Tidak ada transaksi"}, "purchase.disputed", "dibantah oleh toko."),
    ("batal", "coordinator", {"reason": "Tercatat dua kali"}, "purchase.voided", "dibatalkan oleh koordinator."),
])
def test_asn_hears_when_a_purchase_is_disputed_or_voided(make_asn, make_owner, make_shop, make_purchase, make_staff,
                                                         login_as, fetch, action, who, data, kind, text):
    asn, owner = make_asn(), make_owner()
    purchase_id = make_purchase(buyer=asn, shop_id=make_shop(owner=owner, name="Warung Sitti"), amount=75_000)
    actor = owner if who == "owner" else make_staff()
    assert login_as(actor).post(f"/belanja/{purchase_id}/{action}", data=data).status_code == 302
    [(got_kind, message)] = notifications_of(fetch, asn)
    assert got_kind == kind and message.startswith("Belanja Rp75.000 di Warung Sitti pada ")
    assert text in message and data["reason"] in message


def test_a_confirmed_purchase_sends_the_asn_nothing(make_asn, make_owner, make_shop, make_purchase, login_as, fetch):
    asn, owner = make_asn(), make_owner()
    purchase_id = make_purchase(buyer=asn, shop_id=make_shop(owner=owner))
    login_as(owner).post(f"/belanja/{purchase_id}/konfirmasi")
    assert notifications_of(fetch, asn) == []


# --- badges and the list -------------------------------------------------------------------

def test_owner_menu_shows_the_number_of_purchases_waiting(make_asn, make_owner, make_shop, make_purchase, login_as):
    owner, asn = make_owner(), make_asn()
    shop_id = make_shop(owner=owner)
    first = make_purchase(buyer=asn, shop_id=shop_id, amount=10_000)
    make_purchase(buyer=asn, shop_id=shop_id, amount=20_000)
    make_purchase(buyer=asn, shop_id=shop_id, amount=30_000)
    client = login_as(owner)
    client.post(f"/belanja/{first}/konfirmasi")
    assert badge(client.get("/").get_data(as_text=True), "Konfirmasi belanja") == "2"


def test_coordinator_menu_shows_the_shops_waiting(make_shop, make_staff, login_as):
    coordinator = make_staff(region="73.73")
    make_shop(status="pending", region="73.73")
    make_shop(status="pending", region="73.71")
    assert badge(login_as(coordinator).get("/").get_data(as_text=True), "Koordinator") == "1"


def test_marking_read_clears_the_unread_count(make_owner, make_shop, login_as, fetch):
    owner = make_owner()
    make_shop(owner=owner)  # verified by the builder: one notification
    client = login_as(owner)
    assert badge(client.get("/").get_data(as_text=True), "Notifikasi") == "1"
    assert client.post("/notifikasi/baca").status_code == 302
    assert badge(client.get("/").get_data(as_text=True), "Notifikasi") is None
    assert all(n.read_at for n in fetch(select(Notification)))
    assert [e.after for e in fetch(select(AuditEvent).where(AuditEvent.action == "notifications.read"))] == [
        {"count": 1}]


def test_notifications_are_private(make_owner, make_shop, make_asn, login_as):
    make_shop(owner=make_owner(), name="Warung Rahasia")
    assert "Warung Rahasia" not in login_as(make_asn()).get("/notifikasi/").get_data(as_text=True)
    assert login_as(None).get("/notifikasi/").status_code == 302


# --- Konfirmasi semua ----------------------------------------------------------------------

@pytest.fixture
def waiting(make_asn, make_owner, make_shop, make_purchase):
    owner, asn = make_owner(), make_asn()
    shops = [make_shop(owner=owner), make_shop(owner=owner)]
    ids = [make_purchase(buyer=asn, shop_id=shops[n % 2], amount=10_000 * (n + 1)) for n in range(3)]
    return owner, asn, ids


def listed_ids(page: str) -> str:
    return re.search(r'name="ids" type="hidden" value="([\d,]+)"', page).group(1)


def test_confirm_all_confirms_the_purchases_listed(waiting, login_as, fetch, tallies_agree):
    owner, _, ids = waiting
    client = login_as(owner)
    page = client.get("/toko/saya/belanja").get_data(as_text=True)
    assert "Konfirmasi semua (3)" in page
    response = client.post("/toko/saya/belanja/konfirmasi-semua", data={"ids": listed_ids(page)},
                           follow_redirects=True)
    assert "3 belanja dikonfirmasi." in response.get_data(as_text=True)
    assert {p.status for p in fetch(select(Purchase))} == {"confirmed"}
    audited = fetch(select(AuditEvent).where(AuditEvent.action == "purchase.confirmed"))
    assert sorted(e.entity_id for e in audited) == sorted(ids)
    tallies_agree()


def test_confirm_all_skips_purchases_no_longer_waiting(waiting, login_as, fetch):
    owner, asn, ids = waiting
    client = login_as(owner)
    listed = listed_ids(client.get("/toko/saya/belanja").get_data(as_text=True))
    login_as(asn).post(f"/belanja/{ids[0]}/tarik")
    response = client.post("/toko/saya/belanja/konfirmasi-semua", data={"ids": listed}, follow_redirects=True)
    assert "2 belanja dikonfirmasi." in response.get_data(as_text=True)
    assert [fetch(Purchase, i).status for i in ids] == ["withdrawn", "confirmed", "confirmed"]


def test_confirm_all_refuses_purchases_at_someone_elses_shop(waiting, make_owner, login_as, fetch):
    _, _, ids = waiting
    response = login_as(make_owner()).post("/toko/saya/belanja/konfirmasi-semua",
                                           data={"ids": ",".join(map(str, ids))})
    assert response.status_code == 403
    assert {p.status for p in fetch(select(Purchase))} == {"reported"}


def test_purchase_list_opens_on_the_ones_waiting(waiting, login_as):
    owner, _, ids = waiting
    client = login_as(owner)
    client.post(f"/belanja/{ids[0]}/konfirmasi")
    page = client.get("/toko/saya/belanja").get_data(as_text=True)
    assert '<option value="reported" selected>' in page and page.count('class="entry"') == 2
    assert client.get("/toko/saya/belanja?status=").get_data(as_text=True).count('class="entry"') == 3


# --- WhatsApp to an owner --------------------------------------------------------------------

def test_coordinator_can_message_a_waiting_owner_on_whatsapp(make_owner, make_shop, make_staff, login_as, fetch):
    shop_id = make_shop(owner=make_owner(name="Ibu Sitti"), status="pending", name="Warung Sitti")
    page = login_as(make_staff()).get("/koordinator/").get_data(as_text=True)
    link = re.search(r'href="(https://wa\.me/6281234567890\?text=[^"]+)"', page).group(1)
    text = unquote(link.split("?text=", 1)[1])
    assert text.startswith("Halo Ibu Sitti, saya koordinator Belanja Warung Tetangga Kota Palopo.")
    assert "Warung Sitti" in text and fetch(Shop, shop_id).status == "pending"
