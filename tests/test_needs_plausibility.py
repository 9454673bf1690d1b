"""Plausibility flags on the needs board (issue 16, item 1): a deal far above the organisation's
or the category's usual value, a new organisation dealing with a new shop, one organisation-shop
pair holding most of a region's institutional spend. Shown on the coordinator's deals page; they
change no figure."""
from datetime import timedelta

import pytest
from helpers import province_today, user
from sqlalchemy import update

from campaign.core.extensions import db
from campaign.domains.needs import services
from campaign.domains.needs.models import BuyerOrganisation, Offer
from campaign.domains.needs.plausibility import deal_flags
from campaign.domains.regions.services import current_campaign, region_by_code
from campaign.util.formatting import utcnow

OLD = {"FLAG_DEAL_NEW_DAYS": 0}  # the other rules alone


def _complete(app, buyer, shop_owner, offer_id):
    with app.app_context():
        services.accept_offer(actor=user(buyer), offer_id=offer_id)
        services.record_delivery(actor=user(buyer), offer_id=offer_id)
        services.confirm_delivery(actor=user(shop_owner), offer_id=offer_id)


def _flags(app, code="73.73"):
    with app.app_context():
        return deal_flags(campaign_id=current_campaign().id, region_id=region_by_code(code).id)


@pytest.mark.parametrize("app_config", [OLD])
def test_a_deal_far_above_the_organisations_usual_is_flagged(app, make_buyer, make_need, make_offer):
    buyer = make_buyer()
    small_owner, small = make_offer(make_need(buyer=buyer)[1], quantity=10, unit_price=50_000)  # Rp500.000
    big_owner, big = make_offer(make_need(buyer=buyer)[1], quantity=60, unit_price=300_000)  # Rp18.000.000
    _complete(app, buyer[0], small_owner, small)
    _complete(app, buyer[0], big_owner, big)
    flags = _flags(app)
    assert list(flags) == [big]
    assert flags[big] == ["Nilai Rp18.000.000 jauh di atas transaksi lembaga ini biasanya (median Rp500.000)."]


@pytest.mark.parametrize("app_config", [OLD])
def test_a_new_organisations_first_deal_is_measured_against_its_category(app, make_buyer, make_need, make_offer):
    first = make_buyer()
    owner, usual = make_offer(make_need(buyer=first)[1], quantity=10, unit_price=50_000)
    _complete(app, first[0], owner, usual)
    other = make_buyer()
    owner, big = make_offer(make_need(buyer=other)[1], quantity=50, unit_price=100_000)  # Rp5.000.000
    _complete(app, other[0], owner, big)
    assert _flags(app)[big] == ["Nilai Rp5.000.000 jauh di atas transaksi kategori ini biasanya (median Rp500.000)."]


def test_a_new_organisation_dealing_with_a_new_shop_is_flagged(app, make_buyer, make_need, make_offer, make_staff,
                                                               login_as):
    buyer = make_buyer()
    owner, offer_id = make_offer(make_need(buyer=buyer)[1])
    _complete(app, buyer[0], owner, offer_id)
    assert _flags(app)[offer_id] == ["Lembaga baru bertransaksi dengan toko baru (keduanya terdaftar kurang dari "
                                     "30 hari sebelumnya)."]
    page = login_as(make_staff(region="73.73")).get("/koordinator/kebutuhan/73.73/transaksi").get_data(as_text=True)
    assert "Lembaga baru bertransaksi dengan toko baru" in page
    with app.app_context():  # an organisation of long standing: no flag
        db.session.execute(update(BuyerOrganisation).values(created_at=utcnow() - timedelta(days=60)))
        db.session.commit()
    assert _flags(app) == {}


@pytest.mark.parametrize("app_config", [OLD])
def test_one_pair_holding_most_of_a_regions_institutional_spend_is_flagged(app, make_buyer, make_need, make_offer):
    buyer, stranger = make_buyer(), make_buyer()
    owner, first = make_offer(make_need(buyer=buyer)[1], quantity=20, unit_price=100_000)  # Rp2.000.000 each
    second = _offer_again(app, owner, first, make_need(buyer=buyer)[1])
    other_owner, other = make_offer(make_need(buyer=stranger)[1], quantity=20, unit_price=100_000)
    _complete(app, buyer[0], owner, first)
    _complete(app, buyer[0], owner, second)
    _complete(app, stranger[0], other_owner, other)
    flags = _flags(app)
    assert sorted(flags) == sorted([first, second])
    assert flags[first] == ["Pasangan lembaga dan toko ini memegang 67% belanja lembaga wilayah ini."]


def _offer_again(app, owner, offer_id: int, need_id: int) -> int:
    """The shop of ``offer_id`` offers for another need too."""
    with app.app_context():
        shop_id = db.session.get(Offer, offer_id).shop_id
        return services.send_offer(actor=user(owner), need_id=need_id, shop_id=shop_id, unit_price=100_000,
                                   quantity=20, delivery_date=province_today()).id
