"""Moving the tallies inside the transaction of the change they reflect.

Purchase and pledge services call :func:`move_purchase` / :func:`move_pledge` (bulk void and its
undo :func:`move_purchases`) in the same transaction as the state change, so the tallies can
never drift from the raw rows. What a move adds where is :class:`.buckets.Contribution`'s; this
module only writes it: multi-row upserts, each built once per database and reused, member rows
first (their returned counts give the 0 <-> 1 crossings that move the distinct counts), then
week members, tallies and weeks, each in the global row order of :func:`.buckets.order`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select, tuple_

from campaign.core import chain as chains
from campaign.core.extensions import db
from campaign.domains.tallies.buckets import (
    BUYER_COUNTED,
    DIMENSIONS,
    MEMBER_COUNTS,
    ON_ROSTER,
    PLEDGE_DIMENSIONS,
    SHOP_COUNTED,
    TALLY_FIELDS,
    VERIFIED,
    WEEK_FIELDS,
    WEEKLY_DIMENSIONS,
    Contribution,
    crossing,
    key_of,
    order,
    week_start,
)
from campaign.domains.tallies.models import Tally, TallyMember, TallyWeek, TallyWeekMember
from campaign.web import markers

MEMBER_BATCH = 100  # rows per upsert in move_purchases (a single move writes each table in one)
ROSTER_BATCH = 500  # rows per upsert in move_roster (an import may move 100,000 purchases)


def move_purchase(purchase: Any, old_status: str | None, new_status: str | None) -> None:
    """Apply a purchase's move from ``old_status`` to ``new_status`` (None: not existing): at
    most four statements, one multi-row upsert each of the member counts, the week member
    counts, the five tallies and the two weeks."""
    contribution = Contribution()
    contribution.add(purchase, old_status, new_status)
    _write(contribution, batch=None)


def move_purchases(moves: list[tuple[Any, str | None, str | None]]) -> None:
    """Apply many purchases' status moves at once (a bulk void or its undo): the same rows as
    :func:`move_purchase` one by one, summed, written :data:`MEMBER_BATCH` rows per statement in
    the global row order, so a bulk transaction cannot deadlock with single ones."""
    _write(Contribution.of(moves), batch=MEMBER_BATCH)


def move_roster(purchases: list[Any]) -> None:
    """Apply a roster change: the buyers of ``purchases`` came onto an active roster entry or left
    it, and each purchase's :data:`.buckets.ON_ROSTER` column already holds the new value (the
    status is unchanged). Written as :func:`move_purchases` writes, in the global row order."""
    contribution = Contribution()
    for purchase in purchases:
        if purchase.status in VERIFIED:  # no other status counts as verified, on the roster or not
            contribution.add(purchase, purchase.status, purchase.status,
                             was_on_roster=not getattr(purchase, ON_ROSTER))
    _write(contribution, batch=ROSTER_BATCH)


def chain_purchase(chain: chains.Chain, purchase: Any, old_status: str | None, new_status: str | None, *,
                   guard: str) -> None:
    """Add :func:`move_purchase`'s writes to ``chain`` (PostgreSQL), to run only if the part
    ``guard`` returns a row (the purchase's own insert or update): the member and week member
    upserts return their new counts, the 0 <-> 1 crossings are summed in SQL (as
    :func:`.buckets.crossing` does) into the tallies' and weeks' distinct counts. Each part reads
    the one before it, so the rows are locked in the global order, as :func:`_write` does."""
    contribution = Contribution()
    contribution.add(purchase, old_status, new_status)
    if not contribution.tallies:
        return
    _touch(contribution)
    _chain_members(chain, "m", "tally_member", _MEMBER_CASTS, contribution.members, guard)
    _chain_members(chain, "wm", "tally_week_member", _WEEK_MEMBER_CASTS, contribution.week_members, "m")
    _chain_sums(chain, "t", "tally", _TALLY_CASTS, contribution.tallies, "m", after="wm",
                distinct=("participants", "shops_supported", "verified_buyers"), zeros=("pledged_amount", "pledgers"))
    _chain_sums(chain, "w", "tally_week", _WEEK_CASTS, contribution.weeks, "wm", after="t",
                distinct=("participants", "verified_buyers"), zeros=())


_MEMBER_CASTS = ("integer", "integer", "varchar", "integer", "varchar", "integer", "integer", "integer")
_WEEK_MEMBER_CASTS = ("integer", "integer", "varchar", "integer", "date", "integer", "integer", "integer")
_TALLY_CASTS = ("integer", "integer", "varchar", "integer", "bigint", "integer", "bigint", "integer")
_WEEK_CASTS = ("integer", "integer", "varchar", "integer", "date", "bigint", "integer", "bigint", "integer")
_CROSSING = ("CASE WHEN s.{c} > 0 AND r.{c} = s.{c} THEN 1 WHEN s.{c} < 0 AND r.{c} = 0 THEN -1 ELSE 0 END")
_DISTINCT_OF = {"participants": ("asn", "realized_count"), "shops_supported": ("shop", "realized_count"),
                "verified_buyers": ("asn", "verified_count")}


def _chain_members(chain: chains.Chain, name: str, table: str, casts: tuple[str, ...],
                   steps: dict[tuple, list[int]], after: str) -> None:
    """``<name>s``: the steps as VALUES; ``<name>``: their upsert, returning the new counts;
    ``<name>d``: the distinct counts' moves per tally (or week) key."""
    keys, added = _KEYS[table], MEMBER_COUNTS
    rows = [(index, *key, *step) for index, (key, step) in
            enumerate(sorted(steps.items(), key=lambda item: order(item[0]))) if any(step)]
    columns = ", ".join((*keys, *added))
    listed, params = chains.values(rows, casts)
    chain.add(f"{name}s(ord, {columns})", listed, params)
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in added)
    chain.add(name, f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {name}s "  # nosec B608: names from the code
              f"WHERE EXISTS (SELECT 1 FROM {after}) ORDER BY ord "
              f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates} RETURNING {columns}")
    group = keys[:-2] if table == "tally_member" else keys[:-1]  # the tally (week) key
    joined = " AND ".join(f"r.{k} = s.{k}" for k in keys)
    if table == "tally_member":
        sums = ", ".join(f"sum(CASE WHEN r.member_kind = '{kind}' THEN {_CROSSING.format(c=count)} ELSE 0 END) "
                         f"AS {distinct}" for distinct, (kind, count) in _DISTINCT_OF.items())
    else:
        sums = (f"sum({_CROSSING.format(c='realized_count')}) AS participants, "
                f"sum({_CROSSING.format(c='verified_count')}) AS verified_buyers")
    chain.add(f"{name}d", f"SELECT {', '.join(f'r.{k}' for k in group)}, {sums} "  # nosec B608: names from the code
              f"FROM {name} r JOIN {name}s s ON {joined} GROUP BY {', '.join(f'r.{k}' for k in group)}")


def _chain_sums(chain: chains.Chain, name: str, table: str, casts: tuple[str, ...], sums: dict[tuple, list[int]],
                members: str, *, after: str, distinct: tuple[str, ...], zeros: tuple[str, ...]) -> None:
    """``<name>s``: the sums as VALUES; ``<name>``: their upsert with the distinct counts' moves
    of ``<members>d``, after ``after`` (so rows are locked in the global order)."""
    keys = _KEYS[table]
    added = ("realized_amount", "realized_count", "verified_amount", "verified_count")
    rows = [(index, *key, *values) for index, (key, values) in
            enumerate(sorted(sums.items(), key=lambda item: order(item[0])))]
    listed, params = chains.values(rows, casts)
    chain.add(f"{name}s(ord, {', '.join((*keys, *added))})", listed, params)
    columns = (*keys, *added, *distinct, *zeros)
    selected = ", ".join((*(f"s.{c}" for c in (*keys, *added)), *(f"COALESCE(d.{c}, 0)" for c in distinct),
                          *("0" for _ in zeros)))
    joined = " AND ".join(f"d.{k} = s.{k}" for k in keys)
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in (*added, *distinct))
    chain.add(name, f"INSERT INTO {table} ({', '.join(columns)}) SELECT {selected} "  # nosec B608: names from the code
              f"FROM {name}s s LEFT JOIN {members}d d ON {joined} "
              f"WHERE EXISTS (SELECT 1 FROM {after}) ORDER BY s.ord "
              f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates} RETURNING 1")


def _touch(contribution: Contribution) -> None:
    markers.touch(*sorted(markers.campaign(campaign_id) for campaign_id in contribution.campaigns))
    markers.touch(*(markers.region(c, k) for c, d, k in contribution.tallies if d.endswith("_region")))


def _write(contribution: Contribution, batch: int | None) -> None:
    if not contribution.tallies:
        return
    _touch(contribution)
    distinct = {key: [0, 0, 0] for key in contribution.tallies}  # participants, shops_supported, verified_buyers
    for (campaign_id, dimension, key, kind, _member), (buyers, verified) in _bump(
            TallyMember, contribution.members, batch):
        counts = distinct[(campaign_id, dimension, key)]
        if kind == "asn":
            counts[0] += buyers
            counts[2] += verified
        else:
            counts[1] += buyers
    weekly = {key: [0, 0] for key in contribution.weeks}  # participants, verified_buyers
    for (campaign_id, dimension, key, week, _buyer), (buyers, verified) in _bump(
            TallyWeekMember, contribution.week_members, batch):
        counts = weekly[(campaign_id, dimension, key, week)]
        counts[0] += buyers
        counts[1] += verified
    _upsert_all(Tally, [(*key, *sums, *distinct[key], 0, 0)
                        for key, sums in sorted(contribution.tallies.items(), key=lambda item: order(item[0]))
                        if any(sums) or any(distinct[key])], batch)
    _upsert_all(TallyWeek, [(*key, *sums, *weekly[key])
                            for key, sums in sorted(contribution.weeks.items(), key=lambda item: order(item[0]))
                            if any(sums) or any(weekly[key])], batch)


def _bump(model, steps: dict[tuple, list[int]], batch: int | None) -> list[tuple[tuple, tuple[int, int]]]:
    """Add each (week) member's (realized, verified) steps in the global order; return per key
    the changes of the two distinct counts (-1, 0, 1 each)."""
    rows = [(*key, *step) for key, step in sorted(steps.items(), key=lambda item: order(item[0])) if any(step)]
    changes = []
    for chunk in _chunks(rows, batch):
        for *key, realized, verified in _upsert(model, chunk, returning=True):
            if model is TallyWeekMember and isinstance(key[3], str):  # SQLite's driver returns text
                key[3] = date.fromisoformat(key[3])
            step = steps[tuple(key)]
            changes.append((tuple(key), (crossing(step[0], realized), crossing(step[1], verified))))
    return changes


def _chunks(rows: list[tuple], batch: int | None):
    size = batch or len(rows) or 1
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _upsert_all(model, rows: list[tuple], batch: int | None) -> None:
    for chunk in _chunks(rows, batch):
        _upsert(model, chunk)


def lock_for_batch(purchases: list[Any]) -> None:
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
                keys = sorted({key_of(p, dimension) for p in batch})
                statement = select(model.key_id).where(model.campaign_id == campaign_id,
                                                       model.dimension == dimension, model.key_id.in_(keys))
                if model is TallyWeek:
                    weeks = sorted({(key_of(p, dimension), week_start(p.purchased_on)) for p in batch})
                    statement = statement.where(tuple_(model.key_id, model.week_start).in_(weeks))
                    statement = statement.order_by(model.key_id, model.week_start)
                else:
                    statement = statement.order_by(model.key_id)
                db.session.execute(statement.with_for_update()).all()


def _lock_members(campaign_id: int, batch: list[Any]) -> None:
    """The member and week member rows of :func:`lock_for_batch`, in the same order."""
    for dimension in DIMENSIONS:
        members = set()
        if dimension in BUYER_COUNTED:
            members |= {(key_of(p, dimension), "asn", p.buyer_id) for p in batch}
        if dimension in SHOP_COUNTED:
            members |= {(key_of(p, dimension), "shop", p.shop_id) for p in batch}
        if members:
            db.session.execute(select(TallyMember.key_id).where(
                TallyMember.campaign_id == campaign_id, TallyMember.dimension == dimension,
                tuple_(TallyMember.key_id, TallyMember.member_kind, TallyMember.member_id).in_(sorted(members)))
                .order_by(TallyMember.key_id, TallyMember.member_kind, TallyMember.member_id)
                .with_for_update()).all()
    for dimension in WEEKLY_DIMENSIONS:
        rows = sorted({(key_of(p, dimension), week_start(p.purchased_on), p.buyer_id) for p in batch})
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
    def of(cls, pledge: Any) -> PledgeState:
        return cls(pledge.campaign_id, pledge.user_id, pledge.region_id, pledge.agency_id, pledge.amount)


def move_pledge(old: PledgeState | None, new: PledgeState | None) -> None:
    """Apply a pledge's creation (old None), change, or removal (new None)."""
    deltas: dict[tuple, list[int]] = {}
    for state, sign in ((old, -1), (new, 1)):
        if state is None:
            continue
        markers.touch(markers.region(state.campaign_id, state.region_id))
        keys = {"asn_region": state.region_id, "agency": state.agency_id, "asn": state.user_id}
        for dimension in PLEDGE_DIMENSIONS:
            delta = deltas.setdefault((state.campaign_id, dimension, keys[dimension]), [0, 0])
            delta[0] += sign * state.amount
            delta[1] += sign
    rows = [(*key, *(0,) * 7, *delta) for key, delta in sorted(deltas.items(), key=lambda item: order(item[0]))
            if any(delta)]
    if rows:
        _upsert(Tally, rows)


_KEYS = {"tally": ("campaign_id", "dimension", "key_id"),
         "tally_week": ("campaign_id", "dimension", "key_id", "week_start"),
         "tally_member": ("campaign_id", "dimension", "key_id", "member_kind", "member_id"),
         "tally_week_member": ("campaign_id", "dimension", "key_id", "week_start", "buyer_id")}
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
    if not rows:
        return []
    connection = db.session.connection()
    sql = _upsert_sql(connection.dialect.name, model.__tablename__, len(rows), returning)
    values = tuple(value for row in rows for value in row)
    if connection.dialect.name == "sqlite":  # dates as SQLAlchemy's Date stores them there
        values = tuple(v.isoformat() if isinstance(v, date) else v for v in values)
    result = connection.exec_driver_sql(sql, values)
    return result.all() if returning else []
