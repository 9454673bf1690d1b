"""Import field reports from a coordinator's CSV or xlsx file, row by row.

Columns (first row, any order, case-insensitive): ``kode_wilayah``, ``nama_usaha``, ``kategori``,
``status``, ``pekerja_sebelum``, ``pekerja_sekarang``, ``penurunan_omzet``, ``kebutuhan_utama``.
Choice columns take the code (``closed_temp``) or the Indonesian label (``Tutup sementara``).
Every row is checked on its own: good rows are saved together, refused rows are reported with
their row number and reasons, and one bad row never costs the good ones.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice

from flask import current_app

from campaign.core.errors import PermissionDenied, ValidationFailed
from campaign.domains.affected import services
from campaign.domains.affected.models import BUSINESS_STATUSES, NEEDS, REVENUE_DROPS
from campaign.domains.shops.models import CATEGORIES
from campaign.web import uploads
from campaign.web.uploads import XlsxLimits

COLUMNS = {"kode_wilayah": "region", "nama_usaha": "business_name", "kategori": "category", "status": "status",
           "pekerja_sebelum": "workers_before", "pekerja_sekarang": "workers_now",
           "penurunan_omzet": "revenue_drop", "kebutuhan_utama": "main_need"}
LABELS = {"region": "kode_wilayah", **{v: k for k, v in COLUMNS.items() if v != "region"}}
MAX_ROWS = 5_000
CHOICES = {"category": CATEGORIES, "status": BUSINESS_STATUSES, "revenue_drop": REVENUE_DROPS, "main_need": NEEDS}


class ImportRefused(ValidationFailed):
    """The file as a whole cannot be read (wrong type, missing columns, too many rows)."""


@dataclass
class ImportReport:
    saved: int = 0
    refused: list[tuple[int, list[str]]] = field(default_factory=list)  # (row number, reasons)


def read_rows(filename: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """(row number as the coordinator sees it, values by column) for each non-empty row.

    Any file that cannot be read (another kind, binary, NUL bytes, an over-long CSV field, a
    damaged or oversized xlsx: :mod:`campaign.web.uploads`) is refused as a whole."""
    if not filename.lower().endswith((".csv", ".xlsx")):
        raise ImportRefused("Unggah berkas .csv atau .xlsx.", fields={"file": ["Unggah berkas .csv atau .xlsx."]})
    limits = XlsxLimits(max_unpacked=current_app.config["IMPORT_XLSX_MAX_UNPACKED"])
    try:
        table = list(islice(uploads.table(content, filename, limits=limits), MAX_ROWS + 2))
    except ValidationFailed as exc:
        raise ImportRefused(exc.message, fields=exc.fields) from None
    if not table:
        raise ImportRefused("Berkas kosong.", fields={"file": ["Berkas kosong."]})
    header = [_key(cell) for cell in table[0]]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        message = f"Kolom wajib tidak ada: {', '.join(missing)}."
        raise ImportRefused(message, fields={"file": [message]})
    rows = [(number, {header[i]: _text(cell) for i, cell in enumerate(row) if i < len(header)})
            for number, row in enumerate(table[1:], start=2) if any(_text(cell) for cell in row)]
    if len(rows) > MAX_ROWS:
        message = f"Maksimal {MAX_ROWS} baris per unggahan."
        raise ImportRefused(message, fields={"file": [message]})
    return rows


def _key(cell) -> str:
    return re.sub(r"[\s\-]+", "_", _text(cell).lower())


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def _choice(name: str, text: str) -> str:
    options = CHOICES[name]
    folded = text.strip().lower()
    for code, label in options.items():
        if folded in (code.lower(), label.lower()):
            return code
    return text


def _count(text: str):
    text = text.strip()
    return int(text) if re.fullmatch(r"[0-9]{1,9}", text) else text


def _parse(values: dict[str, str]):
    business = services.check_business(region_code=values.get("kode_wilayah", ""),
                                       business_name=values.get("nama_usaha", ""),
                                       category=_choice("category", values.get("kategori", "")))
    impact = services.check_impact(status=_choice("status", values.get("status", "")),
                                   workers_before=_count(values.get("pekerja_sebelum", "")),
                                   workers_now=_count(values.get("pekerja_sekarang", "")),
                                   revenue_drop=_choice("revenue_drop", values.get("penurunan_omzet", "")),
                                   main_need=_choice("main_need", values.get("kebutuhan_utama", "")))
    return business, impact


def import_field_reports(*, actor, filename: str, content: bytes) -> ImportReport:
    """Check every row, save the good ones in one transaction, report the refused ones."""
    report, good = ImportReport(), []
    for number, values in read_rows(filename, content):
        try:
            business, impact = _parse(values)
        except ValidationFailed as exc:
            report.refused.append((number, [f"{LABELS.get(name, name)}: {'; '.join(messages)}"
                                            for name, messages in exc.fields.items()] or [exc.message]))
            continue
        if not actor.coordinates(business.region.id):
            report.refused.append((number, [f"kode_wilayah: Anda bukan koordinator {business.region.full_name}."]))
            continue
        good.append((business, impact))
    if good:
        try:
            report.saved = len(services.record_field_reports(actor=actor, reports=good))
        except PermissionDenied as exc:  # the actor lost the role meanwhile
            raise ImportRefused(exc.message) from None
    return report
