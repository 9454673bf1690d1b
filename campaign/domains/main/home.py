"""The home page's next step for each role the signed-in person holds (an ASN who also owns a shop
sees both): pledge or log, register a shop or confirm purchases, register an organisation or
decide on its offers, verify waiting shops."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from campaign.domains.auth.models import User
from campaign.domains.needs.queries import buyers_of, waiting_offers_of_buyer_owner
from campaign.domains.purchases import queries as purchase_queries
from campaign.domains.purchases.pledges import get_pledge
from campaign.domains.regions.models import Campaign
from campaign.domains.shops import queries as shop_queries
from campaign.util.formatting import percent, rupiah


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    label: str  # the button
    url: str
    secondary: bool = False


def next_steps(user: User, campaign: Campaign | None) -> list[Step]:
    """What this person would do next, most useful first; empty for a visitor."""
    if not user.is_authenticated:
        return []
    steps: list[Step] = []
    if user.is_staff:
        steps += _coordinator_steps(user)
    if user.is_asn and campaign is not None:
        steps += _asn_steps(user, campaign)
    organisations = buyers_of(user.id)
    if organisations:
        steps += _organisation_steps(user, organisations)
    if not (user.is_asn or user.is_staff or user.is_shop_owner or organisations):
        return _first_steps()  # an account with no role yet: the two doors
    if user.is_shop_owner and (shop_queries.shops_of_owner(user.id) or not organisations):
        steps += _owner_steps(user)
    return steps


def _first_steps() -> list[Step]:
    return [Step("Lembaga Saya", "Mewakili organisasi sosial, perusahaan, kantor, atau rumah sakit? Daftarkan "
                 "lembaganya; koordinator akan memverifikasinya.", "Daftarkan lembaga", url_for("buyers.register")),
            Step("Toko Saya", "Punya warung, kios, atau usaha KUMKM? Daftarkan tokonya.", "Daftarkan toko",
                 url_for("shops.new"), secondary=True)]


def _organisation_steps(user: User, organisations) -> list[Step]:
    if not any(b.is_verified for b in organisations):
        waiting = any(b.status == "pending" for b in organisations)
        text = ("Lembaga Anda menunggu verifikasi koordinator kabupaten/kota." if waiting else
                "Lembaga Anda ditolak; lihat alasannya dan daftarkan kembali dengan data yang benar.")
        return [Step("Lembaga Saya", text, "Lihat Lembaga Saya", url_for("buyers.mine"), secondary=waiting)]
    offers = waiting_offers_of_buyer_owner(user.id)
    steps = [Step("Penawaran menunggu", f"{offers} penawaran menunggu keputusan Anda.", "Lihat Lembaga Saya",
                  url_for("buyers.mine"))] if offers else []
    return steps + [Step("Kebutuhan", "Pasang kebutuhan lembaga Anda; toko terverifikasi yang cocok akan "
                         "mengirim penawaran.", "Pasang kebutuhan", url_for("needs.new"), secondary=bool(offers))]


def _asn_steps(user: User, campaign: Campaign) -> list[Step]:
    if get_pledge(user.id, campaign.id) is None:
        return [Step("Janji Belanja", f"Berapa yang akan Anda belanjakan di warung tetangga selama {campaign.name}?",
                     "Buat janji belanja", url_for("purchases.pledge"))]
    summary = purchase_queries.my_summary(user_id=user.id, campaign=campaign)
    progress = f" ({percent(summary.progress)} dari janji)" if summary.progress is not None else ""
    return [Step("Catat Belanja", f"Belanja Anda sejauh ini {rupiah(summary.realized)}{progress}. "
                 "Pindai kode QR di meja kasir toko, atau cari tokonya.", "Catat Belanja", url_for("purchases.new")),
            Step("Capaian Saya", "Riwayat belanja dan capaian janji Anda.", "Janji & Belanja Saya",
                 url_for("purchases.mine"), secondary=True)]


def _owner_steps(user: User) -> list[Step]:
    shops = shop_queries.shops_of_owner(user.id)
    if not shops:
        return [Step("Toko Saya", "Daftarkan warung, kios, atau usaha KUMKM Anda; koordinator akan memverifikasinya.",
                     "Daftarkan toko", url_for("shops.new"))]
    waiting = purchase_queries.purchases_at_shops(owner_id=user.id, status="reported", page=1, per_page=1).total
    if waiting:
        return [Step("Belanja menunggu konfirmasi", f"{waiting} belanja di toko Anda menunggu konfirmasi.",
                     "Konfirmasi belanja", url_for("purchases.at_my_shops"))]
    if all(shop.status == "pending" for shop in shops):
        return [Step("Toko Saya", "Toko Anda menunggu verifikasi koordinator kabupaten/kota.", "Lihat Toko Saya",
                     url_for("shops.mine"), secondary=True)]
    return [Step("Toko Saya", "Cetak poster kode QR toko Anda dan tempel di dekat kasir.", "Lihat Toko Saya",
                 url_for("shops.mine"))]


def _coordinator_steps(user: User) -> list[Step]:
    region = user.coordinator_region
    waiting = shop_queries.pending_shops(region_code=None if user.is_admin else region.code,
                                         province=user.admin_province, page=1, per_page=1).total
    steps = [Step("Verifikasi toko", f"{waiting} toko menunggu verifikasi." if waiting else
                  "Tidak ada toko yang menunggu verifikasi.", "Buka antrean verifikasi", url_for("coordinator.home"),
                  secondary=not waiting)]
    if region is not None:
        steps.append(Step(f"Capaian {region.full_name}", "Ringkasan, per instansi/OPD, toko, bantahan, target, dan unduhan.",
                          "Buka halaman wilayah", url_for("leaderboard.region", code=region.code), secondary=True))
    return steps
