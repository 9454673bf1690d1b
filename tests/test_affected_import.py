"""Importing field reports: bad rows are refused one by one, good rows are never lost."""
import io

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from campaign.core.errors import ValidationFailed
from campaign.core.extensions import db
from campaign.domains.affected import importer
from campaign.domains.affected.models import AffectedReport
from campaign.domains.auth.models import User

HEADER = "kode_wilayah,nama_usaha,kategori,status,pekerja_sebelum,pekerja_sekarang,penurunan_omzet,kebutuhan_utama"
GOOD = "73.73,Konveksi Hj. Marwah,fesyen,reduced,6,2,50_75,apd"
LABELS = "73.73,Kue Daeng Sikki,Kue & jajanan,Tutup sementara,3,0,Turun lebih dari 75%,Modal"
BAD_STATUS = "73.73,Warung Pak Basri,sembako,bangkrut,2,0,gt75,capital"
CLOSED_WITH_WORKERS = "73.73,Tenun Bu Sitti,tenun,closed,4,1,gt75,market"
OTHER_REGION = "73.71,Toko Makassar,sembako,open,1,1,none,other"


def _import(app, person, filename, content):
    with app.app_context():
        return importer.import_field_reports(actor=db.session.get(User, person.id), filename=filename,
                                             content=content)


def _csv(*rows, sep=","):
    return "\n".join([HEADER, *rows]).replace(",", sep).encode("utf-8")


def test_bad_rows_refused_with_reasons_good_rows_saved(app, make_staff, fetch, tallies_agree):
    coordinator = make_staff(region="73.73")
    result = _import(app, coordinator, "lapangan.csv",
                     _csv(GOOD, BAD_STATUS, LABELS, CLOSED_WITH_WORKERS, "", OTHER_REGION))
    assert result.saved == 2
    assert [number for number, _ in result.refused] == [3, 5, 7]
    assert "status" in result.refused[0][1][0]
    assert "pekerja_sekarang" in result.refused[1][1][0]
    assert "73.71" not in result.refused[2][1][0] and "Makassar" in result.refused[2][1][0]
    names = {r.business_name for r in fetch(select(AffectedReport))}
    assert names == {"Konveksi Hj. Marwah", "Kue Daeng Sikki"}
    tallies_agree()


def test_labels_and_semicolons_as_excel_writes_them(app, make_staff, fetch):
    result = _import(app, make_staff(region="73.73"), "lapangan.csv", _csv(LABELS, sep=";"))
    assert (result.saved, result.refused) == (1, [])
    (report,) = fetch(select(AffectedReport))
    assert (report.category, report.status, report.revenue_drop, report.main_need) == \
        ("kue", "closed_temp", "gt75", "capital")


def test_xlsx_file(app, make_staff, fetch):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["73.73", "Konveksi Hj. Marwah", "fesyen", "reduced", 6, 2, "50_75", "apd"])
    sheet.append(["73.73", "Rusak", "fesyen", "reduced", "enam", 2, "50_75", "apd"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = _import(app, make_staff(region="73.73"), "Data.XLSX", buffer.getvalue())
    assert result.saved == 1 and result.refused[0][0] == 3 and "pekerja_sebelum" in result.refused[0][1][0]
    assert fetch(select(AffectedReport))[0].workers_before == 6


@pytest.mark.parametrize("filename, content, message", [
    ("data.txt", b"x", ".csv atau .xlsx"),
    ("data.csv", b"", "kosong"),
    ("data.csv", b"nama_usaha,status\nA,open", "kode_wilayah"),
    ("data.xlsx", b"not a workbook", "tidak dapat dibaca"),
])
def test_unreadable_file_refused_as_a_whole(app, make_staff, fetch, filename, content, message):
    with pytest.raises(ValidationFailed, match=message):
        _import(app, make_staff(region="73.73"), filename, content)
    assert fetch(select(AffectedReport)) == []


def test_upload_page_shows_the_per_row_report(app, make_staff, login_as, fetch):
    client = login_as(make_staff(region="73.73"))
    response = client.post("/koordinator/umkm-terdampak/73.73/impor",
                           data={"file": (io.BytesIO(_csv(GOOD, BAD_STATUS)), "lapangan.csv")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "1 baris tersimpan, 1 baris ditolak" in page and "Pilih status usaha dari daftar" in page
    assert len(fetch(select(AffectedReport))) == 1


def test_upload_by_another_regions_coordinator_is_forbidden(app, make_staff, login_as):
    client = login_as(make_staff(region="73.71"))
    response = client.post("/koordinator/umkm-terdampak/73.73/impor",
                           data={"file": (io.BytesIO(_csv(GOOD)), "lapangan.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 403
