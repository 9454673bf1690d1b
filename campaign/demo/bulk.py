"""seed-demo at province scale: purchases generated as columns, loaded in bulk, tallied in one pass.

Millions of purchases are drawn as numpy arrays (a few vectorized draws instead of several
``random`` calls per row), written with ``COPY`` on PostgreSQL and ``executemany`` on SQLite,
and their tallies (sums, distinct counts, member rows, weeks) are computed from the same arrays,
so nothing scans the purchase table afterwards. ``check-tallies`` proves the result.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from itertools import repeat

import numpy as np

from campaign.core.extensions import db
from campaign.demo import binary_copy, loading
from campaign.domains.purchases.models import Purchase
from campaign.domains.tallies.buckets import ON_ROSTER, VERIFIED
from campaign.util.formatting import utcnow

CHUNK = 250_000
LOCAL_SHARE = 0.8  # purchases at a shop in the buyer's own region


@dataclass(frozen=True)
class People:
    """ASN and verified shops as id arrays with their regions (and the ASN's agency)."""

    asn_id: np.ndarray
    asn_region: np.ndarray
    asn_agency: np.ndarray
    asn_on_roster: np.ndarray  # bool: the ASN's NIP is on an active roster entry
    shop_id: np.ndarray
    shop_region: np.ndarray
    province_of_region: np.ndarray  # region id -> province code as a number (73)


@dataclass(frozen=True)
class Purchases:
    buyer: np.ndarray
    shop: np.ndarray
    asn_region: np.ndarray
    shop_region: np.ndarray
    agency: np.ndarray
    asn_province: np.ndarray
    shop_province: np.ndarray
    amount: np.ndarray
    status: np.ndarray  # index into ``statuses``
    on_roster: np.ndarray  # bool: the buyer's NIP is on an active roster entry (buyer_on_roster)
    age: np.ndarray  # days before today
    statuses: tuple[str, ...]
    today: date

    def key(self, dimension: str) -> np.ndarray:
        return {"asn_region": self.asn_region, "shop_region": self.shop_region, "agency": self.agency,
                "asn": self.buyer, "shop": self.shop,
                "asn_prov": self.asn_province, "shop_prov": self.shop_province}[dimension]

    def mask(self, states) -> np.ndarray:
        return np.isin(self.status, [self.statuses.index(s) for s in states if s in self.statuses])

    def verified(self) -> np.ndarray:
        """:func:`campaign.domains.tallies.buckets.is_verified` over the arrays."""
        return self.mask(VERIFIED) & self.on_roster


def generate(seed: int, count: int, people: People, days: int, status_weights: dict[str, int],
             today: date) -> Purchases:
    """``count`` purchases over the last ``days`` days: mostly at a shop in the buyer's region,
    amounts log-normal around Rp80.000 in steps of Rp500, statuses by ``status_weights``."""
    rng = np.random.default_rng(seed)
    buyer = rng.integers(0, len(people.asn_id), count)
    region = people.asn_region[buyer]
    order = np.argsort(people.shop_region, kind="stable")
    by_region = people.shop_region[order]
    first, last = np.searchsorted(by_region, region, "left"), np.searchsorted(by_region, region, "right")
    local = (rng.random(count) < LOCAL_SHARE) & (last > first)
    picked = order[np.minimum(first + (rng.random(count) * (last - first)).astype(np.int64), len(order) - 1)]
    shop = np.where(local, picked, rng.integers(0, len(people.shop_id), count))
    amount = np.clip(rng.lognormal(11.3, 0.8, count), 1_000, 10_000_000).astype(np.int64) // 500 * 500
    weights = np.array(list(status_weights.values()), dtype=float)
    shop_region = people.shop_region[shop]
    return Purchases(
        buyer=people.asn_id[buyer], shop=people.shop_id[shop], asn_region=region,
        shop_region=shop_region, agency=people.asn_agency[buyer],
        asn_province=people.province_of_region[region], shop_province=people.province_of_region[shop_region],
        amount=np.maximum(amount, 1_000), status=rng.choice(len(weights), count, p=weights / weights.sum()),
        on_roster=people.asn_on_roster[buyer],
        age=rng.integers(0, days + 1, count), statuses=tuple(status_weights), today=today)


PURCHASE_COLUMNS = ("campaign_id", "buyer_id", "shop_id", "asn_region_id", "shop_region_id", "agency_id",
                    "asn_province", "shop_province", "amount", "purchased_on", "note", "status", ON_ROSTER, "created_at")


def load(campaign_id: int, p: Purchases) -> None:
    """Insert the purchases into the session's transaction, in chunks."""
    connection = db.session.connection()
    days = [p.today - timedelta(days=n) for n in range(int(p.age.max(initial=0)) + 1)]
    now = utcnow()
    # logged on the day of the purchase (noon UTC), so the per-day limits see a realistic "today"
    created = [min(now, datetime.combine(day, time(12), tzinfo=timezone.utc)) for day in days]
    if connection.dialect.name == "postgresql":
        _copy_purchases(campaign_id, p, created)
        return
    if connection.dialect.name == "sqlite":
        process = Purchase.__table__.c.created_at.type._cached_bind_processor(connection.dialect)
        days, created = [d.isoformat() for d in days], [process(c) for c in created]
    for start in range(0, len(p.buyer), CHUNK):
        part = slice(start, start + CHUNK)
        ages = p.age[part].tolist()
        columns = (repeat(campaign_id), p.buyer[part].tolist(), p.shop[part].tolist(),
                   p.asn_region[part].tolist(), p.shop_region[part].tolist(), p.agency[part].tolist(),
                   p.asn_province[part].tolist(), p.shop_province[part].tolist(),
                   p.amount[part].tolist(), [days[n] for n in ages], repeat(""),
                   [p.statuses[n] for n in p.status[part].tolist()], p.on_roster[part].tolist(),
                   [created[n] for n in ages])
        write_rows("purchase", PURCHASE_COLUMNS, zip(*columns))


def _copy_purchases(campaign_id: int, p: Purchases, created: list[datetime]) -> None:
    """PostgreSQL: the same rows as :func:`load` writes, as one binary COPY from the arrays."""
    purchased_on = binary_copy.days(p.today) - p.age
    created_at = np.array([binary_copy.microseconds(c) for c in created], dtype=np.int64)[p.age]
    loading.copy_columns("purchase", dict(zip(PURCHASE_COLUMNS, (
        campaign_id, p.buyer, p.shop, p.asn_region, p.shop_region, p.agency, p.asn_province, p.shop_province,
        p.amount, purchased_on, "", binary_copy.Labels(p.status, p.statuses), p.on_roster, created_at))),
        len(p.buyer))


def write_rows(table: str, columns: tuple[str, ...], rows) -> None:
    """Rows (tuples in ``columns`` order) through the driver: COPY on PostgreSQL, else executemany."""
    connection = db.session.connection()
    raw = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        with raw.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"  # nosec B608: table/column names come from the code; values are bound parameters
    raw.cursor().executemany(sql, rows)
