"""Recompute every tally from the raw purchase, pledge, affected-UMKM and deal rows (GROUP BY), compare, repair.

``flask --app campaign check-tallies`` and ``rebuild-tallies`` are thin wrappers around
:func:`find_differences` and :func:`rebuild`. Zero rows and missing rows are the same thing.
The check recomputes distinct counts with ``COUNT(DISTINCT ...)`` straight from purchases and
compares member rows with ``EXCEPT`` inside the database, so it stays independent of the
incremental code and does not pull millions of rows into Python.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import and_, case, delete, except_, func, insert, literal, select

from . import markers
from .affected import tally as affected_tally
from .database import write_transaction
from .needs import tally as institutional_tally
from .extensions import db
from .purchases.models import REALIZED, VERIFIED, Pledge, Purchase
from .regions.models import Campaign
from .tallies import (BUYER_COUNTED, PLEDGE_KEY_COLUMNS, PURCHASE_KEY_COLUMNS, SHOP_COUNTED, TALLY_FIELDS,
                      WEEK_FIELDS, WEEKLY_DIMENSIONS, Tally, TallyMember, TallyWeek, week_start)
from .training.reconcile import rebuild_seats, seat_differences

Key = tuple  # (campaign_id, dimension, key_id[, week_start])
MEMBER_COLUMNS = ["campaign_id", "dimension", "key_id", "member_kind", "member_id", "realized_count"]


def _realized(column):
    return case((Purchase.status.in_(REALIZED), column))


def _verified(column):
    return case((Purchase.status.in_(VERIFIED), column))


def _member_selects():
    """(dimension, kind, SELECT): realized purchases per key and member, as tally_member rows."""
    for dimension, column in PURCHASE_KEY_COLUMNS.items():
        for kind, member_column, counted in (("asn", Purchase.buyer_id, BUYER_COUNTED),
                                             ("shop", Purchase.shop_id, SHOP_COUNTED)):
            if dimension in counted:
                yield dimension, kind, (
                    select(Purchase.campaign_id, literal(dimension), column, literal(kind), member_column,
                           func.count())
                    .where(Purchase.status.in_(REALIZED))
                    .group_by(Purchase.campaign_id, column, member_column))


def expected(*, distinct: bool = True) -> tuple[dict[Key, dict], dict[Key, dict]]:
    """The tallies and weeks the raw rows imply, without zero entries (``distinct=False``
    leaves participants and shops_supported at zero, for :func:`rebuild` to fill in)."""
    tallies: dict[Key, dict] = defaultdict(lambda: dict.fromkeys(TALLY_FIELDS, 0))
    weeks: dict[Key, dict] = defaultdict(lambda: dict.fromkeys(WEEK_FIELDS, 0))
    for dimension, column in PURCHASE_KEY_COLUMNS.items():
        counts = [func.count(func.distinct(_realized(Purchase.buyer_id))),
                  func.count(func.distinct(_realized(Purchase.shop_id)))] if distinct else [literal(0), literal(0)]
        rows = db.session.execute(
            select(Purchase.campaign_id, column, func.coalesce(func.sum(_realized(Purchase.amount)), 0),
                   func.count(_realized(Purchase.id)), func.coalesce(func.sum(_verified(Purchase.amount)), 0),
                   func.count(_verified(Purchase.id)), *counts)
            .group_by(Purchase.campaign_id, column))
        for campaign_id, key, r_amt, r_cnt, v_amt, v_cnt, buyers, shops in rows:
            tallies[(campaign_id, dimension, key)].update(
                realized_amount=int(r_amt), realized_count=r_cnt, verified_amount=int(v_amt),
                verified_count=v_cnt, participants=buyers if dimension in BUYER_COUNTED else 0,
                shops_supported=shops if dimension in SHOP_COUNTED else 0)
        if dimension in WEEKLY_DIMENSIONS:
            _add_weeks(weeks, dimension, column)
    for dimension, column in PLEDGE_KEY_COLUMNS.items():
        rows = db.session.execute(
            select(Pledge.campaign_id, column, func.sum(Pledge.amount), func.count())
            .group_by(Pledge.campaign_id, column))
        for campaign_id, key, amount, count in rows:
            tallies[(campaign_id, dimension, key)].update(pledged_amount=int(amount), pledgers=count)
    return _nonzero(tallies), _nonzero(weeks)


def _add_weeks(weeks: dict[Key, dict], dimension: str, column) -> None:
    """Group by day in SQL (portable), fold days into Monday-based weeks here."""
    rows = db.session.execute(
        select(Purchase.campaign_id, column, Purchase.purchased_on,
               func.coalesce(func.sum(_realized(Purchase.amount)), 0), func.count(_realized(Purchase.id)),
               func.coalesce(func.sum(_verified(Purchase.amount)), 0), func.count(_verified(Purchase.id)))
        .group_by(Purchase.campaign_id, column, Purchase.purchased_on))
    for campaign_id, key, day, r_amt, r_cnt, v_amt, v_cnt in rows:
        week = weeks[(campaign_id, dimension, key, week_start(day))]
        week["realized_amount"] += int(r_amt)
        week["realized_count"] += r_cnt
        week["verified_amount"] += int(v_amt)
        week["verified_count"] += v_cnt


def stored() -> tuple[dict[Key, dict], dict[Key, dict]]:
    tallies = {tuple(row[:3]): dict(zip(TALLY_FIELDS, row[3:]))
               for row in db.session.execute(select(Tally.campaign_id, Tally.dimension, Tally.key_id,
                                                    *(getattr(Tally, f) for f in TALLY_FIELDS)))}
    weeks = {tuple(row[:4]): dict(zip(WEEK_FIELDS, row[4:]))
             for row in db.session.execute(select(TallyWeek.campaign_id, TallyWeek.dimension, TallyWeek.key_id,
                                                  TallyWeek.week_start,
                                                  *(getattr(TallyWeek, f) for f in WEEK_FIELDS)))}
    return _nonzero(tallies), _nonzero(weeks)


def _member_differences(limit: int) -> list[str]:
    problems: list[str] = []
    for dimension, kind, statement in _member_selects():
        kept = select(*(getattr(TallyMember, c) for c in MEMBER_COLUMNS)).where(and_(
            TallyMember.dimension == dimension, TallyMember.member_kind == kind, TallyMember.realized_count != 0))
        for label, query in (("seharusnya ada", except_(statement, kept)),
                             ("tersimpan tanpa dasar", except_(kept, statement))):
            for row in db.session.execute(query.limit(limit)):
                problems.append(f"tally_member {tuple(row[:5])}: {label}, jumlah {row[5]}")
    return problems


def find_differences(limit: int = 50) -> list[str]:
    """Human-readable differences between stored and recomputed tallies (empty when all agree)."""
    problems: list[str] = []
    for label, want, have in zip(("tally", "tally_week"), expected(), stored()):
        for key in sorted(set(want) | set(have), key=repr):
            if want.get(key) != have.get(key):
                problems.append(f"{label} {key}: tersimpan {have.get(key)}, seharusnya {want.get(key)}")
    problems += _member_differences(limit)
    problems += seat_differences(limit)
    problems += affected_tally.differences()
    problems += institutional_tally.differences()
    db.session.rollback()
    return problems[:limit]


def rebuild() -> int:
    """Replace every tally with the recomputed values; returns the number of rows written.

    Member rows are written by ``INSERT ... SELECT`` inside the database (they are the many);
    the distinct counts are then counted from them.
    """
    with write_transaction():
        markers.touch(*(markers.campaign(c) for c in db.session.scalars(select(Campaign.id))))
        tallies, weeks = expected(distinct=False)
        for model in (TallyMember, TallyWeek, Tally):
            db.session.execute(delete(model))
        written = 0
        for _dimension, _kind, statement in _member_selects():
            written += db.session.execute(insert(TallyMember).from_select(MEMBER_COLUMNS, statement)).rowcount
        distinct = select(TallyMember.campaign_id, TallyMember.dimension, TallyMember.key_id,
                          TallyMember.member_kind, func.count()).group_by(
            TallyMember.campaign_id, TallyMember.dimension, TallyMember.key_id, TallyMember.member_kind)
        for campaign_id, dimension, key, kind, count in db.session.execute(distinct):
            field = "participants" if kind == "asn" else "shops_supported"
            tallies.setdefault((campaign_id, dimension, key), dict.fromkeys(TALLY_FIELDS, 0))[field] = count
        for model, rows, names in ((Tally, tallies, ("campaign_id", "dimension", "key_id")),
                                   (TallyWeek, weeks, ("campaign_id", "dimension", "key_id", "week_start"))):
            payload = [{**dict(zip(names, key)), **values} for key, values in rows.items()]
            for start in range(0, len(payload), 5000):
                db.session.execute(insert(model), payload[start:start + 5000])
            written += len(payload)
        written += rebuild_seats()
        written += affected_tally.rebuild()
        written += institutional_tally.rebuild()
    return written


def _nonzero(rows: dict[Key, dict]) -> dict[Key, dict]:
    return {key: dict(values) for key, values in rows.items() if any(values.values())}
