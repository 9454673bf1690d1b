"""Form helpers shared by every blueprint."""
from __future__ import annotations

from wtforms import Field, StringField
from wtforms.validators import ValidationError

from .errors import DomainError
from .formatting import parse_rupiah


class RupiahField(StringField):
    """Whole rupiah from ``50.000``, ``Rp50.000`` or ``50000``; ``data`` is an int (or None)."""

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        self.data = parse_rupiah(self.raw) if self.raw.strip() else None
        if self.raw.strip() and self.data is None:
            raise ValueError("Tulis jumlah dalam rupiah, mis. 50.000 atau Rp50.000.")

    def _value(self):
        if getattr(self, "raw", None) is not None:
            return self.raw
        return "" if self.data is None else f"{self.data:,}".replace(",", ".")


def check_with(func, *args, **kwargs):
    """A WTForms validator that runs a shared validation function raising DomainError."""
    def validator(form, field: Field):
        try:
            func(field.data, *args, **kwargs)
        except DomainError as exc:
            raise ValidationError(exc.message) from None
    return validator


def apply_domain_error(form, exc: DomainError) -> bool:
    """Attach a service's field errors to the form's fields; True if any field took one."""
    attached = False
    for name, messages in exc.fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors) + list(messages)
            attached = True
    return attached
