"""Checks every domain's services share: text that must be there and fit its column. Each raises
:class:`~campaign.core.errors.ValidationFailed` naming the field, so forms and the API show the
message beside it."""
from __future__ import annotations

import re

from campaign.core.errors import ValidationFailed


def field_error(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def require_text(value: str | None, field: str, label: str, max_length: int) -> str:
    """``value`` with its whitespace collapsed; refused when empty or longer than ``max_length``."""
    cleaned = re.sub(r"\s+", " ", value or "").strip()
    if not cleaned:
        raise field_error(field, f"{label} wajib diisi.")
    if len(cleaned) > max_length:
        raise field_error(field, f"{label} maksimal {max_length} karakter.")
    return cleaned
