"""Trainings: publishing (coordinators for their region, admins anywhere), seats for shop
owners with the capacity held by the database, cancelling, and attendance afterwards."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from campaign.core import audit, clock
from campaign.core.database import get_or_not_found, write_transaction
from campaign.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from campaign.core.extensions import db
from campaign.core.validation import require_text
from campaign.domains.auth.models import User
from campaign.domains.regions.services import region_by_code
from campaign.domains.shops.models import Shop
from campaign.domains.training import signals
from campaign.domains.training.models import HOLDS_SEAT, MODES, TOPICS, Training, TrainingSeat
from campaign.util.formatting import as_utc, number, utcnow

MAX_CAPACITY = 10_000
MAX_DURATION_MINUTES = 7 * 24 * 60
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _int_between(value, field: str, low: int, high: int, message: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise _invalid(field, message)
    return value


def _venue(mode: str, online_url: str | None, place: str | None) -> tuple[str | None, str | None]:
    if mode not in MODES:
        raise _invalid("mode", "Pilih daring atau tatap muka.")
    if mode == "online":
        url = (online_url or "").strip()
        if not _URL.match(url) or len(url) > 500:
            raise _invalid("online_url", "Tautan pelatihan daring harus diawali http:// atau https://.")
        return url, None
    return None, require_text(place, "place", "Tempat pelatihan", 300)


def publish_training(*, actor: User, title: str, topic: str, starts_at: datetime, duration_minutes: int,
                     capacity: int, mode: str, online_url: str | None = None, place: str | None = None,
                     region_code: str | None = None, description: str = "") -> Training:
    """Publish a training. ``starts_at`` is aware (or naive local time in the deployment's zone,
    ``campaign.core.clock``) and must be in the future.

    A coordinator publishes for their own region only; an admin for any region or, with no
    ``region_code``, for the whole province. Online trainings need a link, others a place.
    """
    if topic not in TOPICS:
        raise _invalid("topic", "Pilih topik dari daftar.")
    values = dict(
        title=require_text(title, "title", "Judul pelatihan", 160),
        description=(description or "").strip()[:4000],
        capacity=_int_between(capacity, "capacity", 1, MAX_CAPACITY,
                              f"Kapasitas antara 1 dan {number(MAX_CAPACITY)} peserta."),
    )
    minutes = _int_between(duration_minutes, "duration_minutes", 15, MAX_DURATION_MINUTES,
                           "Durasi antara 15 menit dan 7 hari.")
    values["online_url"], values["place"] = _venue(mode, online_url, place)
    starts_at = as_utc(starts_at.replace(tzinfo=clock.zone().tz) if starts_at.tzinfo is None else starts_at)
    values["ends_at"] = starts_at + timedelta(minutes=minutes)
    if starts_at <= utcnow():
        raise _invalid("starts_at", "Waktu mulai harus di masa depan.")
    with write_transaction():
        actor = db.session.get(User, actor.id)
        region = region_by_code(region_code) if region_code else None
        if region is None and not actor.is_national_admin:
            raise PermissionDenied("Pelatihan tingkat provinsi hanya dapat diterbitkan admin.")
        if region is not None and not actor.coordinates(region.id):
            raise PermissionDenied("Koordinator hanya dapat menerbitkan pelatihan untuk wilayahnya sendiri.")
        training = Training(topic=topic, mode=mode, starts_at=starts_at, seats_taken=0, organiser_id=actor.id,
                            region_id=region.id if region else None, **values)
        db.session.add(training)
        audit.record(actor=actor, action="training.published", entity=training,
                     region_id=training.region_id,
                     after={"title": training.title, "starts_at": starts_at.isoformat(), "capacity": capacity})
    return training


def get_training(training_id: int) -> Training:
    return get_or_not_found(Training, training_id, "Pelatihan tidak ditemukan.")


def _locked_training(training_id: int) -> Training:
    return get_or_not_found(Training, training_id, "Pelatihan tidak ditemukan.", for_update=True)


def _owned_shop(actor: User, shop_id: int) -> Shop:
    shop = db.session.get(Shop, shop_id)
    if shop is None:
        raise NotFound("Toko tidak ditemukan.")
    if shop.owner_id != actor.id:
        raise PermissionDenied("Hanya pemilik toko yang dapat mendaftarkan tokonya.")
    return shop


def _move_seats(training_id: int, step: int) -> bool:
    """Take (+1) or free (-1) a seat. The WHERE makes a full training refuse the +1; the CHECK on
    the table is the guard behind it."""
    statement = update(Training).where(Training.id == training_id)
    if step > 0:
        statement = statement.where(Training.seats_taken < Training.capacity)
    result = db.session.execute(statement.values(seats_taken=Training.seats_taken + step)
                                .execution_options(synchronize_session=False))
    return result.rowcount == 1


def register_for_training(*, actor: User, training_id: int, shop_id: int) -> TrainingSeat:
    """Take a seat for one of the actor's shops.

    Rules: the training is not cancelled; the shop is the actor's and not rejected; a regional
    training takes shops of its region only; not after the training has started; one seat per
    shop (Conflict); a full training is a Conflict, also when two owners take the last seat at
    the same moment. The owner hears (``signals.seat_taken``).
    """
    try:
        with write_transaction():
            training = _locked_training(training_id)
            actor = db.session.get(User, actor.id)
            shop = _owned_shop(actor, shop_id)
            if shop.status == "rejected":
                raise Conflict("Toko yang ditolak tidak dapat mendaftar pelatihan.")
            if training.is_cancelled:
                raise Conflict("Pelatihan ini dibatalkan penyelenggara.")
            if training.region_id is not None and shop.region_id != training.region_id:
                raise PermissionDenied("Pelatihan ini khusus untuk toko di wilayah penyelenggara.")
            if training.has_started:
                raise Conflict("Pendaftaran ditutup: pelatihan sudah dimulai.")
            seat = db.session.scalar(select(TrainingSeat).where(
                TrainingSeat.training_id == training.id, TrainingSeat.shop_id == shop.id))
            if seat is not None and seat.status in HOLDS_SEAT:
                raise Conflict(f"{shop.name} sudah terdaftar di pelatihan ini.")
            if not _move_seats(training.id, +1):
                raise Conflict("Maaf, kursi pelatihan ini sudah penuh.")
            if seat is None:
                seat = TrainingSeat(training_id=training.id, shop_id=shop.id, user_id=actor.id)
                db.session.add(seat)
            seat.status, seat.user_id = "registered", actor.id
            audit.record(actor=actor, action="training.registered", entity=seat, region_id=shop.region_id,
                         after={"training_id": training.id, "shop_id": shop.id})
            signals.seat_taken.send(seat)
    except IntegrityError:  # the same shop twice at once: the unique row stops the second
        raise Conflict("Toko ini baru saja didaftarkan. Muat ulang halaman.") from None
    return seat


def cancel_registration(*, actor: User, training_id: int, shop_id: int) -> TrainingSeat:
    """The shop's owner gives the seat back, before the training starts."""
    with write_transaction():
        training = _locked_training(training_id)
        actor = db.session.get(User, actor.id)
        shop = _owned_shop(actor, shop_id)
        seat = db.session.scalar(select(TrainingSeat).where(
            TrainingSeat.training_id == training.id, TrainingSeat.shop_id == shop.id))
        if seat is None or seat.status != "registered":
            raise Conflict("Toko ini tidak sedang terdaftar di pelatihan ini.")
        if training.has_started:
            raise Conflict("Pelatihan sudah dimulai; pendaftaran tidak dapat dibatalkan lagi.")
        seat.status = "cancelled"
        _move_seats(training.id, -1)
        audit.record(actor=actor, action="training.cancelled", entity=seat, region_id=shop.region_id,
                     before={"status": "registered"}, after={"status": "cancelled"})
    return seat


def can_manage_training(user, training: Training) -> bool:
    """The organiser, the coordinator of the training's region, and admins (a province admin: of
    its province's trainings)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_national_admin or user.id == training.organiser_id:
        return True
    return training.region_id is not None and user.coordinates(training.region_id)


def mark_attendance(*, actor: User, training_id: int, attended_shop_ids: set[int]) -> dict[str, int]:
    """After the training has started, mark every held seat ``attended`` (shop in
    ``attended_shop_ids``) or ``absent``. May be repeated to correct marks. Returns the counts."""
    with write_transaction():
        training = _locked_training(training_id)
        actor = db.session.get(User, actor.id)
        if not can_manage_training(actor, training):
            raise PermissionDenied("Hanya penyelenggara, koordinator wilayahnya, atau admin yang mencatat kehadiran.")
        if not training.has_started:
            raise Conflict("Kehadiran dicatat setelah pelatihan dimulai.")
        seats = db.session.scalars(select(TrainingSeat).where(
            TrainingSeat.training_id == training.id, TrainingSeat.status.in_(HOLDS_SEAT))
            .order_by(TrainingSeat.id)).all()
        unknown = set(attended_shop_ids) - {seat.shop_id for seat in seats}
        if unknown:
            raise _invalid("attended", "Ada toko yang tidak terdaftar di pelatihan ini.")
        before = {seat.shop_id: seat.status for seat in seats}
        for seat in seats:
            seat.status = "attended" if seat.shop_id in attended_shop_ids else "absent"
        counts = {"attended": sum(s.status == "attended" for s in seats),
                  "absent": sum(s.status == "absent" for s in seats)}
        audit.record(actor=actor, action="training.attendance", entity=training, region_id=training.region_id,
                     before={"seats": {str(k): v for k, v in before.items()}},
                     after={"attended_shop_ids": sorted(attended_shop_ids), **counts})
    return counts


def default_start() -> datetime:
    """A week from now at 09.00 local time (the deployment's zone): what the publish form suggests."""
    day = clock.today() + timedelta(days=7)
    return datetime(day.year, day.month, day.day, 9, 0)
