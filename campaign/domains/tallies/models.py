"""Maintained aggregates, so leaderboards and progress pages never scan purchases.

Purchase and pledge services call :func:`move_purchase` / :func:`move_pledge` inside the same
transaction as the state change, so the tallies can never drift from the raw rows.

Each purchase counts towards one key in each *dimension*: the ASN's region, the shop's region,
the ASN's agency, the ASN and the shop. Per (campaign, dimension, key) a :class:`Tally` row
holds realized and verified sums and counts, the number of distinct buyers (``participants``),
of distinct buyers with a verified purchase (``verified_buyers``) and of distinct shops
(``shops_supported``), and the pledges. Distinct counts stay O(1): :class:`TallyMember` keeps
per (key, buyer) a count of realized and of verified purchases, per (key, shop) of realized
ones, and only their 0 -> 1 and 1 -> 0 crossings move the distinct counters. :class:`TallyWeek`
holds the weekly series (weeks start on Monday) for the two region dimensions, with the same
two distinct buyer counts per week, kept by :class:`TallyWeekMember` per (key, week, buyer).
campaign.domains.leaderboard.privacy withholds a figure by those people counts.

Rows are always touched in one global order (members, then week members, then tallies, then
weeks, each sorted by dimension and key), so concurrent transactions on PostgreSQL cannot
deadlock on them.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import BigInteger, Date, ForeignKey, String, select, tuple_
from sqlalchemy.orm import Mapped, mapped_column

from campaign.core.database import dialect_insert
from campaign.core.extensions import db
from campaign.domains.purchases.models import REALIZED, VERIFIED, Pledge, Purchase
from campaign.web import markers

DIMENSIONS = ("asn_region", "shop_region", "agency", "asn", "shop")
WEEKLY_DIMENSIONS = ("asn_region", "shop_region")
BUYER_COUNTED = ("asn_region", "shop_region", "agency", "shop")  # -> participants
SHOP_COUNTED = ("asn_region", "shop_region", "agency", "asn")  # -> shops_supported
PLEDGE_DIMENSIONS = ("asn_region", "agency", "asn")

PURCHASE_KEY_COLUMNS = {
    "asn_region": Purchase.asn_region_id,
    "shop_region": Purchase.shop_region_id,
    "agency": Purchase.agency_id,
    "asn": Purchase.buyer_id,
    "shop": Purchase.shop_id,
}
PLEDGE_KEY_COLUMNS = {"asn_region": Pledge.region_id, "agency": Pledge.agency_id, "asn": Pledge.user_id}
TALLY_FIELDS = ("realized_amount", "realized_count", "verified_amount", "verified_count",
                "participants", "shops_supported", "verified_buyers", "pledged_amount", "pledgers")
WEEK_FIELDS = ("realized_amount", "realized_count", "verified_amount", "verified_count",
               "participants", "verified_buyers")


class Tally(db.Model):
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(12), primary_key=True)
    key_id: Mapped[int] = mapped_column(primary_key=True)
    realized_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    realized_count: Mapped[int] = mapped_column(default=0)
    verified_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    verified_count: Mapped[int] = mapped_column(default=0)
    participants: Mapped[int] = mapped_column(default=0)
    shops_supported: Mapped[int] = mapped_column(default=0)
    verified_buyers: Mapped[int] = mapped_column(default=0)  # distinct buyers with a confirmed purchase
    pledged_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    pledgers: Mapped[int] = mapped_column(default=0)


class TallyWeek(db.Model):
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(12), primary_key=True)
    key_id: Mapped[int] = mapped_column(primary_key=True)
    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    realized_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    realized_count: Mapped[int] = mapped_column(default=0)
    verified_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    verified_count: Mapped[int] = mapped_column(default=0)
    participants: Mapped[int] = mapped_column(default=0)  # distinct buyers with a realized purchase that week
    verified_buyers: Mapped[int] = mapped_column(default=0)  # ... with a verified one


class TallyMember(db.Model):
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(12), primary_key=True)
    key_id: Mapped[int] = mapped_column(primary_key=True)
    member_kind: Mapped[str] = mapped_column(String(4), primary_key=True)  # "asn" or "shop"
    member_id: Mapped[int] = mapped_column(primary_key=True)
    realized_count: Mapped[int] = mapped_column(default=0)
    verified_count: Mapped[int] = mapped_column(default=0)  # buyers only; 0 for shops


class TallyWeekMember(db.Model):
    """Per (key, week, buyer) of a weekly dimension: realized and verified purchases, whose
    0 <-> 1 crossings move :class:`TallyWeek`'s ``participants`` and ``verified_buyers``."""

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(12), primary_key=True)
    key_id: Mapped[int] = mapped_column(primary_key=True)
    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    buyer_id: Mapped[int] = mapped_column(primary_key=True)
    realized_count: Mapped[int] = mapped_column(default=0)
    verified_count: Mapped[int] = mapped_column(default=0)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _key(row, dimension: str) -> int:
    return {
        "asn_region": lambda: row.asn_region_id, "shop_region": lambda: row.shop_region_id,
        "agency": lambda: row.agency_id, "asn": lambda: row.buyer_id, "shop": lambda: row.shop_id,
    }[dimension]()


# --- moving the tallies inside a transaction ---------------------------------------------

def move_purchase(purchase: Purchase, old_status: str | None, new_status: str | None) -> None:
    """Apply a purchase's move from ``old_status`` to ``new_status`` (None: not existing).

    At most four statements, each built once per database and reused: one multi-row upsert of
    the member counts, one of the week member counts, one of the five tallies, one of the two
    weeks. Rows are touched in the global order the module docstring states.
    """
    d_realized = (new_status in REALIZED) - (old_status in REALIZED)
    d_verified = (new_status in VERIFIED) - (old_status in VERIFIED)
    if not d_realized and not d_verified:
        return
    markers.touch(markers.campaign(purchase.campaign_id))
    campaign_id, amount = purchase.campaign_id, purchase.amount
    keys = [(dimension, _key(purchase, dimension)) for dimension in DIMENSIONS]
    week = week_start(purchase.purchased_on)
    distinct = _bump_members(purchase, keys, d_realized, d_verified)
    weekly = _bump_week_members(purchase, week, keys, d_realized, d_verified)
    moved = (d_realized * amount, d_realized, d_verified * amount, d_verified)
    _upsert(Tally, [(campaign_id, dimension, key, *moved, *distinct[dimension], 0, 0) for dimension, key in keys])
    _upsert(TallyWeek, [(campaign_id, dimension, key, week, *moved, *weekly[dimension])
                        for dimension, key in keys if dimension in WEEKLY_DIMENSIONS])


def _crossing(step: int, count: int) -> int:
    """How a distinct count moves when a member's count, after adding ``step``, is ``count``."""
    if step > 0 and count == step:
        return 1
    if step < 0 and count == 0:
        return -1
    return 0


def _bump_members(purchase: Purchase, keys: list[tuple[str, int]], d_realized: int,
                  d_verified: int) -> dict[str, tuple[int, int, int]]:
    """Add the steps to the buyer's (realized, verified) and the shop's realized counts under
    each key; return per dimension the changes of (participants, shops_supported,
    verified_buyers): a count crossing 0 <-> 1 moves them."""
    rows = []
    for dimension, key in keys:
        if dimension in BUYER_COUNTED:
            rows.append((purchase.campaign_id, dimension, key, "asn", purchase.buyer_id, d_realized, d_verified))
        if d_realized and dimension in SHOP_COUNTED:
            rows.append((purchase.campaign_id, dimension, key, "shop", purchase.shop_id, d_realized, 0))
    changes: dict[str, list[int]] = {dimension: [0, 0, 0] for dimension, _key in keys}
    returned = _upsert(TallyMember, rows, returning=True)
    for _campaign, dimension, _key, kind, _member, realized, verified in returned:
        if kind == "asn":
            changes[dimension][0] += _crossing(d_realized, realized)
            changes[dimension][2] += _crossing(d_verified, verified)
        else:
            changes[dimension][1] += _crossing(d_realized, realized)
    return {dimension: tuple(change) for dimension, change in changes.items()}


def _bump_week_members(purchase: Purchase, week: date, keys: list[tuple[str, int]], d_realized: int,
                       d_verified: int) -> dict[str, tuple[int, int]]:
    """The same for the buyer's counts in the purchase's week: per weekly dimension the changes
    of the week's (participants, verified_buyers)."""
    rows = [(purchase.campaign_id, dimension, key, week, purchase.buyer_id, d_realized, d_verified)
            for dimension, key in keys if dimension in WEEKLY_DIMENSIONS]
    return {dimension: (_crossing(d_realized, realized), _crossing(d_verified, verified))
            for _campaign, dimension, _key, _week, _buyer, realized, verified
            in _upsert(TallyWeekMember, rows, returning=True)}


def lock_for_batch(purchases: list[Purchase]) -> None:
    """Lock, in the global order (members, week members, tallies, weeks, each by dimension as in
    DIMENSIONS, then key and member), every existing row that moving ``purchases`` between live
    states will touch. Call it before moving several purchases in one transaction: each move
    alone follows that order, but a batch interleaves keys, and two batches could deadlock on
    PostgreSQL. (SQLite takes the write lock up front; FOR UPDATE is a no-op there.)"""
    for campaign_id in sorted({p.campaign_id for p in purchases}):
        batch = [p for p in purchases if p.campaign_id == campaign_id]
        _lock_members(campaign_id, batch)
        for model, dimensions in ((Tally, DIMENSIONS), (TallyWeek, WEEKLY_DIMENSIONS)):
            for dimension in dimensions:
                keys = sorted({_key(p, dimension) for p in batch})
                statement = select(model.key_id).where(model.campaign_id == campaign_id,
                                                       model.dimension == dimension, model.key_id.in_(keys))
                if model is TallyWeek:
                    weeks = sorted({(_key(p, dimension), week_start(p.purchased_on)) for p in batch})
                    statement = statement.where(tuple_(model.key_id, model.week_start).in_(weeks))
                    statement = statement.order_by(model.key_id, model.week_start)
                else:
                    statement = statement.order_by(model.key_id)
                db.session.execute(statement.with_for_update()).all()


def _lock_members(campaign_id: int, batch: list[Purchase]) -> None:
    """The member and week member rows of :func:`lock_for_batch`, in the same order."""
    for dimension in DIMENSIONS:
        members = set()
        if dimension in BUYER_COUNTED:
            members |= {(_key(p, dimension), "asn", p.buyer_id) for p in batch}
        if dimension in SHOP_COUNTED:
            members |= {(_key(p, dimension), "shop", p.shop_id) for p in batch}
        if members:
            db.session.execute(select(TallyMember.key_id).where(
                TallyMember.campaign_id == campaign_id, TallyMember.dimension == dimension,
                tuple_(TallyMember.key_id, TallyMember.member_kind, TallyMember.member_id).in_(sorted(members)))
                .order_by(TallyMember.key_id, TallyMember.member_kind, TallyMember.member_id)
                .with_for_update()).all()
    for dimension in WEEKLY_DIMENSIONS:
        rows = sorted({(_key(p, dimension), week_start(p.purchased_on), p.buyer_id) for p in batch})
        db.session.execute(select(TallyWeekMember.key_id).where(
            TallyWeekMember.campaign_id == campaign_id, TallyWeekMember.dimension == dimension,
            tuple_(TallyWeekMember.key_id, TallyWeekMember.week_start, TallyWeekMember.buyer_id).in_(rows))
            .order_by(TallyWeekMember.key_id, TallyWeekMember.week_start, TallyWeekMember.buyer_id)
            .with_for_update()).all()


@dataclass(frozen=True)
class PledgeState:
    campaign_id: int
    user_id: int
    region_id: int
    agency_id: int
    amount: int

    @classmethod
    def of(cls, pledge: Pledge) -> PledgeState:
        return cls(pledge.campaign_id, pledge.user_id, pledge.region_id, pledge.agency_id, pledge.amount)


def move_pledge(old: PledgeState | None, new: PledgeState | None) -> None:
    """Apply a pledge's creation (old None), change, or removal (new None)."""
    deltas: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for state, sign in ((old, -1), (new, 1)):
        if state is None:
            continue
        markers.touch(markers.campaign(state.campaign_id))
        keys = {"asn_region": state.region_id, "agency": state.agency_id, "asn": state.user_id}
        for dimension in PLEDGE_DIMENSIONS:
            bucket = deltas[(state.campaign_id, DIMENSIONS.index(dimension), dimension, keys[dimension])]
            bucket["pledged_amount"] += sign * state.amount
            bucket["pledgers"] += sign
    rows = [(campaign_id, dimension, key, *(0,) * 7, delta["pledged_amount"], delta["pledgers"])
            for (campaign_id, _order, dimension, key), delta in sorted(deltas.items()) if any(delta.values())]
    if rows:
        _upsert(Tally, rows)


_KEYS = {"tally": ("campaign_id", "dimension", "key_id"),
         "tally_week": ("campaign_id", "dimension", "key_id", "week_start"),
         "tally_member": ("campaign_id", "dimension", "key_id", "member_kind", "member_id"),
         "tally_week_member": ("campaign_id", "dimension", "key_id", "week_start", "buyer_id")}
MEMBER_COUNTS = ("realized_count", "verified_count")
_ADDED = {"tally": TALLY_FIELDS, "tally_week": WEEK_FIELDS, "tally_member": MEMBER_COUNTS,
          "tally_week_member": MEMBER_COUNTS}
_STATEMENTS: dict[tuple[str, str, int, bool], str] = {}


def _upsert_sql(dialect: str, table: str, rows: int, returning: bool) -> str:
    """``INSERT ... VALUES (...) x rows ON CONFLICT (key) DO UPDATE SET field = field + new``,
    as driver SQL for ``dialect``, built on first use and kept."""
    cache_key = (dialect, table, rows, returning)
    if cache_key not in _STATEMENTS:
        columns = (*_KEYS[table], *_ADDED[table])
        mark = "%s" if dialect == "postgresql" else "?"
        values = ", ".join(["(" + ", ".join([mark] * len(columns)) + ")"] * rows)
        added = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in _ADDED[table])
        sql = (f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values} "  # nosec B608: table/column names come from the code; values are bound parameters
               f"ON CONFLICT ({', '.join(_KEYS[table])}) DO UPDATE SET {added}")
        returned = ", ".join((*_KEYS[table], *MEMBER_COUNTS))
        _STATEMENTS[cache_key] = sql + (f" RETURNING {returned}" if returning else "")
    return _STATEMENTS[cache_key]


def _upsert(model, rows: list[tuple], returning: bool = False) -> list[tuple]:
    """Add ``rows`` (key columns, then the added fields in table order) to ``model``'s table in
    one statement; with ``returning``, the member rows' keys and new (realized, verified) counts,
    in no particular order."""
    connection = db.session.connection()
    sql = _upsert_sql(connection.dialect.name, model.__tablename__, len(rows), returning)
    values = tuple(value for row in rows for value in row)
    if connection.dialect.name == "sqlite":  # dates as SQLAlchemy's Date stores them there
        values = tuple(v.isoformat() if isinstance(v, date) else v for v in values)
    result = connection.exec_driver_sql(sql, values)
    return result.all() if returning else []


MEMBER_BATCH = 100  # member rows per upsert in move_purchases


def _bump_many(model, steps: dict[tuple, list[int]]) -> dict[tuple, tuple[int, int]]:
    """Add each (week) member's (realized, verified) steps, keyed by the table's key columns,
    MEMBER_BATCH rows per statement in the global order; return per key the changes of the two
    distinct counts (-1, 0, 1 each). Used by :func:`move_purchases` (bulk void, undo)."""
    rows = sorted(((*key, *change) for key, change in steps.items() if any(change)),
                  key=lambda row: (row[0], DIMENSIONS.index(row[1]), *row[2:]))
    changes = {}
    for start in range(0, len(rows), MEMBER_BATCH):
        for *key, realized, verified in _upsert(model, rows[start:start + MEMBER_BATCH], returning=True):
            if model is TallyWeekMember and isinstance(key[3], str):  # SQLite's driver returns text
                key[3] = date.fromisoformat(key[3])
            key = tuple(key)
            step = steps[key]
            changes[key] = (_crossing(step[0], realized), _crossing(step[1], verified))
    return changes


def _add(model, key: dict, delta: dict[str, int]) -> None:
    table = model.__table__
    values = {name: 0 for name in (TALLY_FIELDS if model is Tally else WEEK_FIELDS)}
    values.update(delta)
    statement = dialect_insert(table).values(**key, **values)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c[name] for name in key],
        set_={name: table.c[name] + statement.excluded[name] for name, value in delta.items() if value},
    )
    db.session.execute(statement)


def _step(counts: list[int], d_realized: int, d_verified: int) -> None:
    counts[0] += d_realized
    counts[1] += d_verified


def move_purchases(moves: list[tuple[Purchase, str | None, str | None]]) -> None:
    """Apply many purchases' status moves at once (a bulk void or its undo): the same deltas as
    :func:`move_purchase` one by one, summed, then written in the global row order, so a bulk
    transaction cannot deadlock with single ones."""
    members: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    week_members: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    sums: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    weeks: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for purchase, old, new in moves:
        d_realized = (new in REALIZED) - (old in REALIZED)
        d_verified = (new in VERIFIED) - (old in VERIFIED)
        delta = {"realized_amount": d_realized * purchase.amount, "realized_count": d_realized,
                 "verified_amount": d_verified * purchase.amount, "verified_count": d_verified}
        for order, dimension in enumerate(DIMENSIONS):
            key = (purchase.campaign_id, order, dimension, _key(purchase, dimension))
            for name, value in delta.items():
                sums[key][name] += value
            member_key = (purchase.campaign_id, dimension, key[3])
            if dimension in BUYER_COUNTED:
                _step(members[(*member_key, "asn", purchase.buyer_id)], d_realized, d_verified)
            if dimension in SHOP_COUNTED:
                _step(members[(*member_key, "shop", purchase.shop_id)], d_realized, 0)
            if dimension in WEEKLY_DIMENSIONS:
                week = (*key, week_start(purchase.purchased_on))
                for name, value in delta.items():
                    weeks[week][name] += value
                _step(week_members[(*member_key, week[4], purchase.buyer_id)], d_realized, d_verified)
    for (campaign_id, dimension, key, kind, _member), (buyers, verified) in _bump_many(
            TallyMember, members).items():
        tally = sums[(campaign_id, DIMENSIONS.index(dimension), dimension, key)]
        tally["participants" if kind == "asn" else "shops_supported"] += buyers
        tally["verified_buyers"] += verified
    for (campaign_id, dimension, key, week, _buyer), (buyers, verified) in _bump_many(
            TallyWeekMember, week_members).items():
        weekly = weeks[(campaign_id, DIMENSIONS.index(dimension), dimension, key, week)]
        weekly["participants"] += buyers
        weekly["verified_buyers"] += verified
    for (campaign_id, _order, dimension, key), delta in sorted(sums.items()):
        if any(delta.values()):
            _add(Tally, {"campaign_id": campaign_id, "dimension": dimension, "key_id": key},
                 {k: v for k, v in delta.items() if v})
    for (campaign_id, _order, dimension, key, week), delta in sorted(weeks.items()):
        if any(delta.values()):
            _add(TallyWeek, {"campaign_id": campaign_id, "dimension": dimension, "key_id": key,
                             "week_start": week}, {k: v for k, v in delta.items() if v})
    markers.touch(*sorted({markers.campaign(purchase.campaign_id) for purchase, _old, _new in moves}))
