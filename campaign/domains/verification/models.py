"""The columns and labels of something that waits for its region's verification."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

VERIFICATION_STATUSES = {"pending": "Menunggu verifikasi", "verified": "Terverifikasi", "rejected": "Ditolak"}
MIN_REASON_LENGTH = 5


class Verifiable:
    """Mixin for a model with a ``region_id``: its verification status, the reason of a
    rejection, and who decided when. New rows start ``pending``."""

    status: Mapped[str] = mapped_column(String(10), default="pending")
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)

    @property
    def status_label(self) -> str:
        return VERIFICATION_STATUSES[self.status]

    @property
    def is_verified(self) -> bool:
        return self.status == "verified"
