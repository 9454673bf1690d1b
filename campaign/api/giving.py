"""The ASN's pledge and purchases, and the shop owner's shops and confirmations.

Each view parses the body's shape, calls one service or query (the same as the HTML pages) and
serializes the result; the services decide every rule and raise the 403/404/409/422.
"""
from __future__ import annotations

from campaign.api import auth, serializers
from campaign.api.core import CAMPAIGN, ID, bp, json_body, operation, paginate, paging, query_args, unknown_as_field
from campaign.api.fields import INT32_MAX, Bool, Day, Fields, Int, Str
from campaign.core.errors import PermissionDenied
from campaign.domains.purchases import pledges
from campaign.domains.purchases import queries as purchase_queries
from campaign.domains.purchases import services as purchase_services
from campaign.domains.purchases.models import PURCHASE_STATUSES
from campaign.domains.regions.services import get_campaign
from campaign.domains.shops import queries as shop_queries
from campaign.domains.shops import services as shop_services
from campaign.domains.shops.models import CATEGORIES
from campaign.web import ratelimits

# --- ASN -------------------------------------------------------------------------------------

PLEDGE_BODY = Fields(Int("amount", description="Rupiah utuh, 1 sampai batas janji (bawaan Rp1.000.000.000)."),
                     Int("campaign", required=False, minimum=1, maximum=INT32_MAX,
                         description="Id kampanye; tanpa ini: kampanye berjalan."),
                     example={"amount": 500_000})


@bp.put("/me/pledge")
@operation("Buat atau ubah janji belanja", tag="ASN", ok=(200, "Pledge"), body=PLEDGE_BODY, errors=(404, 409),
           description="Satu janji per ASN per kampanye; 409 setelah kampanye berakhir.")
@auth.asn_required
def set_pledge():
    body = json_body()
    pledge = pledges.make_pledge(asn=auth.api_user(), amount=body["amount"], campaign_id=body["campaign"])
    return serializers.pledge(pledge)


@bp.get("/me/summary")
@operation("Capaian saya", tag="ASN", ok=(200, "Summary"), query=Fields(CAMPAIGN), errors=(404,))
@auth.asn_required
def my_summary():
    campaign = get_campaign(query_args()["campaign"])
    return serializers.summary(purchase_queries.my_summary(user_id=auth.api_user().id, campaign=campaign))


PURCHASE_BODY = Fields(
    Int("shop_id", minimum=1, maximum=INT32_MAX, description="Toko terverifikasi (bukan milik sendiri)."),
    Int("amount", description="Rupiah utuh, bawaan Rp1.000 sampai Rp10.000.000."),
    Day("purchased_on", required=False,
        description="Bawaan hari ini menurut zona waktu provinsi wilayah ASN; tidak boleh setelah hari ini."),
    Str("note", required=False, default="", max_length=2000, description="Maksimal 500 karakter."),
    Str("client_ref", required=False, max_length=64,
        description="Kunci acak dari klien: kiriman ulang dengan kunci sama mengembalikan belanja yang sama."),
    Int("campaign", required=False, minimum=1, maximum=INT32_MAX),
    example={"shop_id": 1, "amount": 125_000, "note": "beras dan telur", "client_ref": "wa-3f9c2a"},
)


@bp.post("/purchases")
@operation("Catat belanja", tag="ASN", ok=(201, "Purchase"), body=PURCHASE_BODY, errors=(404, 409), rate_limited=True,
           description="Mulai berstatus `reported`. 403 di toko milik sendiri; 404 toko/kampanye tidak ada; "
           "422 `limit_exceeded` di atas batas harian; 409 `duplicate` untuk belanja yang sama (toko, jumlah, "
           "tanggal) dalam jendela duplikat tanpa `client_ref` yang sama. Permintaan dibatasi per akun "
           "(RATELIMIT_PURCHASE), satu hitungan bersama formulir HTML.")
@auth.writes(lock_asn=True, limit=ratelimits.purchase_logging)
@auth.asn_required
def log_purchase():
    body = json_body()
    purchase = purchase_services.log_purchase(
        buyer=auth.api_user(), shop_id=body["shop_id"], amount=body["amount"], purchased_on=body["purchased_on"],
        note=body["note"], campaign_id=body["campaign"], client_ref=body["client_ref"])
    return serializers.purchase(purchase), 201


MY_PURCHASES_QUERY = Fields(CAMPAIGN, *paging())


@bp.get("/me/purchases")
@operation("Riwayat belanja saya", tag="ASN", ok=(200, "PurchasePage"), query=MY_PURCHASES_QUERY,
           description="Terbaru dulu. Tanpa `campaign`: semua kampanye.")
@auth.asn_required
def my_purchases():
    args = query_args()
    result = purchase_queries.my_purchases(user_id=auth.api_user().id, campaign_id=args["campaign"],
                                           page=args["page"], per_page=args["per_page"])
    return _purchase_page(result)


@bp.post(f"/purchases/<{ID}:purchase_id>/withdraw")
@operation("Tarik catatan belanja", tag="ASN", ok=(200, "Purchase"), errors=(409,),
           description="Hanya pembelinya, selama masih `reported`.")
@auth.asn_required
def withdraw_purchase(purchase_id: int):
    return serializers.purchase(purchase_services.withdraw_purchase(actor=auth.api_user(), purchase_id=purchase_id))


def _purchase_page(result) -> dict:
    return {"items": [serializers.purchase_row(p) for p in result.items], "page": result.page,
            "per_page": result.per_page, "total": result.total}


# --- shop owners -----------------------------------------------------------------------------

SHOP_BODY = Fields(
    Str("name", max_length=500, description="Maksimal 120 karakter."),
    Str("category", enum=tuple(CATEGORIES)),
    Str("region", max_length=8, description="Kode Kemendagri, mis. 73.73."),
    Str("district", max_length=500, description="Kecamatan di kabupaten/kota itu: nama (Wara) atau kode Kemendagri "
        "(73.73.01), dari daftar kecamatan yang dimuat init-db."),
    Str("village", max_length=500, description="Kelurahan/desa, maksimal 80 karakter."),
    Str("street", max_length=500, description="Alamat jalan, maksimal 200 karakter."),
    Str("whatsapp", max_length=40, description="Nomor WhatsApp Indonesia, mis. 0812-3456-7890."),
    Str("description", required=False, default="", max_length=2000),
    Str("products", required=False, default="", max_length=2000),
    Str("nib", required=False, nullable=True, max_length=40, description="13 digit, boleh kosong."),
    Bool("covid_affected", required=False, default=False),
    example={"name": "Warung Bu Sitti", "category": "sembako", "region": "73.73", "district": "Wara",
             "village": "Amassangan", "street": "Jl. Andi Djemma No. 5", "whatsapp": "0812-3456-7890",
             "products": "beras, minyak goreng, gula, telur", "covid_affected": True},
)


@bp.post("/shops")
@operation("Daftarkan toko", tag="Pemilik toko", ok=(201, "OwnedShop"), body=SHOP_BODY,
           description="Siapa pun yang punya token boleh mendaftarkan toko; mulai berstatus `pending` "
           "sampai koordinator wilayahnya memverifikasi.")
@auth.token_required
def register_shop():
    body = json_body()
    fields = {name: body[name] for name in ("name", "category", "district", "village", "street", "whatsapp",
                                            "description", "products", "nib", "covid_affected")}
    with unknown_as_field("region"):
        shop = shop_services.register_shop(owner=auth.api_user(), region_code=body["region"], **fields)
    return serializers.shop_model(shop), 201


@bp.get("/me/shops")
@operation("Toko saya", tag="Pemilik toko", ok=(200, "OwnedShopPage"), query=Fields(*paging()),
           description="Terbaru dulu, dengan alasan penolakan bila ditolak.")
@auth.token_required
def my_shops():
    args = query_args()
    rows = [serializers.owned_shop(s) for s in shop_queries.shops_of_owner(auth.api_user().id)]
    return paginate(rows, args["page"], args["per_page"])


SHOP_PURCHASES_QUERY = Fields(Str("status", required=False, enum=tuple(PURCHASE_STATUSES)), *paging())


@bp.get(f"/shops/<{ID}:shop_id>/purchases")
@operation("Belanja di satu toko", tag="Pemilik toko", ok=(200, "PurchasePage"), query=SHOP_PURCHASES_QUERY,
           description="Untuk pemilik toko, koordinator wilayahnya dan admin. Yang `reported` dulu, lalu "
           "terbaru. Pembeli hanya dengan nama dan OPD.")
@auth.token_required
def shop_purchases(shop_id: int):
    args = query_args()
    shop = shop_services.get_shop(shop_id)
    if not shop_services.can_manage_shop(auth.api_user(), shop):
        raise PermissionDenied("Hanya pemilik toko ini, koordinator wilayahnya, atau admin.")
    result = purchase_queries.purchases_at_shops(owner_id=shop.owner_id, shop_id=shop.id, status=args["status"],
                                                 page=args["page"], per_page=args["per_page"])
    return _purchase_page(result)


@bp.post(f"/purchases/<{ID}:purchase_id>/confirm")
@operation("Konfirmasi belanja", tag="Pemilik toko", ok=(200, "Purchase"), errors=(409,),
           description="Pemilik toko tempat belanja, selama masih `reported`; lalu dihitung terverifikasi.")
@auth.writes()
@auth.shop_owner_required
def confirm_purchase(purchase_id: int):
    return serializers.purchase(purchase_services.confirm_purchase(actor=auth.api_user(), purchase_id=purchase_id))


DISPUTE_BODY = Fields(Str("reason", required=False, nullable=True, max_length=2000,
                          description="Alasan (opsional, disimpan sampai 500 karakter)."),
                      example={"reason": "Pembeli ini tidak berbelanja di toko kami hari itu."})


@bp.post(f"/purchases/<{ID}:purchase_id>/dispute")
@operation("Bantah belanja", tag="Pemilik toko", ok=(200, "Purchase"), errors=(409,), body=DISPUTE_BODY,
           body_required=False, description="Pemilik toko tempat belanja, selama masih `reported`; "
           "belanja keluar dari realisasi.")
@auth.shop_owner_required
def dispute_purchase(purchase_id: int):
    body = json_body()
    purchase = purchase_services.dispute_purchase(actor=auth.api_user(), purchase_id=purchase_id,
                                                  reason=body["reason"])
    return serializers.purchase(purchase)
