"""Coordinators and admins: a region's plausibility flags (with review) and bulk void with a dry
run and an undo. The same services as the HTML pages in :mod:`campaign.domains.trust.views`."""
from __future__ import annotations

from campaign.api import auth
from campaign.api.core import CAMPAIGN, ID, bp, check_region_code, json_body, operation, query_args
from campaign.api.fields import INT32_MAX, Day, Fields, Int, Str
from campaign.api.serializers import timestamp
from campaign.core.errors import PermissionDenied
from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.regions.models import Region
from campaign.domains.regions.services import get_campaign, region_by_code
from campaign.domains.trust import flags as trust_flags
from campaign.domains.trust import services
from campaign.domains.trust.models import BulkVoid
from campaign.domains.trust.selection import LIVE, Selection

FLAG_KEY = ("`asn:<id>`, `shop:<id>`, `fresh:<toko>`, `log:<toko>:<periode>`, `confirm:<toko>:<periode>`, `first:<toko>:<periode>`, "
            "`asnlog:<id>:<periode>` atau `signup:<sumber>:<periode>`")
SELECTION = (
    Int("shop_id", required=False, minimum=1, maximum=INT32_MAX, description="Belanja di toko ini."),
    Int("buyer_id", required=False, minimum=1, maximum=INT32_MAX, description="Belanja oleh ASN (id akun) ini."),
    Day("date_from", required=False, description="Tanggal belanja sejak (termasuk)."),
    Day("date_to", required=False, description="Tanggal belanja sampai (termasuk)."),
    Str("status", required=False, enum=LIVE, description="Tanpa ini: semua yang berlaku."),
    Str("flag", required=False, max_length=80, description=f"Kunci tanda: {FLAG_KEY}."),
    Int("campaign", required=False, minimum=1, maximum=INT32_MAX, description="Bawaan: kampanye berjalan."),
)
PREVIEW_BODY = Fields(*SELECTION, example={"shop_id": 12, "status": "confirmed"})
VOID_BODY = Fields(*SELECTION, Str("reason", max_length=2000, description="Minimal 5 karakter; disimpan sampai 500."),
                   example={"flag": "confirm:12:202611280310", "reason": "Konfirmasi massal oleh toko kolusi."})
REVIEW_BODY = Fields(Str("flag", max_length=80, description=f"Kunci tanda: {FLAG_KEY}."),
                     Str("note", required=False, default="", max_length=2000, description="Maksimal 500 karakter."),
                     Int("campaign", required=False, minimum=1, maximum=INT32_MAX),
                     example={"flag": "asn:42", "note": "Sudah dikonfirmasi: belanja sembako kantor."})


def _selection(body: dict) -> Selection:
    return Selection(shop_id=body["shop_id"], buyer_id=body["buyer_id"], date_from=body["date_from"],
                     date_to=body["date_to"], status=body["status"], flag=body["flag"])


@bp.get("/regions/<code>/flags")
@operation("Tanda kewajaran wilayah", tag="Koordinator", ok=(200, "FlagList"), query=Fields(CAMPAIGN),
           description="Koordinator wilayah itu atau admin. Aturan tiap jenis tanda ada di README (Trust and "
           "privacy). Tanda tidak mengubah total; `key` dipakai sebagai `flag` pada pembatalan massal.")
@auth.staff_required
def region_flags(code: str):
    region = region_by_code(check_region_code(code))
    if not auth.api_user().coordinates(region.id):
        raise PermissionDenied("Hanya koordinator wilayah ini atau admin yang dapat melihat tanda.")
    campaign = get_campaign(query_args()["campaign"])
    items = trust_flags.region_flags(campaign_id=campaign.id, region_id=region.id)
    return {"items": [{"key": f.key, "kind": f.kind, "label": f.label, "subject": f.subject, "detail": f.detail,
                       "since": timestamp(f.since), "reviewed": f.review is not None,
                       "reviewed_at": timestamp(f.review.at) if f.review else None,
                       "reviewed_by": f.review.by if f.review else None,
                       "review_note": f.review.note if f.review else None} for f in items]}


@bp.post("/regions/<code>/flags/review")
@operation("Tandai tanda sudah ditinjau", tag="Koordinator", ok=(201, "FlagReview"), body=REVIEW_BODY,
           errors=(409,), description="Tercatat di jejak audit; 404 bila tanda tidak ada di wilayah ini, 409 bila "
           "sudah ditinjau.")
@auth.staff_required
def review_flag(code: str):
    body = json_body()
    review = services.review_flag(actor=auth.api_user(), region_code=check_region_code(code), flag_key=body["flag"],
                                  note=body["note"], campaign_id=body["campaign"])
    return {"flag": review.flag_key, "note": review.note, "reviewed_at": timestamp(review.reviewed_at),
            "reviewed_by": db.session.get(User, review.reviewed_by_id).name}, 201


@bp.post("/regions/<code>/bulk-voids/preview")
@operation("Uji coba pembatalan massal", tag="Koordinator", ok=(200, "BulkVoidPreview"), body=PREVIEW_BODY,
           description="Tidak mengubah apa pun: jumlah dan nilai belanja berlaku yang akan dibatalkan, dan id "
           "50 yang pertama. Minimal satu kriteria.")
@auth.staff_required
def preview_bulk_void(code: str):
    body = json_body()
    preview = services.preview_bulk_void(actor=auth.api_user(), region_code=check_region_code(code),
                                         selection=_selection(body), campaign_id=body["campaign"])
    return {"count": preview.count, "amount": preview.amount, "purchase_ids": [p.id for p in preview.purchases]}


@bp.post("/regions/<code>/bulk-voids")
@operation("Batalkan massal", tag="Koordinator", ok=(201, "BulkVoid"), body=VOID_BODY, errors=(409,),
           description="Satu alasan, satu operasi di jejak audit dengan daftar id; total ikut bergerak. 409 bila "
           "tidak ada belanja yang cocok. Dapat diurungkan 7 hari.")
@auth.staff_required
def bulk_void(code: str):
    body = json_body()
    done = services.bulk_void(actor=auth.api_user(), region_code=check_region_code(code), selection=_selection(body),
                              reason=body["reason"], campaign_id=body["campaign"])
    return _bulk_void(done), 201


@bp.post(f"/bulk-voids/<{ID}:bulk_void_id>/undo")
@operation("Urungkan pembatalan massal", tag="Koordinator", ok=(200, "BulkVoid"), errors=(409,),
           description="Setiap belanja kembali ke status sebelumnya; 409 bila sudah diurungkan atau lewat 7 hari.")
@auth.staff_required
def undo_bulk_void(bulk_void_id: int):
    return _bulk_void(services.undo_bulk_void(actor=auth.api_user(), bulk_void_id=bulk_void_id))


def _bulk_void(op: BulkVoid) -> dict:
    return {"id": op.id, "region": db.session.get(Region, op.region_id).code, "reason": op.reason,
            "count": op.purchase_count, "amount": op.amount, "purchase_ids": [item["id"] for item in op.items], "created_at": timestamp(op.created_at),
            "undone_at": timestamp(op.undone_at), "can_undo": services.can_undo(op)}
