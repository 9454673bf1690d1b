"""Reading a roster file: CSV (UTF-8 or Windows-1252, comma, semicolon or tab) or xlsx (first
sheet), with a header row naming the columns NIP, Nama, Instansi/OPD and Kabupaten/Kota.

Rows come out as text, numbered as a spreadsheet user sees them (the header is line 1). Only the
file's shape is checked here; the rows' contents are checked by the import service.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from zipfile import BadZipFile

from campaign.core.errors import ValidationFailed

COLUMNS = {
    "nip": ("nip", "nip baru"),
    "name": ("nama", "name", "nama lengkap", "nama pegawai"),
    "agency": ("instansi", "opd", "instansi/opd", "opd/instansi", "agency", "unit kerja", "satuan kerja",
               "perangkat daerah"),
    "region": ("kabupaten/kota", "kab/kota", "wilayah", "region", "kode wilayah", "kode", "kabupaten", "kota"),
}
REQUIRED_COLUMNS = ("nip", "name", "agency")
NUMERIC_NIP = "#angka"  # a NIP Excel stored as a number: its last digits are already lost


def _header_key(text) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().casefold()


def _columns(header: list) -> dict[str, int]:
    """Column index per field; ValidationFailed naming the columns that are missing."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        for field, names in COLUMNS.items():
            if _header_key(cell) in names and field not in found:
                found[field] = index
    missing = [field for field in REQUIRED_COLUMNS if field not in found]
    if missing:
        labels = {"nip": "NIP", "name": "Nama", "agency": "Instansi/OPD"}
        message = ("Baris pertama berkas harus berisi judul kolom NIP, Nama, Instansi/OPD dan "
                   f"(untuk impor provinsi) Kabupaten/Kota. Tidak ditemukan: {', '.join(labels[m] for m in missing)}.")
        raise ValidationFailed(message, fields={"file": [message]})
    return found


def _text(value) -> str:
    """A spreadsheet cell as text (CSV cells are text already)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float):
        return f"{value:.2f}" if value < 100 else NUMERIC_NIP  # 73.1 was "73.10"; big numbers are NIPs
    if isinstance(value, int):
        return str(value) if value < 10**15 else NUMERIC_NIP
    return str(value).strip()


def _rows(table: Iterator[list]) -> Iterator[tuple[int, dict[str, str]]]:
    header = next(table, None)
    if header is None:
        raise ValidationFailed("Berkas kosong.", fields={"file": ["Berkas kosong."]})
    columns = list(_columns(list(header)).items())
    for line, cells in enumerate(table, start=2):
        width = len(cells)
        values = {field: _text(cells[index]) if index < width else "" for field, index in columns}
        if any(values.values()):
            yield line, values


def read_rows(content: bytes, filename: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {"nip", "name", "agency", "region"?}) for each non-empty row.

    Raises ValidationFailed (on the field ``file``) for an unreadable file or missing columns.
    """
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return _rows(_xlsx_table(content))
    if name.endswith((".csv", ".txt")):
        return _rows(_csv_table(content))
    message = "Unggah berkas .csv atau .xlsx."
    raise ValidationFailed(message, fields={"file": [message]})


def _csv_table(content: bytes) -> Iterator[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_table(content: bytes) -> Iterator[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError):
        message = "Berkas .xlsx tidak dapat dibaca."
        raise ValidationFailed(message, fields={"file": [message]}) from None
    sheet = workbook.worksheets[0]
    return (list(row) for row in sheet.iter_rows(values_only=True))
