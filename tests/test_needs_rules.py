"""Every rule of the needs board, at the service layer (the HTML views and the API share it)."""
from datetime import timedelta

import pytest
from helpers import province_today, user
from sqlalchemy import select

from campaign.core.audit import AuditEvent
from campaign.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from campaign.core.extensions import db
from campaign.domains.buyers import services as buyers
from campaign.domains.needs import queries, services, standing
from campaign.domains.needs.models import Need, Offer


def _accept(app, buyer, offer_id, quantity=None):
    with app.app_context():
        return services.accept_offer(actor=user(buyer), offer_id=offer_id, quantity=quantity).status


def _complete(app, buyer, shop_owner, offer_id, quantity=None):
    _accept(app, buyer, offer_id, quantity)
    with app.app_context():
        services.record_delivery(actor=user(buyer), offer_id=offer_id)
        return services.confirm_delivery(actor=user(shop_owner), offer_id=offer_id).deal_amount


# --- buyer organisations -----------------------------------------------------------------

def test_buyer_is_verified_by_its_regions_coordinator_or_an_admin(app, make_buyer, make_staff, fetch):
    _, buyer_id = make_buyer(status="pending", region="73.73")
    with app.app_context():
        with pytest.raises(PermissionDenied):
            buyers.verify_buyer(actor=user(make_staff(region="73.71")), buyer_id=buyer_id)
        buyers.verify_buyer(actor=user(make_staff(region="73.73")), buyer_id=buyer_id)
        with pytest.raises(Conflict):
            buyers.verify_buyer(actor=user(make_staff(role="admin")), buyer_id=buyer_id)
    actions = [e.action for e in fetch(select(AuditEvent).where(AuditEvent.entity_type == "buyerorganisation"))]
    assert actions == ["buyer.registered", "buyer.verified"]


def test_rejecting_a_buyer_needs_a_reason(app, make_buyer, make_staff):
    _, buyer_id = make_buyer(status="pending")
    with app.app_context(), pytest.raises(ValidationFailed):
        buyers.reject_buyer(actor=user(make_staff(role="admin")), buyer_id=buyer_id, reason="no")


def test_buyer_kind_from_the_list(app, make_owner):
    with app.app_context(), pytest.raises(ValidationFailed) as info:
        buyers.register_buyer(owner=user(make_owner()), name="PT Maju", kind="bank", region_code="73.73",
                              address="Jl. Sudirman", whatsapp="0813-5555-0001")
    assert "kind" in info.value.fields


# --- posting a need --------------------------------------------------------------------

@pytest.mark.parametrize("status", ["pending", "rejected"])
def test_only_verified_buyers_post_needs(app, make_buyer, make_need, status):
    with pytest.raises(PermissionDenied, match="diverifikasi"):
        make_need(buyer=make_buyer(status=status))


def test_only_the_organisations_owner_posts_for_it(app, make_buyer, make_need, make_owner):
    _, buyer_id = make_buyer()
    with pytest.raises(PermissionDenied):
        make_need(buyer=(make_owner(), buyer_id))


@pytest.mark.parametrize("change, field", [
    ({"quantity": 0}, "quantity"), ({"budget_min": 5_000_000, "budget_max": 1_000_000}, "budget_max"),
    ({"region_codes": []}, "regions"), ({"region_codes": ["73.73", "99.99"]}, "regions"),
    ({"deadline": "yesterday"}, "deadline"), ({"category": "senjata"}, "category"), ({"title": " "}, "title"),
])
def test_need_shape(app, make_buyer, change, field):
    owner, buyer_id = make_buyer()
    values = {"title": "Nasi kotak", "category": "kuliner", "quantity": 500, "unit": "kotak", "budget_min": 0,
              "budget_max": 10_000_000, "region_codes": ["73.73"], "deadline": province_today(),
              "delivery_place": "Posko", **change}
    if values["deadline"] == "yesterday":
        values["deadline"] = province_today() - timedelta(days=1)
    with app.app_context(), pytest.raises(ValidationFailed) as info:
        services.post_need(actor=user(owner), buyer_id=buyer_id, **values)
    assert field in info.value.fields


# --- offers -------------------------------------------------------------------------------

@pytest.mark.parametrize("status", ["pending", "rejected"])
def test_only_verified_shops_offer(app, make_need, make_owner, make_shop, status):
    _, need_id = make_need()
    owner = make_owner()
    shop = make_shop(owner=owner, category="fesyen", status=status)
    with app.app_context(), pytest.raises(PermissionDenied, match="terverifikasi"):
        services.send_offer(actor=user(owner), need_id=need_id, shop_id=shop, unit_price=90_000, quantity=10,
                            delivery_date=province_today())


@pytest.mark.parametrize("category, region", [("kuliner", "73.73"), ("fesyen", "73.71")])
def test_offer_only_from_a_matching_category_and_region(app, make_need, make_owner, make_shop, category, region):
    _, need_id = make_need(regions=("73.73",))
    owner = make_owner()
    shop = make_shop(owner=owner, category=category, region=region)
    with app.app_context():
        assert queries.shops_that_may_offer(owner.id, db.session.get(Need, need_id)) == []
        with pytest.raises(PermissionDenied, match="tidak sesuai"):
            services.send_offer(actor=user(owner), need_id=need_id, shop_id=shop, unit_price=90_000, quantity=10,
                                delivery_date=province_today())


def test_one_offer_per_shop_and_need(app, make_need, make_offer, make_shop):
    _, need_id = make_need()
    owner, offer_id = make_offer(need_id)
    with app.app_context():
        shop_id = db.session.get(Offer, offer_id).shop_id
        with pytest.raises(Conflict):
            services.send_offer(actor=user(owner), need_id=need_id, shop_id=shop_id, unit_price=1_000, quantity=1,
                                delivery_date=province_today())


def test_offer_quantity_at_most_the_need(app, make_need, make_offer):
    _, need_id = make_need(quantity=100)
    with pytest.raises(ValidationFailed) as info:
        make_offer(need_id, quantity=101)
    assert "quantity" in info.value.fields


def test_not_an_offer_to_ones_own_organisation(app, make_buyer, make_need, make_shop):
    owner, buyer_id = make_buyer()
    _, need_id = make_need(buyer=(owner, buyer_id))
    shop = make_shop(owner=owner, category="fesyen")
    with app.app_context(), pytest.raises(PermissionDenied, match="sendiri"):
        services.send_offer(actor=user(owner), need_id=need_id, shop_id=shop, unit_price=90_000, quantity=10,
                            delivery_date=province_today())


def test_no_offer_after_the_need_closed(app, make_need, make_offer):
    buyer, need_id = make_need()
    with app.app_context():
        services.close_need(actor=user(buyer), need_id=need_id)
    with pytest.raises(Conflict, match="ditutup"):
        make_offer(need_id)


def test_kebutuhan_untuk_anda_lists_fitting_needs_once_per_shop(app, make_need, make_owner, make_shop):
    _, apd = make_need(regions=("73.73", "73.22"))
    make_need(category="kuliner")
    owner = make_owner()
    shop = make_shop(owner=owner, category="fesyen", region="73.22", name="Konveksi Masamba")
    make_shop(owner=owner, category="fesyen", region="73.71")  # region not wanted by the need
    with app.app_context():
        rows = queries.needs_for_owner(owner.id)
        assert [(need.id, shops) for need, shops in rows] == [(apd, [(shop, "Konveksi Masamba")])]
        services.send_offer(actor=user(owner), need_id=apd, shop_id=shop, unit_price=90_000, quantity=10,
                            delivery_date=province_today())
        assert queries.needs_for_owner(owner.id) == []


# --- accepting, splitting, delivering -----------------------------------------------------

def test_split_acceptance_never_over_the_quantity(app, make_need, make_offer, fetch):
    buyer, need_id = make_need(quantity=100)
    _, first = make_offer(need_id, quantity=60)
    _, second = make_offer(need_id, quantity=60)
    _, third = make_offer(need_id, quantity=60)
    assert _accept(app, buyer, first) == "accepted"
    with pytest.raises(Conflict, match="melebihi sisa"):
        _accept(app, buyer, second)
    assert _accept(app, buyer, second, quantity=40) == "accepted"
    need = fetch(Need, need_id)
    assert (need.accepted_quantity, need.status) == (100, "closed")
    assert fetch(Offer, third).status == "declined"
    assert fetch(Offer, second).accepted_quantity == 40


def test_database_refuses_accepted_quantity_over_the_need(app, make_need):
    from sqlalchemy import update
    from sqlalchemy.exc import IntegrityError

    _, need_id = make_need(quantity=10)
    with app.app_context():
        with pytest.raises(IntegrityError):
            db.session.execute(update(Need).where(Need.id == need_id).values(accepted_quantity=11))
            db.session.commit()
        db.session.rollback()


def test_only_the_buyer_accepts(app, make_need, make_offer):
    _, need_id = make_need()
    shop_owner, offer_id = make_offer(need_id)
    with pytest.raises(PermissionDenied):
        _accept(app, shop_owner, offer_id)


def test_accepting_twice_is_a_conflict(app, make_need, make_offer):
    buyer, need_id = make_need()
    _, offer_id = make_offer(need_id, quantity=10)
    _accept(app, buyer, offer_id)
    with pytest.raises(Conflict):
        _accept(app, buyer, offer_id)


def test_whatsapp_links_only_after_acceptance(app, make_need, make_offer):
    buyer, need_id = make_need()
    shop_owner, offer_id = make_offer(need_id)
    with app.app_context():
        need = db.session.get(Need, need_id)
        assert queries.offers_for_buyer(need)[0].whatsapp_url is None
        assert queries.offers_of_owner(shop_owner.id)[0].whatsapp_url is None
    _accept(app, buyer, offer_id)
    with app.app_context():
        need = db.session.get(Need, need_id)
        assert queries.offers_for_buyer(need)[0].whatsapp_url.startswith("https://wa.me/62812")
        assert queries.offers_of_owner(shop_owner.id)[0].whatsapp_url.startswith("https://wa.me/6281355550001")


def test_delivery_recorded_by_the_buyer_confirmed_by_the_shop(app, make_need, make_offer):
    buyer, need_id = make_need()
    shop_owner, offer_id = make_offer(need_id)
    with app.app_context():
        with pytest.raises(Conflict):
            services.record_delivery(actor=user(buyer), offer_id=offer_id)
    _accept(app, buyer, offer_id)
    with app.app_context():
        with pytest.raises(Conflict):
            services.confirm_delivery(actor=user(shop_owner), offer_id=offer_id)
        with pytest.raises(PermissionDenied):
            services.record_delivery(actor=user(shop_owner), offer_id=offer_id)
        services.record_delivery(actor=user(buyer), offer_id=offer_id)
        with pytest.raises(PermissionDenied):
            services.confirm_delivery(actor=user(buyer), offer_id=offer_id)
        assert services.confirm_delivery(actor=user(shop_owner), offer_id=offer_id).status == "completed"


def test_withdraw_only_while_waiting(app, make_need, make_offer):
    buyer, need_id = make_need()
    shop_owner, offer_id = make_offer(need_id)
    _accept(app, buyer, offer_id)
    with app.app_context(), pytest.raises(Conflict):
        services.withdraw_offer(actor=user(shop_owner), offer_id=offer_id)


# --- institutional spend ---------------------------------------------------------------

def test_completed_deals_are_the_shop_regions_institutional_spend(app, make_need, make_offer, tallies_agree):
    buyer, need_id = make_need(quantity=100, regions=("73.73", "73.22"))
    palopo_owner, palopo_offer = make_offer(need_id, quantity=60, unit_price=95_000, region="73.73")
    lutra_owner, lutra_offer = make_offer(need_id, quantity=40, unit_price=90_000, region="73.22")
    assert _complete(app, buyer, palopo_owner, palopo_offer) == 60 * 95_000
    _accept(app, buyer, lutra_offer)  # accepted, not yet delivered: not counted
    with app.app_context():
        assert standing.region_institutional(code="73.73", campaign_id=None).amount == 5_700_000
        assert standing.region_institutional(code="73.22", campaign_id=None).amount == 0
        services.record_delivery(actor=user(buyer), offer_id=lutra_offer)
        services.confirm_delivery(actor=user(lutra_owner), offer_id=lutra_offer)
        lutra = standing.region_institutional(code="73.22", campaign_id=None)
        assert (lutra.amount, lutra.deals, lutra.rank) == (3_600_000, 1, 2)
    tallies_agree()


def test_institutional_spend_is_not_asn_spend(app, make_need, make_offer):
    from campaign.domains.leaderboard.queries import get_standings

    buyer, need_id = make_need()
    shop_owner, offer_id = make_offer(need_id)
    _complete(app, buyer, shop_owner, offer_id)
    with app.app_context():
        rows = {r.region_code: r for r in get_standings(campaign_id=None, metric="realized",
                                                         perspective="shop_region").rows}
        assert rows["73.73"].realized == 0 and rows["73.73"].verified == 0


def test_unknown_offer_is_not_found(app, make_need):
    buyer, _ = make_need()
    with app.app_context(), pytest.raises(NotFound):
        services.accept_offer(actor=user(buyer), offer_id=999_999)
