"""Which of a province's regions play which part in ``seed-demo``'s story.

Sulawesi Selatan's cast is the 2020 story (Kota Palopo's coordinator, Luwu Utara and
Bulukumba hit hardest, Makassar the big city). Any other province gets a cast by code order: its
first kota (else its first region) is home, the next regions in code order play the others.
Several provinces at once (:func:`national`): people and shops spread by kecamatan count.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from campaign.domains.regions.districts import districts_by_region
from campaign.domains.regions.models import Region


@dataclass(frozen=True)
class Cast:
    home: Region  # the demo coordinator's region: the known logins, the trust patterns, the APD need
    second: Region  # hit hard too; a hospital and a garment maker there
    third: Region  # hit hard too
    city: Region  # the big city: a catering company's need
    headcount: dict[str, int] = field(default_factory=dict)  # rough ASN headcounts by code
    shop_weight: dict[str, float] = field(default_factory=dict)  # where shops lean, by code
    # (affected UMKM, affected workers) by code: the affected-UMKM demo reports
    affected: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def hard_hit(self) -> tuple[str, ...]:
        return (self.home.code, self.second.code, self.third.code)


# The agency's 2020 figures: Kota Palopo 876 UKM / 977 workers, Luwu Utara 381 / 274, Bulukumba
# 114 / 114; the four regions after them carry the rest of the province's 1,681 / 1,668.
SULAWESI_SELATAN = {
    "home": "73.73", "second": "73.22", "third": "73.02", "city": "73.71",
    "headcount": {"73.71": 21000, "73.06": 11000, "73.08": 12500, "73.13": 8000, "73.15": 7500, "73.02": 7000,
                  "73.73": 5200, "73.72": 4300, "73.22": 6200},
    "shop_weight": {"73.73": 8.0, "73.22": 4.0, "73.02": 2.0, "73.71": 3.0},
    "affected": {"73.73": (876, 977), "73.22": (381, 274), "73.02": (114, 114), "73.71": (120, 125),
                 "73.17": (90, 80), "73.26": (60, 58), "73.24": (40, 40)},
}


def cast_for(regions: list[Region]) -> Cast:
    """The cast among ``regions`` (one province's, in code order)."""
    by_code = {r.code: r for r in regions}
    if all(code in by_code for code in (SULAWESI_SELATAN["home"], SULAWESI_SELATAN["second"],
                                        SULAWESI_SELATAN["third"], SULAWESI_SELATAN["city"])):
        story = SULAWESI_SELATAN
        return Cast(home=by_code[story["home"]], second=by_code[story["second"]], third=by_code[story["third"]],
                    city=by_code[story["city"]], headcount=story["headcount"], shop_weight=story["shop_weight"], affected=story["affected"])
    home = next((r for r in regions if r.kind == "Kota"), regions[0])
    others = [r for r in regions if r is not home] or [home]
    second, third = others[0], others[1 % len(others)]
    return Cast(home=home, second=second, third=third, city=home,
                shop_weight={home.code: 4.0, second.code: 2.0},
                affected={home.code: (60, 64), second.code: (30, 28), third.code: (12, 12)})


# Regional ASN per kecamatan: 7,277 kecamatan x 550 is about 4.0 million, the order of the regional
# civil servants (PNS and PPPK) of all provinces and kabupaten/kota together.
ASN_PER_KECAMATAN = 550


def national(cast: Cast, regions: list[Region]) -> Cast:
    """Regions of several provinces (``seed-demo --province semua``): each region's ASN headcount
    follows its kecamatan count (a region of 30 kecamatan has about ten times the civil servants of
    one of 3), and so do its shops; the story's own figures stay where it has them. One province:
    the cast as it is."""
    if len({region.province_code for region in regions}) < 2:
        return cast
    kecamatan = districts_by_region()
    size = {region.code: max(1, len(kecamatan.get(region.id, ()))) for region in regions}
    return replace(cast, headcount={**{code: n * ASN_PER_KECAMATAN for code, n in size.items()}, **cast.headcount},
                   shop_weight={code: n * cast.shop_weight.get(code, 1.0) for code, n in size.items()})
