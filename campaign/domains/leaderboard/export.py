"""Excel workbooks (.xlsx) of a region's progress and of the province standings.

Amounts are whole-rupiah integers with a rupiah number format, rates are fractions with a
percent format, dates are real dates: coordinators can sort and sum them in Excel. Workbooks are
saved through :func:`campaign.util.spreadsheets.workbook_bytes` (text that would be a formula is not).
"""
from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from campaign.core import clock
from campaign.domains.leaderboard.metrics import METRICS, PERSPECTIVES
from campaign.domains.leaderboard.queries import Figures, RegionProgress, Standings
from campaign.domains.roster.queries import NOT_CHECKED, has_roster
from campaign.util.formatting import tanggal, utcnow
from campaign.util.spreadsheets import workbook_bytes

RUPIAH = '"Rp"#,##0'
PERCENT = "0.0%"
COUNT = "#,##0"
DATE = "DD-MM-YYYY"

# (label, Figures attribute, number format)
SUMMARY_LINES = (
    ("Belanja terealisasi", "realized", RUPIAH),
    ("Belanja terverifikasi", "verified", RUPIAH),
    ("Janji belanja", "pledged", RUPIAH),
    ("ASN berpartisipasi", "participants", COUNT),
    ("Jumlah transaksi", "purchases", COUNT),
    ("Toko didukung", "shops_supported", COUNT),
    ("Jumlah ASN", "asn_headcount", COUNT),
    ("Target belanja", "target_amount", RUPIAH),
    ("Tingkat partisipasi", "participation_rate", PERCENT),
    ("Realisasi janji", "pledge_realization", PERCENT),
    ("Belanja per ASN", "spend_per_asn", RUPIAH),
    ("Capaian target", "target_progress", PERCENT),
)


def cell_value(value, number_format: str):
    """Rupiah as integers (a per-ASN average rounded to whole rupiah); None stays empty."""
    if value is not None and number_format == RUPIAH:
        return round(value)
    return value


def _header(sheet: Worksheet, headers: list[str]) -> None:
    sheet.append(headers)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def _table(sheet: Worksheet, headers: list[str], rows, formats: list[str | None]) -> None:
    _header(sheet, headers)
    for row in rows:
        sheet.append([cell_value(value, fmt) for value, fmt in zip(row, formats)])
        for cell, fmt in zip(sheet[sheet.max_row], formats):
            if fmt:
                cell.number_format = fmt
    for column, header in zip(sheet.columns, headers):
        sheet.column_dimensions[column[0].column_letter].width = max(12, min(40, len(header) + 4))


def region_workbook(progress: RegionProgress) -> BytesIO:
    """Sheets: Ringkasan, Per Minggu, Per Instansi, Toko Teratas, Toko Belum Ada Pembeli.
    ``progress`` must be detailed."""
    workbook = Workbook()
    _summary(workbook.active, progress)
    _weeks(workbook.create_sheet("Per Minggu"), progress)
    detail = progress.detail
    _table(workbook.create_sheet("Per Instansi"),
           ["Instansi/OPD", "Belanja terealisasi", "Belanja terverifikasi", "Janji belanja", "ASN berjanji",
            "ASN berpartisipasi", "Jumlah transaksi"],
           [(a.name, a.realized, a.verified, a.pledged, a.pledgers, a.participants, a.purchases)
            for a in detail.by_agency], [None, RUPIAH, RUPIAH, RUPIAH, COUNT, COUNT, COUNT])
    _table(workbook.create_sheet("Toko Teratas"),
           ["Peringkat", "Nama toko", "Kategori", "Belanja terealisasi", "Belanja terverifikasi",
            "Jumlah transaksi", "Pembeli"],
           [(n, s.name, s.category, s.realized, s.verified, s.purchases, s.buyers)
            for n, s in enumerate(detail.top_shops, start=1)], [COUNT, None, None, RUPIAH, RUPIAH, COUNT, COUNT])
    _table(workbook.create_sheet("Toko Belum Ada Pembeli"), ["Nama toko", "Kategori", "Kecamatan", "Kelurahan/desa"],
           [(s.name, s.category, s.district, s.village) for s in detail.idle_shops], [None] * 4)
    return workbook_bytes(workbook)


def _summary(sheet: Worksheet, progress: RegionProgress) -> None:
    sheet.title = "Ringkasan"
    campaign = progress.campaign
    sheet.append(["Kabupaten/Kota", progress.region.full_name])
    sheet.append(["Kode Kemendagri", progress.region.code])
    sheet.append(["Kampanye", campaign.name])
    sheet.append(["Surat imbauan", f"No. {campaign.appeal_letter_number}, {tanggal(campaign.appeal_letter_date)}"])
    sheet.append(["Periode", f"{tanggal(campaign.starts_on)} s.d. {tanggal(campaign.ends_on)}" if campaign.ends_on
                  else f"sejak {tanggal(campaign.starts_on)} (tanpa tanggal akhir)"])
    sheet.append(["Peringkat (belanja terealisasi, wilayah ASN)",
                  f"{progress.rank} dari {progress.region_count}"])
    sheet.append(["Daftar ASN (belanja terverifikasi hanya dari NIP di daftar)",
                  "ada" if has_roster(progress.region.id) else NOT_CHECKED])
    sheet.append(["Diunduh", clock.waktu(utcnow())])
    sheet.append([])
    _figures_table(sheet, [PERSPECTIVES["asn_region"], PERSPECTIVES["shop_region"]],
                   [progress.asn_region, progress.shop_region])
    sheet.column_dimensions["A"].width = 44


def _figures_table(sheet: Worksheet, titles: list[str], columns: list[Figures]) -> None:
    _header(sheet, ["Ukuran", *titles])
    for label, name, fmt in SUMMARY_LINES:
        sheet.append([label, *(cell_value(getattr(figures, name), fmt) for figures in columns)])
        for cell in sheet[sheet.max_row][1:]:
            cell.number_format = fmt
    for letter in "BC":
        sheet.column_dimensions[letter].width = 24


def _weeks(sheet: Worksheet, progress: RegionProgress) -> None:
    shop_weeks = {point.week_start: point for point in progress.weeks_shop_region}
    _table(sheet, ["Minggu mulai (Senin)", "Terealisasi (wilayah ASN)", "Terverifikasi (wilayah ASN)",
                   "Transaksi (wilayah ASN)", "Terealisasi (wilayah toko)", "Terverifikasi (wilayah toko)",
                   "Transaksi (wilayah toko)"],
           [(p.week_start, p.realized, p.verified, p.purchases, shop_weeks[p.week_start].realized,
             shop_weeks[p.week_start].verified, shop_weeks[p.week_start].purchases)
            for p in progress.weeks_asn_region], [DATE, RUPIAH, RUPIAH, COUNT, RUPIAH, RUPIAH, COUNT])


def province_workbook(by_asn: Standings, by_shop: Standings, *, checked: frozenset[str]) -> BytesIO:
    """One sheet per perspective: every region with its figures, in rank order, and whether it has
    an ASN roster (``checked``: the codes of those that do; only their ASN buy verified spend)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for standings in (by_asn, by_shop):
        sheet = workbook.create_sheet("Wilayah ASN" if standings.perspective == "asn_region" else "Wilayah Toko")
        sheet.append([f"{standings.campaign.name}: {PERSPECTIVES[standings.perspective]}, "
                      f"diurutkan menurut {METRICS[standings.metric].lower()}"])
        _table(sheet, ["Peringkat", "Kode", "Kabupaten/Kota", "Belanja terealisasi", "Belanja terverifikasi",
                       "Janji belanja", "ASN berpartisipasi", "Jumlah transaksi", "Toko didukung", "Jumlah ASN",
                       "Target belanja", "Tingkat partisipasi", "Realisasi janji", "Belanja per ASN", "Daftar ASN"],
               [(r.rank, r.region_code, f"{r.region_kind} {r.region_name}", r.realized, r.verified, r.pledged,
                 r.participants, r.purchases, r.shops_supported, r.asn_headcount, r.target_amount,
                 r.participation_rate, r.pledge_realization, r.spend_per_asn,
                 "ada" if r.region_code in checked else NOT_CHECKED) for r in standings.rows],
               [COUNT, None, None, RUPIAH, RUPIAH, RUPIAH, COUNT, COUNT, COUNT, COUNT, RUPIAH,
                PERCENT, PERCENT, RUPIAH, None])
    return workbook_bytes(workbook)
