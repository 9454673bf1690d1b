"""Structural checks shared by the forms and the services (the API path skips the forms)."""
from __future__ import annotations

import re
from datetime import date

from email_validator import EmailNotValidError, validate_email

from campaign.core import clock
from campaign.core.errors import ValidationFailed
from campaign.core.validation import field_error
from campaign.util.formatting import normalize_phone

MIN_PASSWORD_LENGTH = 8


def clean_nip(text: str) -> str:
    """The NIP without the spaces people type between its groups; raises ValidationFailed.

    Layout ``YYYYMMDD YYYYMM G NNN``: birth date, year and month of appointment, gender (1/2),
    sequence 001-999. No checksum. Digits 13-14: :func:`appointment_digits_valid`.
    """
    nip = re.sub(r"[\s.\-]", "", text or "")
    if not nip.isdigit():
        raise _nip("NIP hanya boleh berisi angka.")
    if len(nip) != 18:
        raise _nip(f"NIP harus 18 digit (Anda mengisi {len(nip)} digit).")
    try:
        born = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise _nip("8 digit pertama NIP harus tanggal lahir yang valid (TTTTBBHH).") from None
    this_year = clock.today().year
    if not 1930 <= born.year <= this_year - 15:
        raise _nip("Tahun lahir pada NIP tidak masuk akal.")
    appointed = int(nip[8:12])
    if not born.year + 15 <= appointed <= this_year:
        raise _nip("Digit 9-12 NIP harus tahun pengangkatan yang valid (setelah usia 15 tahun, "
                   "tidak di masa depan).")
    if not appointment_digits_valid(nip[12:14]):
        raise _nip("Digit 13-14 NIP (bulan pengangkatan atau kode PPPK) tidak boleh 00.")
    if nip[14] not in "12":
        raise _nip("Digit ke-15 NIP (jenis kelamin) harus 1 atau 2.")
    if nip[15:] == "000":
        raise _nip("Tiga digit terakhir NIP (nomor urut) harus 001 sampai 999.")
    return nip


def appointment_digits_valid(digits: str) -> bool:
    """Digits 13-14 of a NIP (``nip[12:14]``): any two digits except ``00``.

    For a PNS they are the month of appointment, 01-12 (Peraturan Kepala BKN No. 22 Tahun 2007
    on the 18-digit Nomor Identitas PNS). PPPK staff carry a number of the same layout in which
    these two digits are a code such as 21 or 24, not a month, so values above 12 are valid.
    ``00`` is neither a month nor a PPPK code (the product brief, "Data": NIP).
    """
    return len(digits) == 2 and digits.isdigit() and digits != "00"


def _nip(message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={"nip": [message]})


def parse_login(text: str, field: str = "login") -> tuple[str, str]:
    """``("email", "a@b.id")`` or ``("phone", "+62812...")`` from what a person typed."""
    value = (text or "").strip()
    if "@" in value:
        try:
            email = validate_email(value, check_deliverability=False).normalized
        except EmailNotValidError:
            raise field_error(field, "Alamat e-mail tidak valid.") from None
        return "email", email.lower()
    phone = normalize_phone(value)
    if phone is None:
        raise field_error(field, "Isi alamat e-mail atau nomor WhatsApp yang valid, mis. 0812-3456-7890.")
    return "phone", phone


def clean_phone(text: str, field: str = "whatsapp") -> str:
    phone = normalize_phone(text)
    if phone is None:
        raise field_error(field, "Nomor WhatsApp tidak valid, mis. 0812-3456-7890.")
    return phone


def check_password(password: str, field: str = "password") -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise field_error(field, f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter.")
