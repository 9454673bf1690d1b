"""Every training rule, at the service layer (the HTML pages and the API share it)."""
from datetime import datetime, timedelta

import pytest
from helpers import user
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from campaign.core.audit import AuditEvent
from campaign.core.errors import Conflict, PermissionDenied, ValidationFailed
from campaign.core.extensions import db
from campaign.domains.tallies.reconcile import find_differences, rebuild
from campaign.domains.training import services
from campaign.domains.training.models import Training, TrainingSeat
from campaign.util.formatting import utcnow


def _start(days: int = 3) -> datetime:
    return utcnow() + timedelta(days=days)


@pytest.fixture
def publish(app, make_staff):
    """``publish(**fields)`` as the Kota Palopo coordinator unless ``actor=`` is given; returns the id."""
    palopo = make_staff(region="73.73")

    def make(actor=None, **fields):
        values = dict(title="Jualan lewat WhatsApp Business", topic="pemasaran_digital", starts_at=_start(),
                      duration_minutes=120, capacity=30, mode="online", online_url="https://meet.example.id/abc",
                      region_code="73.73")
        values.update(fields)
        with app.app_context():
            return services.publish_training(actor=user(actor or palopo), **values).id
    return make


def _register(app, owner, training_id, shop_id):
    with app.app_context():
        return services.register_for_training(actor=user(owner), training_id=training_id, shop_id=shop_id)


def _start_now(app, training_id):
    """Move a training into the past (as if its day had come)."""
    with app.app_context():
        db.session.execute(update(Training).where(Training.id == training_id).values(
            starts_at=utcnow() - timedelta(hours=1), ends_at=utcnow() + timedelta(hours=1)))
        db.session.commit()


def test_coordinator_publishes_for_own_region_only(app, publish, make_staff):
    assert publish()
    with pytest.raises(PermissionDenied):
        publish(region_code="73.71")
    with pytest.raises(PermissionDenied, match="provinsi"):
        publish(region_code=None)


def test_admin_publishes_anywhere_and_province_wide(app, publish, make_staff, fetch):
    admin = make_staff(role="admin")
    training = fetch(Training, publish(actor=admin, region_code=None))
    assert training.region_id is None
    assert publish(actor=admin, region_code="73.02")


def test_start_must_be_in_the_future(app, publish):
    with pytest.raises(ValidationFailed) as info:
        publish(starts_at=utcnow() - timedelta(minutes=1))
    assert "starts_at" in info.value.fields


def test_naive_start_is_read_as_wita(app, publish, fetch):
    naive = datetime(2099, 5, 1, 9, 0)
    training = fetch(Training, publish(starts_at=naive))
    assert training.starts_at.replace(tzinfo=None) == datetime(2099, 5, 1, 1, 0)  # 09.00 WITA = 01.00 UTC


@pytest.mark.parametrize("fields, field", [
    ({"mode": "online", "online_url": "meet.example.id"}, "online_url"),
    ({"mode": "online", "online_url": ""}, "online_url"),
    ({"mode": "offline", "place": "  "}, "place"),
    ({"mode": "radio"}, "mode"),
    ({"topic": "astrologi"}, "topic"),
    ({"capacity": 0}, "capacity"),
    ({"duration_minutes": 5}, "duration_minutes"),
    ({"title": ""}, "title"),
])
def test_publishing_checks_each_field(app, publish, fields, field):
    with pytest.raises(ValidationFailed) as info:
        publish(**fields)
    assert field in info.value.fields


def test_offline_training_needs_a_place_and_gets_no_link(app, publish, fetch):
    training = fetch(Training, publish(mode="offline", place="Aula Diskop UKM Palopo", online_url="https://x.id"))
    assert (training.place, training.online_url) == ("Aula Diskop UKM Palopo", None)


def test_owner_takes_a_seat_and_it_is_audited(app, publish, make_owner, make_shop, fetch):
    owner = make_owner()
    shop = make_shop(owner=owner)
    training_id = publish()
    _register(app, owner, training_id, shop)
    assert fetch(Training, training_id).seats_taken == 1
    events = fetch(select(AuditEvent).where(AuditEvent.action == "training.registered"))
    assert [(e.actor_id, e.after["shop_id"]) for e in events] == [(owner.id, shop)]


def test_one_seat_per_shop(app, publish, make_owner, make_shop, fetch):
    owner = make_owner()
    shop = make_shop(owner=owner)
    training_id = publish()
    _register(app, owner, training_id, shop)
    with pytest.raises(Conflict, match="sudah terdaftar"):
        _register(app, owner, training_id, shop)
    assert fetch(Training, training_id).seats_taken == 1


def test_a_full_training_refuses_the_next_seat(app, publish, make_owner, make_shop, fetch):
    training_id = publish(capacity=2)
    owners = [make_owner() for _ in range(3)]
    shops = [make_shop(owner=o) for o in owners]
    _register(app, owners[0], training_id, shops[0])
    _register(app, owners[1], training_id, shops[1])
    with pytest.raises(Conflict, match="penuh"):
        _register(app, owners[2], training_id, shops[2])
    assert fetch(Training, training_id).seats_taken == 2


def test_the_database_refuses_more_seats_than_capacity(app, publish):
    training_id = publish(capacity=1)
    with app.app_context(), pytest.raises(IntegrityError):
        db.session.execute(update(Training).where(Training.id == training_id).values(seats_taken=2))
        db.session.commit()


def test_regional_training_only_for_its_regions_shops(app, publish, make_owner, make_shop, make_staff):
    owner = make_owner()
    makassar_shop = make_shop(owner=owner, region="73.71")
    with pytest.raises(PermissionDenied, match="wilayah"):
        _register(app, owner, publish(), makassar_shop)
    province_wide = publish(actor=make_staff(role="admin"), region_code=None)
    assert _register(app, owner, province_wide, makassar_shop)


def test_only_the_shops_owner_registers_it(app, publish, make_owner, make_shop):
    shop = make_shop()
    with pytest.raises(PermissionDenied, match="pemilik"):
        _register(app, make_owner(), publish(), shop)


def test_rejected_shop_cannot_register_but_pending_can(app, publish, make_owner, make_shop):
    owner = make_owner()
    training_id = publish()
    with pytest.raises(Conflict, match="ditolak"):
        _register(app, owner, training_id, make_shop(owner=owner, status="rejected"))
    assert _register(app, owner, training_id, make_shop(owner=owner, status="pending"))


def test_cancelling_frees_the_seat_and_signing_up_again_reuses_it(app, publish, make_owner, make_shop, fetch,
                                                                 tallies_agree):
    owner = make_owner()
    shop = make_shop(owner=owner)
    training_id = publish(capacity=1)
    _register(app, owner, training_id, shop)
    with app.app_context():
        services.cancel_registration(actor=user(owner), training_id=training_id, shop_id=shop)
    assert fetch(Training, training_id).seats_taken == 0
    other = make_owner()
    _register(app, other, training_id, make_shop(owner=other))
    with pytest.raises(Conflict, match="penuh"):
        _register(app, owner, training_id, shop)
    seats = fetch(select(TrainingSeat).where(TrainingSeat.shop_id == shop))
    assert [s.status for s in seats] == ["cancelled"]
    tallies_agree()


def test_cancelling_a_seat_not_held_is_a_conflict(app, publish, make_owner, make_shop):
    owner = make_owner()
    shop = make_shop(owner=owner)
    with app.app_context(), pytest.raises(Conflict):
        services.cancel_registration(actor=user(owner), training_id=publish(), shop_id=shop)


def test_no_sign_up_or_cancel_once_started(app, publish, make_owner, make_shop):
    owner = make_owner()
    shop, late_shop = make_shop(owner=owner), make_shop(owner=owner)
    training_id = publish()
    _register(app, owner, training_id, shop)
    _start_now(app, training_id)
    with pytest.raises(Conflict, match="sudah dimulai"):
        _register(app, owner, training_id, late_shop)
    with app.app_context(), pytest.raises(Conflict, match="sudah dimulai"):
        services.cancel_registration(actor=user(owner), training_id=training_id, shop_id=shop)


def test_attendance_is_marked_after_the_start_by_its_managers(app, publish, make_owner, make_shop, make_staff,
                                                             fetch):
    owners = [make_owner() for _ in range(3)]
    shops = [make_shop(owner=o) for o in owners]
    training_id = publish()
    for owner, shop in zip(owners, shops):
        _register(app, owner, training_id, shop)
    with app.app_context(), pytest.raises(Conflict, match="setelah pelatihan dimulai"):
        services.mark_attendance(actor=user(make_staff(region="73.73")), training_id=training_id,
                                 attended_shop_ids={shops[0]})
    _start_now(app, training_id)
    with app.app_context(), pytest.raises(PermissionDenied):
        services.mark_attendance(actor=user(make_staff(region="73.71")), training_id=training_id,
                                 attended_shop_ids={shops[0]})
    with app.app_context():
        counts = services.mark_attendance(actor=user(make_staff(region="73.73")), training_id=training_id,
                                          attended_shop_ids={shops[0], shops[2]})
    assert counts == {"attended": 2, "absent": 1}
    statuses = {s.shop_id: s.status for s in fetch(select(TrainingSeat))}
    assert statuses == {shops[0]: "attended", shops[1]: "absent", shops[2]: "attended"}
    assert fetch(Training, training_id).seats_taken == 3  # marks keep the seats
    assert fetch(select(AuditEvent).where(AuditEvent.action == "training.attendance"))[0].after["attended_shop_ids"] == \
        sorted({shops[0], shops[2]})


def test_attendance_refuses_shops_without_a_seat(app, publish, make_owner, make_shop, make_staff):
    training_id = publish()
    _start_now(app, training_id)
    with app.app_context(), pytest.raises(ValidationFailed):
        services.mark_attendance(actor=user(make_staff(region="73.73")), training_id=training_id,
                                 attended_shop_ids={make_shop()})


def test_check_tallies_proves_the_seat_count(app, publish, make_owner, make_shop):
    owner = make_owner()
    training_id = publish()
    _register(app, owner, training_id, make_shop(owner=owner))
    with app.app_context():
        assert find_differences() == []
        db.session.execute(update(Training).where(Training.id == training_id).values(seats_taken=0))
        db.session.commit()
        assert find_differences() == [f"training {training_id}: kursi terisi tersimpan 0, seharusnya 1"]
        rebuild()
        assert find_differences() == []
