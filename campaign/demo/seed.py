"""``seed-demo``: realistic demo data for every region of one served province, bulk-inserted, with
its tallies computed from the generated rows (:mod:`campaign.demo.bulk`, :mod:`campaign.demo.tallies`).

Known logins (printed at the end) share one demo password; every other generated account
gets the same password hash (hashing 100,000 passwords one by one would take hours).
Every region gets an ASN roster (so its verified spend means something), holding most of the demo's
ASN but not all (:mod:`campaign.demo.people`). The cast (:mod:`campaign.demo.places`) decides who is
where: in Sulawesi Selatan, shops lean towards Kota Palopo,
Luwu Utara and Bulukumba, often marked "terdampak", echoing the 2020 affected-UKM figures.
"""
from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import repeat

import numpy as np
from sqlalchemy import insert, select

from campaign.core import audit, clock
from campaign.core.database import refresh_statistics, write_transaction
from campaign.core.errors import Conflict
from campaign.core.extensions import db
from campaign.core.sequences import move_sequences_past_ids
from campaign.demo import bulk as demo_bulk
from campaign.demo import loading, people
from campaign.demo import programmes as programmes_demo
from campaign.demo import tallies as demo_tallies
from campaign.demo.people import AGENCIES, DEMO_LOGINS, FIRST, LAST
from campaign.demo.places import Cast, cast_for, national
from campaign.demo.training import seed_trainings
from campaign.demo.trust import seed_trust_patterns
from campaign.domains.auth.models import AsnProfile, User
from campaign.domains.auth.services import hash_password
from campaign.domains.purchases.models import Pledge, Purchase
from campaign.domains.regions.areas import provinces
from campaign.domains.regions.districts import districts_by_region
from campaign.domains.regions.models import Agency, Campaign, Region, RegionTarget
from campaign.domains.regions.provinces import configured_provinces
from campaign.domains.regions.services import agency_key, all_regions, current_campaign
from campaign.domains.shops.models import CATEGORIES, Shop, name_key
from campaign.domains.tallies.models import Tally, TallyMember, TallyWeek, TallyWeekMember
from campaign.domains.tallies.reconcile import rebuild
from campaign.util.formatting import utcnow
from campaign.web import markers

DEMO_PASSWORD = "demo12345"
ALL_PROVINCES = "semua"  # seed-demo --province semua: every configured province
DEMO_WEEKS = 8

SHOP_WORDS = {"sembako": "Warung", "kuliner": "Warung Makan", "kue": "Kue", "kopi": "Kedai Kopi",
              "fesyen": "Konveksi", "tenun": "Tenun Sutra", "kriya": "Kriya", "tani": "Tani",
              "oleh_oleh": "Oleh-oleh", "kosmetik": "Herbal", "jasa": "Jasa", "lainnya": "Toko"}
STATUS_WEIGHTS = {"confirmed": 55, "reported": 28, "disputed": 5, "voided": 3, "withdrawn": 9}


@dataclass
class SeedResult:
    created: bool
    counts: dict[str, int] = field(default_factory=dict)
    coordinator_region: str = ""  # "Kota Palopo"

    def summary_lines(self) -> list[str]:
        lines = ["Data demo dibuat: " + ", ".join(f"{v} {k}" for k, v in self.counts.items())] if self.created \
            else ["Data demo sudah ada; tidak ada yang ditambahkan."]
        lines.append(f"Login demo (kata sandi untuk semua: {DEMO_PASSWORD}):")
        labels = {"admin": "Admin provinsi", "coordinator": f"Koordinator {self.coordinator_region}".strip(),
                  "asn": "ASN", "shop_owner": "Pemilik toko", "buyer": "Lembaga pembeli"}
        width = max(24, *(len(label) + 1 for label in labels.values()))
        lines += [f"  {labels[role]:<{width}} {login}" for role, login in DEMO_LOGINS.items()]
        return lines


def province_regions(province: str | None) -> list[Region]:
    """The loaded regions of ``province`` (default: the first configured one; ``semua``: of every
    configured one), in code order.

    Raises Conflict when the province is not served (``PROVINCES``) or its regions are not loaded.
    """
    served = configured_provinces()
    if province == ALL_PROVINCES:
        return [r for r in all_regions() if r.province_code in served]
    code = province or served[0]
    if code not in served:
        raise Conflict(f"Provinsi {code} tidak termasuk PROVINCES ({', '.join(served)}); tambahkan, "
                       f"mis. FLASK_PROVINCES='[\"{code}\"]', lalu jalankan init-db.")
    regions = [r for r in all_regions() if r.province_code == code]
    if not regions:
        raise Conflict(f"Kabupaten/kota Provinsi {provinces()[code]} belum dimuat; jalankan init-db dulu.")
    return regions


def seed(*, asn_count: int, shop_count: int, purchase_count: int, random_seed: int = 2020,
         province: str | None = None) -> SeedResult:
    """Create the demo data once, in the regions of ``province`` (default: the first configured);
    a second run adds nothing and says so. Raises Conflict (see :func:`province_regions`)."""
    if min(asn_count, shop_count) < 1 or purchase_count < 0:
        raise Conflict("Jumlah ASN dan toko minimal 1; jumlah belanja tidak boleh negatif.")
    regions = province_regions(province)
    cast = national(cast_for(regions), regions)
    if db.session.scalar(select(User.id).where(User.email == DEMO_LOGINS["admin"])) is not None:
        return SeedResult(created=False, coordinator_region=cast.home.full_name)
    rng = random.Random(random_seed)
    with write_transaction():
        loading.large_cache()
        campaign = _campaign_with_history()
        password_hash = hash_password(DEMO_PASSWORD)
        agencies = _agencies(regions)
        _targets(campaign, regions, rng, cast)
        staff = _staff(password_hash, cast)
        # keys, unique constraints and indexes built once after millions of people and shops
        with loading.bulk_load(User), loading.bulk_load(AsnProfile), loading.bulk_load(Shop):
            asns = people.asns(rng, asn_count, regions, agencies, password_hash, cast,
                               signed_up_at=utcnow() - timedelta(weeks=DEMO_WEEKS))
            shops = _shops(rng, shop_count, regions, password_hash, staff["admin"], cast)
        roster = people.roster(rng, regions, staff["admin"])
        tallied = _tallies_empty()
        pledges = _pledges(random_seed, campaign, asns)
        counts = _purchases(random_seed, purchase_count, campaign, asns, shops, count_them=tallied)
        if tallied:
            with (loading.bulk_load(TallyMember, keys=True), loading.bulk_load(TallyWeekMember, keys=True),
                  loading.bulk_load(TallyWeek, keys=True), loading.bulk_load(Tally, keys=True)):
                tallies = demo_tallies.write_counts(counts)
                demo_tallies.add_pledges(tallies, pledges)
                demo_tallies.write_tallies(campaign.id, tallies)
        markers.touch(markers.REFERENCE, markers.SHOPS, markers.campaign(campaign.id))
        training_seats = seed_trainings(organiser_id=staff["admin"], shops=shops, cast=cast)
        audit.record(actor=None, action="demo.seeded", entity=campaign,
                     after={"asn": len(asns), "shops": len(shops), "purchases": purchase_count})
    if not tallied:
        rebuild()  # data was there before: recount everything from the rows
    _continue_ids_after_seed()
    flags = seed_trust_patterns(password_hash=password_hash, admin_id=staff["admin"],
                                coordinator_id=staff["coordinator"], region_code=cast.home.code)
    refresh_statistics()
    _checkpoint()
    return SeedResult(True, {"ASN": len(asns), "toko": len(shops), "janji": len(pledges),
                             "belanja": purchase_count, "kursi pelatihan": training_seats,
                             "entri daftar ASN": roster, f"tanda kewajaran di {cast.home.full_name}": flags,
                             **programmes_demo.seed(random_seed, cast)}, cast.home.full_name)


def _checkpoint() -> None:
    """SQLite: fold the load's write-ahead log into the database file; with gigabytes left in the
    WAL every later read searches it (the 1M-purchase benchmark's reads ran at half speed).
    PostgreSQL: VACUUM the loaded tables, so their visibility map is set and index-only scans stay
    in the index (a page of the national directory at OFFSET 300,000 fetched 300,000 heap rows and
    took 2.4 s before), and the first readers do not set every row's hint bits; autovacuum would
    get there only later, on a busy server much later."""
    db.session.commit()
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.connection().exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.session.commit()
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM")


def _tallies_empty() -> bool:
    """Whether the demo's tallies can be written as plain rows (nothing was counted before)."""
    return all(db.session.scalar(select(model.campaign_id).limit(1)) is None
               for model in (Tally, TallyWeek, TallyMember, TallyWeekMember))


def _continue_ids_after_seed() -> None:
    """Rows were loaded with explicit ids: PostgreSQL's sequences must move past them, or the next
    row made the ordinary way (the trust patterns and programmes below, a sign-up later) would
    collide with a demo row. Called right after the bulk load."""
    with write_transaction():
        move_sequences_past_ids()


def _campaign_with_history() -> Campaign:
    """The current campaign, started DEMO_WEEKS ago so the weekly series has a history."""
    campaign = current_campaign()
    start = clock.today() - timedelta(weeks=DEMO_WEEKS)
    if campaign.starts_on > start:
        campaign.starts_on = start
    return campaign


def _agencies(regions: list[Region]) -> dict[int, list[int]]:
    rows = [{"region_id": r.id, "name": n, "name_key": agency_key(n)} for r in regions for n in AGENCIES]
    existing = {(a.region_id, a.name_key) for a in db.session.scalars(select(Agency))}
    db.session.execute(insert(Agency), [r for r in rows if (r["region_id"], r["name_key"]) not in existing])
    by_region: dict[int, list[int]] = {}
    for agency in db.session.scalars(select(Agency)):
        by_region.setdefault(agency.region_id, []).append(agency.id)
    return by_region


def _targets(campaign: Campaign, regions: list[Region], rng: random.Random, cast: Cast) -> None:
    existing = set(db.session.scalars(select(RegionTarget.region_id).where(RegionTarget.campaign_id == campaign.id)))
    rows = []
    for region in regions:
        if region.id in existing:
            continue
        headcount = cast.headcount.get(region.code, rng.randrange(2500, 6000, 50))
        rows.append({"campaign_id": campaign.id, "region_id": region.id, "asn_headcount": headcount,
                     "target_amount": headcount * 250_000, "updated_at": utcnow()})
    if rows:
        db.session.execute(insert(RegionTarget), rows)


def _staff(password_hash: str, cast: Cast) -> dict[str, int]:
    province = provinces()[cast.home.province_code]
    admin = User(name=f"Admin Diskop UKM {province}", email=DEMO_LOGINS["admin"], password_hash=password_hash,
                 is_admin=True, consent_at=utcnow())
    coordinator = User(name=f"Koordinator {cast.home.full_name}", email=DEMO_LOGINS["coordinator"],
                       password_hash=password_hash, coordinator_region_id=cast.home.id, consent_at=utcnow())
    db.session.add_all([admin, coordinator])
    db.session.flush()
    return {"admin": admin.id, "coordinator": coordinator.id}


@dataclass(frozen=True)
class _Shop:
    id: int
    region_id: int
    owner_id: int
    verified: bool


def _shops(rng, count, regions, password_hash, admin_id, cast: Cast) -> list[_Shop]:
    weights = [cast.shop_weight.get(r.code, 1.0) for r in regions]
    owner_start = db.session.scalar(select(User.id).order_by(User.id.desc()))
    owners = max(1, count * 2 // 3)
    loading.bulk_insert(User, [{"id": owner_start + 1 + n, "name": "Ibu Sitti Hasnah" if n == 0 else people.person_name(rng),
                  "email": DEMO_LOGINS["shop_owner"] if n == 0 else f"toko{n}@demo.id",
                  "phone": f"+62812{7000000 + n:07d}"[:15], "password_hash": password_hash,
                  "is_shop_owner": True, "consent_at": utcnow(), "created_at": utcnow()} for n in range(owners)])
    shop_start = db.session.scalar(select(Shop.id).order_by(Shop.id.desc())) or 0
    kecamatan = districts_by_region()
    rows, result = [], []
    for n in range(count):
        region = people.region_for(n, regions, rng, weights, cast.home)
        category = list(CATEGORIES)[n % len(CATEGORIES)]
        status = "verified" if n == 0 or rng.random() < 0.85 else rng.choice(["pending", "pending", "rejected"])
        hard_hit = region.code in cast.hard_hit
        name = f"{SHOP_WORDS[category]} {rng.choice(FIRST)} {n + 1}"
        row = {"id": shop_start + 1 + n, "owner_id": owner_start + 1 + (n % owners), "region_id": region.id,
               "name": name, "name_key": name_key(name), "category": category,
               **_district(region, kecamatan.get(region.id), n), "village": f"Kelurahan {rng.choice(LAST)}",
               "street": f"Jl. {rng.choice(['Andi Djemma', 'Sudirman', 'Ahmad Yani', 'Poros', 'Pahlawan'])} "
                         f"No. {rng.randrange(1, 200)}",
               "whatsapp": f"+62813{5000000 + n:07d}", "description": "Usaha lokal binaan Dinas Koperasi dan UKM.",
               "products": "Produk harian dan khas daerah", "nib": None,
               "covid_affected": rng.random() < (0.7 if hard_hit else 0.3), "status": status,
               "rejection_reason": "Alamat tidak dapat diverifikasi" if status == "rejected" else None,
               "decided_at": utcnow() if status != "pending" else None,
               "decided_by_id": admin_id if status != "pending" else None, "created_at": utcnow()}
        rows.append(row)
        result.append(_Shop(row["id"], region.id, row["owner_id"], status == "verified"))
    loading.bulk_insert(Shop, rows)
    return result


def _district(region, districts, n: int) -> dict:
    """The n-th shop's kecamatan: one of the region's, in turn (the capital's name, else the region's,
    without a list)."""
    if not districts:
        return {"district": region.capital or region.name, "district_id": None}
    district = districts[n % len(districts)]
    return {"district": district.name, "district_id": district.id}


def _pledges(random_seed: int, campaign, asns: people.Asns) -> demo_tallies.Pledges:
    """Seven in ten ASN pledge (the demo login always), one of six amounts."""
    generator = np.random.default_rng(random_seed + 1)
    pledging = generator.random(len(asns)) < 0.7
    pledging[:1] = True
    amounts = np.array([250_000, 500_000, 750_000, 1_000_000, 1_500_000, 2_000_000])
    pledges = demo_tallies.Pledges(user=asns.id[pledging], region=asns.region_id[pledging],
                                   agency=asns.agency_id[pledging],
                                   amount=amounts[generator.integers(0, len(amounts), int(pledging.sum()))])
    now, count = utcnow(), len(pledges.user)
    with loading.bulk_load(Pledge):
        loading.insert_columns(Pledge, {
            "campaign_id": repeat(campaign.id), "user_id": pledges.user.tolist(), "region_id": pledges.region.tolist(),
            "agency_id": pledges.agency.tolist(), "amount": pledges.amount.tolist(), "created_at": repeat(now),
            "updated_at": repeat(now)}, count)
    return pledges


def _province_of_region() -> np.ndarray:
    """Region id -> its province code as a number (the purchases' ``asn_province``/``shop_province``)."""
    regions = db.session.scalars(select(Region)).all()
    mapping = np.zeros(max((region.id for region in regions), default=0) + 1, dtype=np.int64)
    for region in regions:
        mapping[region.id] = region.province_number
    return mapping


def _purchases(random_seed: int, count: int, campaign, asns: people.Asns, shops: list[_Shop], *,
               count_them: bool) -> demo_tallies.Counts | None:
    """Purchases over the campaign's weeks so far, mostly in the buyer's own region, in every state;
    with ``count_them``, their tallies, counted in a thread while the database loads them and builds
    their indexes (numpy and the server's wait on the socket both let go of the GIL)."""
    verified = [s for s in shops if s.verified]
    people = demo_bulk.People(
        asn_id=asns.id, asn_region=asns.region_id, asn_agency=asns.agency_id, asn_on_roster=asns.on_roster,
        shop_id=np.array([s.id for s in verified]),
        shop_region=np.array([s.region_id for s in verified]), province_of_region=_province_of_region())
    today = clock.today()
    purchases = demo_bulk.generate(random_seed, count, people, (today - campaign.starts_on).days,
                                   STATUS_WEIGHTS, today)
    iso_weeks = db.session.get_bind().dialect.name == "sqlite"
    with ThreadPoolExecutor(1) as pool:
        counting = pool.submit(demo_tallies.count_purchases, campaign.id, purchases, iso_weeks=iso_weeks) \
            if count_them else None
        with loading.bulk_load(Purchase):
            demo_bulk.load(campaign.id, purchases)
        return counting.result() if counting else None
