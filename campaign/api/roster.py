"""The ASN roster over the API: a region's entries (its coordinator, admins), add and retire one
entry, and an admin's import of CSV text (bigger files: the HTML page or ``import-roster``)."""
from __future__ import annotations

from dataclasses import asdict

from campaign.api import auth
from campaign.api.core import ID, bp, check_region_code, json_body, operation, paging, query_args, unknown_as_field
from campaign.api.fields import Fields, Str
from campaign.core.errors import PermissionDenied
from campaign.domains.auth.models import User
from campaign.domains.regions.services import region_by_code
from campaign.domains.roster import queries as roster_queries
from campaign.domains.roster import services as roster_services
from campaign.util.formatting import mask_nip

ROSTER_QUERY = Fields(Str("q", required=False, max_length=100,
                          description="NIP lengkap (18 digit) atau bagian nama."), *paging())


def _coordinated_region(code: str, user: User):
    region = region_by_code(check_region_code(code))
    if not user.coordinates(region.id):
        raise PermissionDenied("Hanya koordinator wilayah ini atau admin yang dapat melihat daftar ASN-nya.")
    return region


def _entry(entry) -> dict:
    """An entry as the coordinator sees it (``RosterEntry``): NIP masked."""
    return asdict(roster_queries.EntryRow(entry.id, mask_nip(entry.nip), entry.name, entry.agency_name,
                                          entry.active, roster_queries.signed_up(entry.nip)))


@bp.get("/regions/<code>/roster")
@operation("Daftar ASN satu wilayah", tag="Koordinator", ok=(200, "RosterPage"), query=ROSTER_QUERY,
           description="Koordinator wilayah itu atau admin. NIP disamarkan. `status.checked`: pendaftaran ASN "
           "di wilayah ini dicek dengan daftar.")
@auth.staff_required
def region_roster(code: str):
    args = query_args()
    region = _coordinated_region(code, auth.api_user())
    page = roster_queries.entries(region_id=region.id, q=args["q"], page=args["page"], per_page=args["per_page"])
    status = roster_queries.roster_status(region.id)
    return {"status": {"checked": status.checked, "active": status.active, "retired": status.retired,
                       "signed_up": status.signed_up},
            "items": [asdict(row) for row in page.items], "page": page.page, "per_page": page.per_page,
            "total": page.total}


ENTRY_BODY = Fields(Str("nip", max_length=40, description="18 digit; spasi boleh."), Str("name", max_length=120),
                    Str("agency", max_length=160, description="Instansi/OPD."),
                    example={"nip": "199001012015031002", "name": "Rahmat Hidayat", "agency": "Dinas Pendidikan"})


@bp.post("/regions/<code>/roster")
@operation("Tambah ASN ke daftar wilayah", tag="Koordinator", ok=(201, "RosterEntry"), body=ENTRY_BODY,
           errors=(409,), description="Koordinator wilayah itu atau admin; wilayah harus sudah memiliki daftar "
           "(422 bila belum). 409 bila NIP sudah aktif di daftar. Entri nonaktif wilayah ini diaktifkan lagi.")
@auth.staff_required
def add_roster_entry(code: str):
    body = json_body()
    entry = roster_services.add_entry(actor=auth.api_user(), region_code=check_region_code(code), nip=body["nip"],
                                      name=body["name"], agency_name=body["agency"])
    return _entry(entry), 201


@bp.post(f"/roster/<{ID}:entry_id>/retire")
@operation("Nonaktifkan ASN di daftar", tag="Koordinator", ok=(200, "RosterEntry"), errors=(409,),
           description="Koordinator wilayah entri itu atau admin. NIP-nya tidak dapat lagi dipakai mendaftar; "
           "akun yang sudah ada tetap. 409 bila sudah nonaktif.")
@auth.staff_required
def retire_roster_entry(entry_id: int):
    return _entry(roster_services.retire_entry(actor=auth.api_user(), entry_id=entry_id))


IMPORT_BODY = Fields(
    Str("region", required=False, nullable=True, max_length=8,
        description="Kode Kemendagri satu wilayah; null atau tanpa ini: seluruh provinsi."),
    Str("csv", max_length=1_000_000, description="Isi berkas CSV: baris judul NIP, Nama, Instansi/OPD, "
        "Kabupaten/Kota; pemisah koma, titik koma atau tab."),
    Str("filename", required=False, default="api.csv", max_length=200),
    example={"region": "73.73", "csv": "NIP,Nama,Instansi/OPD\n199001012015031002,Rahmat Hidayat,Dinas Pendidikan\n"})


@bp.post("/roster/import")
@operation("Impor daftar ASN (CSV)", tag="Koordinator", ok=(200, "RosterImport"), body=IMPORT_BODY,
           description="Admin provinsi saja. Idempoten: baris yang sama dihitung `unchanged`. Baris yang ditolak "
           "dilaporkan dengan nomor baris dan alasannya (200 pertama). Berkas besar: halaman /admin/daftar-asn "
           "atau `flask --app campaign import-roster`.")
@auth.staff_required
def import_roster():
    body = json_body()
    with unknown_as_field("region"):
        report = roster_services.import_roster(actor=auth.api_user(), content=body["csv"].encode("utf-8"),
                                               filename=_csv_name(body["filename"]), region_code=body["region"])
    return {"import_id": report.import_id, "added": report.added, "updated": report.updated,
            "unchanged": report.unchanged, "refused": report.refused,
            "refusals": [asdict(r) for r in report.refusals]}


def _csv_name(filename: str) -> str:
    return filename if filename.lower().endswith((".csv", ".txt")) else filename + ".csv"
