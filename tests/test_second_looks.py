"""One-tap actions that could not be undone (issue 18, item 6). "Konfirmasi" stays one tap and can
be taken back ("Batalkan") for CONFIRM_UNDO_MINUTES: confirming tells nobody, so nothing sent must
be recalled. "Konfirmasi semua (N)", "Terima penawaran", "Barang sudah diterima" and an
organisation's "Verifikasi" ask first: each acts on many rows or tells another party at once (in the
app and by e-mail), which an undo could not call back. All of it works without JavaScript."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update

from campaign.core.audit import AuditEvent
from campaign.core.extensions import db
from campaign.domains.needs.models import BuyerOrganisation, Offer
from campaign.domains.purchases.models import Purchase
from campaign.util.formatting import utcnow


def forms(page: str) -> list[tuple[str, str, str]]:
    """(method, action, button label) of every form with a submit button."""
    found = []
    for method, action, body in re.findall(r'<form method="(\w+)" action="([^"]*)"[^>]*>(.*?)</form>', page, re.S):
        found += [(method, action, label.strip()) for label in re.findall(r"<button[^>]*>([^<]+)</button>", body)]
    return found


# --- Konfirmasi: one tap, then "Batalkan" for a few minutes --------------------------------

def test_a_confirmation_can_be_taken_back_for_some_minutes(make_asn, make_owner, make_shop, make_purchase,
                                                           login_as, fetch, tallies_agree):
    owner = make_owner()
    purchase = make_purchase(buyer=make_asn(name="Andi Baso"), shop_id=make_shop(owner=owner), amount=15_000)
    client = login_as(owner)
    page = client.post(f"/belanja/{purchase}/konfirmasi", follow_redirects=True).get_data(as_text=True)
    assert "Belanja dikonfirmasi. Salah tekan? Batalkan dalam 10 menit" in page
    assert 'id="baru-dikonfirmasi"' in page
    assert ("post", f"/belanja/{purchase}/konfirmasi/batal", "Batalkan") in forms(page)
    page = client.post(f"/belanja/{purchase}/konfirmasi/batal", follow_redirects=True).get_data(as_text=True)
    assert "Konfirmasi dibatalkan; belanja ini kembali menunggu konfirmasi." in page
    assert 'id="baru-dikonfirmasi"' not in page and "Konfirmasi semua (1)" in page
    back = fetch(Purchase, purchase)
    assert back.status == "reported" and back.decided_by_id is None and back.decided_at is None
    assert [e.action for e in fetch(select(AuditEvent).where(AuditEvent.entity_id == purchase)
                                    .order_by(AuditEvent.id))][-2:] == ["purchase.confirmed",
                                                                        "purchase.confirmation_undone"]
    tallies_agree()


def test_the_undo_ends_after_the_window(app, make_asn, make_owner, make_shop, make_purchase, login_as, fetch):
    owner = make_owner()
    purchase = make_purchase(buyer=make_asn(), shop_id=make_shop(owner=owner))
    client = login_as(owner)
    client.post(f"/belanja/{purchase}/konfirmasi")
    with app.app_context():
        db.session.execute(update(Purchase).where(Purchase.id == purchase)
                           .values(decided_at=utcnow() - timedelta(minutes=11)))
        db.session.commit()
    page = client.get("/toko/saya/belanja").get_data(as_text=True)
    assert 'id="baru-dikonfirmasi"' not in page
    page = client.post(f"/belanja/{purchase}/konfirmasi/batal", follow_redirects=True).get_data(as_text=True)
    assert "Konfirmasi ini tidak dapat dibatalkan lagi (batasnya 10 menit setelah konfirmasi)." in page
    assert fetch(Purchase, purchase).status == "confirmed"


def test_only_the_owner_who_confirmed_takes_it_back(make_asn, make_owner, make_shop, make_purchase, login_as, fetch):
    owner = make_owner()
    purchase = make_purchase(buyer=make_asn(), shop_id=make_shop(owner=owner))
    login_as(owner).post(f"/belanja/{purchase}/konfirmasi")
    assert login_as(make_owner()).post(f"/belanja/{purchase}/konfirmasi/batal").status_code == 403
    assert fetch(Purchase, purchase).status == "confirmed"


def test_a_dispute_is_not_undone_as_a_confirmation(make_asn, make_owner, make_shop, make_purchase, login_as, fetch):
    owner = make_owner()
    purchase = make_purchase(buyer=make_asn(), shop_id=make_shop(owner=owner))
    client = login_as(owner)
    client.post(f"/belanja/{purchase}/bantah", data={"reason": ""})
    client.post(f"/belanja/{purchase}/konfirmasi/batal")
    assert fetch(Purchase, purchase).status == "disputed"


# --- Konfirmasi semua (N): a second look ---------------------------------------------------

def test_confirm_all_shows_the_purchases_before_confirming_them(make_asn, make_owner, make_shop, make_purchase,
                                                                login_as, fetch, tallies_agree):
    owner = make_owner()
    shop_id = make_shop(owner=owner)
    ids = [make_purchase(buyer=make_asn(), shop_id=shop_id, amount=amount) for amount in (11_000, 22_000)]
    client = login_as(owner)
    listed = client.get("/toko/saya/belanja").get_data(as_text=True)
    assert ("get", "/toko/saya/belanja/konfirmasi-semua", "Konfirmasi semua (2)") in forms(listed)
    ids_value = re.search(r'name="ids" type="hidden" value="([\d,]+)"', listed).group(1)
    look = client.get(f"/toko/saya/belanja/konfirmasi-semua?ids={ids_value}").get_data(as_text=True)
    assert "Konfirmasi 2 belanja?" in look and "Rp11.000" in look and "Rp22.000" in look
    assert ("post", "/toko/saya/belanja/konfirmasi-semua", "Ya, konfirmasi 2 belanja") in forms(look)
    assert {fetch(Purchase, i).status for i in ids} == {"reported"}  # looking changes nothing
    confirmed_ids = re.search(r'name="ids" type="hidden" value="([\d,]+)"', look).group(1)
    page = client.post("/toko/saya/belanja/konfirmasi-semua", data={"ids": confirmed_ids},
                       follow_redirects=True).get_data(as_text=True)
    assert "2 belanja dikonfirmasi." in page
    assert {fetch(Purchase, i).status for i in ids} == {"confirmed"}
    tallies_agree()


def test_the_second_look_lists_only_the_owners_purchases_still_waiting(make_asn, make_owner, make_shop,
                                                                       make_purchase, login_as):
    owner = make_owner()
    mine = make_purchase(buyer=make_asn(), shop_id=make_shop(owner=owner), amount=11_000)
    theirs = make_purchase(buyer=make_asn(), shop_id=make_shop(), amount=99_000)
    look = login_as(owner).get(f"/toko/saya/belanja/konfirmasi-semua?ids={mine},{theirs}").get_data(as_text=True)
    assert "Konfirmasi 1 belanja?" in look and "Rp11.000" in look and "Rp99.000" not in look
    assert f'name="ids" type="hidden" value="{mine}"' in look


def test_nothing_to_confirm_goes_back_to_the_list(make_owner, login_as):
    response = login_as(make_owner()).get("/toko/saya/belanja/konfirmasi-semua?ids=12345")
    assert response.status_code == 302 and response.headers["Location"] == "/toko/saya/belanja"


# --- Terima penawaran and Barang sudah diterima: a second look ------------------------------

def test_accepting_an_offer_asks_first_and_says_what_it_closes(make_need, make_offer, login_as, fetch):
    buyer, need = make_need(quantity=60)
    _, chosen = make_offer(need, quantity=60, unit_price=95_000)
    make_offer(need, quantity=40)
    client = login_as(buyer)
    detail = client.get(f"/kebutuhan/{need}").get_data(as_text=True)
    assert ("get", f"/penawaran/{chosen}/terima", "Terima penawaran") in forms(detail)
    look = client.get(f"/penawaran/{chosen}/terima?quantity=").get_data(as_text=True)
    assert "Terima penawaran Warung Uji" in look and "Rp5.700.000" in look
    assert "Kebutuhan ini akan ditutup" in look and "1 penawaran\n  lain yang masih menunggu akan ditolak" in look
    assert fetch(Offer, chosen).status == "sent"
    client.post(f"/penawaran/{chosen}/terima", data={"quantity": "60"})
    assert fetch(Offer, chosen).status == "accepted"


def test_accepting_part_of_an_offer_shows_what_remains(make_need, make_offer, login_as):
    buyer, need = make_need(quantity=60)
    _, offer = make_offer(need, quantity=60)
    look = login_as(buyer).get(f"/penawaran/{offer}/terima?quantity=20").get_data(as_text=True)
    assert "20 potong dari 60 yang ditawarkan" in look and "Sisa kebutuhan setelah ini: 40 potong." in look
    assert 'name="quantity" value="20"' in look


def test_only_the_buyer_sees_the_second_look(make_need, make_offer, make_owner, login_as):
    _, need = make_need()
    shop_owner, offer = make_offer(need)
    assert login_as(shop_owner).get(f"/penawaran/{offer}/terima").status_code == 403
    assert login_as(make_owner()).get(f"/penawaran/{offer}/terkirim").status_code == 403


def test_recording_a_delivery_asks_first(make_need, make_offer, login_as, fetch):
    buyer, need = make_need(quantity=60)
    _, offer = make_offer(need, quantity=60, unit_price=95_000)
    client = login_as(buyer)
    client.post(f"/penawaran/{offer}/terima", data={})
    detail = client.get(f"/kebutuhan/{need}").get_data(as_text=True)
    assert f'href="/penawaran/{offer}/terkirim">Barang sudah diterima</a>' in detail
    look = client.get(f"/penawaran/{offer}/terkirim").get_data(as_text=True)
    assert "sudah diterima?" in look and "Rp5.700.000" in look
    assert ("post", f"/penawaran/{offer}/terkirim", "Ya, barang sudah diterima") in forms(look)
    assert fetch(Offer, offer).status == "accepted"
    client.post(f"/penawaran/{offer}/terkirim")
    assert fetch(Offer, offer).status == "delivered"


# --- an organisation's Verifikasi: a second look -------------------------------------------

def test_verifying_an_organisation_asks_first(make_buyer, make_staff, login_as, fetch):
    _, buyer_id = make_buyer(status="pending")
    coordinator = login_as(make_staff())
    queue = coordinator.get("/koordinator/lembaga").get_data(as_text=True)
    assert f'href="/koordinator/lembaga/{buyer_id}/verifikasi">Verifikasi</a>' in queue
    look = coordinator.get(f"/koordinator/lembaga/{buyer_id}/verifikasi").get_data(as_text=True)
    assert "Verifikasi lembaga ini?" in look and "Yayasan Peduli Luwu Raya" in look
    assert fetch(BuyerOrganisation, buyer_id).status == "pending"
    coordinator.post(f"/koordinator/lembaga/{buyer_id}/verifikasi")
    assert fetch(BuyerOrganisation, buyer_id).status == "verified"


def test_another_regions_coordinator_gets_no_second_look(make_buyer, make_staff, login_as):
    _, buyer_id = make_buyer(status="pending")
    assert login_as(make_staff(region="73.71")).get(f"/koordinator/lembaga/{buyer_id}/verifikasi").status_code == 403
