"""The audit trail: who changed what, when, and the values before and after."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, insert
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.core.chain import Chain
from campaign.core.database import dialect_name, driver_rows
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


_INSERT = insert(AuditEvent.__table__)
_SQLITE_INSERT = ('INSERT INTO audit_event (at, actor_id, action, entity_type, entity_id, region_id, "before", '
                  '"after") VALUES (?, ?, ?, ?, ?, ?, ?, ?)')


def record(*, actor: Any, action: str, entity: Any, region_id: int | None = None,
           before: dict | None = None, after: dict | None = None) -> None:
    """Write an audit event in the current transaction (committed or rolled back with it).

    Inserted at once, not added to the session as an object: the unit of work's flush of that
    one object was about a tenth of a logged purchase's time under SQLite's writer lock
    (py-spy); on SQLite through the driver (:func:`~campaign.core.database.driver_rows`)."""
    db.session.flush()  # the entity needs its id
    values = {"at": utcnow(), "actor_id": actor.id if actor is not None else None, "action": action,
              "entity_type": type(entity).__name__.lower(), "entity_id": entity.id, "region_id": region_id,
              "before": before, "after": after}
    if dialect_name() == "sqlite":
        driver_rows(_SQLITE_INSERT, values.values())
    else:
        db.session.execute(_INSERT, values)


def chain_record(chain: Chain, *, actor_id: int | None, action: str, entity_type: str, entity: str,
                 region_id: int | None = None, before: dict | None = None, after: dict | None = None) -> None:
    """:func:`record` as a part of ``chain`` (PostgreSQL), the entity's id read from the part
    ``entity`` (its ``RETURNING id``): no row there, no audit record."""
    chain.add("audit", 'INSERT INTO audit_event (at, actor_id, action, entity_type, entity_id, region_id, "before", '
              f'"after") SELECT %s, %s, %s, %s, {entity}.id, %s, %s::json, %s::json FROM {entity}',  # nosec B608: part name from the code
              (utcnow(), actor_id, action, entity_type, region_id, _json(before), _json(after)))


def _json(value: dict | None) -> str | None:
    return None if value is None else json.dumps(value)
