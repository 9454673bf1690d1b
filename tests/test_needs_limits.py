"""Institutional spend bounded like ASN spend (issue 16, item 1): limits on quantity, unit price
and deal value, a deal never above the need's budget, a daily limit per organisation, a safe
maximum for every total (checked first, a CHECK behind it), check-tallies that reports what it
cannot read, and a coordinator's void of a completed deal."""
from datetime import timedelta

import pytest
from api_helpers import error_of, token_for
from helpers import province_today, user
from needs_helpers import complete_deal, institutional_spend
from sqlalchemy import insert, literal, select, update
from sqlalchemy.exc import IntegrityError

from campaign.core.audit import AuditEvent
from campaign.core.errors import Conflict, LimitExceeded, PermissionDenied, ValidationFailed
from campaign.core.extensions import db
from campaign.core.money import SAFE_MAX
from campaign.domains.needs import services, voids
from campaign.domains.needs.models import InstitutionalTally, Need, Offer
from campaign.domains.purchases.models import Purchase


def _accept(app, buyer, offer_id, quantity=None) -> str:
    with app.app_context():
        return services.accept_offer(actor=user(buyer), offer_id=offer_id, quantity=quantity).status


# --- the issue's deal: Rp10^17 in one go -----------------------------------------------------

@pytest.fixture
def board(api, make_buyer, make_owner, make_shop):
    owner, buyer_id = make_buyer()
    maker = make_owner()
    shop_id = make_shop(owner=maker, category="fesyen", region="73.73")
    return {"buyer": token_for(api, owner), "maker": token_for(api, maker), "buyer_id": buyer_id, "shop_id": shop_id}


def _post_need(api, board, **changes):
    return api.post("/needs", token=board["buyer"], json={
        "buyer_id": board["buyer_id"], "title": "Baju APD", "category": "fesyen", "quantity": 100, "unit": "potong",
        "budget_min": 0, "budget_max": 10_000_000, "regions": ["73.73"],
        "deadline": (province_today() + timedelta(days=7)).isoformat(), "delivery_place": "RSUD", **changes})


def _send_offer(api, board, need_id, **changes):
    return api.post("/offers", token=board["maker"], json={
        "need_id": need_id, "shop_id": board["shop_id"], "unit_price": 100_000, "quantity": 100,
        "delivery_date": province_today().isoformat(), **changes})


def test_the_issues_deal_of_a_million_units_at_rp100_billion_is_refused(api, board):
    """It added Rp10^17 in under a second; now each part of it is a 422 limit_exceeded."""
    huge = _post_need(api, board, quantity=1_000_000, budget_max=100_000_000_000)
    assert huge.status_code == 422 and error_of(huge)["code"] == "limit_exceeded"
    assert "quantity" in error_of(huge)["fields"]
    over_budget = _post_need(api, board, budget_max=100_000_000_000)
    assert over_budget.status_code == 422 and "budget_max" in error_of(over_budget)["fields"]
    need_id = _post_need(api, board, budget_max=5_000_000_000).get_json()["id"]
    price = _send_offer(api, board, need_id, unit_price=100_000_000_000)
    assert price.status_code == 422 and error_of(price)["code"] == "limit_exceeded"
    assert "Harga satuan paling tinggi Rp100.000.000" in error_of(price)["message"]


def test_an_offer_priced_above_the_needs_whole_budget_is_refused(api, board):
    need_id = _post_need(api, board, budget_max=1_000_000).get_json()["id"]
    response = _send_offer(api, board, need_id, unit_price=1_500_000, quantity=1)
    assert response.status_code == 422 and "anggaran maksimal kebutuhan" in error_of(response)["message"]


def test_a_deal_never_above_the_needs_budget_max(api, board, app, fetch):
    need_id = _post_need(api, board, budget_max=10_000_000).get_json()["id"]
    offer_id = _send_offer(api, board, need_id, unit_price=200_000, quantity=100).get_json()["id"]
    whole = api.post(f"/offers/{offer_id}/accept", token=board["buyer"])  # Rp20.000.000
    assert whole.status_code == 422 and error_of(whole)["code"] == "limit_exceeded"
    assert "sisa anggaran maksimal kebutuhan (Rp10.000.000 dari Rp10.000.000)" in error_of(whole)["message"]
    assert fetch(Offer, offer_id).status == "sent" and fetch(Offer, offer_id).accepted_quantity is None
    assert api.post(f"/offers/{offer_id}/accept", json={"quantity": 50}, token=board["buyer"]).status_code == 200


@pytest.mark.parametrize("app_config", [{"DEAL_MAX_AMOUNT": 5_000_000}])
def test_one_deal_at_most_the_configured_deal_value(api, board):
    need_id = _post_need(api, board).get_json()["id"]
    offer_id = _send_offer(api, board, need_id, unit_price=60_000, quantity=100).get_json()["id"]
    refused = api.post(f"/offers/{offer_id}/accept", token=board["buyer"])
    assert refused.status_code == 422 and "Nilai satu transaksi paling besar Rp5.000.000" in error_of(refused)["message"]
    assert api.post(f"/offers/{offer_id}/accept", json={"quantity": 80}, token=board["buyer"]).status_code == 200


@pytest.mark.parametrize("app_config", [{"DEAL_LIMIT_AMOUNT_PER_DAY": 8_000_000}])
def test_deals_per_organisation_per_day_are_limited(app, make_need, make_offer, make_buyer):
    buyer = make_buyer()
    first = make_need(buyer=buyer)[1]
    second = make_need(buyer=buyer)[1]
    _, offer_a = make_offer(first, quantity=50, unit_price=100_000)  # Rp5.000.000
    _, offer_b = make_offer(second, quantity=50, unit_price=100_000)
    _accept(app, buyer[0], offer_a)
    with pytest.raises(LimitExceeded, match="Rp8.000.000 per hari terlampaui; sisa hari ini Rp3.000.000"):
        _accept(app, buyer[0], offer_b)
    assert _accept(app, buyer[0], offer_b, quantity=30) == "accepted"  # Rp3.000.000 fits


def test_limits_come_from_the_configuration(app, make_buyer):
    owner, buyer_id = make_buyer()
    app.config["NEED_MAX_QUANTITY"] = 10
    with app.app_context(), pytest.raises(LimitExceeded, match="paling banyak 10 per kebutuhan"):
        services.post_need(actor=user(owner), buyer_id=buyer_id, title="Masker", category="fesyen", quantity=11,
                           unit="lembar", budget_min=0, budget_max=1_000_000, region_codes=["73.73"],
                           deadline=province_today(), delivery_place="Posko")


# --- the safe maximum -----------------------------------------------------------------------

def test_a_region_total_never_passes_the_safe_maximum(app, make_need, make_offer, fetch, tallies_agree):
    """92 deals of Rp10^17 overflowed PostgreSQL's bigint and turned SQLite's tally into a float."""
    buyer, need_id = make_need()
    shop_owner, offer_id = make_offer(need_id)
    first, other = make_offer(need_id, quantity=10)
    complete_deal(app, buyer, first, other)
    with app.app_context():
        db.session.execute(update(InstitutionalTally).values(amount=SAFE_MAX - 1_000_000))
        db.session.commit()
    with pytest.raises(LimitExceeded, match="melebihi batas aman"):
        complete_deal(app, buyer, shop_owner, offer_id)
    assert fetch(Offer, offer_id).status == "delivered"
    assert [t.amount for t in fetch(select(InstitutionalTally))] == [SAFE_MAX - 1_000_000]


@pytest.mark.parametrize("statement", [
    lambda: insert(InstitutionalTally).from_select(
        ["campaign_id", "region_id", "amount", "deals"],
        select(Need.campaign_id, Offer.shop_region_id, literal(SAFE_MAX + 1), literal(1)).join(Offer.need)),
    lambda: update(Offer).values(unit_price=10 ** 12),
    lambda: update(Offer).values(unit_price=10 ** 10, accepted_quantity=1_000_000),
    lambda: update(Purchase).values(amount=SAFE_MAX + 1),
])
def test_the_database_refuses_money_past_the_safe_maximum(app, make_need, make_offer, make_asn, make_shop,
                                                          make_purchase, statement):
    buyer, need_id = make_need(quantity=1_000_000 // 10)
    make_offer(need_id)
    make_purchase(buyer=make_asn(), shop_id=make_shop())
    with app.app_context():
        with pytest.raises(IntegrityError):
            db.session.execute(statement())
            db.session.flush()
        db.session.rollback()


def test_check_tallies_reports_sums_it_cannot_compute_instead_of_crashing(app, runner, make_asn, make_shop,
                                                                          make_purchase):
    """SQLite's SUM stops with "integer overflow" past 2**63; the command said nothing but a traceback."""
    make_purchase(buyer=make_asn(), shop_id=make_shop())
    with app.app_context():
        row = db.session.execute(select(Purchase.__table__)).mappings().one()
        copies = [{**row, "id": None, "amount": SAFE_MAX, "client_ref": None} for _ in range(1_100)]
        for copy in copies:
            copy.pop("id")
        db.session.execute(insert(Purchase.__table__), copies)
        db.session.commit()
    result = runner.invoke(args=["check-tallies"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "selisih ditemukan" in result.output


# --- a coordinator voids a completed deal -----------------------------------------------------

def test_a_coordinator_voids_a_completed_deal_and_it_leaves_the_institutionalinstitutional_spend(
        app, make_need, make_offer, make_staff, login_as, fetch, tallies_agree):
    buyer, need_id = make_need()
    shop_owner, offer_id = make_offer(need_id)
    complete_deal(app, buyer, shop_owner, offer_id)
    assert institutional_spend(app) == (5_700_000, 1)
    client = login_as(make_staff(region="73.73"))
    page = client.get("/koordinator/kebutuhan/73.73/transaksi").get_data(as_text=True)
    assert "Baju APD untuk RSUD" in page and "Rp5.700.000" in page and f"/penawaran/{offer_id}/batalkan" in page
    short = client.post(f"/penawaran/{offer_id}/batalkan", data={"reason": "x"}, follow_redirects=True)
    assert "minimal 5 karakter" in short.get_data(as_text=True) and fetch(Offer, offer_id).status == "completed"
    done = client.post(f"/penawaran/{offer_id}/batalkan", data={"reason": "Transaksi fiktif, barang tidak ada"},
                       follow_redirects=True)
    assert "Transaksi dibatalkan" in done.get_data(as_text=True)
    offer = fetch(Offer, offer_id)
    assert (offer.status, offer.void_reason) == ("voided", "Transaksi fiktif, barang tidak ada")
    assert institutional_spend(app) == (0, 0)
    event = fetch(select(AuditEvent).where(AuditEvent.action == "offer.voided"))[0]
    assert event.after["reason"] == "Transaksi fiktif, barang tidak ada" and event.after["amount"] == 5_700_000
    again = client.post(f"/penawaran/{offer_id}/batalkan", data={"reason": "Sekali lagi"}, follow_redirects=True)
    assert "Hanya transaksi yang sudah selesai" in again.get_data(as_text=True)
    tallies_agree()


def test_only_the_shop_regions_coordinator_or_an_admin_voids_a_deal(app, make_need, make_offer, make_staff,
                                                                    login_as, fetch):
    buyer, need_id = make_need()
    shop_owner, offer_id = make_offer(need_id)
    complete_deal(app, buyer, shop_owner, offer_id)
    reason = {"reason": "Transaksi fiktif"}
    assert login_as(make_staff(region="73.71")).post(f"/penawaran/{offer_id}/batalkan", data=reason).status_code == 403
    with app.app_context():
        with pytest.raises(PermissionDenied):
            voids.void_deal(actor=user(shop_owner), offer_id=offer_id, reason="Transaksi fiktif")
        with pytest.raises(ValidationFailed):
            voids.void_deal(actor=user(make_staff(role="admin")), offer_id=offer_id, reason="  ")
    assert fetch(Offer, offer_id).status == "completed"


def test_the_api_voids_a_completed_deal(api, app, make_need, make_offer, make_staff, tallies_agree):
    buyer, need_id = make_need()
    shop_owner, offer_id = make_offer(need_id)
    _accept(app, buyer, offer_id)
    token = token_for(api, make_staff(region="73.73"))
    early = api.post(f"/offers/{offer_id}/void", json={"reason": "Transaksi fiktif"}, token=token)
    assert early.status_code == 409  # accepted, not completed: nothing to take out yet
    with app.app_context():
        services.record_delivery(actor=user(buyer), offer_id=offer_id)
        services.confirm_delivery(actor=user(shop_owner), offer_id=offer_id)
    voided = api.post(f"/offers/{offer_id}/void", json={"reason": "Transaksi fiktif"}, token=token)
    assert voided.status_code == 200 and voided.get_json()["status"] == "voided"
    assert api.get("/regions/73.73/institutional").get_json()["amount"] == 0
    with app.app_context(), pytest.raises(Conflict):
        voids.void_deal(actor=user(make_staff(role="admin")), offer_id=offer_id, reason="Transaksi fiktif")
    tallies_agree()
