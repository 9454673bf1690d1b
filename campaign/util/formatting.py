"""Money, dates, times, phone numbers and NIPs: parsing input and showing it the Indonesian way."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import phonenumbers
from babel.dates import format_date, format_datetime
from flask import Flask

WITA = ZoneInfo("Asia/Makassar")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def today_wita() -> date:
    return datetime.now(WITA).date()


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored datetime is UTC."""
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


# --- money -------------------------------------------------------------------------------

_RUPIAH_INPUT = re.compile(r"^(?:rp\.?)?\s*(\d{1,3}(?:\.\d{3})+|\d+)(?:,0{1,2})?$", re.IGNORECASE)


def parse_rupiah(text: str | int | None) -> int | None:
    """Whole rupiah from ``50.000``, ``Rp50.000``, ``Rp 50.000,00`` or ``50000``; None if unreadable.

    A dot is always a thousands separator (Indonesian usage), never a decimal point.
    """
    if text is None:
        return None
    if isinstance(text, int):
        return text
    cleaned = str(text).strip().replace("\u00a0", " ")
    match = _RUPIAH_INPUT.match(cleaned.replace(" ", "") if cleaned.lower().startswith("rp") else cleaned)
    if not match:
        return None
    return int(match.group(1).replace(".", ""))


def rupiah(amount: int | None) -> str:
    """``Rp1.250.000``; negative amounts as ``-Rp5.000``."""
    if amount is None:
        return "-"
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(int(amount)):,}".replace(",", ".")


def number(value: int | None) -> str:
    return "-" if value is None else f"{int(value):,}".replace(",", ".")


def percent(value: float | None) -> str:
    """``12,5%`` with a decimal comma, ``-`` when the rate is undefined."""
    if value is None:
        return "-"
    return f"{value * 100:.1f}%".replace(".", ",")


# --- dates ---------------------------------------------------------------------------------

def tanggal(value: date | datetime | None) -> str:
    """``27 November 2026``."""
    if value is None:
        return "-"
    if isinstance(value, datetime):
        value = as_utc(value).astimezone(WITA).date()
    return format_date(value, "d MMMM y", locale="id")


def waktu(value: datetime | None) -> str:
    """``27 November 2026 14.05 WITA``."""
    if value is None:
        return "-"
    return format_datetime(as_utc(value), "d MMMM y HH.mm", tzinfo=WITA, locale="id") + " WITA"


# --- phone numbers and NIP -----------------------------------------------------------------

def normalize_phone(text: str | None) -> str | None:
    """E.164 (``+6281234567890``) for an Indonesian number in any usual spelling, else None.

    Accepts ``0812-3456-7890``, ``+62 812 3456 7890``, ``6281234567890`` and ``812...``;
    numbers of other countries are refused (WhatsApp orders go to Indonesian numbers).
    """
    if not text or re.search(r"[^\d\s+().\-]", text):
        return None
    digits = re.sub(r"[^\d+]", "", text.strip())
    if digits.startswith("62"):
        digits = "+" + digits
    try:
        parsed = phonenumbers.parse(digits, "ID")
    except phonenumbers.NumberParseException:
        return None
    if parsed.country_code != 62 or not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str | None) -> str:
    """``+62 812-3456-7890`` for people to read."""
    if not e164:
        return "-"
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164, "ID"),
                                          phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164


def mask_nip(nip: str | None) -> str:
    """``198609•••••••••001``: the first six and last three digits; the rest hidden."""
    if not nip:
        return "-"
    return nip[:6] + "\u2022" * (len(nip) - 9) + nip[-3:]


def register_filters(app: Flask) -> None:
    app.jinja_env.filters.update(
        rupiah=rupiah, number=number, percent=percent, tanggal=tanggal, waktu=waktu,
        phone=phone_display, mask_nip=mask_nip,
    )
