"""Money, dates, times, phone numbers and NIPs: parsing input and showing it the Indonesian way."""
from __future__ import annotations

import functools
import re
from datetime import date, datetime, timezone, tzinfo

import phonenumbers
from babel.dates import format_date, format_datetime
from flask import Flask

def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored datetime is UTC."""
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


# --- money -------------------------------------------------------------------------------

_WHOLE = r"\d{1,3}(?:\.\d{3})+|\d+"  # 15.000 or 15000: a dot is always a thousands separator
_PLAIN = re.compile(rf"^({_WHOLE})(?:,0{{1,2}})?$")  # 15.000 15000 15.000,00 15.000,0
_SCALED = re.compile(r"^(\d+)(?:,(\d{1,6}))?(rb|ribu|k|jt|juta)$")  # 15rb 15 ribu 1,5 juta 2jt
_SCALES = {"rb": 1_000, "ribu": 1_000, "k": 1_000, "jt": 1_000_000, "juta": 1_000_000}
AMOUNT_EXAMPLE = "mis. 15.000, Rp15.000, 15rb atau 1,5 juta"


class AmountUnclear(ValueError):
    """An amount that could mean two things (``15,5``, ``1.5 juta``) or nothing; the message,
    in Indonesian, says how to write it."""


def read_rupiah(text: str | int) -> int:
    """Whole rupiah from the spellings Indonesians type: ``15000``, ``15.000``, ``Rp15.000``,
    ``Rp 15.000,-``, ``15.000,00``, ``15rb``, ``15 ribu``, ``15k``, ``2jt``, ``1,5 juta``.

    A dot is always a thousands separator and a comma a decimal one (Indonesian usage); only zero
    cents may follow a comma without ``rb``/``juta``. Raises :class:`AmountUnclear` for anything
    else, ambiguous spellings (``15,5``, ``15.5``, ``1.5 juta``) included, and for fractions of a
    rupiah (``1,2345 rb``).
    """
    if isinstance(text, int):
        return text
    cleaned = re.sub(r"\s+", "", str(text).replace("\u00a0", " ")).lower()
    cleaned = re.sub(r"^rp\.?", "", cleaned)
    cleaned = re.sub(r"[,.]?-$", "", cleaned)  # Rp15.000,- and 15.000.-
    if match := _PLAIN.match(cleaned):
        return int(match.group(1).replace(".", ""))
    if match := _SCALED.match(cleaned):
        whole, decimals, unit = match.groups()
        scale = _SCALES[unit]
        cents = int(decimals or "0") * scale
        if cents % 10 ** len(decimals or ""):
            raise AmountUnclear(f"Jumlah harus rupiah bulat; {AMOUNT_EXAMPLE}.")
        return int(whole) * scale + cents // 10 ** len(decimals or "")
    if re.fullmatch(r"\d+[.,]\d{1,2}(rb|ribu|k|jt|juta)?|\d+,\d+|\d+\.\d+(rb|ribu|k|jt|juta)", cleaned):
        raise AmountUnclear(f"\u201c{str(text).strip()}\u201d bisa dibaca dua cara. Tulis rupiah bulat dengan titik "
                            f"ribuan atau dengan rb/juta, mis. 15.500, 15rb atau 1,5 juta.")
    raise AmountUnclear(f"Tulis jumlah dalam rupiah, {AMOUNT_EXAMPLE}.")


def parse_rupiah(text: str | int | None) -> int | None:
    """:func:`read_rupiah`, or None where the text is missing or unreadable."""
    if text is None:
        return None
    try:
        return read_rupiah(text)
    except AmountUnclear:
        return None


def is_plain_rupiah(text: str) -> bool:
    """Whether ``text`` already reads as its amount with no interpretation (``15.000``,
    ``Rp15.000``, ``15000``), so showing it back would tell the person nothing new."""
    return bool(re.fullmatch(rf"(?:rp\.?\s?)?(?:{_WHOLE})", text.strip(), re.IGNORECASE))


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

def tanggal(value: date | datetime | None, zone: tzinfo | None = None) -> str:
    """``27 November 2026``; a moment (a datetime) by its date in ``zone``, which it then needs
    (``campaign.core.clock.tanggal`` passes the deployment's)."""
    if value is None:
        return "-"
    if isinstance(value, datetime):
        if zone is None:
            raise TypeError("tanggal() of a datetime needs its zone")
        value = as_utc(value).astimezone(zone).date()
    return _date_text(value, "d MMMM y")


def bulan(value: date | None) -> str:
    """``November 2026``."""
    return "-" if value is None else _date_text(value, "MMMM y")


@functools.lru_cache(maxsize=4096)
def _date_text(day: date, pattern: str) -> str:
    """A date in Bahasa Indonesia (babel takes microseconds per date; a region page shows dozens)."""
    return format_date(day, pattern, locale="id")


def waktu(value: datetime | None, zone: tzinfo, label: str) -> str:
    """``27 November 2026 14.05 WIB`` for ``zone`` labelled ``label`` (``campaign.core.clock.waktu``
    passes the zone served)."""
    if value is None:
        return "-"
    return format_datetime(as_utc(value), "d MMMM y HH.mm", tzinfo=zone, locale="id") + f" {label}"


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
        rupiah=rupiah, number=number, percent=percent, bulan=bulan, phone=phone_display, mask_nip=mask_nip,
    )
