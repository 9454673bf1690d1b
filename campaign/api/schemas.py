"""JSON Schemas (OpenAPI 3.1 components) of every API response, matching :mod:`.serializers`.

Objects are closed (``additionalProperties: false``) so a field added to a serializer without
documenting it fails the schema tests and the schemathesis run.
"""
from __future__ import annotations

from campaign.domains.leaderboard.metrics import METRICS, PERSPECTIVES
from campaign.domains.purchases.models import PURCHASE_STATUSES
from campaign.domains.shops.models import CATEGORIES, SHOP_STATUSES
from campaign.domains.training.models import MODES, SEAT_STATUSES, TOPICS
from campaign.domains.trust.selection import FLAG_KINDS

INT = {"type": "integer"}
NINT = {"type": ["integer", "null"]}
STR = {"type": "string"}
NSTR = {"type": ["string", "null"]}
BOOL = {"type": "boolean"}
RATE = {"type": ["number", "null"], "description": "Rasio (0,25 = 25%); null bila penyebutnya kosong atau nol."}
DATE = {"type": "string", "format": "date"}
NDATE = {"type": ["string", "null"], "format": "date"}
TIMESTAMP = {"type": "string", "format": "date-time", "description":
             "ISO 8601 dengan offset zona waktu provinsi (WIB +07:00, WITA +08:00, WIT +09:00)."}
RUPIAH = {"type": "integer", "description": "Rupiah utuh."}
NRUPIAH = {"type": ["integer", "null"], "description": "Rupiah utuh; null bila tidak berlaku."}
INSTITUTIONAL = {"type": "integer", "description": "Belanja lembaga (transaksi papan Kebutuhan yang selesai) di "
                 "toko wilayah ini, rupiah utuh; terpisah dari belanja ASN, tidak dijumlahkan ke sana."}
CODE = {"type": "string", "description": "Kode Kemendagri, mis. 73.73.", "examples": ["73.73"]}
BPS_CODE = {"type": ["string", "null"], "description": "Kode BPS (bisa berbeda dari kode Kemendagri); null bila "
            "data wilayah tidak memuatnya."}
CAPITAL = {"type": ["string", "null"],
           "description": "Ibu kota kabupaten/kota; null bila data wilayah tidak memuatnya."}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict, *, optional: tuple[str, ...] = (), description: str = "") -> dict:
    schema = {"type": "object", "properties": properties,
              "required": [name for name in properties if name not in optional], "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


def array(name: str) -> dict:
    return {"type": "array", "items": ref(name)}


def page(name: str) -> dict:
    return obj({"items": array(name), "page": INT, "per_page": INT, "total": INT},
               description="Satu halaman daftar; `total` menghitung semua hasil.")


def enum(values) -> dict:
    return {"type": "string", "enum": list(values)}


# Small numbers stay private (campaign.domains.leaderboard.privacy): in public answers a figure that belongs to fewer
# than MIN_PUBLIC_PARTICIPANTS people (default 5) is null and named in ``suppressed_fields``.
WITHHELD = " null bila disembunyikan (lihat `suppressed`)."
P_RUPIAH = {"type": ["integer", "null"], "description": "Rupiah utuh;" + WITHHELD}
P_COUNT = {"type": ["integer", "null"], "description": "Jumlah;" + WITHHELD}
P_NRUPIAH = {"type": ["integer", "null"], "description": "Rupiah utuh; null bila tidak berlaku atau" + WITHHELD}
P_RATE = {"type": ["number", "null"],
          "description": "Rasio (0,25 = 25%); null bila penyebutnya kosong atau nol, atau" + WITHHELD}
SUPPRESSION = {
    "suppressed": {"type": "boolean", "description": "true bila ada angka yang disembunyikan karena milik kurang "
                   "dari MIN_PUBLIC_PARTICIPANTS orang (bawaan 5). Baris yang ukuran peringkatnya disembunyikan "
                   "tidak diperingkat (`rank` null) dan ditaruh di akhir, urut kode wilayah."},
    "suppressed_fields": {"type": "array", "items": STR, "description": "Nama isian yang disembunyikan (null)."},
}
FIGURE_PROPERTIES = {
    "realized": P_RUPIAH, "verified": P_RUPIAH, "pledged": P_NRUPIAH, "participants": P_COUNT,
    "purchases": P_COUNT, "shops_supported": P_COUNT, "asn_headcount": NINT, "target_amount": NRUPIAH,
    "participation_rate": P_RATE, "pledge_realization": P_RATE, "spend_per_asn": P_RATE}

ROUNDED = {"rounded_fields": {"type": "array", "items": STR, "description": (
    "Total provinsi: isian yang bagian wilayah tersembunyinya diterbitkan per PUBLIC_TOTAL_STEP rupiah "
    "(bawaan Rp10.000.000, dibulatkan ke bawah), sehingga satu belanja di wilayah tersembunyi tidak terbaca "
    "dari selisih total; rasio dihitung dari angka yang dibulatkan itu. Kosong untuk angka satu wilayah.")}}
RANK = {"type": ["integer", "null"], "description": "1..n di antara baris yang diperingkat; null: tidak diperingkat "
        "karena ukurannya disembunyikan (milik kurang dari MIN_PUBLIC_PARTICIPANTS orang)."}
FIGURES = obj({**FIGURE_PROPERTIES, "target_progress": P_RATE, "institutional": INSTITUTIONAL, **SUPPRESSION,
               **ROUNDED})

ROSTER_CHECKED = {"type": "boolean", "description": (
    "true: wilayah ini memiliki daftar ASN (pendaftaran ASN-nya dicek dengan daftar itu). Belanja "
    "terverifikasi (`verified`) = dikonfirmasi toko dan NIP pembeli ada di entri aktif daftar ASN; "
    "false: ASN wilayah ini belum dicek dengan daftar ASN, jadi belanjanya tidak terhitung terverifikasi "
    "(belanja terealisasinya tetap dihitung).")}

STANDING_ROW = obj({
    "rank": RANK, "region": obj({"code": CODE, "name": STR, "kind": enum(("Kabupaten", "Kota"))}),
    "roster_checked": ROSTER_CHECKED,
    **FIGURE_PROPERTIES, "institutional": INSTITUTIONAL, **SUPPRESSION})

PROVINCE_ROW = obj({
    "rank": RANK, "province": obj({"code": STR, "name": STR, "region_count": INT}),
    **FIGURE_PROPERTIES, "institutional": INSTITUTIONAL, **SUPPRESSION})

WEEK = obj({"week_start": DATE, "realized": P_RUPIAH, "verified": P_RUPIAH, "purchases": P_COUNT,
            "suppressed": {"type": "boolean", "description": "true: angka minggu ini yang milik kurang dari "
                           "MIN_PUBLIC_PARTICIPANTS orang (pembeli, atau pembeli terverifikasi untuk "
                           "`verified`) null."}})

PROGRESS_PROPERTIES = {
    "region": obj({"code": CODE, "name": STR, "kind": STR, "capital": CAPITAL}),
    "roster_checked": ROSTER_CHECKED,
    "campaign": ref("Campaign"), "rank": RANK, "region_count": INT,
    "asn_region": ref("Figures"), "shop_region": ref("Figures"),
    "weeks": obj({"asn_region": array("WeekPoint"), "shop_region": array("WeekPoint")}),
}

DETAIL = obj({
    "by_agency": {"type": "array", "items": obj({
        "id": INT, "name": STR, "realized": RUPIAH, "verified": RUPIAH, "pledged": RUPIAH, "pledgers": INT,
        "participants": INT, "purchases": INT})},
    "top_shops": {"type": "array", "items": obj({
        "id": INT, "name": STR, "category": STR, "realized": RUPIAH, "verified": RUPIAH, "purchases": INT,
        "buyers": INT})},
    "idle_shops": {"type": "array", "items": obj({
        "id": INT, "name": STR, "category": STR, "district": STR, "village": STR})},
    "idle_shops_total": INT,
    "disputed": {"type": "array", "items": obj({
        "id": INT, "purchased_on": DATE, "amount": RUPIAH, "shop_name": STR, "buyer_name": STR,
        "agency_name": STR, "reason": NSTR})},
    "disputed_more": BOOL, "pending_shops": INT,
}, description="Bagian koordinator: per OPD, toko teratas, toko tanpa pembeli, belanja yang dibantah.")

SHOP_SUMMARY_PROPERTIES = {
    "id": INT, "name": STR, "category": enum(CATEGORIES), "category_label": STR, "region_code": CODE,
    "region_name": STR, "district": STR, "village": STR, "street": STR,
    "whatsapp": {"type": "string", "description": "Nomor WhatsApp toko (E.164) untuk pemesanan."},
    "whatsapp_url": {"type": "string", "format": "uri"}, "description": STR, "products": STR,
    "covid_affected": BOOL,
}
SHOP_DETAIL_PROPERTIES = {**SHOP_SUMMARY_PROPERTIES, "status": enum(SHOP_STATUSES), "status_label": STR}

PURCHASE = obj({
    "id": INT, "status": enum(PURCHASE_STATUSES), "status_label": STR, "status_reason": NSTR,
    "amount": RUPIAH, "purchased_on": DATE, "note": STR, "shop": obj({"id": INT, "name": STR}),
    "buyer": obj({"name": STR, "agency": STR}, description="Nama dan OPD pembeli saja (tanpa NIP/kontak)."),
    "created_at": TIMESTAMP})

ME = obj({
    "id": INT, "name": STR, "email": NSTR, "phone": NSTR,
    "roles": {"type": "array", "items": enum(("asn", "shop_owner", "coordinator", "admin"))},
    "asn": {"oneOf": [{"type": "null"}, obj({"nip": STR, "agency": STR, "region": obj({"code": CODE, "name": STR})})]},
    "coordinator_region": {"oneOf": [{"type": "null"}, obj({"code": CODE, "name": STR})]},
    "created_at": TIMESTAMP,
}, description="Akun sendiri, termasuk NIP lengkap, e-mail dan telepon (tidak pernah di jawaban publik).")

TRAINING = {
    "id": INT, "title": STR, "topic": enum(TOPICS), "topic_label": STR, "mode": enum(MODES),
    "starts_at": TIMESTAMP, "ends_at": TIMESTAMP, "capacity": INT, "seats_taken": INT, "seats_left": INT,
    "region_code": {"type": ["string", "null"], "description": "null: seluruh provinsi."}, "region_name": STR}
TRAINING_COMPONENTS = {
    "Training": obj(TRAINING),
    "TrainingPage": page("Training"),
    "TrainingDetail": obj({**TRAINING, "description": STR, "place": NSTR},
                          description="Tautan daring hanya ditampilkan kepada peserta terdaftar."),
    "Seat": obj({"training_id": INT, "shop_id": INT, "status": enum(SEAT_STATUSES), "updated_at": TIMESTAMP}),
    "SeatList": obj({"items": {"type": "array", "items": obj({
        "shop_id": INT, "shop_name": STR, "region_name": STR, "owner_name": STR, "status": enum(SEAT_STATUSES)})}}),
    "Attendance": obj({"training_id": INT, "attended": INT, "absent": INT}),
}
ROSTER_ENTRY = obj({
    "id": INT, "nip_masked": {"type": "string", "description": "NIP disamarkan, mis. 198609•••••••••001."},
    "name": STR, "agency_name": STR, "active": BOOL,
    "signed_up": {"type": "boolean", "description": "NIP ini sudah dipakai sebuah akun ASN."}})

TRUST_COMPONENTS: dict[str, dict] = {
    "Flag": obj({"key": STR, "kind": enum(FLAG_KINDS), "label": STR,
                 "subject": {"type": "string", "description": "Nama ASN atau toko."}, "detail": STR,
                 "since": {**TIMESTAMP, "type": ["string", "null"]}, "reviewed": BOOL,
                 "reviewed_at": {**TIMESTAMP, "type": ["string", "null"]}, "reviewed_by": NSTR, "review_note": NSTR}),
    "FlagList": obj({"items": array("Flag")}),
    "FlagReview": obj({"flag": STR, "note": STR, "reviewed_at": TIMESTAMP, "reviewed_by": STR}),
    "BulkVoidPreview": obj({"count": INT, "amount": RUPIAH, "purchase_ids": {"type": "array", "items": INT}}),
    "BulkVoid": obj({"id": INT, "region": CODE, "reason": STR, "count": INT, "amount": RUPIAH,
                     "purchase_ids": {"type": "array", "items": INT}, "created_at": TIMESTAMP,
                     "undone_at": {**TIMESTAMP, "type": ["string", "null"]}, "can_undo": BOOL}),
}

COMPONENTS: dict[str, dict] = {
    "Error": obj({"error": obj({
        "code": {"type": "string", "description": "snake_case, mis. not_found, invalid, conflict."},
        "message": {"type": "string", "description": "Pesan dalam Bahasa Indonesia."},
        "fields": {"type": "object", "additionalProperties": {"type": "array", "items": STR},
                   "description": "Pesan per isian yang salah."},
        "purchase_id": {**INT, "description": "Pada `idempotency_mismatch`: belanja pertama dengan client_ref itu."}},
        optional=("purchase_id",))}),
    "Region": obj({"code": CODE, "bps_code": BPS_CODE, "kind": enum(("Kabupaten", "Kota")), "name": STR,
                   "capital": CAPITAL}),
    "RegionPage": page("Region"),
    "Campaign": obj({"id": INT, "name": STR, "appeal_letter_number": STR, "appeal_letter_date": DATE,
                     "starts_on": DATE, "ends_on": NDATE}),
    "CampaignPage": page("Campaign"),
    "Figures": FIGURES,
    "StandingRow": STANDING_ROW,
    "Standings": obj({"campaign": ref("Campaign"), "metric": enum(METRICS), "perspective": enum(PERSPECTIVES),
                      "province": {"type": ["string", "null"], "description": "Kode provinsi yang diminta "
                                   "(`province`); null: semua kabupaten/kota yang dilayani."},
                      "rows": array("StandingRow"), "totals": ref("Figures")},
                     description="Semua kabupaten/kota, nol termasuk; seri diputus menurut kode wilayah."),
    "ProvinceRow": PROVINCE_ROW,
    "ProvinceStandings": obj({"campaign": ref("Campaign"), "metric": enum(METRICS),
                              "perspective": enum(PERSPECTIVES), "rows": array("ProvinceRow"),
                              "totals": ref("Figures")},
                             description="Semua provinsi yang dilayani, nol termasuk; seri diputus menurut kode "
                             "provinsi; `totals` nasional."),
    "WeekPoint": WEEK,
    "RegionProgress": obj(PROGRESS_PROPERTIES),
    "RegionDetails": obj({**PROGRESS_PROPERTIES, "detail": DETAIL}),
    "Target": obj({"region": CODE, "campaign_id": INT, "asn_headcount": INT, "target_amount": RUPIAH,
                   "updated_at": TIMESTAMP}),
    "ShopSummary": obj(SHOP_SUMMARY_PROPERTIES),
    "ShopPage": page("ShopSummary"),
    "ShopDetail": obj(SHOP_DETAIL_PROPERTIES),
    "OwnedShop": obj({**SHOP_DETAIL_PROPERTIES, "rejection_reason": NSTR, "created_at": TIMESTAMP}),
    "OwnedShopPage": page("OwnedShop"),
    "PendingShop": obj({"id": INT, "name": STR, "owner_name": STR, "category_label": STR, "region_code": CODE,
                        "region_name": STR, "district": STR, "village": STR, "street": STR, "whatsapp": STR,
                        "nib": NSTR, "covid_affected": BOOL, "created_at": TIMESTAMP}),
    "PendingShopPage": page("PendingShop"),
    "Purchase": PURCHASE,
    "PurchasePage": page("Purchase"),
    "Pledge": obj({"campaign_id": INT, "amount": RUPIAH, "created_at": TIMESTAMP, "updated_at": TIMESTAMP}),
    "Summary": obj({"campaign_id": INT, "campaign_name": STR, "pledged": NRUPIAH, "realized": RUPIAH,
                    "verified": RUPIAH, "purchases": INT, "shops_supported": INT, "progress": RATE}),
    "Me": ME,
    "Account": obj({"id": INT, "name": STR, "active": BOOL}),
    "RosterEntry": ROSTER_ENTRY,
    "RosterPage": obj({"status": obj({"checked": BOOL, "active": INT, "retired": INT, "signed_up": INT}),
                       "items": array("RosterEntry"), "page": INT, "per_page": INT, "total": INT},
                      description="Satu halaman daftar ASN wilayah, urut nama; `status` untuk seluruh wilayah."),
    "RosterImport": obj({"import_id": INT, "added": INT, "updated": INT, "unchanged": INT, "refused": INT,
                         "refusals": {"type": "array", "items": obj({"line": INT, "nip": STR, "reason": STR})}},
                        description="Hasil impor; `refusals` memuat 200 baris pertama yang ditolak."),
    "Token": obj({"token": {"type": "string", "description": "Ditampilkan sekali; kirim sebagai `Bearer`."},
                  "token_type": {"const": "Bearer"}, "expires_at": TIMESTAMP}),
    "OpenAPIDocument": {"type": "object", "description": "Dokumen ini."},
    **TRAINING_COMPONENTS,
    **TRUST_COMPONENTS,
}
