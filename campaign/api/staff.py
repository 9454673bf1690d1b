"""District coordinators and province admins: the verification queue, shop decisions, voids,
region targets and the detailed progress of a region."""
from __future__ import annotations

from campaign.api import auth, serializers
from campaign.api.core import CAMPAIGN, ID, bp, check_region_code, json_body, operation, paging, query_args
from campaign.api.fields import INT32_MAX, Fields, Int, Str
from campaign.core.errors import PermissionDenied
from campaign.domains.leaderboard import queries as standings_queries
from campaign.domains.purchases import services as purchase_services
from campaign.domains.regions.services import (
    MAX_HEADCOUNT,
    MAX_TARGET_AMOUNT,
    get_campaign,
    region_by_code,
    set_region_target,
)
from campaign.domains.shops import queries as shop_queries
from campaign.domains.shops import services as shop_services

PENDING_QUERY = Fields(Str("region", required=False, max_length=8,
                           description="Admin: kode wilayah (tanpa ini: semua). Koordinator: hanya wilayahnya."),
                       *paging())


@bp.get("/shops/pending")
@operation("Antrean verifikasi toko", tag="Koordinator", ok=(200, "PendingShopPage"), query=PENDING_QUERY,
           errors=(404,), description="Terlama dulu. 403 bila koordinator meminta wilayah lain.")
@auth.staff_required
def pending_shops():
    args = query_args()
    region = shop_services.queue_region_for(actor=auth.api_user(), region_code=args["region"])
    result = shop_queries.pending_shops(region_code=region.code if region else None,
                                        province=auth.api_user().admin_province, page=args["page"],
                                        per_page=args["per_page"])
    return {"items": [serializers.pending_shop(s) for s in result.items], "page": result.page,
            "per_page": result.per_page, "total": result.total}


@bp.post(f"/shops/<{ID}:shop_id>/verify")
@operation("Verifikasi toko", tag="Koordinator", ok=(200, "OwnedShop"), errors=(409,),
           description="Koordinator wilayah toko atau admin. 409 bila sudah terverifikasi.")
@auth.staff_required
def verify_shop(shop_id: int):
    return serializers.shop_model(shop_services.verify_shop(actor=auth.api_user(), shop_id=shop_id))


REASON_BODY = Fields(Str("reason", max_length=2000, description="Minimal 5 karakter; disimpan sampai 500."),
                     example={"reason": "Alamat tidak ditemukan saat dikunjungi."})


@bp.post(f"/shops/<{ID}:shop_id>/reject")
@operation("Tolak toko", tag="Koordinator", ok=(200, "OwnedShop"), errors=(409,), body=REASON_BODY,
           description="Dengan alasan yang dilihat pemilik toko. 409 bila sudah ditolak.")
@auth.staff_required
def reject_shop(shop_id: int):
    body = json_body()
    return serializers.shop_model(shop_services.reject_shop(actor=auth.api_user(), shop_id=shop_id,
                                                            reason=body["reason"]))


@bp.post(f"/purchases/<{ID}:purchase_id>/void")
@operation("Batalkan belanja", tag="Koordinator", ok=(200, "Purchase"), errors=(409,), body=REASON_BODY,
           description="Koordinator wilayah pembeli atau toko, atau admin; dari status reported, confirmed "
           "atau disputed.")
@auth.staff_required
def void_purchase(purchase_id: int):
    body = json_body()
    purchase = purchase_services.void_purchase(actor=auth.api_user(), purchase_id=purchase_id,
                                               reason=body["reason"])
    return serializers.purchase(purchase)


TARGET_BODY = Fields(
    Int("campaign", required=False, minimum=1, maximum=INT32_MAX, description="Bawaan: kampanye berjalan."),
    Int("asn_headcount", minimum=0, maximum=MAX_HEADCOUNT, description="Jumlah ASN di wilayah ini."),
    Int("target_amount", minimum=0, maximum=MAX_TARGET_AMOUNT, description="Target belanja, rupiah utuh."),
    example={"asn_headcount": 4200, "target_amount": 750_000_000},
)


@bp.put("/regions/<code>/target")
@operation("Atur jumlah ASN dan target wilayah", tag="Koordinator", ok=(200, "Target"), body=TARGET_BODY,
           description="Koordinator wilayah itu atau admin. Jumlah ASN adalah penyebut tingkat partisipasi "
           "dan belanja per ASN.")
@auth.staff_required
def set_target(code: str):
    body = json_body()
    region = region_by_code(check_region_code(code))
    campaign = get_campaign(body["campaign"])
    saved = set_region_target(actor=auth.api_user(), campaign_id=campaign.id, region_id=region.id,
                              asn_headcount=body["asn_headcount"], target_amount=body["target_amount"])
    return serializers.target(saved, region)


@bp.get("/regions/<code>/details")
@operation("Capaian rinci wilayah (koordinator)", tag="Koordinator", ok=(200, "RegionDetails"),
           query=Fields(CAMPAIGN), description="Capaian publik ditambah per OPD, toko teratas, toko tanpa "
           "pembeli dan belanja yang dibantah. Koordinator wilayah itu atau admin.")
@auth.staff_required
def region_details(code: str):
    args = query_args()
    region = region_by_code(check_region_code(code))
    if not auth.api_user().coordinates(region.id):
        raise PermissionDenied("Hanya koordinator wilayah ini atau admin yang dapat melihat rincian.")
    progress = standings_queries.get_region_progress(code=region.code, campaign_id=args["campaign"],
                                                     detailed=True)
    return serializers.region_details(progress)
