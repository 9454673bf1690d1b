"""What a leaderboard can rank by and from which side: the names every page, picture, export,
share text and API answer uses. A leaf module: it imports nothing."""
from __future__ import annotations

METRICS: dict[str, str] = {
    "realized": "Belanja terealisasi",
    "verified": "Belanja terverifikasi",
    "participants": "ASN berpartisipasi",
    "participation_rate": "Tingkat partisipasi",
    "pledge_realization": "Realisasi janji",
    "spend_per_asn": "Belanja per ASN",
    "shops_supported": "Toko didukung",
    "institutional": "Belanja lembaga",
}
PERSPECTIVES: dict[str, str] = {"asn_region": "Menurut wilayah ASN", "shop_region": "Menurut wilayah toko"}
DEFAULT_METRIC = "realized"
DEFAULT_PERSPECTIVE = "asn_region"
