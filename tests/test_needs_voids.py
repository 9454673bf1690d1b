"""A coordinator's void of a completed deal on the needs board, and its undo (issue 16, item 1):
undone within BULK_VOID_UNDO_DAYS as a bulk void is, audited, the institutional tally moved back in
the same transaction, check-tallies clean; the buyer organisation and the shop's owner hear of
both, on the page and through the API."""
from datetime import timedelta

import pytest
from api_helpers import error_of, token_for
from helpers import user
from needs_helpers import complete_deal, institutional_spend
from sqlalchemy import select, update

from campaign.core.audit import AuditEvent
from campaign.core.errors import Conflict, LimitExceeded, PermissionDenied
from campaign.core.extensions import db
from campaign.domains.needs import voids
from campaign.domains.needs.models import Offer
from campaign.domains.notifications.models import Notification
from campaign.util.formatting import utcnow

VOIDS = "/koordinator/kebutuhan/73.73/transaksi"


def _heard(fetch, person, kind):
    return [n.message for n in fetch(select(Notification).where(Notification.user_id == person.id,
                                                                Notification.kind == kind))]


@pytest.fixture
def deal(app, make_need, make_offer):
    """A completed deal of Rp5.700.000 (60 x Rp95.000) at a Palopo shop: (buyer, shop owner, offer id)."""
    buyer, need_id = make_need()
    shop_owner, offer_id = make_offer(need_id)
    complete_deal(app, buyer, shop_owner, offer_id)
    return buyer, shop_owner, offer_id


def test_a_void_is_undone_on_the_coordinators_page_and_the_deal_counts_again(app, deal, make_staff, login_as,
                                                                             fetch, runner, tallies_agree):
    buyer, shop_owner, offer_id = deal
    client = login_as(make_staff(region="73.73"))
    client.post(f"/penawaran/{offer_id}/batalkan", data={"reason": "Barang tidak pernah dikirim"})
    assert institutional_spend(app) == (0, 0)
    page = client.get(VOIDS).get_data(as_text=True)
    assert "Transaksi yang dibatalkan" in page and "Barang tidak pernah dikirim" in page
    assert f"/penawaran/{offer_id}/urungkan-pembatalan" in page and "Urungkan pembatalan (sampai" in page
    done = client.post(f"/penawaran/{offer_id}/urungkan-pembatalan", follow_redirects=True).get_data(as_text=True)
    assert "Pembatalan diurungkan: transaksi kembali tercatat" in done
    offer = fetch(Offer, offer_id)
    assert (offer.status, offer.void_reason, offer.voided_at) == ("completed", None, None)
    assert institutional_spend(app) == (5_700_000, 1)
    event = fetch(select(AuditEvent).where(AuditEvent.action == "offer.completed")
                  .order_by(AuditEvent.id.desc()))[0]
    assert event.before == {"status": "voided"}
    assert event.after["undone_void"]["reason"] == "Barang tidak pernah dikirim" and event.after["amount"] == 5_700_000
    again = client.post(f"/penawaran/{offer_id}/urungkan-pembatalan", follow_redirects=True)
    assert "Hanya transaksi yang dibatalkan yang dapat diurungkan" in again.get_data(as_text=True)
    assert institutional_spend(app) == (5_700_000, 1)
    assert runner.invoke(args=["check-tallies"]).exit_code == 0
    tallies_agree()


def test_an_undo_only_within_the_bulk_void_window(app, deal, make_staff, login_as, fetch):
    _buyer, _owner, offer_id = deal
    client = login_as(make_staff(region="73.73"))
    client.post(f"/penawaran/{offer_id}/batalkan", data={"reason": "Transaksi fiktif"})
    days = app.config["BULK_VOID_UNDO_DAYS"]
    with app.app_context():
        db.session.execute(update(Offer).where(Offer.id == offer_id)
                           .values(voided_at=utcnow() - timedelta(days=days, minutes=1)))
        db.session.commit()
    assert "Batas waktu urung sudah lewat." in client.get(VOIDS).get_data(as_text=True)
    late = client.post(f"/penawaran/{offer_id}/urungkan-pembatalan", follow_redirects=True)
    assert f"Batas waktu urung ({days} hari) sudah lewat." in late.get_data(as_text=True)
    assert fetch(Offer, offer_id).status == "voided" and institutional_spend(app) == (0, 0)


def test_only_the_shop_regions_coordinator_or_an_admin_undoes(app, deal, make_staff, login_as, fetch):
    buyer, shop_owner, offer_id = deal
    login_as(make_staff(region="73.73")).post(f"/penawaran/{offer_id}/batalkan", data={"reason": "Transaksi fiktif"})
    assert login_as(make_staff(region="73.71")).post(f"/penawaran/{offer_id}/urungkan-pembatalan").status_code == 403
    with app.app_context():
        for person in (buyer, shop_owner):
            with pytest.raises(PermissionDenied):
                voids.undo_void(actor=user(person), offer_id=offer_id)
    assert fetch(Offer, offer_id).status == "voided"
    with app.app_context():
        voids.undo_void(actor=user(make_staff(role="admin")), offer_id=offer_id)
    assert fetch(Offer, offer_id).status == "completed" and institutional_spend(app) == (5_700_000, 1)


def test_an_undo_is_refused_when_the_needs_budget_went_to_another_deal(app, make_need, make_offer, make_staff,
                                                                       tallies_agree):
    """While a deal is void its value is free: the buyer may accept another offer with it, and then
    the undo would pass the need's budget_max (Rp20.000.000)."""
    buyer, need_id = make_need(quantity=400)
    first_owner, first = make_offer(need_id, quantity=150, unit_price=100_000)
    second_owner, second = make_offer(need_id, quantity=100, unit_price=100_000)
    complete_deal(app, buyer, first_owner, first)  # Rp15.000.000
    admin = make_staff(role="admin")
    with app.app_context():
        voids.void_deal(actor=user(admin), offer_id=first, reason="Transaksi fiktif")
    complete_deal(app, buyer, second_owner, second)  # Rp10.000.000: fits only while the first is void
    with app.app_context(), pytest.raises(LimitExceeded, match="melebihi sisa anggaran maksimal kebutuhan"):
        voids.undo_void(actor=user(admin), offer_id=first)
    assert institutional_spend(app) == (10_000_000, 1)
    tallies_agree()


def test_an_undo_is_refused_over_the_organisations_limit_for_the_deals_day(app, deal, make_need, make_offer,
                                                                           make_staff):
    buyer, shop_owner, offer_id = deal
    admin = make_staff(role="admin")
    with app.app_context():
        voids.void_deal(actor=user(admin), offer_id=offer_id, reason="Transaksi fiktif")
    app.config["DEAL_LIMIT_AMOUNT_PER_DAY"] = 10_000_000
    _owner, need_id = make_need(buyer=(buyer, _buyer_id(app, offer_id)))
    other_owner, other = make_offer(need_id, quantity=50, unit_price=100_000)
    complete_deal(app, buyer, other_owner, other)  # Rp5.000.000 the same day: with the void's 5.700.000, over 10.000.000
    with app.app_context(), pytest.raises(LimitExceeded, match="per hari pada hari transaksi ini"):
        voids.undo_void(actor=user(admin), offer_id=offer_id)
    app.config["DEAL_LIMIT_AMOUNT_PER_DAY"] = 10_700_000
    with app.app_context():
        assert voids.undo_void(actor=user(admin), offer_id=offer_id).status == "completed"
    assert institutional_spend(app) == (10_700_000, 2)


def _buyer_id(app, offer_id):
    with app.app_context():
        return db.session.get(Offer, offer_id).need.buyer_id


def test_the_buyer_organisation_and_the_shop_owner_hear_of_a_void_and_its_undo(app, deal, make_staff, login_as,
                                                                              fetch):
    buyer, shop_owner, offer_id = deal
    client = login_as(make_staff(region="73.73"))
    client.post(f"/penawaran/{offer_id}/batalkan", data={"reason": "Barang tidak pernah dikirim"})
    for person in (buyer, shop_owner):
        [message] = _heard(fetch, person, "offer.voided")
        assert message.startswith("Transaksi \u201cBaju APD untuk RSUD\u201d antara Yayasan Peduli Luwu Raya dan ")
        assert "(Rp5.700.000) dibatalkan koordinator" in message
        assert message.endswith("Alasan: Barang tidak pernah dikirim")
    assert "Transaksi lembaga dibatalkan koordinator" in login_as(shop_owner).get("/notifikasi/").get_data(as_text=True)
    client.post(f"/penawaran/{offer_id}/urungkan-pembatalan")
    for person in (buyer, shop_owner):
        [message] = _heard(fetch, person, "offer.restored")
        assert "diurungkan koordinator: Rp5.700.000 kembali tercatat sebagai belanja lembaga." in message


def test_the_api_undoes_a_void(api, app, deal, make_staff, fetch, runner):
    buyer, shop_owner, offer_id = deal
    token = token_for(api, make_staff(region="73.73"))
    early = api.post(f"/offers/{offer_id}/void/undo", token=token)
    assert early.status_code == 409 and error_of(early)["code"] == "conflict"  # not voided
    assert api.post(f"/offers/{offer_id}/void", json={"reason": "Transaksi fiktif"}, token=token).status_code == 200
    assert api.get("/regions/73.73/institutional").get_json()["amount"] == 0
    undone = api.post(f"/offers/{offer_id}/void/undo", token=token)
    assert undone.status_code == 200 and undone.get_json()["status"] == "completed"
    assert api.get("/regions/73.73/institutional").get_json()["amount"] == 5_700_000
    other = token_for(api, make_staff(region="73.71"))
    api.post(f"/offers/{offer_id}/void", json={"reason": "Transaksi fiktif"}, token=token)
    refused = api.post(f"/offers/{offer_id}/void/undo", token=other)
    assert refused.status_code == 403 and error_of(refused)["code"] == "forbidden"
    assert len(_heard(fetch, shop_owner, "offer.voided")) == 2 and len(_heard(fetch, buyer, "offer.restored")) == 1
    assert runner.invoke(args=["check-tallies"]).exit_code == 0
    with app.app_context(), pytest.raises(Conflict):
        voids.void_deal(actor=user(make_staff(role="admin")), offer_id=offer_id, reason="Sekali lagi")
