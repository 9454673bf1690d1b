"""``seed-demo``'s suspicious patterns, so the demo coordinator (of the cast's home) sees flags: a
colluding pair (an ASN far above the province, a shop whose confirmed spend comes from that one
ASN), a bazaar stand with a burst of purchases (already reviewed) and a burst of confirmations.
Everything goes through the real services: limits, counters, tallies and audit all apply."""
from __future__ import annotations

from sqlalchemy import select

from campaign.core.extensions import db
from campaign.domains.auth.models import AsnProfile, User
from campaign.domains.purchases.services import confirm_purchase, log_purchase
from campaign.domains.regions.districts import districts_of
from campaign.domains.regions.models import Agency
from campaign.domains.regions.services import current_campaign, region_by_code
from campaign.domains.roster.models import RosterEntry
from campaign.domains.shops.services import register_shop, verify_shop
from campaign.domains.trust.flags import region_flags
from campaign.domains.trust.services import review_flag
from campaign.util.formatting import utcnow

BAZAAR_BUYERS = 20
PURCHASES = 2 + BAZAAR_BUYERS  # what this adds to the demo's purchases


def seed_trust_patterns(*, password_hash: str, admin_id: int, coordinator_id: int, region_code: str) -> int:
    """Create the patterns in the region; return the number of flags its coordinator now sees."""
    admin, coordinator = db.session.get(User, admin_id), db.session.get(User, coordinator_id)
    region = region_by_code(region_code)
    colluder = _asn("Akun Mencurigakan", 0, password_hash, region)
    colluding_shop = _shop("Toko Kolusi Sejahtera", "Pemilik Toko Kolusi", 1, password_hash, admin, region)
    for amount in (9_500_000, 9_400_000):
        purchase = log_purchase(buyer=colluder, shop_id=colluding_shop.id, amount=amount)
        confirm_purchase(actor=colluding_shop.owner, purchase_id=purchase.id)
    stand = _shop(f"Stan Bazar UMKM {region.name}", "Pengelola Bazar UMKM", 2, password_hash, admin, region)
    bazaar = [log_purchase(buyer=_asn(f"Peserta Bazar {n + 1}", n + 1, password_hash, region), shop_id=stand.id,
                           amount=35_000 + n * 5_000).id for n in range(BAZAAR_BUYERS)]
    campaign_id, region_id = current_campaign().id, region.id
    flags = region_flags(campaign_id=campaign_id, region_id=region_id)
    burst = next((f for f in flags if f.kind == "log"), flags[0])  # the stand's, unless a period ended mid-way
    review_flag(actor=coordinator, region_code=region.code, flag_key=burst.key,
                note="Bazar UMKM di halaman kantor wali kota; pembelian wajar.")
    for purchase_id in bazaar:
        confirm_purchase(actor=stand.owner, purchase_id=purchase_id)
    return len(region_flags(campaign_id=campaign_id, region_id=region_id))


def _asn(name: str, n: int, password_hash: str, region) -> User:
    """Born 1965: outside the years the random demo NIPs (and roster entries) use, so never taken."""
    agency = db.session.scalar(select(Agency).where(Agency.region_id == region.id).order_by(Agency.id))
    user = User(name=name, email=f"pola{n}@demo.id", password_hash=password_hash, consent_at=utcnow())
    nip = f"196501012000011{n + 1:03d}"
    user.asn = AsnProfile(nip=nip, agency_id=agency.id, region_id=region.id, on_roster=True)
    # every region's roster is loaded in the demo: these accounts are on it, as a signed-up ASN would be
    db.session.add_all([user, RosterEntry(nip=nip, name=name, agency_name=agency.name, region_id=region.id)])
    db.session.commit()
    return user


def _shop(name: str, owner_name: str, n: int, password_hash: str, admin: User, region):
    owner = User(name=owner_name, email=f"tokopola{n}@demo.id", password_hash=password_hash, is_shop_owner=True,
                 consent_at=utcnow())
    db.session.add(owner)
    db.session.commit()
    kecamatan = next(iter(districts_of(region.id)), None)
    shop = register_shop(owner=owner, name=name, category="sembako", region_code=region.code,
                         district=kecamatan.code if kecamatan else (region.capital or region.name),
                         village="Kelurahan Pasar", street=f"Jl. Pahlawan No. {90 + n}",
                         whatsapp=f"0812-9900-00{n:02d}")
    return verify_shop(actor=admin, shop_id=shop.id)
