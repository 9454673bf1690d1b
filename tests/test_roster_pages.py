"""The roster through its interfaces: the admin's import page (with CSRF, files above the app's
1 MB form limit), the coordinator's page, the JSON API and the import-roster command."""
from __future__ import annotations

import io

from api_helpers import error_of
from helpers import csrf_token
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from campaign.domains.roster.models import RosterEntry

NIP_A, NIP_B, NIP_C = "198609262015051001", "199001012015032002", "198512312010011003"
HEADER = "NIP;Nama;Instansi/OPD;Kabupaten/Kota\n"  # Excel in Indonesia saves CSV with semicolons


def nip(n: int) -> str:
    """A distinct, well-formed NIP for every n below 6,713,280."""
    return f"{1970 + n % 20}{n // 20 % 12 + 1:02d}{n // 240 % 28 + 1:02d}201001{n % 2 + 1}{n // 6720 % 999 + 1:03d}"


def big_csv(rows: int) -> bytes:
    """``rows`` valid Palopo rows with distinct NIPs (about 60 bytes each)."""
    lines = [f"{nip(n)};ASN Nomor {n};Dinas Pendidikan;73.73" for n in range(rows)]
    return (HEADER + "\n".join(lines) + "\n").encode()


def test_admin_imports_a_file_bigger_than_the_form_limit_with_csrf(csrf_app, make_staff, fetch):
    client = csrf_app.test_client()
    admin = make_staff(role="admin")
    client.post("/masuk", data={"login": admin.login, "password": admin.password,
                                "csrf_token": csrf_token(client, "/masuk")})
    content = big_csv(20_000)
    assert len(content) > csrf_app.config["MAX_CONTENT_LENGTH"]
    # Encoded in memory: for a body this big the test client would spool to a file it never closes.
    boundary, body = encode_multipart({"csrf_token": csrf_token(client, "/admin/daftar-asn"), "region": "73.73",
                                       "file": FileStorage(io.BytesIO(content), "daftar.csv")})
    response = client.post("/admin/daftar-asn", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:300]
    assert "Impor selesai: 20000 ditambahkan, 0 diperbarui, 0 tetap, 0 ditolak." in page
    assert len(fetch(select(RosterEntry))) == 20_000


def test_import_page_lists_refused_rows(login_as, make_staff):
    client = login_as(make_staff(role="admin"))
    content = (HEADER + f"{NIP_A};Andi;Dinas;73.73\n123;Salah;Dinas;73.73\n").encode()
    page = client.post("/admin/daftar-asn", data={"region": "", "file": (io.BytesIO(content), "d.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "1 ditambahkan" in page and "1 ditolak" in page and "18 digit" in page


def test_import_page_is_for_admins_only(login_as, make_staff):
    assert login_as(make_staff(region="73.73")).get("/admin/daftar-asn").status_code == 403
    assert login_as(None).get("/admin/daftar-asn").status_code == 302


def test_coordinator_page_adds_lists_masked_and_retires(login_as, make_staff, runner, tmp_path, fetch):
    path = tmp_path / "palopo.csv"
    path.write_bytes((HEADER + f"{NIP_A};Andi Baso;Dinas Pendidikan;73.73\n").encode())
    assert runner.invoke(args=["import-roster", str(path)]).exit_code == 0
    client = login_as(make_staff(region="73.73"))
    page = client.get("/wilayah/73.73/daftar-asn").get_data(as_text=True)
    assert "dicek dengan daftar ASN" in page and "198609\u2022" in page and NIP_A not in page
    response = client.post("/wilayah/73.73/daftar-asn/tambah", data={
        "nip": NIP_B, "name": "Besse Tenri", "agency_name": "Dinas Kesehatan"})
    assert response.status_code == 302
    entry = fetch(select(RosterEntry).where(RosterEntry.nip == NIP_B))[0]
    assert client.post(f"/daftar-asn/{entry.id}/nonaktifkan").status_code == 302
    assert fetch(RosterEntry, entry.id).active is False
    assert client.get("/wilayah/73.71/daftar-asn").status_code == 403


def test_coordinator_page_without_roster_says_so(login_as, make_staff):
    page = login_as(make_staff(region="73.73")).get("/wilayah/73.73/daftar-asn").get_data(as_text=True)
    assert "belum memiliki daftar ASN" in page and "Tambah ASN" not in page


def test_import_roster_command_is_idempotent(runner, tmp_path):
    path = tmp_path / "provinsi.csv"
    path.write_bytes((HEADER + f"{NIP_A};Andi;Dinas;73.73\n{NIP_B};Besse;Dinas;Kota Makassar\n").encode())
    first = runner.invoke(args=["import-roster", str(path)])
    assert "2 ditambahkan, 0 diperbarui, 0 tetap, 0 ditolak" in first.output
    again = runner.invoke(args=["import-roster", str(path)])
    assert "0 ditambahkan, 0 diperbarui, 2 tetap, 0 ditolak" in again.output
    wrong = runner.invoke(args=["import-roster", str(path), "--region", "73.73"])
    assert "1 ditolak" in wrong.output and "Di luar wilayah" in wrong.output


def test_api_import_list_add_and_retire(api, world):
    csv_text = "NIP,Nama,Instansi/OPD\n" + f"{NIP_A},Andi,Dinas Pendidikan\n{NIP_B},Besse,Dinas Kesehatan\n"
    before = api.get("/regions/73.73/roster", token=world.tokens["coordinator"]).get_json()["total"]  # world's ASN
    assert api.post("/roster/import", json={"region": "73.73", "csv": csv_text},
                    token=world.tokens["coordinator"]).status_code == 403
    report = api.post("/roster/import", json={"region": "73.73", "csv": csv_text}, token=world.tokens["admin"])
    assert report.status_code == 200 and report.get_json()["added"] == 2
    listing = api.get("/regions/73.73/roster", token=world.tokens["coordinator"]).get_json()
    assert listing["status"]["checked"] is True and listing["total"] == before + 2
    assert all("\u2022" in row["nip_masked"] for row in listing["items"])
    added = api.post("/regions/73.73/roster", json={"nip": NIP_C, "name": "Cakra", "agency": "Dinas Sosial"},
                     token=world.tokens["coordinator"])
    assert added.status_code == 201 and added.get_json()["active"] is True
    again = api.post("/regions/73.73/roster", json={"nip": NIP_C, "name": "Cakra", "agency": "Dinas Sosial"},
                     token=world.tokens["coordinator"])
    assert again.status_code == 409
    retired = api.post(f"/roster/{added.get_json()['id']}/retire", token=world.tokens["coordinator"])
    assert retired.status_code == 200 and retired.get_json()["active"] is False
    assert api.get("/regions/73.73/roster", token=world.tokens["other_coordinator"]).status_code == 403
    bad = api.post("/roster/import", json={"region": "99.99", "csv": csv_text}, token=world.tokens["admin"])
    assert bad.status_code == 422 and "region" in error_of(bad)["fields"]


def test_api_sign_up_in_roster_region_takes_the_entry(api, world):
    api.post("/roster/import", json={"csv": f"NIP,Nama,OPD,Wilayah\n{NIP_A},Andi,Dinas Pendidikan,73.71\n"},
             token=world.tokens["admin"])
    response = api.post("/users", json={"role": "asn", "name": "Andi", "nip": NIP_A, "region": "73.73",
                                        "login": "andi@example.id", "password": "rahasia123", "consent": True})
    assert response.status_code == 201
    assert response.get_json()["asn"]["region"]["code"] == "73.71"
    assert response.get_json()["asn"]["agency"] == "Dinas Pendidikan"


def test_coordinator_search_finds_a_name_part_and_a_term_longer_than_any_name_finds_none(login_as, make_staff,
                                                                                        runner, tmp_path):
    path = tmp_path / "palopo.csv"
    path.write_bytes((HEADER + f"{NIP_A};Andi Baso;Dinas Pendidikan;73.73\n").encode())
    assert runner.invoke(args=["import-roster", str(path)]).exit_code == 0
    client = login_as(make_staff(region="73.73"))
    assert "Andi Baso" in client.get("/wilayah/73.73/daftar-asn?q=baso").get_data(as_text=True)
    response = client.get("/wilayah/73.73/daftar-asn?q=" + "a" * 50_000)  # SQLite refused such a LIKE: a 500
    assert response.status_code == 200 and "Andi Baso" not in response.get_data(as_text=True)
