"""The needs board pages: sign-up and verification of a buyer, posting, offering side by side,
accepting, delivery, confirmation, the coordinator's gaps and the region's institutional spend."""
from datetime import timedelta

from helpers import province_today
from sqlalchemy import select

from campaign.domains.needs.models import BuyerOrganisation, Need, Offer

BUYER_FORM = {"name": "Yayasan Peduli Luwu Raya", "kind": "social", "region": "73.73",
              "address": "Jl. Andi Djemma No. 9", "whatsapp": "0813-5555-0001"}


def test_buyer_signs_up_and_the_coordinator_verifies(app, make_owner, make_staff, login_as, fetch):
    buyer = login_as(make_owner())
    assert buyer.post("/lembaga/daftar", data=BUYER_FORM).status_code == 302
    assert "Menunggu verifikasi" in buyer.get("/lembaga/saya").get_data(as_text=True)
    assert buyer.get("/kebutuhan/baru").status_code == 302  # not verified yet: back to "Lembaga Saya"
    (org,) = fetch(select(BuyerOrganisation))
    other = login_as(make_staff(region="73.71"))
    assert "Yayasan Peduli" not in other.get("/koordinator/lembaga").get_data(as_text=True)
    assert other.post(f"/koordinator/lembaga/{org.id}/verifikasi").status_code == 403
    coordinator = login_as(make_staff(region="73.73"))
    assert "Yayasan Peduli" in coordinator.get("/koordinator/lembaga").get_data(as_text=True)
    assert coordinator.post(f"/koordinator/lembaga/{org.id}/verifikasi").status_code == 302
    assert fetch(BuyerOrganisation, org.id).status == "verified"
    assert 'type="checkbox"' in buyer.get("/kebutuhan/baru").get_data(as_text=True)


def test_post_a_need_and_see_it_on_the_public_board(app, make_buyer, login_as, fetch, client):
    owner, buyer_id = make_buyer()
    page = login_as(owner)
    response = page.post("/kebutuhan/baru", data={
        "buyer_id": str(buyer_id), "title": "Baju APD untuk RSUD", "category": "fesyen", "quantity": "500",
        "unit": "potong", "budget_min": "40.000.000", "budget_max": "Rp50.000.000", "regions": ["73.73", "73.22"],
        "deadline": (province_today() + timedelta(days=10)).isoformat(), "delivery_place": "RSUD Sawerigading"})
    assert response.status_code == 302
    (need,) = fetch(select(Need))
    assert (need.budget_max, need.quantity) == (50_000_000, 500)
    board = client.get("/kebutuhan?wilayah=73.22&kategori=fesyen").get_data(as_text=True)
    assert "Baju APD untuk RSUD" in board and "Rp50.000.000" in board
    assert "Baju APD" not in client.get("/kebutuhan?kategori=kuliner").get_data(as_text=True)


def test_offer_accept_deliver_confirm(app, make_need, make_owner, make_shop, login_as, fetch, client, tallies_agree):
    buyer, need_id = make_need(quantity=100)
    maker = make_owner()
    shop = make_shop(owner=maker, category="fesyen", name="Konveksi Hj. Marwah")
    shop_page = login_as(maker)
    assert "Baju APD untuk RSUD" in shop_page.get("/kebutuhan/untuk-anda").get_data(as_text=True)
    assert "Kirim penawaran" in shop_page.get(f"/kebutuhan/{need_id}").get_data(as_text=True)
    assert shop_page.post(f"/kebutuhan/{need_id}/tawar", data={
        "shop_id": str(shop), "unit_price": "85.000", "quantity": "60",
        "delivery_date": province_today().isoformat(), "message": "Siap kirim"}).status_code == 302
    (offer,) = fetch(select(Offer))
    assert "wa.me" not in shop_page.get(f"/kebutuhan/{need_id}").get_data(as_text=True)
    buyer_page = login_as(buyer)
    detail = buyer_page.get(f"/kebutuhan/{need_id}").get_data(as_text=True)
    assert "Konveksi Hj. Marwah" in detail and "Rp85.000" in detail
    assert buyer_page.post(f"/penawaran/{offer.id}/terima", data={"quantity": "50"}).status_code == 302
    assert "wa.me/62812" in buyer_page.get(f"/kebutuhan/{need_id}").get_data(as_text=True)
    assert "wa.me/6281355550001" in shop_page.get(f"/kebutuhan/{need_id}").get_data(as_text=True)
    assert shop_page.post(f"/penawaran/{offer.id}/terkirim").status_code == 403
    assert buyer_page.post(f"/penawaran/{offer.id}/terkirim").status_code == 302
    assert shop_page.post(f"/penawaran/{offer.id}/konfirmasi").status_code == 302
    assert fetch(Offer, offer.id).status == "completed"
    spend = client.get("/wilayah/73.73/belanja-lembaga").get_data(as_text=True)
    assert "Rp4.250.000" in spend and "Konveksi Hj. Marwah" in spend
    assert "Rp4.250.000" in client.get("/wilayah/73.73").get_data(as_text=True)
    ranking = client.get("/peringkat?metric=institutional&perspective=shop_region").get_data(as_text=True)
    assert "Rp4.250.000" in ranking
    tallies_agree()


def test_accepting_more_than_is_left_is_refused_with_a_message(app, make_need, make_offer, login_as, fetch):
    buyer, need_id = make_need(quantity=100)
    _, first = make_offer(need_id, quantity=70)
    _, second = make_offer(need_id, quantity=70)
    page = login_as(buyer)
    page.post(f"/penawaran/{first}/terima")
    response = page.post(f"/penawaran/{second}/terima", follow_redirects=True)
    assert "melebihi sisa kebutuhan" in response.get_data(as_text=True)
    assert fetch(Need, need_id).accepted_quantity == 70


def test_coordinator_sees_needs_without_offers_and_shops_that_never_offered(app, make_need, make_shop,
                                                                           make_staff, login_as):
    make_need()
    idle = make_shop(name="Warung Belum Menawar")
    page = login_as(make_staff(region="73.73")).get("/koordinator/kebutuhan/73.73").get_data(as_text=True)
    assert "Baju APD untuk RSUD" in page and "Warung Belum Menawar" in page and f"/toko/{idle}" in page
    assert login_as(make_staff(region="73.71")).get("/koordinator/kebutuhan/73.73").status_code == 403
