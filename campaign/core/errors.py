"""The domain error hierarchy.

Services raise :class:`DomainError` subclasses with a message in Bahasa Indonesia. HTML views
flash that message; API views turn it into ``{"error": {"code", "message", "fields"}}`` with
the error's ``status`` (the HTTP side is :mod:`campaign.web.errors`).
"""
from __future__ import annotations


class DomainError(Exception):
    status = 422
    code = "invalid"

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None, details: dict | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.details = details or {}  # extra members of the JSON error (e.g. ``purchase_id``)


class ValidationFailed(DomainError):
    """Input breaks a rule (amount out of range, date in the future, ...)."""


class NotFound(DomainError):
    status = 404
    code = "not_found"


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    """Duplicate (NIP, login, pledge) or a state that does not allow the action."""

    status = 409
    code = "conflict"


class Duplicate(Conflict):
    """The same purchase again shortly after the first (see :mod:`campaign.domains.purchases.limits`)."""

    code = "duplicate"


class IdempotencyMismatch(Conflict):
    """A ``client_ref`` already used for a purchase with another body (shop, amount, date, note):
    the retry is not a retry. ``details`` names the first purchase (``purchase_id``)."""

    code = "idempotency_mismatch"


class LimitExceeded(DomainError):
    """A per-person limit on logging purchases is reached (see :mod:`campaign.domains.purchases.limits`)."""

    status = 422
    code = "limit_exceeded"


class InvalidCredentials(DomainError):
    status = 401
    code = "invalid_credentials"
