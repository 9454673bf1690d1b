"""Public, cacheable reads: regions, campaigns, the leaderboard, region progress, the shop directory.

They call the same read functions as the HTML pages (``get_standings``, ``get_region_progress``,
``search_shops``, ``get_shop_detail``) and answer with ``Cache-Control`` and a strong ETag.
"""
from __future__ import annotations

from campaign.api import serializers
from campaign.api.auth import optional_token, optional_user
from campaign.api.core import (
    CAMPAIGN,
    ID,
    bp,
    check_region_code,
    operation,
    paginate,
    paging,
    public_cached,
    public_json,
    query_args,
)
from campaign.api.fields import Fields, Str
from campaign.domains.auth.decorators import public
from campaign.domains.leaderboard import metrics, privacy, region_public
from campaign.domains.leaderboard import provinces as province_queries
from campaign.domains.leaderboard import queries as standings_queries
from campaign.domains.leaderboard.versions import region_version
from campaign.domains.regions import versions
from campaign.domains.regions.services import all_campaigns, all_regions, get_campaign
from campaign.domains.shops import queries as shop_queries
from campaign.domains.shops.models import CATEGORIES
from campaign.web import readcache


@bp.get("/regions")
@operation("Daftar kabupaten/kota", tag="Publik", ok=(200, "RegionPage"), query=Fields(*paging(per_page=100)),
           description="Semua kabupaten/kota provinsi, urut kode Kemendagri (bawaan 100 per halaman).")
@public
def regions():
    args = query_args()
    rows = [serializers.region(r) for r in all_regions()]
    return public_json(paginate(rows, args["page"], args["per_page"]))


@bp.get("/campaigns")
@operation("Daftar kampanye", tag="Publik", ok=(200, "CampaignPage"), query=Fields(*paging()),
           description="Terbaru dulu (tanggal mulai, lalu id).")
@public
def campaigns():
    args = query_args()
    rows = [serializers.campaign(c) for c in all_campaigns()]
    return public_json(paginate(rows, args["page"], args["per_page"]))


@bp.get("/campaigns/current")
@operation("Kampanye yang sedang berjalan", tag="Publik", ok=(200, "Campaign"), errors=(404,))
@public
def current_campaign():
    return public_json(serializers.campaign(get_campaign(None)))


LEADERBOARD_QUERY = Fields(
    CAMPAIGN,
    Str("metric", required=False, default=metrics.DEFAULT_METRIC,
        enum=tuple(metrics.METRICS), description="Ukuran peringkat."),
    Str("perspective", required=False, default=metrics.DEFAULT_PERSPECTIVE,
        enum=tuple(metrics.PERSPECTIVES),
        description="asn_region: menurut wilayah kerja ASN; shop_region: menurut wilayah toko."),
)
PROVINCE_ARG = Str("province", required=False, max_length=2, description=(
    "Kode provinsi yang dilayani (mis. 73): hanya kabupaten/kota provinsi itu, dengan total provinsinya."))


@bp.get("/leaderboard")
@operation("Papan peringkat kabupaten/kota", tag="Publik", ok=(200, "Standings"),
           query=Fields(*LEADERBOARD_QUERY.fields, PROVINCE_ARG),
           errors=(404,), description="Sama dengan halaman /peringkat: semua wilayah, nol termasuk; "
           "urut ukuran menurun, nilai null di akhir, seri diputus menurut kode wilayah. Angka milik kurang "
           "dari MIN_PUBLIC_PARTICIPANTS orang (bawaan 5) null dengan `suppressed: true`; baris yang ukuran "
           "peringkatnya disembunyikan tidak diperingkat (`rank` null) dan ditaruh di akhir; bagian wilayah "
           "tersembunyi dalam total dibulatkan per PUBLIC_TOTAL_STEP (`rounded_fields`). Jawaban publik: sama untuk semua pemanggil (koordinator: /regions/{code}/details).")
@public
def leaderboard():
    args = query_args()
    campaign_id, version = versions.campaign_version(args["campaign"])
    return public_cached(
        ("leaderboard", campaign_id, args["metric"], args["perspective"], args["province"]), version,
        lambda: serializers.standings(privacy.public_standings(standings_queries.get_standings(
            campaign_id=campaign_id, metric=args["metric"], perspective=args["perspective"],
            province=args["province"]), viewer=None)))


@bp.get("/leaderboard/provinces")
@operation("Papan peringkat provinsi", tag="Publik", ok=(200, "ProvinceStandings"), query=LEADERBOARD_QUERY,
           errors=(404,), description="Sama dengan halaman /peringkat bila beberapa provinsi dilayani: semua "
           "provinsi yang dilayani, nol termasuk, dengan ukuran dan aturan yang sama dengan /leaderboard (jumlah ASN "
           "provinsi = jumlah kabupaten/kotanya; ASN yang berbelanja di beberapa kabupaten/kota satu provinsi "
           "dihitung sekali); seri diputus menurut kode provinsi; `totals`: total nasional. Angka kecil "
           "disembunyikan, provinsi tersembunyi tidak diperingkat, dan bagiannya dalam total nasional dibulatkan "
           "per PUBLIC_TOTAL_STEP, seperti pada /leaderboard. Peringkat kabupaten/kota satu provinsi: "
           "/leaderboard?province=<kode>.")
@public
def province_leaderboard():
    args = query_args()
    campaign_id, version = versions.campaign_version(args["campaign"])
    return public_cached(
        ("provinces", campaign_id, args["metric"], args["perspective"]), version,
        lambda: serializers.province_standings(privacy.public_province_standings(
            province_queries.get_province_standings(campaign_id=campaign_id, metric=args["metric"],
                                                    perspective=args["perspective"]), viewer=None)))


@bp.get("/regions/<code>/progress")
@operation("Capaian satu kabupaten/kota", tag="Publik", ok=(200, "RegionProgress"), query=Fields(CAMPAIGN),
           errors=(404,), description="Bagian publik halaman /wilayah/<kode>: total dua sudut pandang, "
           "peringkat, dan seri mingguan. Angka kecil disembunyikan seperti di /leaderboard; angka minggu yang "
           "milik kurang dari MIN_PUBLIC_PARTICIPANTS orang (pembeli minggu itu) juga.")
@public
def region_progress(code: str):
    args = query_args()
    code = check_region_code(code)
    campaign_id, version = region_version(code, args["campaign"])
    return public_cached(
        ("progress", campaign_id, code), version,
        lambda: serializers.progress(region_public.public_progress(standings_queries.get_region_progress(
            code=code, campaign_id=campaign_id, detailed=False), viewer=None)))


SHOP_QUERY = Fields(
    Str("region", required=False, max_length=8, description="Kode Kemendagri, mis. 73.73."),
    Str("category", required=False, enum=tuple(CATEGORIES)),
    Str("q", required=False, max_length=100, description="Bagian nama toko (tanpa beda huruf besar/kecil)."),
    *paging(),
)


@bp.get("/shops")
@operation("Direktori toko terverifikasi", tag="Publik", ok=(200, "ShopPage"), query=SHOP_QUERY,
           description="Hanya toko terverifikasi, urut nama. Wilayah yang tidak dikenal: daftar kosong.")
@public
def shops():
    args = query_args()
    key = ("shops", args["region"], args["category"], args["q"], args["page"], args["per_page"])

    def build():
        result = shop_queries.search_shops(region_code=args["region"], category=args["category"], q=args["q"],
                                           page=args["page"], per_page=args["per_page"])
        return {"items": [serializers.shop_summary(s) for s in result.items], "page": result.page,
                "per_page": result.per_page, "total": result.total}
    return public_cached(key, readcache.shops_version(), build)


@bp.get(f"/shops/<{ID}:shop_id>")
@operation("Halaman satu toko", tag="Publik", ok=(200, "ShopDetail"),
           description="Toko terverifikasi untuk semua. Toko yang menunggu atau ditolak hanya untuk "
           "pemiliknya, koordinator wilayahnya dan admin (dengan token); selain itu 404.")
@optional_token
def shop(shop_id: int):
    detail = shop_queries.get_shop_detail(shop_id, viewer=optional_user())
    return public_json(serializers.shop_detail(detail), shared=detail.status == "verified")
