"""The audit trail: who changed what, when, and the values before and after."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.core.extensions import db
from campaign.util.formatting import utcnow


class AuditEvent(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column()
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    # auth is a domain above this layer: the class is named, not imported
    actor: Mapped[User | None] = relationship("User")  # noqa: F821

    __table_args__ = (Index("ix_audit_event_entity", "entity_type", "entity_id"),)


def record(*, actor: Any, action: str, entity: Any, region_id: int | None = None,
           before: dict | None = None, after: dict | None = None) -> AuditEvent:
    """Add an audit event to the current transaction (the caller's unit of work commits it)."""
    db.session.flush()  # the entity needs its id
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        entity_type=type(entity).__name__.lower(),
        entity_id=entity.id,
        region_id=region_id,
        before=before,
        after=after,
    )
    db.session.add(event)
    return event
