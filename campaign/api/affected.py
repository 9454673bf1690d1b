"""Affected-UMKM data: public figures per region and province, an owner's report for a shop,
coordinators' field reports. Its response schemas are added to the document's components here."""
from __future__ import annotations

from dataclasses import asdict

from campaign.api import auth
from campaign.api.core import ID, bp, check_region_code, json_body, operation, public_json
from campaign.api.fields import Fields, Int, Str
from campaign.api.schemas import CODE, COMPONENTS, INT, NINT, STR, TIMESTAMP, enum, obj, ref
from campaign.api.serializers import timestamp
from campaign.domains.affected import queries, services
from campaign.domains.affected.models import (
    BUSINESS_STATUSES,
    MAX_WORKERS,
    NEEDS,
    REVENUE_DROPS,
    SOURCES,
    AffectedReport,
)
from campaign.domains.auth.decorators import public
from campaign.domains.shops.models import CATEGORIES

_COUNT = {**NINT, "description": "null bila kurang dari MIN_PUBLIC_PARTICIPANTS usaha (aturan angka kecil)."}
_BUCKET = obj({"code": STR, "label": STR, "businesses": _COUNT, "affected_workers": _COUNT})
COMPONENTS.update({
    "AffectedFigures": obj({"businesses": _COUNT, "affected_workers": _COUNT,
                            "by_status": {"type": "array", "items": _BUCKET},
                            "by_need": {"type": "array", "items": _BUCKET}},
                           description="Pekerja terdampak: pekerja sebelum dikurangi sekarang (minimal 0)."),
    "RegionAffected": obj({"region": obj({"code": CODE, "name": STR, "kind": STR}),
                           "figures": ref("AffectedFigures")}),
    "ProvinceAffected": obj({"regions": {"type": "array", "items": ref("RegionAffected")},
                             "totals": ref("AffectedFigures")},
                            description="Semua kabupaten/kota, terbanyak dulu, seri menurut kode wilayah."),
    "AffectedReport": obj({"id": INT, "source": enum(SOURCES), "region": CODE, "shop_id": NINT,
                           "business_name": STR, "category": enum(CATEGORIES), "status": enum(BUSINESS_STATUSES),
                           "workers_before": INT, "workers_now": INT, "affected_workers": INT,
                           "revenue_drop": enum(REVENUE_DROPS), "main_need": enum(NEEDS),
                           "updated_at": TIMESTAMP}),
})


def region_affected(data: queries.RegionAffected) -> dict:
    return {"region": {"code": data.code, "name": data.name, "kind": data.kind}, "figures": asdict(data.figures)}


def report(r: AffectedReport) -> dict:
    return {"id": r.id, "source": r.source, "region": r.region.code, "shop_id": r.shop_id,
            "business_name": r.business_name, "category": r.category, "status": r.status,
            "workers_before": r.workers_before, "workers_now": r.workers_now, "affected_workers": r.affected_workers,
            "revenue_drop": r.revenue_drop, "main_need": r.main_need, "updated_at": timestamp(r.updated_at)}


IMPACT_FIELDS = (
    Str("status", enum=tuple(BUSINESS_STATUSES), description="Status usaha sekarang."),
    Int("workers_before", minimum=0, maximum=MAX_WORKERS, description="Pekerja sebelum pandemi."),
    Int("workers_now", minimum=0, maximum=MAX_WORKERS, description="Pekerja sekarang (0 bila tutup)."),
    Str("revenue_drop", enum=tuple(REVENUE_DROPS), description="Penurunan omzet."),
    Str("main_need", enum=tuple(NEEDS), description="Kebutuhan utama."),
)
IMPACT_EXAMPLE = {"status": "reduced", "workers_before": 4, "workers_now": 1, "revenue_drop": "50_75",
                  "main_need": "capital"}


def _impact(body: dict) -> services.Impact:
    return services.check_impact(**{f.name: body[f.name] for f in IMPACT_FIELDS})


@bp.get("/affected")
@operation("UMKM terdampak se-provinsi", tag="Publik", ok=(200, "ProvinceAffected"),
           description="UMKM dan pekerja terdampak per kabupaten/kota, menurut status usaha dan kebutuhan. "
           "Angka dari kurang dari MIN_PUBLIC_PARTICIPANTS usaha: null.")
@public
def province_affected():
    data = queries.province_affected()
    return public_json({"regions": [region_affected(r) for r in data.regions], "totals": asdict(data.totals)})


@bp.get("/regions/<code>/affected")
@operation("UMKM terdampak satu kabupaten/kota", tag="Publik", ok=(200, "RegionAffected"), errors=(404,))
@public
def region_affected_view(code: str):
    return public_json(region_affected(queries.region_affected(check_region_code(code))))


@bp.put(f"/shops/<{ID}:shop_id>/affected-report")
@operation("Laporkan dampak pada toko sendiri", tag="Pemilik toko", ok=(200, "AffectedReport"),
           body=Fields(*IMPACT_FIELDS, example=IMPACT_EXAMPLE),
           description="Satu laporan per toko; mengirim lagi memperbarui. Hanya pemilik toko; toko yang "
           "ditolak tidak bisa.")
@auth.shop_owner_required
def report_for_shop(shop_id: int):
    body = json_body()
    return report(services.report_for_shop(owner=auth.api_user(), shop_id=shop_id, impact=_impact(body)))


FIELD_REPORT_BODY = Fields(
    Str("region", max_length=8, description="Kode Kemendagri wilayah usaha, mis. 73.73."),
    Str("business_name", max_length=120), Str("category", enum=tuple(CATEGORIES)), *IMPACT_FIELDS,
    example={"region": "73.73", "business_name": "Konveksi Hj. Marwah", "category": "fesyen", **IMPACT_EXAMPLE},
)


@bp.post("/affected-reports")
@operation("Catat data lapangan UMKM terdampak", tag="Koordinator", ok=(201, "AffectedReport"),
           body=FIELD_REPORT_BODY, description="Untuk usaha yang belum terdaftar di platform. Koordinator "
           "wilayah itu atau admin.")
@auth.staff_required
def field_report():
    body = json_body()
    business = services.check_business(region_code=body["region"], business_name=body["business_name"],
                                       category=body["category"])
    created = services.record_field_reports(actor=auth.api_user(), reports=[(business, _impact(body))])
    return report(created[0]), 201
