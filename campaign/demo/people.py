"""seed-demo's civil servants: names, NIPs, where they work, and the ASN roster of the regions
the demo makes roster-checked."""
from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import select

from campaign.core import audit
from campaign.core.extensions import db
from campaign.demo.loading import bulk_insert
from campaign.demo.places import Cast
from campaign.domains.auth.models import AsnProfile, User
from campaign.domains.regions.models import Agency, Region
from campaign.domains.roster.models import RosterEntry, RosterImport
from campaign.util.formatting import today_wita, utcnow

DEMO_LOGINS = {"admin": "admin@demo.id", "coordinator": "koordinator@demo.id", "asn": "asn@demo.id",
               "shop_owner": "toko@demo.id", "buyer": "lembaga@demo.id"}  # buyer: made by needs/demo.py
AGENCIES = ["Sekretariat Daerah", "Dinas Pendidikan", "Dinas Kesehatan", "Dinas Koperasi dan UKM",
            "Dinas Pekerjaan Umum dan Penataan Ruang", "Badan Kepegawaian dan Pengembangan SDM",
            "Dinas Sosial", "Dinas Pertanian", "Dinas Perhubungan", "Badan Perencanaan Pembangunan Daerah",
            "Inspektorat", "RSUD"]
FIRST = ["Andi", "Muhammad", "Ahmad", "Sitti", "Nur", "Rahmawati", "Syamsul", "Hasnah", "Basri", "Ismail",
         "Fitriani", "Hajrah", "Rusdi", "Asriani", "Irwan", "Husain", "Marwah", "Zainal", "Yusuf", "Kartini"]
LAST = ["Baso", "Pallawa", "Mappanyukki", "Daeng Ngalle", "Rahman", "Hamzah", "Sulaiman", "Amiruddin",
        "Latif", "Nurdin", "Arifin", "Haris", "Salam", "Tahir", "Jufri", "Muin"]


def region_for(n: int, regions: list[Region], rng: random.Random, weights: list[float], home: Region) -> Region:
    """Home first (the known demo logins live there), then one in each region, then weighted."""
    if n == 0:
        return home
    if n < len(regions):
        return [r for r in regions if r is not home][n - 1]
    return rng.choices(regions, weights)[0]


def make_nip(rng: random.Random, sequence: int) -> str:
    born = rng.randrange(1966, 1999)
    appointed = rng.randrange(born + 22, min(born + 35, today_wita().year) + 1)
    month = rng.choice(["21", "24"]) if rng.random() < 0.1 else f"{rng.randrange(1, 13):02d}"  # PPPK codes
    return (f"{born}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}{appointed}{month}"
            f"{rng.choice('12')}{sequence % 999 + 1:03d}")


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


@dataclass(frozen=True)
class Asn:
    id: int
    region_id: int
    agency_id: int


def asns(rng, count, regions, agencies, password_hash, cast: Cast) -> list[Asn]:
    """ASN spread over regions by headcount; the first one is the known demo login (at home)."""
    weights = [cast.headcount.get(r.code, 4000) for r in regions]
    start = db.session.scalar(select(User.id).order_by(User.id.desc())) or 0
    users, profiles, result, nips = [], [], [], set()
    for n in range(count):
        region = region_for(n, regions, rng, weights, cast.home)
        user_id = start + 1 + n
        nip = make_nip(rng, n)
        while nip in nips:
            nip = make_nip(rng, n)
        nips.add(nip)
        agency_id = rng.choice(agencies[region.id])
        users.append({"id": user_id, "name": "Andi Baso" if n == 0 else person_name(rng),
                      "email": DEMO_LOGINS["asn"] if n == 0 else f"asn{n}@demo.id", "password_hash": password_hash,
                      "consent_at": utcnow(), "created_at": utcnow()})
        profiles.append({"user_id": user_id, "nip": nip, "agency_id": agency_id, "region_id": region.id})
        result.append(Asn(user_id, region.id, agency_id))
    bulk_insert(User, users)
    bulk_insert(AsnProfile, profiles)
    return result


def roster(rng, cast: Cast, admin_id: int) -> int:
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
        nip = make_nip(rng, n)
        while nip in taken:
            nip = make_nip(rng, n + 1)
        taken.add(nip)
        rows.append({"nip": nip, "name": person_name(rng), "agency_name": rng.choice(AGENCIES), "region_id": ids[n % 2],
                     "active": n % 10 != 9})  # one in ten has left the region
    bulk_insert(RosterEntry, rows)
    record = RosterImport(actor_id=admin_id, region_id=None, filename="daftar-asn-demo.xlsx", added=len(rows))
    db.session.add(record)
    audit.record(actor=db.session.get(User, admin_id), action="roster.imported", entity=record,
                 after={"region": None, "filename": record.filename, "added": len(rows), "updated": 0,
                        "unchanged": 0, "refused": 0})
    return len(rows)
