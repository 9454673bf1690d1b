"""``seed-demo``: realistic demo data for every region of one served province, bulk-inserted, with
its tallies computed from the generated rows (:mod:`campaign.demo.bulk`, :mod:`campaign.demo.tallies`).

Known logins (printed at the end) share one demo password; every other generated account
gets the same password hash (hashing 100,000 passwords one by one would take hours).
The cast (:mod:`campaign.demo.places`) decides who is where: in Sulawesi Selatan, Kota Palopo and
Kota Parepare get an ASN roster (so they are roster-checked) and shops lean towards Kota Palopo,
Luwu Utara and Bulukumba, often marked "terdampak", echoing the 2020 affected-UKM figures.
"""
from __future__ import annotations

import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
from sqlalchemy import UniqueConstraint, insert, select
from sqlalchemy.schema import AddConstraint, DropConstraint

from campaign.core import audit
from campaign.core.database import refresh_statistics, write_transaction
from campaign.core.errors import Conflict
from campaign.core.extensions import db
from campaign.core.sequences import move_sequences_past_ids
from campaign.demo import bulk as demo_bulk
from campaign.demo import programmes as programmes_demo
from campaign.demo import tallies as demo_tallies
from campaign.demo.places import Cast, cast_for
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
from campaign.domains.roster.models import RosterEntry, RosterImport
from campaign.domains.shops.models import CATEGORIES, Shop, name_key
from campaign.domains.tallies.models import Tally, TallyMember, TallyWeek, TallyWeekMember
from campaign.domains.tallies.reconcile import rebuild
from campaign.util.formatting import today_wita, utcnow
from campaign.web import markers

DEMO_PASSWORD = "demo12345"
DEMO_LOGINS = {"admin": "admin@demo.id", "coordinator": "koordinator@demo.id", "asn": "asn@demo.id",
               "shop_owner": "toko@demo.id", "buyer": "lembaga@demo.id"}  # buyer: made by needs/demo.py
DEMO_WEEKS = 8

AGENCIES = ["Sekretariat Daerah", "Dinas Pendidikan", "Dinas Kesehatan", "Dinas Koperasi dan UKM",
            "Dinas Pekerjaan Umum dan Penataan Ruang", "Badan Kepegawaian dan Pengembangan SDM",
            "Dinas Sosial", "Dinas Pertanian", "Dinas Perhubungan", "Badan Perencanaan Pembangunan Daerah",
            "Inspektorat", "RSUD"]
FIRST = ["Andi", "Muhammad", "Ahmad", "Sitti", "Nur", "Rahmawati", "Syamsul", "Hasnah", "Basri", "Ismail",
         "Fitriani", "Hajrah", "Rusdi", "Asriani", "Irwan", "Husain", "Marwah", "Zainal", "Yusuf", "Kartini"]
LAST = ["Baso", "Pallawa", "Mappanyukki", "Daeng Ngalle", "Rahman", "Hamzah", "Sulaiman", "Amiruddin",
        "Latif", "Nurdin", "Arifin", "Haris", "Salam", "Tahir", "Jufri", "Muin"]
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
    """The loaded regions of ``province`` (default: the first configured one), in code order.

    Raises Conflict when the province is not served (``PROVINCES``) or its regions are not loaded.
    """
    served = configured_provinces()
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
    cast = cast_for(regions)
    if db.session.scalar(select(User.id).where(User.email == DEMO_LOGINS["admin"])) is not None:
        return SeedResult(created=False, coordinator_region=cast.home.full_name)
    rng = random.Random(random_seed)
    with write_transaction():
        _large_cache()
        campaign = _campaign_with_history()
        password_hash = hash_password(DEMO_PASSWORD)
        agencies = _agencies(regions)
        _targets(campaign, regions, rng, cast)
        staff = _staff(password_hash, cast)
        asns = _asns(rng, asn_count, regions, agencies, password_hash, cast)
        roster = _roster(rng, cast, staff["admin"])
        shops = _shops(rng, shop_count, regions, password_hash, staff["admin"], cast)
        tallied = _tallies_empty()
        pledges = _pledges(rng, campaign, asns)
        purchases = _purchases(random_seed, purchase_count, campaign, asns, shops)
        if tallied:
            with (_bulk_load(TallyMember, keys=True), _bulk_load(TallyWeekMember, keys=True),
                  _bulk_load(TallyWeek, keys=True), _bulk_load(Tally, keys=True)):
                tallies = demo_tallies.purchase_tallies(campaign.id, purchases)
                demo_tallies.add_pledges(tallies, campaign.id, pledges)
                demo_tallies.write_tallies(tallies)
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
    WAL every later read searches it (the 1M-purchase benchmark's reads ran at half speed)."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.commit()
        db.session.connection().exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.session.commit()


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
    start = today_wita() - timedelta(weeks=DEMO_WEEKS)
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


def _region_for(n: int, regions: list[Region], rng: random.Random, weights: list[float], home: Region) -> Region:
    """Home first (the known demo logins live there), then one in each region, then weighted."""
    if n == 0:
        return home
    if n < len(regions):
        return [r for r in regions if r is not home][n - 1]
    return rng.choices(regions, weights)[0]


def _nip(rng: random.Random, sequence: int) -> str:
    born = rng.randrange(1966, 1999)
    appointed = rng.randrange(born + 22, min(born + 35, today_wita().year) + 1)
    month = rng.choice(["21", "24"]) if rng.random() < 0.1 else f"{rng.randrange(1, 13):02d}"  # PPPK codes
    return (f"{born}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}{appointed}{month}"
            f"{rng.choice('12')}{sequence % 999 + 1:03d}")


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


@dataclass(frozen=True)
class _Asn:
    id: int
    region_id: int
    agency_id: int


def _asns(rng, count, regions, agencies, password_hash, cast: Cast) -> list[_Asn]:
    """ASN spread over regions by headcount; the first one is the known demo login (at home)."""
    weights = [cast.headcount.get(r.code, 4000) for r in regions]
    start = db.session.scalar(select(User.id).order_by(User.id.desc())) or 0
    users, profiles, result, nips = [], [], [], set()
    for n in range(count):
        region = _region_for(n, regions, rng, weights, cast.home)
        user_id = start + 1 + n
        nip = _nip(rng, n)
        while nip in nips:
            nip = _nip(rng, n)
        nips.add(nip)
        agency_id = rng.choice(agencies[region.id])
        users.append({"id": user_id, "name": "Andi Baso" if n == 0 else _name(rng),
                      "email": DEMO_LOGINS["asn"] if n == 0 else f"asn{n}@demo.id", "password_hash": password_hash,
                      "consent_at": utcnow(), "created_at": utcnow()})
        profiles.append({"user_id": user_id, "nip": nip, "agency_id": agency_id, "region_id": region.id})
        result.append(_Asn(user_id, region.id, agency_id))
    _bulk(User, users)
    _bulk(AsnProfile, profiles)
    return result


def _roster(rng, cast: Cast, admin_id: int) -> int:
    """The roster of the cast's two roster regions (the demo coordinator's and one more): their demo
    ASN, twice as many colleagues who have not signed up yet, and a few retired; recorded as one
    import by the admin. Other regions stay unchecked."""
    ids = [region.id for region in cast.roster]
    signed = db.session.execute(select(AsnProfile.nip, User.name, Agency.name, AsnProfile.region_id)
                                .join(User, User.id == AsnProfile.user_id).join(Agency, Agency.id == AsnProfile.agency_id)
                                .where(AsnProfile.region_id.in_(ids))).all()
    taken = set(db.session.scalars(select(AsnProfile.nip)))
    rows = [{"nip": nip, "name": name, "agency_name": agency, "region_id": region_id, "active": True}
            for nip, name, agency, region_id in signed]
    for n in range(2 * len(rows) + 6):
        nip = _nip(rng, n)
        while nip in taken:
            nip = _nip(rng, n + 1)
        taken.add(nip)
        rows.append({"nip": nip, "name": _name(rng), "agency_name": rng.choice(AGENCIES), "region_id": ids[n % 2],
                     "active": n % 10 != 9})  # one in ten has left the region
    _bulk(RosterEntry, rows)
    record = RosterImport(actor_id=admin_id, region_id=None, filename="daftar-asn-demo.xlsx", added=len(rows))
    db.session.add(record)
    audit.record(actor=db.session.get(User, admin_id), action="roster.imported", entity=record,
                 after={"region": None, "filename": record.filename, "added": len(rows), "updated": 0,
                        "unchanged": 0, "refused": 0})
    return len(rows)


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
    _bulk(User, [{"id": owner_start + 1 + n, "name": "Ibu Sitti Hasnah" if n == 0 else _name(rng),
                  "email": DEMO_LOGINS["shop_owner"] if n == 0 else f"toko{n}@demo.id",
                  "phone": f"+62812{7000000 + n:07d}"[:15], "password_hash": password_hash,
                  "is_shop_owner": True, "consent_at": utcnow(), "created_at": utcnow()} for n in range(owners)])
    shop_start = db.session.scalar(select(Shop.id).order_by(Shop.id.desc())) or 0
    kecamatan = districts_by_region()
    rows, result = [], []
    for n in range(count):
        region = _region_for(n, regions, rng, weights, cast.home)
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
    _bulk(Shop, rows)
    return result


def _district(region, districts, n: int) -> dict:
    """The n-th shop's kecamatan: one of the region's, in turn (the capital's name, else the region's,
    without a list)."""
    if not districts:
        return {"district": region.capital or region.name, "district_id": None}
    district = districts[n % len(districts)]
    return {"district": district.name, "district_id": district.id}


def _pledges(rng, campaign, asns: list[_Asn]) -> list[dict]:
    rows = [{"campaign_id": campaign.id, "user_id": a.id, "region_id": a.region_id, "agency_id": a.agency_id,
             "amount": rng.choice([250_000, 500_000, 750_000, 1_000_000, 1_500_000, 2_000_000]),
             "created_at": utcnow(), "updated_at": utcnow()}
            for i, a in enumerate(asns) if i == 0 or rng.random() < 0.7]
    with _bulk_load(Pledge):
        _bulk(Pledge, rows)
    return rows


def _purchases(random_seed: int, count: int, campaign, asns: list[_Asn], shops: list[_Shop]):
    """Purchases over the campaign's weeks so far, mostly in the buyer's own region, in every state."""
    verified = [s for s in shops if s.verified]
    people = demo_bulk.People(
        asn_id=np.array([a.id for a in asns]), asn_region=np.array([a.region_id for a in asns]),
        asn_agency=np.array([a.agency_id for a in asns]), shop_id=np.array([s.id for s in verified]),
        shop_region=np.array([s.region_id for s in verified]))
    today = today_wita()
    purchases = demo_bulk.generate(random_seed, count, people, (today - campaign.starts_on).days,
                                   STATUS_WEIGHTS, today)
    with _bulk_load(Purchase):
        demo_bulk.load(campaign.id, purchases)
    return purchases


@contextmanager
def _bulk_load(model, *, keys: bool = False):
    """Build the table's secondary indexes, and on PostgreSQL its unique constraints (and with
    ``keys`` its primary key, for tables nothing references) and foreign keys, once after a large
    load instead of row by row, as pg_restore does. 1M purchases on PostgreSQL: COPY 31 s with
    them in place, 1.5 s without; the 3.1M member rows of 1M purchases: 16.8 s, 5.2 s with the
    key rebuilt and checked after. All inside the caller's transaction, so nothing is left
    half-done; re-adding a constraint checks every row."""
    connection = db.session.connection()
    table = model.__table__
    indexes = list(table.indexes)
    constraints = []
    if connection.dialect.name == "postgresql":
        # sort each index build in memory (the 64 MB default spills to disk)
        connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
        constraints = [*table.foreign_key_constraints,
                       *(c for c in table.constraints if isinstance(c, UniqueConstraint)),
                       *([table.primary_key] if keys else [])]
    for constraint in constraints:
        connection.execute(DropConstraint(constraint))
    for index in indexes:
        index.drop(connection)
    yield
    for index in indexes:
        index.create(connection)
    for constraint in reversed(constraints):  # the primary key first, the foreign keys last
        connection.execute(AddConstraint(constraint))


def _large_cache() -> None:
    """SQLite's default 2 MB page cache makes index inserts for a million rows disk-bound."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA cache_size = -524288")  # 512 MB, this connection only


def _bulk(model, rows: list[dict]) -> None:
    """Insert many rows through the driver (COPY on PostgreSQL, executemany on SQLite), inside the
    session's transaction. The ORM's bulk insert spends most of its time building parameters."""
    if not rows:
        return
    table = model.__table__
    defaults = {c.name: (c.default.arg(None) if c.default.is_callable else c.default.arg)
                for c in table.columns if c.default is not None and c.name not in rows[0]}
    rows = [{**defaults, **row} for row in rows] if defaults else rows
    names = list(rows[0])
    connection = db.session.connection()
    raw = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        with raw.cursor().copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[name] for name in names])
        return
    process = [table.c[name].type._cached_bind_processor(connection.dialect) for name in names]
    # Table and column names come from the models' metadata; every value is a bound parameter.
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"  # nosec B608
    raw.cursor().executemany(sql, ([p(row[n]) if p else row[n] for p, n in zip(process, names)] for row in rows))
