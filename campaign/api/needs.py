"""The needs board: buyer organisations, needs, offers, deals and institutional spend.
Its response schemas are added to the document's components here."""
from __future__ import annotations

from dataclasses import asdict

from campaign.api import auth
from campaign.api.core import (
    CAMPAIGN,
    ID,
    REGION_CODE,
    bp,
    check_region_code,
    json_body,
    operation,
    paging,
    public_json,
    query_args,
)
from campaign.api.fields import Day, Field, FieldError, Fields, Int, Str
from campaign.api.schemas import (
    CODE,
    COMPONENTS,
    DATE,
    INT,
    NINT,
    NRUPIAH,
    RUPIAH,
    STR,
    TIMESTAMP,
    enum,
    obj,
    page,
    ref,
)
from campaign.api.serializers import campaign as campaign_json
from campaign.api.serializers import day, timestamp
from campaign.core.errors import NotFound, PermissionDenied
from campaign.core.extensions import db
from campaign.domains.auth.decorators import public
from campaign.domains.needs import queries, services, standing, voids
from campaign.domains.needs.models import (
    NEED_STATUSES,
    OFFER_STATUSES,
    Need,
)
from campaign.domains.needs.services import MAX_QUANTITY, MAX_RUPIAH
from campaign.domains.regions.provinces import province_scope
from campaign.domains.regions.services import region_by_code
from campaign.domains.shops.models import CATEGORIES

COMPONENTS.update({
    "Need": obj({"id": INT, "title": STR, "category": enum(CATEGORIES), "category_label": STR,
                 "buyer": obj({"name": STR, "kind": STR, "region": STR}), "quantity": INT, "unit": STR,
                 "remaining": INT, "budget_min": RUPIAH, "budget_max": RUPIAH, "deadline": DATE,
                 "delivery_place": STR, "description": STR, "status": enum(NEED_STATUSES),
                 "regions": {"type": "array", "items": CODE}, "offers": INT}),
    "NeedPage": page("Need"),
    "Offer": obj({"id": INT, "need_id": INT, "need_title": STR, "shop_id": INT, "shop_name": STR, "shop_region": STR,
                  "unit_price": RUPIAH, "quantity": INT, "delivery_date": DATE, "message": STR,
                  "status": enum(OFFER_STATUSES), "accepted_quantity": NINT, "deal_amount": NRUPIAH,
                  "whatsapp_url": {"type": ["string", "null"], "format": "uri",
                                   "description": "wa.me ke pihak lain; hanya setelah penawaran diterima."}}),
    "OfferList": obj({"items": {"type": "array", "items": ref("Offer")}}),
    "NeedsForYou": obj({"items": {"type": "array", "items": obj({
        "need": ref("Need"), "shops": {"type": "array", "items": obj({"id": INT, "name": STR})}})}}),
    "RegionInstitutional": obj({
        "region": obj({"code": CODE, "name": STR, "kind": STR}), "campaign": ref("Campaign"), "amount": RUPIAH,
        "deals": INT, "rank": INT, "region_count": INT,
        "recent": {"type": "array", "items": obj({
            "offer_id": INT, "need_title": STR, "buyer_name": STR, "shop_name": STR, "quantity": INT, "unit": STR,
            "amount": RUPIAH, "completed_at": TIMESTAMP})}},
        description="Belanja lembaga: transaksi papan Kebutuhan yang selesai di toko wilayah ini."),
    "NeedsBoardGaps": obj({"needs_without_offers": {"type": "array", "items": ref("Need")},
                           "shops_never_offered": page("IdleShop")}),
    "IdleShop": obj({"id": INT, "name": STR, "category_label": STR, "whatsapp": STR}),
})


def need_json(n: queries.NeedSummary) -> dict:
    return {"id": n.id, "title": n.title, "category": n.category, "category_label": n.category_label,
            "buyer": {"name": n.buyer_name, "kind": n.buyer_kind, "region": n.buyer_region},
            "quantity": n.quantity, "unit": n.unit, "remaining": n.remaining, "budget_min": n.budget_min,
            "budget_max": n.budget_max, "deadline": day(n.deadline), "delivery_place": n.delivery_place,
            "description": n.description, "status": n.status, "regions": [code for code, _ in n.regions],
            "offers": n.offers}


def offer_json(o: queries.OfferView) -> dict:
    data = asdict(o)
    data.pop("status_label")
    return {**data, "delivery_date": day(o.delivery_date)}


def _offer(offer, actor) -> dict:
    return offer_json(queries.offer_view(offer, for_buyer=offer.need.buyer.owner_id == actor.id))


NEEDS_QUERY = Fields(Str("region", required=False, max_length=8, description="Kode Kemendagri, mis. 73.73."),
                     Str("category", required=False, enum=tuple(CATEGORIES)), *paging())


@bp.get("/needs")
@operation("Kebutuhan terbuka", tag="Kebutuhan", ok=(200, "NeedPage"), query=NEEDS_QUERY,
           description="Belum lewat batas waktu; batas waktu terdekat dulu, lalu terbaru.")
@public
def needs():
    args = query_args()
    result = queries.open_needs(category=args["category"], region_code=args["region"], page=args["page"],
                                per_page=args["per_page"])
    return public_json({"items": [need_json(n) for n in result.items], "page": result.page,
                        "per_page": result.per_page, "total": result.total})


@bp.get(f"/needs/<{ID}:need_id>")
@operation("Satu kebutuhan", tag="Kebutuhan", ok=(200, "Need"))
@public
def need(need_id: int):
    summary = queries.need_summary(need_id)
    if summary is None:
        raise NotFound("Kebutuhan tidak ditemukan.")
    return public_json(need_json(summary))


class RegionCodes(Field):
    """A JSON array of Kemendagri codes (1 to the served provinces' region count of them); whether
    they exist is the service's rule."""

    json_type = "array"

    def constraints(self) -> dict:
        return {"items": {"type": "string", "pattern": REGION_CODE}, "minItems": 1,
                "maxItems": province_scope().region_count}

    def convert(self, value) -> list[str]:
        most = province_scope().region_count
        if not isinstance(value, list) or not 1 <= len(value) <= most:
            raise FieldError(f"Daftar 1 sampai {most} kode wilayah, mis. [\"73.73\"].")
        if not all(isinstance(code, str) and Str("code", pattern=REGION_CODE).convert(code) for code in value):
            raise FieldError("Setiap kode wilayah berbentuk 73.73.")
        return value


NEED_BODY = Fields(
    Int("buyer_id", minimum=1, maximum=2_147_483_647), Str("title", max_length=160),
    Str("category", enum=tuple(CATEGORIES)), Str("description", required=False, default="", max_length=4000),
    Int("quantity", minimum=1, maximum=MAX_QUANTITY), Str("unit", max_length=40),
    Int("budget_min", minimum=0, maximum=MAX_RUPIAH), Int("budget_max", minimum=0, maximum=MAX_RUPIAH),
    RegionCodes("regions", description="Kabupaten/kota asal pemasok yang boleh menawar."),
    Day("deadline"), Str("delivery_place", max_length=200),
    example={"buyer_id": 1, "title": "Baju APD untuk RSUD", "category": "fesyen", "quantity": 500, "unit": "potong",
             "budget_min": 40_000_000, "budget_max": 50_000_000, "regions": ["73.73", "73.22"],
             "deadline": "2026-12-31", "delivery_place": "RSUD Kota, Jl. Pahlawan No. 1"})


@bp.post("/needs")
@operation("Pasang kebutuhan", tag="Kebutuhan", ok=(201, "Need"), body=NEED_BODY, errors=(409,),
           description="Hanya pemilik akun lembaga yang sudah terverifikasi.")
@auth.token_required
def post_need():
    body = json_body()
    created = services.post_need(actor=auth.api_user(), region_codes=body.pop("regions"), **body)
    return need_json(queries.need_summary(created.id)), 201


def _need_for_buyer(need_id: int) -> Need:
    found = db.session.get(Need, need_id)
    if found is None:
        raise NotFound("Kebutuhan tidak ditemukan.")
    if found.buyer.owner_id != auth.api_user().id:
        raise PermissionDenied("Hanya lembaga pemasang kebutuhan ini yang melihat penawarannya.")
    return found


@bp.get(f"/needs/<{ID}:need_id>/offers")
@operation("Penawaran untuk kebutuhan saya", tag="Kebutuhan", ok=(200, "OfferList"),
           description="Berdampingan: harga satuan termurah dulu, lalu tanggal kirim. Hanya lembaga pemasang.")
@auth.token_required
def need_offers(need_id: int):
    return {"items": [offer_json(o) for o in queries.offers_for_buyer(_need_for_buyer(need_id))]}


OFFER_BODY = Fields(
    Int("need_id", minimum=1, maximum=2_147_483_647), Int("shop_id", minimum=1, maximum=2_147_483_647), Int("unit_price", minimum=1, maximum=MAX_RUPIAH),
    Int("quantity", minimum=1, maximum=MAX_QUANTITY), Day("delivery_date"),
    Str("message", required=False, default="", max_length=2000),
    example={"need_id": 1, "shop_id": 1, "unit_price": 85_000, "quantity": 250, "delivery_date": "2026-12-10"})


@bp.post("/offers")
@operation("Kirim penawaran", tag="Pemilik toko", ok=(201, "Offer"), body=OFFER_BODY, errors=(404, 409),
           description="Toko terverifikasi milik sendiri, kategori sama dan wilayah yang diminta; satu per toko "
           "dan kebutuhan. 404 bila kebutuhan tidak ada.")
@auth.shop_owner_required
def send_offer():
    body = json_body()
    return _offer(services.send_offer(actor=auth.api_user(), **body), auth.api_user()), 201


@bp.post(f"/offers/<{ID}:offer_id>/accept")
@operation("Terima penawaran", tag="Kebutuhan", ok=(200, "Offer"), errors=(409,), body_required=False,
           body=Fields(Int("quantity", required=False, minimum=1, maximum=MAX_QUANTITY,
                           description="Sebagian saja; tanpa ini seluruh jumlah penawaran.")),
           description="Lembaga pemasang. 409 bila jumlah yang diterima melebihi sisa kebutuhan (dijaga basis "
           "data, juga saat dua penerimaan datang bersamaan).")
@auth.token_required
def accept_offer(offer_id: int):
    body = json_body()
    offer = services.accept_offer(actor=auth.api_user(), offer_id=offer_id, quantity=body["quantity"])
    return _offer(offer, auth.api_user())


@bp.post(f"/offers/<{ID}:offer_id>/deliver")
@operation("Catat barang diterima", tag="Kebutuhan", ok=(200, "Offer"), errors=(409,),
           description="Lembaga pemasang, untuk penawaran yang diterima.")
@auth.token_required
def record_delivery(offer_id: int):
    return _offer(services.record_delivery(actor=auth.api_user(), offer_id=offer_id), auth.api_user())


@bp.post(f"/offers/<{ID}:offer_id>/confirm")
@operation("Konfirmasi pengiriman", tag="Pemilik toko", ok=(200, "Offer"), errors=(409,),
           description="Pemilik toko penawar; transaksi selesai dan masuk belanja lembaga wilayah toko.")
@auth.shop_owner_required
def confirm_delivery(offer_id: int):
    return _offer(services.confirm_delivery(actor=auth.api_user(), offer_id=offer_id), auth.api_user())


@bp.post(f"/offers/<{ID}:offer_id>/withdraw")
@operation("Tarik penawaran", tag="Pemilik toko", ok=(200, "Offer"), errors=(409,))
@auth.shop_owner_required
def withdraw_offer(offer_id: int):
    return _offer(services.withdraw_offer(actor=auth.api_user(), offer_id=offer_id), auth.api_user())


@bp.post(f"/offers/<{ID}:offer_id>/void")
@operation("Batalkan transaksi selesai", tag="Koordinator", ok=(200, "Offer"), errors=(409,),
           body=Fields(Str("reason", max_length=2000, description="Alasan, 5 sampai 500 karakter.")),
           description="Koordinator wilayah toko atau admin, untuk transaksi `completed`: berstatus `voided`, "
           "keluar dari belanja lembaga wilayah itu dalam transaksi yang sama, tercatat di log audit; lembaga dan "
           "toko diberi tahu.")
@auth.staff_required
def void_deal(offer_id: int):
    offer = voids.void_deal(actor=auth.api_user(), offer_id=offer_id, reason=json_body()["reason"])
    return _offer(offer, auth.api_user())


@bp.post(f"/offers/<{ID}:offer_id>/void/undo")
@operation("Urungkan pembatalan transaksi", tag="Koordinator", ok=(200, "Offer"), errors=(409, 422),
           description="Koordinator wilayah toko atau admin, dalam `BULK_VOID_UNDO_DAYS` hari sejak pembatalan: "
           "kembali `completed` dan masuk lagi ke belanja lembaga dalam transaksi yang sama, tercatat di log audit; "
           "lembaga dan toko diberi tahu. 422 `limit_exceeded` bila anggaran kebutuhan atau batas harian lembaga "
           "kini tidak cukup.")
@auth.staff_required
def undo_void_deal(offer_id: int):
    return _offer(voids.undo_void(actor=auth.api_user(), offer_id=offer_id), auth.api_user())


@bp.get("/me/needs-for-you")
@operation("Kebutuhan untuk Anda", tag="Pemilik toko", ok=(200, "NeedsForYou"),
           description="Kebutuhan terbuka yang cocok dengan kategori dan wilayah toko terverifikasi Anda.")
@auth.shop_owner_required
def needs_for_you():
    rows = queries.needs_for_owner(auth.api_user().id)
    return {"items": [{"need": need_json(n), "shops": [{"id": i, "name": name} for i, name in shops]}
                      for n, shops in rows]}


@bp.get("/regions/<code>/institutional")
@operation("Belanja lembaga satu kabupaten/kota", tag="Publik", ok=(200, "RegionInstitutional"),
           query=Fields(CAMPAIGN), errors=(404,))
@public
def region_institutional(code: str):
    args = query_args()
    data = standing.region_institutional(code=check_region_code(code), campaign_id=args["campaign"])
    return public_json({"region": {"code": data.code, "name": data.name, "kind": data.kind},
                        "campaign": campaign_json(data.campaign), "amount": data.amount, "deals": data.deals,
                        "rank": data.rank, "region_count": data.region_count,
                        "recent": [{**asdict(d), "completed_at": timestamp(d.completed_at)} for d in data.recent]})


@bp.get("/regions/<code>/needs-board")
@operation("Kebutuhan tanpa penawaran dan toko yang belum pernah menawar", tag="Koordinator",
           ok=(200, "NeedsBoardGaps"), query=Fields(*paging()), errors=(404,),
           description="Koordinator wilayah itu atau admin.")
@auth.staff_required
def needs_board_gaps(code: str):
    args = query_args()
    region = region_by_code(check_region_code(code))
    if not auth.api_user().coordinates(region.id):
        raise PermissionDenied("Hanya koordinator wilayah ini atau admin.")
    idle = queries.shops_never_offered(region.id, page=args["page"], per_page=args["per_page"])
    return {"needs_without_offers": [need_json(n) for n in queries.needs_without_offers(region.id)],
            "shops_never_offered": {"items": [asdict(s) for s in idle.items], "page": idle.page,
                                    "per_page": idle.per_page, "total": idle.total}}
