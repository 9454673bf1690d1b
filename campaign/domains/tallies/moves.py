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

from campaign.core.database import dialect_name, driver_rows
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


def touch(contribution: Contribution) -> None:
    """The change markers of what ``contribution`` moves (written at commit)."""
    markers.touch(*sorted(markers.campaign(campaign_id) for campaign_id in contribution.campaigns))
    markers.touch(*(markers.region(c, k) for c, d, k in contribution.tallies if d.endswith("_region")))


def _write(contribution: Contribution, batch: int | None) -> None:
    if not contribution.tallies:
        return
    touch(contribution)
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


KEYS = {"tally": ("campaign_id", "dimension", "key_id"),
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
        columns = (*KEYS[table], *_ADDED[table])
        mark = "%s" if dialect == "postgresql" else "?"
        values = ", ".join(["(" + ", ".join([mark] * len(columns)) + ")"] * rows)
        added = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in _ADDED[table])
        sql = (f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values} "  # nosec B608: table/column names come from the code; values are bound parameters
               f"ON CONFLICT ({', '.join(KEYS[table])}) DO UPDATE SET {added}")
        returned = ", ".join((*KEYS[table], *MEMBER_COUNTS))
        _STATEMENTS[cache_key] = sql + (f" RETURNING {returned}" if returning else "")
    return _STATEMENTS[cache_key]


def _upsert(model, rows: list[tuple], returning: bool = False) -> list[tuple]:
    """Add ``rows`` (key columns, then the added fields in table order) to ``model``'s table in
    one statement; with ``returning``, the member rows' keys and new (realized, verified) counts,
    in no particular order."""
    if not rows:
        return []
    sql = _upsert_sql(dialect_name(), model.__tablename__, len(rows), returning)
    return driver_rows(sql, [value for row in rows for value in row])
