"""Excel exports never turn text typed by users into a live formula."""
from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from campaign.util.spreadsheets import workbook_bytes

AGENCY = '=HYPERLINK("http://evil.example/","klik")'
SHOP = "+SUM(A1:A9)"
IDLE_SHOP = "@SUM(1+1)*cmd|' /C calc'!A0"
NOTE = "-2+3+cmd|' /C calc'!A0"
STARTS = ["=1+1", "+1", "-1+1", "@A1", "\t=1+1", "\r=1+1"]


def cells(workbook):
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def test_region_workbook_writes_an_agency_and_shops_that_look_like_formulas_as_text(
        make_asn, make_shop, make_purchase, make_staff, login_as):
    buyer = make_asn(region="73.73", agency=AGENCY)
    shop_id = make_shop(region="73.73", name=SHOP)
    make_shop(region="73.73", name=IDLE_SHOP)
    make_purchase(buyer=buyer, shop_id=shop_id, amount=75_000, note=NOTE)
    client = login_as(make_staff(role="coordinator", region="73.73"))

    response = client.get("/wilayah/73.73/unduh.xlsx")

    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.data))
    texts = {cell.value: cell.data_type for cell in cells(workbook) if isinstance(cell.value, str)}
    for typed in (AGENCY, SHOP, IDLE_SHOP):
        assert texts.get("'" + typed) == "s", typed
        assert typed not in texts
    assert not [cell.coordinate for cell in cells(workbook) if cell.data_type == "f"]


@pytest.mark.parametrize("text", STARTS + [NOTE])
def test_every_text_cell_that_a_spreadsheet_would_run_is_prefixed(text):
    workbook = Workbook()
    workbook.active.append(["Catatan", text, 42, "Warung Sitti"])

    sheet = load_workbook(workbook_bytes(workbook)).active

    values = [cell.value for cell in sheet[1]]
    assert values[0] == "Catatan" and values[2:] == [42, "Warung Sitti"]
    assert values[1] == "'" + text.replace("\r", "\n")  # XML reads a carriage return back as a line feed
    assert sheet["B1"].data_type == "s"


def test_xlsx_files_are_saved_only_through_workbook_bytes():
    package = Path(__file__).resolve().parent.parent / "campaign"
    offenders = [str(path.relative_to(package)) for path in package.rglob("*.py")
                 if path.name != "spreadsheets.py" and "openpyxl" in (source := path.read_text(encoding="utf-8"))
                 and ".save(" in source]
    assert offenders == [], "save workbooks with campaign.util.spreadsheets.workbook_bytes"


def test_purchase_workbook_writes_a_shop_an_agency_and_a_note_that_look_like_formulas_as_text(
        make_asn, make_owner, make_shop, make_purchase, make_staff, login_as):
    owner = make_owner()
    buyer = make_asn(region="73.73", agency=AGENCY)
    shop_id = make_shop(owner=owner, region="73.73", name=SHOP)
    purchase_id = make_purchase(buyer=buyer, shop_id=shop_id, amount=75_000)
    assert login_as(owner).post(f"/belanja/{purchase_id}/bantah", data={"reason": NOTE}).status_code == 302
    client = login_as(make_staff(role="coordinator", region="73.73"))

    response = client.get("/wilayah/73.73/belanja.xlsx")

    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.data))
    texts = {cell.value: cell.data_type for cell in cells(workbook) if isinstance(cell.value, str)}
    for typed in (AGENCY, SHOP, NOTE):
        assert texts.get("'" + typed) == "s", typed
        assert typed not in texts
    assert not [cell.coordinate for cell in cells(workbook) if cell.data_type == "f"]
