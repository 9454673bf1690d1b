"""Verifying or rejecting a :class:`~campaign.domains.verification.models.Verifiable` row."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from campaign.core import audit
from campaign.core.database import get_or_not_found, write_transaction
from campaign.core.errors import Conflict, PermissionDenied, ValidationFailed
from campaign.domains.verification.models import MIN_REASON_LENGTH
from campaign.util.formatting import utcnow

T = TypeVar("T")


class Decider(Protocol):
    """The acting account (accounts sit above this domain: not imported)."""

    id: int

    def coordinates(self, region_id: int) -> bool: ...


def rejection_reason(reason: str | None, *, why: str) -> str:
    """The reason as stored (at most 500 characters); refused under :data:`MIN_REASON_LENGTH`
    characters with ``why`` (what the reason is for) in the message."""
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        message = f"Tuliskan alasan penolakan (minimal {MIN_REASON_LENGTH} karakter){why}."
        raise ValidationFailed(message, fields={"reason": [message]})
    return reason[:500]


def decide(model: type[T], *, actor: Decider, entity_id: int, status: str, reason: str | None, noun: str,
           action: str, then: Callable[[Any], None] | None = None) -> T:
    """Set the row's status to ``status`` (``verified`` or ``rejected`` with ``reason``) in one
    transaction with its audit record (``<action>.<status>``) and ``then(row)``.

    Only the coordinator of the row's region or an admin may decide. Raises NotFound,
    PermissionDenied, or Conflict when the row already has that status (``noun`` names the
    thing in the messages: "Toko", "Lembaga").
    """
    with write_transaction():
        entity = get_or_not_found(model, entity_id, f"{noun} tidak ditemukan.", for_update=True)
        if not actor.coordinates(entity.region_id):
            raise PermissionDenied(f"Hanya koordinator wilayah {noun.lower()} ini atau admin yang dapat memutuskan.")
        if entity.status == status:
            raise Conflict(f"{noun} ini sudah berstatus {entity.status_label.lower()}.")
        before = {"status": entity.status, "rejection_reason": entity.rejection_reason}
        entity.status, entity.rejection_reason = status, reason
        entity.decided_at, entity.decided_by_id = utcnow(), actor.id
        audit.record(actor=actor, action=f"{action}.{status}", entity=entity, region_id=entity.region_id,
                     before=before, after={"status": status, "rejection_reason": reason})
        if then is not None:
            then(entity)
    return entity
