"""seed-demo's civil servants: names, NIPs, where they work, and the ASN roster of every region:
most demo ASN are on it, one in :data:`OFF_ROSTER` is not (signed up before the roster came, so
their confirmed purchases are realized but not verified spend)."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from itertools import repeat

import numpy as np

from sqlalchemy import select

from campaign.core import audit, clock
from campaign.core.extensions import db
from campaign.demo.loading import bulk_insert, insert_columns
from campaign.demo.places import Cast
from campaign.domains.auth.models import AsnProfile, User
from campaign.domains.regions.models import Agency, Region
from campaign.domains.roster.models import RosterEntry, RosterImport
from campaign.util.formatting import utcnow

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


OFF_ROSTER = 20  # one demo ASN in 20 is on no roster (never the known demo login)
UNSIGNED_SHARE = 0.1  # colleagues on the roster who have not signed up, per demo ASN on it


def region_for(n: int, regions: list[Region], rng: random.Random, weights: list[float], home: Region) -> Region:
    """Home first (the known demo logins live there), then one in each region, then weighted."""
    if n == 0:
        return home
    if n < len(regions):
        return [r for r in regions if r is not home][n - 1]
    return rng.choices(regions, weights)[0]


def make_nip(rng: random.Random, sequence: int) -> str:
    born = rng.randrange(1966, 1999)
    appointed = rng.randrange(born + 22, min(born + 35, clock.today().year) + 1)
    month = rng.choice(["21", "24"]) if rng.random() < 0.1 else f"{rng.randrange(1, 13):02d}"  # PPPK codes
    return (f"{born}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}{appointed}{month}"
            f"{rng.choice('12')}{sequence % 999 + 1:03d}")


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


@dataclass(frozen=True)
class Asns:
    """The generated ASN as columns: user id, region id and agency id (index 0 is the demo login)."""

    id: np.ndarray
    region_id: np.ndarray
    agency_id: np.ndarray
    on_roster: np.ndarray  # bool: the NIP is on the region's roster

    def __len__(self) -> int:
        return len(self.id)


CHUNK = 500_000  # users written per COPY / executemany, so 4,000,000 ASN never sit in memory as rows


def asns(rng, count, regions, agencies, password_hash, cast: Cast, *, signed_up_at: datetime) -> Asns:
    """ASN spread over regions by headcount, generated as numpy columns (4,000,000 in a minute);
    the first one is the known demo login (at home), then one in each other region. They signed up
    at ``signed_up_at`` (when the campaign opened: not new accounts for the flags)."""
    generator = np.random.default_rng(rng.randrange(2**32))
    weights = np.array([cast.headcount.get(r.code, 4000) for r in regions], dtype=float)
    home = regions.index(cast.home)
    first = [home, *(i for i in range(len(regions)) if i != home)][:count]
    place = np.concatenate([first, generator.choice(len(regions), max(0, count - len(first)), p=weights / weights.sum())])
    region_ids = np.array([r.id for r in regions])[place]
    choices = [agencies[r.id] for r in regions]
    table = np.array([c + [c[0]] * (len(AGENCIES) - len(c)) if len(c) < len(AGENCIES) else c[:len(AGENCIES)]
                      for c in choices])  # every region's agencies, padded to one width
    sizes = np.array([min(len(c), len(AGENCIES)) for c in choices])
    agency_ids = table[place, (generator.random(count) * sizes[place]).astype(np.int64)]
    start = db.session.scalar(select(User.id).order_by(User.id.desc())) or 0
    user_ids = np.arange(start + 1, start + 1 + count)
    taken = {int(nip) for nip in db.session.scalars(select(AsnProfile.nip)) if nip.isdigit()}
    nips = _nips(generator, count, taken)
    on_roster = np.arange(count) % OFF_ROSTER != OFF_ROSTER - 1  # never the demo login (n = 0)
    first_names, last_names = generator.integers(0, len(FIRST), count), generator.integers(0, len(LAST), count)
    for part in range(0, count, CHUNK):
        rows = range(part, min(count, part + CHUNK))
        insert_columns(User, {
            "id": user_ids[part:part + CHUNK].tolist(),
            "name": ["Andi Baso" if n == 0 else f"{FIRST[first_names[n]]} {LAST[last_names[n]]}" for n in rows],
            "email": [DEMO_LOGINS["asn"] if n == 0 else f"asn{n}@demo.id" for n in rows],
            "password_hash": repeat(password_hash), "consent_at": repeat(signed_up_at),
            "created_at": repeat(signed_up_at)},
            len(rows))
        insert_columns(AsnProfile, {
            "user_id": user_ids[part:part + CHUNK].tolist(), "nip": [str(n) for n in nips[part:part + CHUNK].tolist()],
            "agency_id": agency_ids[part:part + CHUNK].tolist(), "region_id": region_ids[part:part + CHUNK].tolist(),
            "on_roster": on_roster[part:part + CHUNK].tolist()},
            len(rows))
    return Asns(user_ids, region_ids, agency_ids, on_roster)


def _nips(generator: np.random.Generator, count: int, taken: set[int]) -> np.ndarray:
    """``count`` distinct NIPs as 18-digit integers, none in ``taken``: birth date, appointment
    year and month (one in ten a PPPK code, 21 or 24), sex, sequence (as :func:`make_nip`)."""
    year = clock.today().year
    nips = np.zeros(count, dtype=np.int64)
    todo = np.arange(count)
    while len(todo):
        size = len(todo)
        born = generator.integers(1966, 1999, size)
        appointed = born + 22 + (generator.random(size) * (np.minimum(born + 35, year) - born - 21)).astype(np.int64)
        month = np.where(generator.random(size) < 0.1, generator.choice([21, 24], size), generator.integers(1, 13, size))
        birth = born * 10_000 + generator.integers(1, 13, size) * 100 + generator.integers(1, 29, size)
        nips[todo] = (birth * 10**10 + (appointed * 100 + month) * 10**4 + generator.integers(1, 3, size) * 1000
                      + todo % 999 + 1)
        _values, first = np.unique(nips, return_index=True)
        clash = np.ones(count, dtype=bool)
        clash[first] = False  # the first of each value keeps it
        clash |= np.isin(nips, np.fromiter(taken, dtype=np.int64, count=len(taken)))
        todo = np.flatnonzero(clash)
    return nips


def roster(rng, regions: list[Region], admin_id: int) -> int:
    """The roster of every region: its demo ASN on the roster (``on_roster``), a tenth as many
    colleagues who have not signed up yet (at least three per region), one in ten of those retired;
    recorded as one import by the admin."""
    listed = select(RosterEntry.id).where(RosterEntry.nip == AsnProfile.nip).exists()  # from before the demo
    signed = db.session.execute(select(AsnProfile.nip, User.name, Agency.name, AsnProfile.region_id)
                                .join(User, User.id == AsnProfile.user_id).join(Agency, Agency.id == AsnProfile.agency_id)
                                .where(AsnProfile.on_roster.is_(True), ~listed)).all()
    taken = set(db.session.scalars(select(AsnProfile.nip))) | set(db.session.scalars(select(RosterEntry.nip)))
    rows = [{"nip": nip, "name": name, "agency_name": agency, "region_id": region_id, "active": True}
            for nip, name, agency, region_id in signed]
    unsigned = [region.id for region in regions for _ in range(3)]
    unsigned += [rng.choice(regions).id for _ in range(max(0, int(len(rows) * UNSIGNED_SHARE) - len(unsigned)))]
    for n, region_id in enumerate(unsigned):
        nip = make_nip(rng, n)
        while nip in taken:
            nip = make_nip(rng, n + 1)
        taken.add(nip)
        rows.append({"nip": nip, "name": person_name(rng), "agency_name": rng.choice(AGENCIES), "region_id": region_id,
                     "active": n % 10 != 9})  # one in ten has left the region
    bulk_insert(RosterEntry, rows)
    record = RosterImport(actor_id=admin_id, region_id=None, filename="daftar-asn-demo.xlsx", added=len(rows))
    db.session.add(record)
    audit.record(actor=db.session.get(User, admin_id), action="roster.imported", entity=record,
                 after={"region": None, "filename": record.filename, "added": len(rows), "updated": 0,
                        "unchanged": 0, "refused": 0})
    return len(rows)
