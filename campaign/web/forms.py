"""Form helpers shared by every blueprint."""
from __future__ import annotations

import threading
from collections import OrderedDict

from flask import flash, g
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import Field, StringField
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import Select

from campaign.core.errors import DomainError
from campaign.util.formatting import AmountUnclear, is_plain_rupiah, number, read_rupiah, rupiah

REQUIRED = "Wajib diisi."
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]  # what <input type=date> sends, and what people type

# WTForms ships no Indonesian catalogue; these are the built-in messages our fields can show.
_MESSAGES = {
    "This field is required.": "Wajib diisi.",
    "Not a valid date value.": "Tanggal tidak valid; gunakan format TTTT-BB-HH, mis. 2026-11-27.",
    "Not a valid integer value.": "Harus berupa bilangan bulat.",
    "Not a valid choice.": "Pilihan tidak valid.",
    "Invalid input.": "Isian tidak valid.",
    "Invalid email address.": "Alamat e-mail tidak valid.",
    "Field must be equal to %(other_name)s.": "Isian harus sama dengan %(other_name)s.",
    "Field must be at least %(min)d character long.": "Minimal %(min)d karakter.",
    "Field must be at least %(min)d characters long.": "Minimal %(min)d karakter.",
    "Field cannot be longer than %(max)d character.": "Maksimal %(max)d karakter.",
    "Field cannot be longer than %(max)d characters.": "Maksimal %(max)d karakter.",
    "Field must be between %(min)d and %(max)d characters long.": "Panjang harus %(min)d sampai %(max)d karakter.",
    "Number must be at least %(min)s.": "Angka minimal %(min)s.",
    "Number must be at most %(max)s.": "Angka maksimal %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Angka harus antara %(min)s dan %(max)s.",
    "The CSRF token is missing.": "Formulir kedaluwarsa; muat ulang halaman lalu kirim lagi.",
    "The CSRF token is invalid.": "Formulir kedaluwarsa; muat ulang halaman lalu kirim lagi.",
    "The CSRF token has expired.": "Formulir kedaluwarsa; muat ulang halaman lalu kirim lagi.",
}


class _Indonesian:
    def gettext(self, string):
        return _MESSAGES.get(string, string)

    def ngettext(self, singular, plural, n):
        return self.gettext(singular if n == 1 else plural)


class Form(FlaskForm):
    """Base of every form: Flask-WTF (CSRF) with WTForms' own messages in Indonesian."""

    class Meta:
        def get_translations(self, form):
            return _Indonesian()

    def validate_on_submit(self, extra_validators=None) -> bool:
        """As Flask-WTF's, except while a rate limit shows the form again
        (``campaign.web.ratelimits.register_form_retry``): the typed values are checked and shown,
        and nothing is submitted."""
        if g.get("rate_limited_until") is not None:
            if self.is_submitted():
                self.validate(extra_validators)
            return False
        return super().validate_on_submit(extra_validators)


class RupiahField(StringField):
    """Whole rupiah in any spelling :func:`~campaign.util.formatting.read_rupiah` reads (``15.000``,
    ``Rp15.000,-``, ``15rb``, ``1,5 juta``); ``data`` is an int (or None).

    ``required=True`` asks for a value (WTForms' DataRequired would hide the parse error).
    ``confirm=True`` shows a spelling that needed reading (``15rb``, ``1,5 juta``) back as rupiah
    before anything is saved: the form comes back once with "Dibaca sebagai Rp15.000" and the
    field rewritten as ``15.000``; sent again, it passes.
    """

    def __init__(self, label=None, validators=None, required: bool = False, confirm: bool = False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required = required
        self.confirm = confirm
        self.confirming = False
        if required:
            self.flags.required = True

    def pre_validate(self, form):
        if self.required and self.data is None and not self.process_errors:
            raise StopValidation("Wajib diisi.")
        if self.confirm and self.data is not None and not is_plain_rupiah(self.raw):
            self.confirming = True
            self.raw = number(self.data)
            raise StopValidation(f"Dibaca sebagai {rupiah(self.data)}. Jika benar, kirim sekali lagi.")

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        self.data = None
        if self.raw.strip():
            try:
                self.data = read_rupiah(self.raw)
            except AmountUnclear as exc:
                raise ValueError(str(exc)) from None

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


def submit(form, service, /, **kwargs):
    """Call ``service(**kwargs)`` for a validated form and return its result. On a DomainError
    the message goes onto the form fields it names (or into a flash) and None is returned."""
    try:
        return service(**kwargs)
    except DomainError as exc:
        if not apply_domain_error(form, exc):
            flash(exc.message, "error")
        return None


class KeptSelect(Select):
    """A ``<select>`` rendered once per field name, id, value, choices and attributes, and kept
    per process (the last :attr:`KEEP` of them).

    WTForms escapes and formats every ``<option>`` in Python: the directory's filters, 25 regions
    and 13 categories on every page (514 regions for the whole country), cost a third of a
    directory page rendered cold. The output depends on nothing but the key, so a kept one is
    the same bytes. Only for flat choices (no ``<optgroup>``)."""

    KEEP = 2048
    _kept: OrderedDict[tuple, Markup] = OrderedDict()
    _lock = threading.Lock()

    def __call__(self, field, **kwargs):
        flags = getattr(field, "flags", None)
        key = (field.name, field.id, field.data, tuple(field.choices or ()), tuple(sorted(kwargs.items())),
               tuple(getattr(flags, name, None) for name in self.validation_attrs), self.multiple)
        try:
            with self._lock:
                html = self._kept.get(key)
        except TypeError:  # a value that cannot be a key (a list)
            return super().__call__(field, **kwargs)
        if html is None:
            html = super().__call__(field, **kwargs)
            with self._lock:
                self._kept[key] = html
                while len(self._kept) > self.KEEP:
                    self._kept.popitem(last=False)
        return html
