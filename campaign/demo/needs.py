"""Demo needs board: buyer organisations, needs, offers and deals, including the 2020 story of
an APD need from a social organisation in the cast's home region (Kota Palopo in Sulawesi Selatan)
supplied by local garment makers.

Everything goes through the services (so the rules, the audit trail and the institutional tally
hold); the accounts share the demo password by copying the admin's hash.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from campaign.core import clock
from campaign.core.extensions import db
from campaign.demo.places import Cast
from campaign.domains.auth.models import User
from campaign.domains.buyers import services as buyers
from campaign.domains.needs import services
from campaign.domains.regions.districts import districts_of
from campaign.domains.regions.models import Region
from campaign.domains.shops.models import Shop
from campaign.util.formatting import utcnow

BUYER_LOGIN = "lembaga@demo.id"


def _buyers(cast: Cast) -> list[tuple[str, str, str, Region]]:
    """login, organisation, kind, region"""
    return [(BUYER_LOGIN, f"Yayasan Peduli Sesama {cast.home.name}", "social", cast.home),
            ("rsud@demo.id", f"RSUD {cast.second.full_name}", "hospital", cast.second),
            ("katering@demo.id", f"PT Sinar Katering {cast.city.name}", "company", cast.city)]


def _makers(cast: Cast) -> list[tuple[str, Region]]:
    return [("Konveksi Hj. Marwah", cast.home), ("Penjahit Daeng Sikki", cast.home),
            (f"Konveksi {cast.second.name} Jaya", cast.second)]


def _account(login: str, name: str, password_hash: str, **flags) -> User:
    user = User(name=name, email=login, password_hash=password_hash, consent_at=utcnow(), **flags)
    db.session.add(user)
    db.session.commit()
    return user


def _garment_makers(password_hash: str, admin: User, cast: Cast) -> list[tuple[User, int]]:
    makers = []
    for n, (name, region) in enumerate(_makers(cast)):
        owner = _account(f"konveksi{n + 1}@demo.id", f"Pemilik {name}", password_hash, is_shop_owner=True)
        kecamatan = next(iter(districts_of(region.id)), None)
        shop = Shop(owner_id=owner.id, region_id=region.id, name=name, category="fesyen",
                    district=kecamatan.name if kecamatan else (region.capital or region.name),
                    district_id=kecamatan.id if kecamatan else None, village="Kelurahan Pasar",
                    street=f"Jl. Pahlawan No. {20 + n}", whatsapp=f"+6281355501{n:02d}",
                    products="Baju APD (hazmat), masker kain, seragam", covid_affected=True, status="verified",
                    decided_at=utcnow(), decided_by_id=admin.id)
        db.session.add(shop)
        db.session.commit()
        makers.append((owner, shop.id))
    return makers


def _need(owner: User, buyer_id: int, title: str, category: str, quantity: int, unit: str, budget: int,
          regions: list[str], days: int, place: str, description: str) -> int:
    return services.post_need(actor=owner, buyer_id=buyer_id, title=title, category=category, quantity=quantity,
                              unit=unit, budget_min=budget * 8 // 10, budget_max=budget, region_codes=regions,
                              deadline=clock.today() + timedelta(days=days), delivery_place=place,
                              description=description).id


def _offer(maker: tuple[User, int], need_id: int, price: int, quantity: int) -> int:
    owner, shop_id = maker
    return services.send_offer(actor=owner, need_id=need_id, shop_id=shop_id, unit_price=price, quantity=quantity,
                               delivery_date=clock.today() + timedelta(days=5),
                               message="Bahan spunbond 75 gsm, dijahit rapat; bisa kirim bertahap.").id


def seed(cast: Cast) -> dict[str, int]:
    """Create the demo board in the cast's regions once the campaign's demo data exists; returns
    counts for the summary."""
    admin = db.session.scalar(select(User).where(User.is_admin).order_by(User.id))
    orgs = []
    for login, name, kind, region in _buyers(cast):
        owner = _account(login, f"Pengurus {name}", admin.password_hash)
        org = buyers.register_buyer(owner=owner, name=name, kind=kind, region_code=region.code,
                                    address=f"Jl. Sudirman No. {len(orgs) + 3}", whatsapp=f"+6281355502{len(orgs):02d}")
        buyers.verify_buyer(actor=admin, buyer_id=org.id)
        orgs.append((owner, org.id))
    makers = _garment_makers(admin.password_hash, admin, cast)
    yayasan, rsud, katering = orgs
    home, second, city = cast.home, cast.second, cast.city
    hospital = f"RSUD {home.full_name}"
    apd = _need(*yayasan, f"Baju APD (hazmat) untuk {hospital}", "fesyen", 500, "potong", 50_000_000,
                list(dict.fromkeys([home.code, second.code, cast.third.code])), 10, hospital,
                "Donasi untuk tenaga kesehatan. Ukuran L dan XL, bahan spunbond, resleting depan.")
    # Split between three garment makers: 250 + 150 + 100 (of 150 offered) = the 500 needed.
    for maker, price, offered, accepted, state in ((makers[0], 85_000, 250, None, "completed"),
                                                   (makers[1], 90_000, 150, None, "delivered"),
                                                   (makers[2], 88_000, 150, 100, "accepted")):
        offer_id = _offer(maker, apd, price, offered)
        services.accept_offer(actor=yayasan[0], offer_id=offer_id, quantity=accepted)
        if state in ("delivered", "completed"):
            services.record_delivery(actor=yayasan[0], offer_id=offer_id)
        if state == "completed":
            services.confirm_delivery(actor=maker[0], offer_id=offer_id)
    masks = _need(*rsud, "Masker kain tiga lapis", "fesyen", 2_000, "lembar", 10_000_000,
                  list(dict.fromkeys([second.code, home.code])), 14, f"RSUD {second.full_name}",
                  "Masker kain katun tiga lapis, bisa dicuci.")
    _offer(makers[2], masks, 4_500, 1_000)
    _need(*katering, "Nasi kotak untuk relawan posko", "kuliner", 300, "kotak", 7_500_000, [city.code], 7,
          f"Posko relawan, Jl. Pahlawan, {city.full_name}", "Nasi, lauk ayam, sayur, air mineral.")
    _need(*yayasan, "Paket sembako untuk keluarga terdampak", "sembako", 200, "paket", 40_000_000, [home.code], 21,
          f"Sekretariat yayasan, {home.full_name}", "Beras 5 kg, minyak 1 L, gula 1 kg, telur 10 butir.")
    return {"lembaga pembeli": len(orgs), "kebutuhan": 4, "penawaran": 4}

