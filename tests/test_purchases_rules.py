"""Every purchase and pledge rule, at the service layer (the HTML views and the API share it)."""
from datetime import date, timedelta

import pytest
from helpers import province_today, user
from sqlalchemy import select

from campaign.core.audit import AuditEvent
from campaign.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.purchases import pledges, services
from campaign.domains.purchases.models import Pledge, Purchase
from campaign.domains.shops.models import Shop
from campaign.util.formatting import as_utc, utcnow


@pytest.fixture
def scene(make_asn, make_owner, make_shop, make_staff):
    owner = make_owner()
    return {
        "asn": make_asn(region="73.73"),
        "owner": owner,
        "shop": make_shop(owner=owner, region="73.71"),
        "coord_shop_region": make_staff(region="73.71"),
        "coord_asn_region": make_staff(region="73.73"),
        "coord_other": make_staff(region="73.02"),
    }


def _log(app, person, shop_id, **kwargs):
    with app.app_context():
        return services.log_purchase(buyer=user(person), shop_id=shop_id, **{"amount": 50_000, **kwargs}).id


@pytest.mark.parametrize("amount, ok", [(999, False), (1_000, True), (10_000_000, True), (10_000_001, False),
                                        (0, False), (-5_000, False)])
def test_amount_range(app, scene, amount, ok, tallies_agree):
    if ok:
        assert _log(app, scene["asn"], scene["shop"], amount=amount)
    else:
        with pytest.raises(ValidationFailed) as info:
            _log(app, scene["asn"], scene["shop"], amount=amount)
        assert "Rp1.000" in info.value.message and "Rp10.000.000" in info.value.message
        assert "amount" in info.value.fields
    tallies_agree()


def test_amount_range_is_configurable(app, scene):
    app.config["PURCHASE_MAX_AMOUNT"] = 2_000_000
    with pytest.raises(ValidationFailed, match="Rp2.000.000"):
        _log(app, scene["asn"], scene["shop"], amount=2_000_001)


def test_future_date_refused_today_accepted(app, scene):
    with pytest.raises(ValidationFailed, match="setelah hari ini"):
        _log(app, scene["asn"], scene["shop"], purchased_on=province_today() + timedelta(days=1))
    assert _log(app, scene["asn"], scene["shop"], purchased_on=province_today())


def test_date_outside_campaign_period(app, scene, make_campaign):
    with pytest.raises(ValidationFailed, match="sebelum kampanye dimulai"):
        _log(app, scene["asn"], scene["shop"], purchased_on=province_today() - timedelta(days=1))
    ended_id = make_campaign(name="Kampanye lama", appeal_letter_date=date(2020, 1, 1), starts_on=date(2020, 5, 1),
                             ends_on=date(2020, 6, 30))
    with pytest.raises(ValidationFailed, match="setelah kampanye berakhir"):
        _log(app, scene["asn"], scene["shop"], purchased_on=date(2020, 7, 1), campaign_id=ended_id)
    assert _log(app, scene["asn"], scene["shop"], purchased_on=date(2020, 6, 30), campaign_id=ended_id)


@pytest.mark.parametrize("status", ["pending", "rejected"])
def test_only_verified_shops(app, scene, make_shop, status):
    shop = make_shop(status=status)
    with pytest.raises(ValidationFailed, match="terverifikasi"):
        _log(app, scene["asn"], shop)


def test_unknown_shop(app, scene):
    with pytest.raises(NotFound):
        _log(app, scene["asn"], 999_999)


def test_not_at_own_shop(app, make_asn, make_shop, fetch):
    asn = make_asn()
    with app.app_context():
        from campaign.domains.shops.services import register_shop
        own = register_shop(owner=user(asn), name="Warung Sendiri", category="kopi", region_code="73.73",
                            district="Wara", village="Amassangan", street="Jl. Mawar 1", whatsapp="0812-3456-7890").id
        admin_id = make_admin_id(app)
        from campaign.domains.shops.services import verify_shop
        verify_shop(actor=db.session.get(User, admin_id), shop_id=own)
    with pytest.raises(PermissionDenied, match="milik sendiri"):
        _log(app, asn, own)
    assert fetch(select(Purchase)) == []


def make_admin_id(app):
    from campaign.domains.auth.services import create_user
    user, _ = create_user(name="Admin", login="admin-aturan@example.id", role="admin", password="rahasia123")
    return user.id


def test_only_asn_may_log_or_pledge(app, scene):
    with pytest.raises(PermissionDenied):
        _log(app, scene["owner"], scene["shop"])
    with app.app_context(), pytest.raises(PermissionDenied):
        pledges.make_pledge(asn=user(scene["owner"]), amount=100_000)


def test_client_ref_makes_a_double_submit_one_purchase(app, scene, fetch, tallies_agree):
    first = _log(app, scene["asn"], scene["shop"], client_ref="abc123")
    second = _log(app, scene["asn"], scene["shop"], client_ref="abc123")
    assert first == second
    assert len(fetch(select(Purchase))) == 1
    tallies_agree()


def test_purchase_copies_regions_and_agency(app, scene, fetch):
    purchase = fetch(Purchase, _log(app, scene["asn"], scene["shop"]))
    with app.app_context():
        from campaign.domains.regions.models import Region
        codes = {r.id: r.code for r in db.session.scalars(select(Region))}
    assert codes[purchase.asn_region_id] == "73.73" and codes[purchase.shop_region_id] == "73.71"
    assert purchase.status == "reported"


# --- state changes ------------------------------------------------------------------------

def _act(app, action, person, purchase_id, **kwargs):
    with app.app_context():
        return action(actor=user(person), purchase_id=purchase_id, **kwargs).status


def test_owner_confirms_and_disputes(app, scene, tallies_agree):
    a, b = _log(app, scene["asn"], scene["shop"]), _log(app, scene["asn"], scene["shop"], amount=60_000)
    assert _act(app, services.confirm_purchase, scene["owner"], a) == "confirmed"
    assert _act(app, services.dispute_purchase, scene["owner"], b, reason="Tidak ada transaksi") == "disputed"
    with pytest.raises(Conflict):  # only a reported purchase can be confirmed
        _act(app, services.confirm_purchase, scene["owner"], b)
    tallies_agree()


def test_other_owner_and_asn_cannot_confirm(app, scene, make_owner, fetch):
    pid = _log(app, scene["asn"], scene["shop"])
    for person in (make_owner(), scene["asn"]):
        with pytest.raises(PermissionDenied):
            _act(app, services.confirm_purchase, person, pid)
        with pytest.raises(PermissionDenied):
            _act(app, services.dispute_purchase, person, pid)
    assert fetch(Purchase, pid).status == "reported"


def test_withdraw_only_by_buyer_only_while_reported(app, scene, make_asn, tallies_agree):
    pid = _log(app, scene["asn"], scene["shop"])
    with pytest.raises(PermissionDenied):
        _act(app, services.withdraw_purchase, make_asn(), pid)
    assert _act(app, services.withdraw_purchase, scene["asn"], pid) == "withdrawn"
    confirmed = _log(app, scene["asn"], scene["shop"])
    _act(app, services.confirm_purchase, scene["owner"], confirmed)
    with pytest.raises(Conflict):
        _act(app, services.withdraw_purchase, scene["asn"], confirmed)
    tallies_agree()


@pytest.mark.parametrize("who, allowed", [("coord_shop_region", True), ("coord_asn_region", True),
                                          ("coord_other", False)])
def test_void_by_coordinators_of_either_region(app, scene, who, allowed, fetch, tallies_agree):
    pid = _log(app, scene["asn"], scene["shop"])
    _act(app, services.confirm_purchase, scene["owner"], pid)
    if allowed:
        assert _act(app, services.void_purchase, scene[who], pid, reason="Transaksi fiktif") == "voided"
    else:
        with pytest.raises(PermissionDenied):
            _act(app, services.void_purchase, scene[who], pid, reason="Transaksi fiktif")
        assert fetch(Purchase, pid).status == "confirmed"
    tallies_agree()


def test_void_needs_a_reason_and_a_live_purchase(app, scene):
    pid = _log(app, scene["asn"], scene["shop"])
    with pytest.raises(ValidationFailed, match="alasan"):
        _act(app, services.void_purchase, scene["coord_shop_region"], pid, reason="")
    _act(app, services.withdraw_purchase, scene["asn"], pid)
    with pytest.raises(Conflict):
        _act(app, services.void_purchase, scene["coord_shop_region"], pid, reason="Sudah ditarik")


def test_every_change_is_audited(app, scene, fetch):
    pid = _log(app, scene["asn"], scene["shop"])
    _act(app, services.confirm_purchase, scene["owner"], pid)
    _act(app, services.void_purchase, scene["coord_shop_region"], pid, reason="Salah input")
    events = fetch(select(AuditEvent).where(AuditEvent.entity_type == "purchase").order_by(AuditEvent.id))
    assert [(e.action, e.actor_id, e.before, e.after["status"] if e.after.get("status") else None)
            for e in events] == [
        ("purchase.reported", scene["asn"].id, None, None),
        ("purchase.confirmed", scene["owner"].id, {"status": "reported"}, "confirmed"),
        ("purchase.voided", scene["coord_shop_region"].id, {"status": "confirmed"}, "voided"),
    ]
    assert events[2].after["reason"] == "Salah input"
    shop_region = fetch(Shop, scene["shop"]).region_id
    assert {(e.entity_id, e.region_id) for e in events} == {(pid, shop_region)}
    assert all(timedelta(0) <= utcnow() - as_utc(e.at) < timedelta(minutes=5) for e in events)


# --- pledges -------------------------------------------------------------------------------

def test_pledge_make_change_and_audit(app, scene, fetch, tallies_agree):
    with app.app_context():
        pledges.make_pledge(asn=user(scene["asn"]), amount=500_000)
        pledges.make_pledge(asn=user(scene["asn"]), amount=750_000)
        pledges.make_pledge(asn=user(scene["asn"]), amount=750_000)  # unchanged: no new event
    stored = fetch(select(Pledge))
    assert [(p.user_id, p.amount) for p in stored] == [(scene["asn"].id, 750_000)]
    events = fetch(select(AuditEvent).where(AuditEvent.action == "pledge.set").order_by(AuditEvent.id))
    assert [(e.before, e.after) for e in events] == [(None, {"amount": 500_000}),
                                                    ({"amount": 500_000}, {"amount": 750_000})]
    tallies_agree()


@pytest.mark.parametrize("amount", [0, -1, 1_000_000_001])
def test_pledge_amount_bounds(app, scene, amount):
    with app.app_context(), pytest.raises(ValidationFailed):
        pledges.make_pledge(asn=user(scene["asn"]), amount=amount)


def test_one_pledge_per_asn_and_campaign_is_a_database_rule(app, scene):
    from sqlalchemy.exc import IntegrityError
    with app.app_context():
        pledges.make_pledge(asn=user(scene["asn"]), amount=100_000)
        existing = db.session.scalar(select(Pledge))
        db.session.add(Pledge(campaign_id=existing.campaign_id, user_id=existing.user_id,
                              region_id=existing.region_id, agency_id=existing.agency_id, amount=5))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
