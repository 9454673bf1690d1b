"""Read functions for trainings, shared by the HTML pages, the API and the exports."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.regions.models import Region
from campaign.domains.regions.provinces import province_scope
from campaign.domains.shops.models import Shop
from campaign.domains.training.models import HOLDS_SEAT, MODES, SEAT_STATUSES, TOPICS, Training, TrainingSeat
from campaign.domains.training.services import can_manage_training, get_training
from campaign.util.formatting import as_utc, utcnow
from campaign.web.pagination import Page, paginate


@dataclass(frozen=True)
class TrainingSummary:
    id: int
    title: str
    topic: str
    topic_label: str
    mode: str
    mode_label: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    seats_taken: int
    region_code: str | None
    region_name: str  # "Seluruh <province>" for province-wide trainings (province_wide())

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)

    @property
    def has_started(self) -> bool:
        return self.starts_at <= utcnow()


@dataclass(frozen=True)
class TrainingDetail(TrainingSummary):
    description: str
    online_url: str | None
    place: str | None
    organiser_id: int
    cancel_reason: str | None  # set once the training is called off

    @property
    def is_cancelled(self) -> bool:
        return self.cancel_reason is not None


@dataclass(frozen=True)
class Seat:
    shop_id: int
    shop_name: str
    region_name: str
    owner_name: str
    owner_whatsapp: str
    status: str

    @property
    def status_label(self) -> str:
        return SEAT_STATUSES[self.status]


def province_wide() -> str:
    """The name of a training's audience when it is for the whole province ("Seluruh Jawa Timur")."""
    return f"Seluruh {province_scope().name}"


def _columns():
    return (Training, Region.code, Region.kind, Region.name)


def _summary(training: Training, code, kind, name, cls=TrainingSummary, **extra):
    starts = as_utc(training.starts_at)
    return cls(id=training.id, title=training.title, topic=training.topic, topic_label=TOPICS[training.topic],
               mode=training.mode, mode_label=MODES[training.mode], starts_at=starts,
               ends_at=as_utc(training.ends_at), capacity=training.capacity,
               seats_taken=training.seats_taken, region_code=code,
               region_name=f"{kind} {name}" if code else province_wide(), **extra)


def upcoming_trainings(*, region_code: str | None = None, page: int = 1, per_page: int = 20) -> Page[TrainingSummary]:
    """Trainings not yet ended nor cancelled, soonest first (ties by id). With ``region_code``:
    that region's and the province-wide ones."""
    statement = (select(*_columns()).outerjoin(Region, Region.id == Training.region_id)
                 .where(Training.ends_at > utcnow(), Training.cancelled_at.is_(None))
                 .order_by(Training.starts_at, Training.id))
    if region_code:
        statement = statement.where(or_(Region.code == region_code, Training.region_id.is_(None)))
    return paginate(statement, page=page, per_page=per_page, row=_summary)


def training_detail(training_id: int) -> TrainingDetail:
    training = get_training(training_id)
    region = training.region
    return _summary(training, region.code if region else None, region.kind if region else None,
                    region.name if region else None, cls=TrainingDetail, description=training.description,
                    online_url=training.online_url, place=training.place, organiser_id=training.organiser_id,
                    cancel_reason=training.cancel_reason if training.is_cancelled else None)


def seats_of(training_id: int) -> list[Seat]:
    """Every seat held at a training (not the cancelled ones), by shop name."""
    rows = db.session.execute(
        select(TrainingSeat.shop_id, Shop.name, Region.kind, Region.name, User.name, Shop.whatsapp,
               TrainingSeat.status)
        .join(Shop, Shop.id == TrainingSeat.shop_id).join(Region, Region.id == Shop.region_id)
        .join(User, User.id == TrainingSeat.user_id)
        .where(TrainingSeat.training_id == training_id, TrainingSeat.status.in_(HOLDS_SEAT))
        .order_by(func.lower(Shop.name), Shop.id))
    return [Seat(shop_id, shop, f"{kind} {region}", owner, phone, status)
            for shop_id, shop, kind, region, owner, phone, status in rows]


@dataclass(frozen=True)
class OwnerSeat:
    training: TrainingSummary
    shop_id: int
    shop_name: str
    status: str

    @property
    def status_label(self) -> str:
        return SEAT_STATUSES[self.status]


def seats_of_owner(user_id: int) -> list[OwnerSeat]:
    """The owner's seats (held ones), newest training first."""
    rows = db.session.execute(
        select(*_columns(), TrainingSeat.shop_id, Shop.name, TrainingSeat.status)
        .join(TrainingSeat, TrainingSeat.training_id == Training.id)
        .join(Shop, Shop.id == TrainingSeat.shop_id)
        .outerjoin(Region, Region.id == Training.region_id)
        .where(Shop.owner_id == user_id, TrainingSeat.status.in_(HOLDS_SEAT))
        .order_by(Training.starts_at.desc(), Training.id.desc()).limit(200))
    return [OwnerSeat(_summary(t, code, kind, name), shop_id, shop_name, status)
            for t, code, kind, name, shop_id, shop_name, status in rows]


def eligible_shops(user, training: TrainingDetail) -> list[tuple[int, str, bool]]:
    """(shop id, name, already seated) for the viewer's shops that may take this training."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_shop_owner:
        return []
    statement = select(Shop.id, Shop.name).where(Shop.owner_id == user.id, Shop.status != "rejected")
    if training.region_code:
        statement = statement.join(Region, Region.id == Shop.region_id).where(Region.code == training.region_code)
    shops = db.session.execute(statement.order_by(Shop.id)).all()
    seated = set(db.session.scalars(select(TrainingSeat.shop_id).where(
        TrainingSeat.training_id == training.id, TrainingSeat.status.in_(HOLDS_SEAT),
        TrainingSeat.shop_id.in_([shop_id for shop_id, _ in shops]))))
    return [(shop_id, name, shop_id in seated) for shop_id, name in shops]


def trainings_attended(shop_id: int) -> int:
    """How many trainings the shop attended ("Ikut N pelatihan"): a count over its own seats."""
    return db.session.scalar(select(func.count()).select_from(TrainingSeat).where(
        TrainingSeat.shop_id == shop_id, TrainingSeat.status == "attended")) or 0


def may_manage(user, training_id: int) -> bool:
    return can_manage_training(user, get_training(training_id))


def managed_trainings(user, *, page: int = 1, per_page: int = 20) -> Page[TrainingSummary]:
    """Trainings the user may manage (admin: all; coordinator: their region's and their own),
    newest first, past ones included (attendance is marked afterwards)."""
    statement = (select(*_columns()).outerjoin(Region, Region.id == Training.region_id)
                 .order_by(Training.starts_at.desc(), Training.id.desc()))
    if user.is_admin and user.admin_province is not None:
        statement = statement.where(or_(Training.organiser_id == user.id,
                                        Region.code.startswith(f"{user.admin_province}.")))
    elif not user.is_admin:
        statement = statement.where(or_(Training.organiser_id == user.id,
                                        Training.region_id == user.coordinator_region_id))
    return paginate(statement, page=page, per_page=per_page, row=_summary)
