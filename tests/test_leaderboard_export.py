"""Excel downloads: the region workbook a coordinator takes away equals the page, and the admins'
province workbook lists every region."""
from __future__ import annotations

from io import BytesIO

import pytest
from helpers import PALOPO, stats
from openpyxl import load_workbook

from campaign.util.formatting import number, percent, rupiah

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def shown(cell) -> str:
    """A cell as the page shows the same value."""
    if cell.value is None:
        return "-"
    if cell.number_format.startswith('"Rp"'):
        return rupiah(cell.value)
    if cell.number_format.endswith("%"):
        return percent(cell.value)
    return number(cell.value)


def download(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == XLSX
    return response, load_workbook(BytesIO(response.data))


@pytest.mark.parametrize("who", ["coord_palopo", "admin"])
def test_region_workbook_matches_the_page(app, scenario, tallies_agree, who, login_as):
    client = login_as(scenario["people"][who])
    page = client.get(f"/wilayah/{PALOPO}").get_data(as_text=True)
    response, workbook = download(client, f"/wilayah/{PALOPO}/unduh.xlsx")
    campaign_id = scenario["campaign_id"]
    assert f"filename=capaian-73.73-{campaign_id}.xlsx" in response.headers["Content-Disposition"]
    assert workbook.sheetnames == ["Ringkasan", "Per Minggu", "Per Instansi", "Toko Teratas",
                                   "Toko Belum Ada Pembeli"]

    summary = workbook["Ringkasan"]
    assert summary["B1"].value == "Kota Palopo" and summary["B6"].value == "2 dari 24"
    header = next(row for row in summary.iter_rows() if row[0].value == "Ukuran")[0].row
    lines = {row[0].value: row for row in summary.iter_rows(min_row=header + 1) if row[0].value}
    assert {label: shown(row[1]) for label, row in lines.items()} == stats(page, "ringkasan-asn")
    shop_side = stats(page, "ringkasan-toko")
    assert shown(lines["Belanja terealisasi"][2]) == shop_side["Belanja terealisasi"] == "Rp120.000"
    assert shown(lines["ASN berpartisipasi"][2]) == shop_side["ASN pembeli"]
    assert lines["Belanja terealisasi"][1].value == 170_000 and isinstance(lines["Belanja per ASN"][1].value, int)
    assert lines["Janji belanja"][2].value is None  # pledges belong to the ASN's region

    agencies = [[c.value for c in row] for row in workbook["Per Instansi"].iter_rows(min_row=2)]
    assert agencies == [["Dinas Koperasi dan UKM", 150_000, 100_000, 200_000, 1, 1, 2],
                        ["Dinas Pendidikan", 20_000, 0, 100_000, 1, 1, 1]]
    assert workbook["Per Instansi"]["B1"].value == "Belanja terealisasi"
    assert workbook["Per Instansi"]["B2"].number_format == '"Rp"#,##0'
    top = [[c.value for c in row] for row in workbook["Toko Teratas"].iter_rows(min_row=2)]
    assert top == [[1, "Warung Ibu Sitti", "Warung kelontong/sembako", 120_000, 100_000, 2, 2]]
    idle = [row[0].value for row in workbook["Toko Belum Ada Pembeli"].iter_rows(min_row=2)]
    assert idle == ["Kios Sepi", "Warung Dibantah"]
    weeks = list(workbook["Per Minggu"].iter_rows(min_row=2, values_only=True))
    assert len(weeks) == 1 and weeks[0][1:] == (170_000, 100_000, 3, 120_000, 100_000, 2)
    # per-person data stays out of the workbook
    everything = " ".join(str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row)
    assert "Besse Palopo" not in everything and scenario["people"]["palopo2"].nip not in everything
    tallies_agree()


def test_province_workbook_for_admins(app, scenario, login_as):
    client = login_as(scenario["people"]["admin"])
    assert "/peringkat/unduh.xlsx" in client.get("/peringkat").get_data(as_text=True)
    response, workbook = download(client, "/peringkat/unduh.xlsx")
    assert f"peringkat-{scenario['campaign_id']}.xlsx" in response.headers["Content-Disposition"]
    assert workbook.sheetnames == ["Wilayah ASN", "Wilayah Toko"]
    rows = list(workbook["Wilayah ASN"].iter_rows(min_row=3, values_only=True))
    assert len(rows) == 24 and rows[0][:5] == (1, "73.71", "Kota Makassar", 200_000, 200_000)
    shop_rows = list(workbook["Wilayah Toko"].iter_rows(min_row=3, values_only=True))
    assert shop_rows[0][:4] == (1, "73.72", "Kota Parepare", 300_000) and shop_rows[0][5] is None


def test_province_workbook_is_for_admins_only(app, scenario, login_as):
    client = login_as(scenario["people"]["coord_palopo"])
    assert client.get("/peringkat/unduh.xlsx").status_code == 403
    assert "/peringkat/unduh.xlsx" not in client.get("/peringkat").get_data(as_text=True)
