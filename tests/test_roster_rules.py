"""The ASN roster: importing it (idempotent, counted, refused with reasons, audited, admins only),
coordinators adding and retiring entries, and the gate it puts on ASN sign-up."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from campaign.core.audit import AuditEvent
from campaign.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from campaign.core.extensions import db
from campaign.domains.auth.models import AsnProfile, User
from campaign.domains.regions.models import Agency
from campaign.domains.roster.models import RosterEntry
from campaign.domains.roster.services import add_entry, import_roster, retire_entry

NIP_A, NIP_B, NIP_C = "198609262015051001", "199001012015032002", "198512312010011003"
HEADER = "NIP,Nama,Instansi/OPD,Kabupaten/Kota\n"
PALOPO_CSV = HEADER + f"{NIP_A},Andi Baso,Dinas Pendidikan,73.73\n{NIP_B},Besse Tenri,Dinas Kesehatan,7373\n"
ASN_FORM = {"name": "Andi Baso", "login": "0812-1111-2222", "password": "rahasia123", "confirm": "rahasia123",
            "consent": "y"}


@pytest.fixture
def admin(make_staff):
    return make_staff(role="admin")


@pytest.fixture
def load(app, admin):
    """``load(csv_text, region=None, filename="daftar.csv")``: import as the admin; the report."""
    def run(content: str | bytes, region: str | None = None, filename: str = "daftar.csv"):
        with app.app_context():
            data = content.encode() if isinstance(content, str) else content
            return import_roster(actor=db.session.get(User, admin.id), content=data, filename=filename,
                                 region_code=region)
    return run


def profiles(app) -> list[tuple[str, str, str]]:
    """(NIP, region code, agency name) of every ASN account."""
    with app.app_context():
        return [(p.nip, p.region.code, p.agency.name) for p in db.session.scalars(select(AsnProfile))]


def as_user(app, person, service, **kwargs) -> int:
    """Run ``service`` as ``person``; the id of what it returns."""
    with app.app_context():
        return service(actor=db.session.get(User, person.id), **kwargs).id


# --- importing -----------------------------------------------------------------------------

def test_import_reports_added_and_refused_rows_with_reasons(load, fetch):
    report = load(HEADER + "\n".join([
        f"{NIP_A},Andi Baso,Dinas Pendidikan,73.73",
        "12345,Salah Panjang,Dinas Sosial,73.73",
        f"{NIP_B},Besse Tenri,Dinas Kesehatan,99.99",
        f"{NIP_A},Andi Lagi,Dinas Sosial,73.73",
        f"{NIP_C},,Dinas Sosial,73.71",
        "198512312010011004,Tanpa Wilayah,Dinas Sosial,",
    ]))
    assert (report.added, report.updated, report.unchanged, report.refused) == (1, 0, 0, 5)
    reasons = {r.line: r.reason for r in report.refusals}
    assert "18 digit" in reasons[3]
    assert "tidak dikenal" in reasons[4]
    assert "ganda" in reasons[5] and "baris 2" in reasons[5]
    assert "Nama wajib diisi" in reasons[6]
    assert "Kabupaten/kota kosong" in reasons[7]
    assert [(e.nip, e.name, e.agency_name) for e in fetch(select(RosterEntry))] == [
        (NIP_A, "Andi Baso", "Dinas Pendidikan")]


def test_import_is_idempotent_and_counts_updates(load, fetch):
    first = load(PALOPO_CSV)
    again = load(PALOPO_CSV)
    assert (first.added, first.unchanged) == (2, 0)
    assert (again.added, again.updated, again.unchanged, again.refused) == (0, 0, 2, 0)
    changed = load(PALOPO_CSV.replace("Dinas Kesehatan", "RSUD Sawerigading"))
    assert (changed.added, changed.updated, changed.unchanged) == (0, 1, 1)
    assert len(fetch(select(RosterEntry))) == 2


def test_region_import_refuses_rows_of_another_region(load, fetch):
    report = load(HEADER + f"{NIP_A},Andi Baso,Dinas Pendidikan,\n{NIP_B},Besse,Dinas Kesehatan,Kota Makassar\n",
                  region="73.73")
    assert (report.added, report.refused) == (1, 1)
    assert "Di luar wilayah yang dipilih" in report.refusals[0].reason
    assert [e.nip for e in fetch(select(RosterEntry))] == [NIP_A]
    with pytest.raises(NotFound):
        load(HEADER, region="99.99")


def test_xlsx_import_with_numeric_nip_refused(load):
    book = Workbook()
    sheet = book.active
    sheet.append(["NIP", "Nama", "OPD", "Kab/Kota"])
    sheet.append([NIP_A, "Andi Baso", "Dinas Pendidikan", 73.73])
    sheet.append([int(NIP_B), "Besse Tenri", "Dinas Kesehatan", 7373])
    sheet.append([NIP_C, "Cakra", "Dinas Sosial", 73.1])  # Excel turned 73.10 into 73.1
    buffer = io.BytesIO()
    book.save(buffer)
    report = load(buffer.getvalue(), filename="daftar.xlsx")
    assert (report.added, report.refused) == (2, 1)
    assert "sebagai angka" in report.refusals[0].reason and report.refusals[0].line == 3


@pytest.mark.parametrize("content, filename, message", [
    ("Nama,Instansi\nAndi,Dinas", "daftar.csv", "Tidak ditemukan: NIP"),
    (b"PK\x03\x04bukan-xlsx", "daftar.xlsx", "tidak dapat dibaca"),
    ("x", "daftar.pdf", ".csv atau .xlsx"),
])
def test_unreadable_file_is_refused_as_a_whole(load, content, filename, message, fetch):
    with pytest.raises(ValidationFailed, match=message):
        load(content, filename=filename)
    assert fetch(select(RosterEntry)) == []


def test_import_is_audited_once_with_its_counts(load, fetch, admin):
    load(PALOPO_CSV + "bukan-nip,X,Y,73.73\n")
    events = fetch(select(AuditEvent).where(AuditEvent.action == "roster.imported"))
    assert len(events) == 1
    assert events[0].actor_id == admin.id
    assert {k: events[0].after[k] for k in ("added", "updated", "unchanged", "refused")} == {
        "added": 2, "updated": 0, "unchanged": 0, "refused": 1}


def test_only_province_admins_import(app, make_staff):
    coordinator = make_staff(region="73.73")
    with pytest.raises(PermissionDenied):
        as_user(app, coordinator, import_roster, content=PALOPO_CSV.encode(), filename="d.csv", region_code="73.73")


# --- single entries by coordinators --------------------------------------------------------

def test_coordinator_adds_and_retires_entries_of_own_region(app, load, make_staff, fetch):
    load(PALOPO_CSV)
    coordinator = make_staff(region="73.73")
    entry_id = as_user(app, coordinator, add_entry, region_code="73.73", nip=NIP_C, name="Cakra",
                       agency_name="Dinas Sosial")
    as_user(app, coordinator, retire_entry, entry_id=entry_id)
    assert fetch(RosterEntry, entry_id).active is False
    actions = [e.action for e in fetch(select(AuditEvent).where(AuditEvent.entity_type == "rosterentry"))]
    assert actions == ["roster.entry_added", "roster.entry_retired"]
    with pytest.raises(Conflict):
        as_user(app, coordinator, retire_entry, entry_id=entry_id)


def test_coordinator_cannot_change_another_regions_roster(app, load, make_staff, fetch):
    load(PALOPO_CSV)
    makassar = make_staff(region="73.71")
    with pytest.raises(PermissionDenied):
        as_user(app, makassar, add_entry, region_code="73.73", nip=NIP_C, name="Cakra", agency_name="Dinas Sosial")
    palopo_entry = fetch(select(RosterEntry))[0]
    with pytest.raises(PermissionDenied):
        as_user(app, makassar, retire_entry, entry_id=palopo_entry.id)


def test_entries_are_added_only_where_a_roster_is_loaded(app, make_staff):
    coordinator = make_staff(region="73.73")
    with pytest.raises(ValidationFailed, match="belum memiliki daftar ASN"):
        as_user(app, coordinator, add_entry, region_code="73.73", nip=NIP_C, name="Cakra", agency_name="Dinas Sosial")


def test_a_nip_is_on_one_roster_only(app, load, make_staff):
    load(PALOPO_CSV)
    load(HEADER + f"{NIP_C},Daeng,Dinas Sosial,73.71\n")
    coordinator = make_staff(region="73.71")
    with pytest.raises(Conflict, match="Kota Palopo"):
        as_user(app, coordinator, add_entry, region_code="73.71", nip=NIP_A, name="Andi", agency_name="Dinas")


# --- the gate at sign-up -------------------------------------------------------------------

def test_roster_region_refuses_a_nip_not_on_its_roster(client, load, fetch):
    load(PALOPO_CSV)
    response = client.post("/daftar/asn", data={**ASN_FORM, "region": "73.73", "nip": NIP_C,
                                                "agency": "Dinas Sosial"})
    assert response.status_code == 200
    assert "tidak ada di daftar ASN Kota Palopo" in response.get_data(as_text=True)
    assert fetch(select(AsnProfile)) == []
    api = client.post("/api/v1/users", json={"role": "asn", "name": "X", "nip": NIP_C, "agency": "Dinas Sosial",
                                              "region": "73.73", "login": "x@example.id", "password": "rahasia123",
                                              "consent": True})
    assert api.status_code == 422 and "nip" in api.get_json()["error"]["fields"]


def test_agency_and_region_come_from_the_roster(app, client, load):
    load(PALOPO_CSV)
    response = client.post("/daftar/asn", data={**ASN_FORM, "region": "73.71", "nip": NIP_A,
                                                "agency": "Dinas Karangan Sendiri"})
    assert response.status_code == 302
    assert profiles(app) == [(NIP_A, "73.73", "Dinas Pendidikan")]
    api = client.post("/api/v1/users", json={"role": "asn", "name": "Besse", "nip": NIP_B, "region": "73.73",
                                              "login": "besse@example.id", "password": "rahasia123", "consent": True})
    assert api.status_code == 201 and api.get_json()["asn"]["agency"] == "Dinas Kesehatan"


def test_roster_form_asks_no_agency(client, load):
    load(PALOPO_CSV)
    page = client.get("/daftar/asn?region=73.73").get_data(as_text=True)
    assert 'id="roster-note"' in page and 'name="agency"' not in page and 'name="new_agency"' not in page


def test_a_nip_already_used_is_refused(app, load, fetch):
    load(PALOPO_CSV)
    first, second = app.test_client(), app.test_client()
    assert first.post("/daftar/asn", data={**ASN_FORM, "region": "73.73", "nip": NIP_A}).status_code == 302
    response = second.post("/daftar/asn", data={**ASN_FORM, "login": "andi@example.id", "region": "73.73",
                                                "nip": NIP_A})
    assert "NIP ini sudah terdaftar" in response.get_data(as_text=True)
    assert len(fetch(select(AsnProfile))) == 1


def test_a_retired_nip_cannot_sign_up(app, client, load, fetch, admin):
    load(PALOPO_CSV)
    entry = fetch(select(RosterEntry).where(RosterEntry.nip == NIP_A))[0]
    as_user(app, admin, retire_entry, entry_id=entry.id)
    response = client.post("/daftar/asn", data={**ASN_FORM, "region": "73.73", "nip": NIP_A})
    assert "sudah tidak aktif" in response.get_data(as_text=True)
    assert fetch(select(AsnProfile)) == []


def test_region_without_roster_signs_up_as_before(app, client, load):
    load(PALOPO_CSV)
    response = client.post("/daftar/asn", data={**ASN_FORM, "region": "73.71", "nip": NIP_C,
                                                "agency": "Dinas Sosial"})
    assert response.status_code == 302
    assert profiles(app) == [(NIP_C, "73.71", "Dinas Sosial")]


def test_region_page_says_whether_its_asn_are_roster_checked(client, load):
    load(PALOPO_CSV)
    assert "dicek dengan daftar ASN: hanya NIP" in client.get("/wilayah/73.73").get_data(as_text=True)
    assert "belum dicek dengan daftar ASN" in client.get("/wilayah/73.71").get_data(as_text=True)
    assert client.get("/api/v1/regions/73.73/progress").get_json()["roster_checked"] is True
    assert client.get("/api/v1/regions/73.71/progress").get_json()["roster_checked"] is False


def test_typed_opd_variants_join_the_existing_agency(app, client, make_asn, fetch):
    make_asn(region="73.71", agency="Dinas Koperasi dan UKM", on_roster=False)  # 73.71 stays without a roster
    response = client.post("/daftar/asn", data={**ASN_FORM, "region": "73.71", "nip": NIP_C, "agency": "__baru__",
                                                "new_agency": "  dinas koperasi & UKM. "})
    assert response.status_code == 302
    assert [a.name for a in fetch(select(Agency))] == ["Dinas Koperasi dan UKM"]
    assert {agency for _nip, _region, agency in profiles(app)} == {"Dinas Koperasi dan UKM"}
