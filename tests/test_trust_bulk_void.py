"""Bulk void: a dry run that changes nothing, one audited operation that moves the tallies, and an
undo within 7 days that restores each purchase's previous status."""
from datetime import timedelta

import pytest
from helpers import province_today, user
from sqlalchemy import select, update

from campaign.core.audit import AuditEvent
from campaign.core.errors import Conflict, PermissionDenied, ValidationFailed
from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.purchases import services as purchases
from campaign.domains.purchases.models import Purchase
from campaign.domains.tallies.models import Tally
from campaign.domains.trust import services
from campaign.domains.trust.models import BulkVoid
from campaign.domains.trust.selection import Selection
from campaign.util.formatting import utcnow

PALOPO = "73.73"


@pytest.fixture
def scene(app, make_asn, make_owner, make_shop, make_staff, make_purchase):
    owner = make_owner()
    bad_shop, good_shop = make_shop(owner=owner, region=PALOPO), make_shop(region=PALOPO)
    buyers = [make_asn(region=PALOPO) for _ in range(3)]
    bad = [make_purchase(buyer=b, shop_id=bad_shop, amount=1_000_000 + n) for n, b in enumerate(buyers)]
    good = make_purchase(buyer=buyers[0], shop_id=good_shop, amount=40_000)
    with app.app_context():  # one confirmed, one disputed, one reported at the bad shop
        owner_user = db.session.get(User, owner.id)
        purchases.confirm_purchase(actor=owner_user, purchase_id=bad[0])
        purchases.dispute_purchase(actor=owner_user, purchase_id=bad[1], reason="Tidak kenal")
    return {"bad_shop": bad_shop, "good_shop": good_shop, "bad": bad, "good": good, "buyers": buyers,
            "coordinator": make_staff(region=PALOPO), "other": make_staff(region="73.71"),
            "admin": make_staff(role="admin")}


def _realized(app, code=PALOPO):
    with app.app_context():
        from campaign.domains.regions.services import region_by_code
        region = region_by_code(code)
        return db.session.scalar(select(Tally.realized_amount).where(
            Tally.dimension == "shop_region", Tally.key_id == region.id)) or 0


def _statuses(app, ids):
    with app.app_context():
        return [db.session.get(Purchase, i).status for i in ids]


def test_dry_run_counts_rupiah_and_changes_nothing(app, scene):
    before = _realized(app)
    with app.app_context():
        preview = services.preview_bulk_void(actor=user(scene["coordinator"]), region_code=PALOPO,
                                             selection=Selection(shop_id=scene["bad_shop"]))
        assert (preview.count, preview.amount) == (3, 3_000_003)
        assert [p.id for p in preview.purchases] == scene["bad"]
    assert _realized(app) == before and _statuses(app, scene["bad"]) == ["confirmed", "disputed", "reported"]


@pytest.mark.parametrize("selection, count", [
    (Selection(buyer_id=None, status="confirmed"), 1), (Selection(status="reported"), 2),
    (Selection(date_from=province_today(), date_to=province_today()), 4),
    (Selection(date_to=province_today() - timedelta(days=1)), 0)])
def test_selection_by_status_and_date(app, scene, selection, count):
    with app.app_context():
        assert services.preview_bulk_void(actor=user(scene["admin"]), region_code=PALOPO,
                                          selection=selection).count == count


def test_selection_by_asn(app, scene):
    with app.app_context():
        buyer = scene["buyers"][0].id
        preview = services.preview_bulk_void(actor=user(scene["admin"]), region_code=PALOPO,
                                             selection=Selection(buyer_id=buyer))
        assert sorted(p.id for p in preview.purchases) == sorted([scene["bad"][0], scene["good"]])


def test_an_empty_selection_is_refused(app, scene):
    with app.app_context(), pytest.raises(ValidationFailed, match="paling sedikit satu kriteria"):
        services.preview_bulk_void(actor=user(scene["admin"]), region_code=PALOPO, selection=Selection())


def test_bulk_void_moves_tallies_and_is_one_audited_operation(app, scene, tallies_agree):
    before = _realized(app)
    with app.app_context():
        operation = services.bulk_void(actor=user(scene["coordinator"]), region_code=PALOPO,
                                       selection=Selection(shop_id=scene["bad_shop"]), reason="Toko fiktif, kolusi")
        op_id = operation.id
        events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "purchase.bulk_voided")))
    assert _statuses(app, scene["bad"]) == ["voided"] * 3
    assert _realized(app) == before - 1_000_000 - 1_000_002  # the disputed one was not realized anyway
    assert len(events) == 1 and events[0].entity_id == op_id
    assert events[0].after["purchase_ids"] == scene["bad"] and events[0].after["amount"] == 3_000_003
    assert events[0].before["statuses"][str(scene["bad"][0])] == "confirmed"
    tallies_agree()


def test_coordinator_only_in_own_region(app, scene):
    with app.app_context():
        for call in (services.preview_bulk_void, services.bulk_void):
            kwargs = {"reason": "Toko fiktif"} if call is services.bulk_void else {}
            with pytest.raises(PermissionDenied):
                call(actor=user(scene["other"]), region_code=PALOPO, selection=Selection(shop_id=scene["bad_shop"]),
                     **kwargs)
    assert _statuses(app, scene["bad"]) == ["confirmed", "disputed", "reported"]


def test_admin_voids_anywhere(app, scene):
    with app.app_context():
        services.bulk_void(actor=user(scene["admin"]), region_code=PALOPO,
                           selection=Selection(shop_id=scene["good_shop"]), reason="Uji admin")
    assert _statuses(app, [scene["good"]]) == ["voided"]


def test_reason_is_required(app, scene):
    with app.app_context(), pytest.raises(ValidationFailed) as info:
        services.bulk_void(actor=user(scene["admin"]), region_code=PALOPO,
                           selection=Selection(shop_id=scene["bad_shop"]), reason=" x ")
    assert "reason" in info.value.fields


def test_undo_restores_each_previous_status_and_the_totals(app, scene, tallies_agree):
    before = _realized(app)
    with app.app_context():
        op_id = services.bulk_void(actor=user(scene["coordinator"]), region_code=PALOPO,
                                   selection=Selection(shop_id=scene["bad_shop"]), reason="Toko fiktif").id
        services.undo_bulk_void(actor=user(scene["coordinator"]), bulk_void_id=op_id)
        restored = db.session.get(Purchase, scene["bad"][1])
        assert restored.status_reason == "Tidak kenal"
        assert db.session.scalar(select(AuditEvent.after).where(AuditEvent.action == "purchase.bulk_void_undone"))
    assert _statuses(app, scene["bad"]) == ["confirmed", "disputed", "reported"]
    assert _realized(app) == before
    tallies_agree()
    with app.app_context(), pytest.raises(Conflict, match="sudah diurungkan"):
        services.undo_bulk_void(actor=user(scene["coordinator"]), bulk_void_id=op_id)


def test_undo_only_within_seven_days(app, scene):
    with app.app_context():
        op_id = services.bulk_void(actor=user(scene["coordinator"]), region_code=PALOPO,
                                   selection=Selection(shop_id=scene["bad_shop"]), reason="Toko fiktif").id
        db.session.execute(update(BulkVoid).values(created_at=utcnow() - timedelta(days=7, minutes=1)))
        db.session.commit()
        with pytest.raises(Conflict, match="7 hari"):
            services.undo_bulk_void(actor=user(scene["coordinator"]), bulk_void_id=op_id)
    assert _statuses(app, scene["bad"]) == ["voided"] * 3


def test_undo_only_by_the_region_coordinator_or_admin(app, scene):
    with app.app_context():
        op_id = services.bulk_void(actor=user(scene["coordinator"]), region_code=PALOPO,
                                   selection=Selection(shop_id=scene["bad_shop"]), reason="Toko fiktif").id
        with pytest.raises(PermissionDenied):
            services.undo_bulk_void(actor=user(scene["other"]), bulk_void_id=op_id)
        services.undo_bulk_void(actor=user(scene["admin"]), bulk_void_id=op_id)


def test_nothing_to_void_is_a_conflict(app, scene):
    with app.app_context(), pytest.raises(Conflict):
        services.bulk_void(actor=user(scene["admin"]), region_code=PALOPO,
                           selection=Selection(date_to=province_today() - timedelta(days=1)), reason="Tidak ada")


@pytest.mark.slow
def test_bulk_void_racing_confirmations_and_new_purchases_keeps_exact_totals(app, make_asn, make_owner, make_shop,
                                                                            make_purchase, make_staff, tallies_agree):
    """A live server on loopback: while the coordinator bulk-voids a shop's purchases, its owner
    confirms them and other ASN log new ones there. No request fails, nothing deadlocks, and the
    tallies equal a recomputation afterwards (SQLite and PostgreSQL)."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    import requests
    from werkzeug.serving import make_server

    owner = make_owner()
    shop = make_shop(owner=owner, region=PALOPO)
    ids = [make_purchase(buyer=make_asn(region=PALOPO), shop_id=shop, amount=100_000 + n) for n in range(12)]
    latecomers = [make_asn(region="73.71") for _ in range(8)]
    coordinator = make_staff(region=PALOPO)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}/api/v1"
    try:
        token = {p.id: requests.post(f"{base}/tokens", json={"login": p.login, "password": p.password},
                                     timeout=60).json()["token"] for p in [owner, coordinator, *latecomers]}

        def call(path, person, body=None):
            return requests.post(f"{base}{path}", json=body, timeout=120,
                                 headers={"Authorization": f"Bearer {token[person.id]}"}).status_code
        jobs = [(f"/regions/{PALOPO}/bulk-voids", coordinator, {"shop_id": shop, "reason": "Toko kolusi"})]
        jobs += [(f"/purchases/{i}/confirm", owner, None) for i in ids]
        jobs += [("/purchases", p, {"shop_id": shop, "amount": 77_000}) for p in latecomers]
        with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
            statuses = list(pool.map(lambda job: call(*job), jobs))
    finally:
        server.shutdown()
        thread.join(timeout=10)
    assert statuses[0] == 201 and set(statuses[1:13]) <= {200, 409} and set(statuses[13:]) == {201}
    tallies_agree()


@pytest.mark.parametrize("app_config", [{"MIN_PUBLIC_PARTICIPANTS": 1}])
def test_public_figures_follow_a_bulk_void_and_its_undo_at_once(app, client, scene):
    def public_realized():
        return client.get(f"/api/v1/regions/{PALOPO}/progress").get_json()["shop_region"]["realized"]

    before = public_realized()  # now kept in the read cache under the campaign's marker
    with app.app_context():
        operation_id = services.bulk_void(actor=user(scene["coordinator"]), region_code=PALOPO,
                                          selection=Selection(shop_id=scene["bad_shop"]), reason="Toko fiktif").id
    voided = public_realized()
    assert voided == _realized(app) < before
    with app.app_context():
        services.undo_bulk_void(actor=user(scene["coordinator"]), bulk_void_id=operation_id)
    assert public_realized() == before
