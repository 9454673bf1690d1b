"""Reading a roster file: CSV (UTF-8 or Windows-1252, comma, semicolon or tab) or xlsx (first
sheet), with a header row naming the columns NIP, Nama, Instansi/OPD and Kabupaten/Kota.

Rows come out as text, numbered as a spreadsheet user sees them (the header is line 1). Only the
file's shape is checked here (through :mod:`campaign.web.uploads`, so any file is a 422 at
worst); the rows' contents are checked by the import service.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from campaign.core.errors import ValidationFailed
from campaign.web.uploads import XlsxLimits, refused, table

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


def read_rows(content: bytes, filename: str, *, max_rows: int | None = None,
              xlsx: XlsxLimits = XlsxLimits()) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {"nip", "name", "agency", "region"?}) for each non-empty row.

    Raises ValidationFailed (on the field ``file``) for an unreadable file, missing columns, or
    more than ``max_rows`` rows (a CSV's lines are counted before any parsing).
    """
    if max_rows is not None and filename.lower().endswith((".csv", ".txt")) and content.count(b"\n") > max_rows + 1:
        raise too_many_rows(max_rows)
    rows = _rows(table(content, filename, limits=xlsx))
    return rows if max_rows is None else _at_most(rows, max_rows)


def too_many_rows(max_rows: int) -> ValidationFailed:
    limit = f"{max_rows:,}".replace(",", ".")
    return refused(f"Berkas ini lebih dari {limit} baris, terlalu besar untuk diunggah lewat halaman ini. "
                   "Bagi berkas per kabupaten/kota, atau minta admin server menjalankan "
                   "flask --app campaign import-roster BERKAS [--region 73.73] (tanpa batas baris).")


def _at_most(rows: Iterator[tuple[int, dict[str, str]]], max_rows: int) -> Iterator[tuple[int, dict[str, str]]]:
    for count, row in enumerate(rows, start=1):
        if count > max_rows:
            raise too_many_rows(max_rows)
        yield row
