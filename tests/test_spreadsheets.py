"""Excel exports never turn text typed by users into a live formula."""
from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from campaign.util.spreadsheets import FORMULA_STARTS, XLSX_MIMETYPE, workbook_bytes

AGENCY = '=HYPERLINK("http://evil.example/","klik")'
SHOP = "+SUM(A1:A9)"
IDLE_SHOP = "@SUM(1+1)*cmd|' /C calc'!A0"
NOTE = "-2+3+cmd|' /C calc'!A0"
OWNER = '=HYPERLINK("http://contoh.id","klik")'
STARTS = ["=1+1", "+1", "-1+1", "@A1", "\t=1+1", "\r=1+1"]
# Every .xlsx the app serves, by URL rule, with the URL to fetch it as an admin.
EXPORTS = {
    "/peringkat/unduh.xlsx": "/peringkat/unduh.xlsx",
    "/wilayah/<code>/unduh.xlsx": "/wilayah/73.73/unduh.xlsx",
    "/wilayah/<code>/belanja.xlsx": "/wilayah/73.73/belanja.xlsx",
    "/pelatihan/<int:training_id>/kehadiran.xlsx": "/pelatihan/{training}/kehadiran.xlsx",
}


def cells(workbook):
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def downloaded(response) -> dict[str, str]:
    """The text cells (value -> data type) of a served workbook, which must hold no formula."""
    assert response.status_code == 200 and response.mimetype == XLSX_MIMETYPE
    workbook = load_workbook(BytesIO(response.data))
    assert not [cell.coordinate for cell in cells(workbook) if cell.data_type == "f"]
    return {cell.value: cell.data_type for cell in cells(workbook) if isinstance(cell.value, str)}


def assert_written_as_text(texts: dict[str, str], *typed: str) -> None:
    for text in typed:
        assert texts.get("'" + text) == "s", text
        assert text not in texts


def test_region_workbook_writes_an_agency_and_shops_that_look_like_formulas_as_text(
        make_asn, make_shop, make_purchase, make_staff, login_as):
    buyer = make_asn(region="73.73", agency=AGENCY)
    shop_id = make_shop(region="73.73", name=SHOP)
    make_shop(region="73.73", name=IDLE_SHOP)
    make_purchase(buyer=buyer, shop_id=shop_id, amount=75_000, note=NOTE)
    client = login_as(make_staff(role="coordinator", region="73.73"))

    texts = downloaded(client.get("/wilayah/73.73/unduh.xlsx"))

    assert_written_as_text(texts, AGENCY, SHOP, IDLE_SHOP)


@pytest.mark.parametrize("text", STARTS + [NOTE])
def test_every_text_cell_that_a_spreadsheet_would_run_is_prefixed(text):
    workbook = Workbook()
    workbook.active.append(["Catatan", text, 42, "Warung Sitti"])

    sheet = load_workbook(workbook_bytes(workbook)).active

    values = [cell.value for cell in sheet[1]]
    assert values[0] == "Catatan" and values[2:] == [42, "Warung Sitti"]
    assert values[1] == "'" + text.replace("\r", "\n")  # XML reads a carriage return back as a line feed
    assert sheet["B1"].data_type == "s"


def test_purchase_workbook_writes_a_shop_an_agency_and_a_note_that_look_like_formulas_as_text(
        make_asn, make_owner, make_shop, make_purchase, make_staff, login_as):
    owner = make_owner()
    buyer = make_asn(region="73.73", agency=AGENCY)
    shop_id = make_shop(owner=owner, region="73.73", name=SHOP)
    purchase_id = make_purchase(buyer=buyer, shop_id=shop_id, amount=75_000)
    assert login_as(owner).post(f"/belanja/{purchase_id}/bantah", data={"reason": NOTE}).status_code == 302
    client = login_as(make_staff(role="coordinator", region="73.73"))

    texts = downloaded(client.get("/wilayah/73.73/belanja.xlsx"))

    assert_written_as_text(texts, AGENCY, SHOP, NOTE)


def test_every_xlsx_the_app_serves_has_no_formula_and_no_text_a_spreadsheet_would_run(
        app, make_asn, make_owner, make_shop, make_purchase, make_staff, make_training, login_as):
    """What :func:`workbook_bytes` guarantees, seen in each downloaded file: a new export that saves
    its workbook another way fails here (add its rule to EXPORTS)."""
    served = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.endswith(".xlsx")}
    assert served == set(EXPORTS)
    owner = make_owner(name=OWNER)
    shop_id = make_shop(owner=owner, region="73.73", name=SHOP)
    make_shop(region="73.73", name=IDLE_SHOP)
    purchase_id = make_purchase(buyer=make_asn(region="73.73", agency=AGENCY), shop_id=shop_id, amount=75_000)
    assert login_as(owner).post(f"/belanja/{purchase_id}/bantah", data={"reason": NOTE}).status_code == 302
    training_id = make_training(region="73.73")
    assert login_as(owner).post(f"/pelatihan/{training_id}/daftar", data={"shop_id": shop_id}).status_code == 302
    admin = login_as(make_staff(role="admin"))

    files = {rule: downloaded(admin.get(url.format(training=training_id))) for rule, url in EXPORTS.items()}

    for rule, texts in files.items():
        assert [text for text in texts if text.startswith(FORMULA_STARTS)] == [], rule
    assert_written_as_text(files["/wilayah/<code>/unduh.xlsx"], AGENCY, SHOP, IDLE_SHOP)
    assert_written_as_text(files["/wilayah/<code>/belanja.xlsx"], AGENCY, SHOP, NOTE)
    assert_written_as_text(files["/pelatihan/<int:training_id>/kehadiran.xlsx"], SHOP, OWNER)


def test_a_worker_loads_openpyxl_only_when_a_workbook_is_asked_for(tmp_path):
    """openpyxl (with numpy) is about 28 MB of every process that imports it: an app that has
    served pages but no export has not loaded it; the first export loads it and works."""
    import subprocess
    import sys
    from pathlib import Path

    script = f"""
import sys
from campaign import create_app
from campaign.core.maintenance import migrate_to_head
app = create_app({{"SQLALCHEMY_DATABASE_URI": "sqlite:///{tmp_path / 'app.sqlite3'}", "SECRET_KEY": "x" * 32,
                  "TESTING": True}})
with app.app_context():
    migrate_to_head()
client = app.test_client()
for url in ("/healthz", "/", "/peringkat", "/toko", "/api/v1/leaderboard"):
    assert client.get(url).status_code < 500, url
print(sorted(name for name in ("openpyxl", "numpy") if name in sys.modules))
from campaign.domains.leaderboard.export import province_workbook
print(sorted(name for name in ("openpyxl",) if name in sys.modules))
"""
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["[]", "['openpyxl']"]
