"""A training called off, and the reminder the day before: both end in a signal per seat holder
(the notifications domain turns it into the in-app message and the e-mail)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from campaign.core import audit, clock
from campaign.core.database import write_transaction
from campaign.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.training import signals
from campaign.domains.training.models import Training, TrainingSeat
from campaign.domains.training.services import can_manage_training
from campaign.util.formatting import utcnow


def cancel_training(*, actor: User, training_id: int, reason: str) -> Training:
    """The organiser, the region's coordinator or an admin calls a training off before it starts.

    Rules: a reason of at least 5 characters; not once it has started; not twice (Conflict).
    Every seat still ``registered`` becomes ``cancelled`` and ``seats_taken`` drops to 0, so the
    training holds no seat; each owner who held one hears (``signals.training_cancelled``).
    """
    reason = (reason or "").strip()
    if len(reason) < 5:
        message = "Tuliskan alasan pembatalan (minimal 5 karakter)."
        raise ValidationFailed(message, fields={"reason": [message]})
    with write_transaction():
        training = db.session.scalar(select(Training).where(Training.id == training_id).with_for_update())
        if training is None:
            raise NotFound("Pelatihan tidak ditemukan.")
        actor = db.session.get(User, actor.id)
        if not can_manage_training(actor, training):
            raise PermissionDenied("Hanya penyelenggara, koordinator wilayahnya, atau admin yang dapat membatalkan.")
        if training.is_cancelled:
            raise Conflict("Pelatihan ini sudah dibatalkan.")
        if training.has_started:
            raise Conflict("Pelatihan yang sudah dimulai tidak dapat dibatalkan.")
        seats = list(db.session.scalars(select(TrainingSeat).where(
            TrainingSeat.training_id == training.id, TrainingSeat.status == "registered")
            .order_by(TrainingSeat.id)))
        for seat in seats:
            seat.status = "cancelled"
        training.cancelled_at, training.cancel_reason = utcnow(), reason[:500]
        training.seats_taken = 0
        audit.record(actor=actor, action="training.called_off", entity=training, region_id=training.region_id,
                     before={"seats_taken": len(seats)}, after={"reason": training.cancel_reason, "seats_taken": 0})
        signals.training_cancelled.send(training, seats=seats)
    return training


def send_reminders(*, today=None) -> int:
    """Remind every seat still ``registered`` at a training that starts tomorrow (in the
    deployment's zone, ``campaign.core.clock``) and is not cancelled. Idempotent: each seat is reminded once (``reminded_at``), so a cron job may
    run it hourly. Returns how many reminders went out."""
    tomorrow = (today or clock.today()) + timedelta(days=1)
    start = clock.zone().at(tomorrow)
    with write_transaction():
        seats = list(db.session.scalars(
            select(TrainingSeat).join(Training, Training.id == TrainingSeat.training_id)
            .where(TrainingSeat.status == "registered", TrainingSeat.reminded_at.is_(None),
                   Training.cancelled_at.is_(None), Training.starts_at >= start,
                   Training.starts_at < start + timedelta(days=1))
            .order_by(TrainingSeat.id)))
        sent = 0
        for seat in seats:
            # the WHERE makes two runs at once remind a seat only once
            claimed = db.session.execute(update(TrainingSeat).where(
                TrainingSeat.id == seat.id, TrainingSeat.reminded_at.is_(None)).values(reminded_at=utcnow())
                .execution_options(synchronize_session=False)).rowcount
            if claimed:
                signals.reminder_due.send(seat)
                sent += 1
    return sent
