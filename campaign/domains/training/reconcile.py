"""``seats_taken`` proved against the seat rows, for ``check-tallies`` and ``rebuild-tallies``."""
from __future__ import annotations

from sqlalchemy import func, select, update

from campaign.core.extensions import db
from campaign.domains.tallies import checks
from campaign.domains.training.models import HOLDS_SEAT, Training, TrainingSeat


def _held():
    return (select(func.count()).where(TrainingSeat.training_id == Training.id,
                                       TrainingSeat.status.in_(HOLDS_SEAT))
            .correlate(Training).scalar_subquery())


def seat_differences(limit: int) -> list[str]:
    rows = db.session.execute(select(Training.id, Training.seats_taken, _held())
                              .where(Training.seats_taken != _held()).order_by(Training.id).limit(limit))
    return [f"training {training_id}: kursi terisi tersimpan {stored}, seharusnya {held}"
            for training_id, stored, held in rows]


def rebuild_seats() -> int:
    """Set every training's ``seats_taken`` from its seats (inside the caller's transaction)."""
    return db.session.execute(update(Training).values(seats_taken=_held())
                              .execution_options(synchronize_session=False)).rowcount


def connect_signals() -> None:
    """``check-tallies`` and ``rebuild-tallies`` prove and repair the seat counts too."""
    checks.register_check("training", differences=seat_differences, rebuild=rebuild_seats)
