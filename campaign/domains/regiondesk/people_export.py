"""The purchase-level workbook of one region: one row per purchase, buyer by name and agency
only (never NIP, e-mail or phone)."""
from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from campaign.core import clock
from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.leaderboard.export import DATE, RUPIAH
from campaign.domains.purchases.models import PURCHASE_STATUSES, Purchase
from campaign.domains.regions.models import Agency, Region
from campaign.domains.shops.models import Shop
from campaign.util.spreadsheets import safe_text, workbook_bytes

HEADERS = ("No. belanja", "Tanggal belanja", "Jumlah (Rp)", "Status", "Alasan status", "Toko", "Kecamatan toko",
           "Kabupaten/kota toko", "Pembeli", "Instansi/OPD", "Kabupaten/kota ASN", "Dicatat")
FORMATS = (None, DATE, RUPIAH, None, None, None, None, None, None, None, None, "DD-MM-YYYY HH:MM")


def _headers() -> tuple[str, ...]:
    """The column heads; the time logged names its zone (the deployment's: ``campaign.core.clock``)."""
    return HEADERS[:-1] + (f"{HEADERS[-1]} ({clock.zone().label})",)


def purchases_workbook(*, campaign_id: int, region_id: int, region_name: str) -> BytesIO:
    """Every purchase of the campaign by the region's ASN or at the region's shops, any status,
    oldest first. Written row by row (openpyxl write-only), so a large region stays in bounds."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Belanja")
    sheet.append([f"Belanja per transaksi · {region_name}"])
    sheet.append([_bold(WriteOnlyCell(sheet, value=header)) for header in _headers()])
    for row in _rows(campaign_id, region_id):
        cells = []
        for value, number_format in zip(row, FORMATS):
            cell = WriteOnlyCell(sheet, value=safe_text(value))  # a write-only sheet is not revisited
            if number_format:
                cell.number_format = number_format
            cells.append(cell)
        sheet.append(cells)
    return workbook_bytes(book)


def _rows(campaign_id: int, region_id: int):
    shop_region, asn_region = aliased(Region), aliased(Region)
    zone = clock.zone()
    statement = (select(Purchase.id, Purchase.purchased_on, Purchase.amount, Purchase.status, Purchase.status_reason,
                        Shop.name, Shop.district, shop_region.name, User.name, Agency.name, asn_region.name,
                        Purchase.created_at)
                 .join(Shop, Shop.id == Purchase.shop_id).join(User, User.id == Purchase.buyer_id)
                 .join(Agency, Agency.id == Purchase.agency_id)
                 .join(shop_region, shop_region.id == Purchase.shop_region_id)
                 .join(asn_region, asn_region.id == Purchase.asn_region_id)
                 .where(Purchase.campaign_id == campaign_id,
                        or_(Purchase.asn_region_id == region_id, Purchase.shop_region_id == region_id))
                 .order_by(Purchase.purchased_on, Purchase.id)
                 .execution_options(yield_per=1000))
    for (id_, day, amount, status, reason, shop, district, shop_area, buyer, agency, asn_area,
         created) in db.session.execute(statement):
        yield (id_, day, amount, PURCHASE_STATUSES[status], reason or "", shop, district, shop_area, buyer, agency,
               asn_area, zone.local(created).replace(tzinfo=None))


def _bold(cell: WriteOnlyCell) -> WriteOnlyCell:
    cell.font = Font(bold=True)
    return cell
