"""Buyer organisations (lembaga) through the API: sign-up, and verification by the region's
coordinator or an admin."""
from __future__ import annotations

from campaign.api import auth
from campaign.api.core import ID, bp, json_body, operation, unknown_as_field
from campaign.api.fields import Fields, Str
from campaign.api.schemas import CODE, COMPONENTS, INT, NSTR, STR, TIMESTAMP, enum, obj
from campaign.api.serializers import timestamp
from campaign.domains.buyers import services as buyers
from campaign.domains.needs.models import BUYER_KINDS, BUYER_STATUSES, BuyerOrganisation

COMPONENTS.update({
    "Buyer": obj({"id": INT, "name": STR, "kind": enum(BUYER_KINDS), "kind_label": STR, "region": CODE,
                  "address": STR, "whatsapp": STR, "description": STR, "status": enum(BUYER_STATUSES),
                  "rejection_reason": NSTR, "created_at": TIMESTAMP}),
})


def buyer_json(b: BuyerOrganisation) -> dict:
    return {"id": b.id, "name": b.name, "kind": b.kind, "kind_label": b.kind_label, "region": b.region.code,
            "address": b.address, "whatsapp": b.whatsapp, "description": b.description or "", "status": b.status,
            "rejection_reason": b.rejection_reason, "created_at": timestamp(b.created_at)}


BUYER_BODY = Fields(
    Str("name", max_length=160), Str("kind", enum=tuple(BUYER_KINDS)),
    Str("region", max_length=8, description="Kode Kemendagri wilayah lembaga."), Str("address", max_length=200),
    Str("whatsapp", max_length=40), Str("description", required=False, default="", max_length=2000),
    example={"name": "Yayasan Peduli Sesama Warga", "kind": "social", "region": "73.73",
             "address": "Jl. Andi Djemma No. 9", "whatsapp": "0813-5555-0001"})


@bp.post("/buyers")
@operation("Daftarkan lembaga pembeli", tag="Kebutuhan", ok=(201, "Buyer"), body=BUYER_BODY,
           description="Mulai `pending` sampai koordinator wilayahnya atau admin memverifikasi.")
@auth.token_required
def register_buyer():
    body = json_body()
    with unknown_as_field("region"):
        buyer = buyers.register_buyer(owner=auth.api_user(), name=body["name"], kind=body["kind"],
                                      region_code=body["region"], address=body["address"],
                                      whatsapp=body["whatsapp"], description=body["description"])
    return buyer_json(buyer), 201


@bp.post(f"/buyers/<{ID}:buyer_id>/verify")
@operation("Verifikasi lembaga pembeli", tag="Koordinator", ok=(200, "Buyer"), errors=(409,))
@auth.staff_required
def verify_buyer(buyer_id: int):
    return buyer_json(buyers.verify_buyer(actor=auth.api_user(), buyer_id=buyer_id))


@bp.post(f"/buyers/<{ID}:buyer_id>/reject")
@operation("Tolak lembaga pembeli", tag="Koordinator", ok=(200, "Buyer"), errors=(409,),
           body=Fields(Str("reason", max_length=2000, description="Minimal 5 karakter.")))
@auth.staff_required
def reject_buyer(buyer_id: int):
    body = json_body()
    return buyer_json(buyers.reject_buyer(actor=auth.api_user(), buyer_id=buyer_id, reason=body["reason"]))
