"""Recompute every tally from the raw purchase and pledge rows (GROUP BY), compare, repair.

``flask --app campaign check-tallies`` and ``rebuild-tallies`` are thin wrappers around
:func:`find_differences` and :func:`rebuild`. Zero rows and missing rows are the same thing.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import case, delete, func, insert, select

from .database import write_transaction
from .extensions import db
from .purchases.models import REALIZED, VERIFIED, Pledge, Purchase
from .tallies import (BUYER_COUNTED, PLEDGE_KEY_COLUMNS, PURCHASE_KEY_COLUMNS, SHOP_COUNTED, TALLY_FIELDS,
                      WEEK_FIELDS, WEEKLY_DIMENSIONS, Tally, TallyMember, TallyWeek, week_start)

Key = tuple  # (campaign_id, dimension, key_id[, week_start | member_kind, member_id])


def _realized(column):
    return case((Purchase.status.in_(REALIZED), column))


def _verified(column):
    return case((Purchase.status.in_(VERIFIED), column))


def expected() -> tuple[dict[Key, dict], dict[Key, dict], dict[Key, dict]]:
    """The tallies, weeks and members the raw rows imply, without zero entries."""
    tallies: dict[Key, dict] = defaultdict(lambda: dict.fromkeys(TALLY_FIELDS, 0))
    weeks: dict[Key, dict] = defaultdict(lambda: dict.fromkeys(WEEK_FIELDS, 0))
    members: dict[Key, dict] = {}
    for dimension, column in PURCHASE_KEY_COLUMNS.items():
        rows = db.session.execute(
            select(Purchase.campaign_id, column,
                   func.coalesce(func.sum(_realized(Purchase.amount)), 0),
                   func.count(_realized(Purchase.id)),
                   func.coalesce(func.sum(_verified(Purchase.amount)), 0),
                   func.count(_verified(Purchase.id)),
                   func.count(func.distinct(_realized(Purchase.buyer_id))),
                   func.count(func.distinct(_realized(Purchase.shop_id))))
            .group_by(Purchase.campaign_id, column))
        for campaign_id, key, r_amt, r_cnt, v_amt, v_cnt, buyers, shops in rows:
            tallies[(campaign_id, dimension, key)].update(
                realized_amount=int(r_amt), realized_count=r_cnt, verified_amount=int(v_amt),
                verified_count=v_cnt, participants=buyers if dimension in BUYER_COUNTED else 0,
                shops_supported=shops if dimension in SHOP_COUNTED else 0)
        for kind, member_column, counted in (("asn", Purchase.buyer_id, BUYER_COUNTED),
                                             ("shop", Purchase.shop_id, SHOP_COUNTED)):
            if dimension not in counted:
                continue
            rows = db.session.execute(
                select(Purchase.campaign_id, column, member_column, func.count())
                .where(Purchase.status.in_(REALIZED))
                .group_by(Purchase.campaign_id, column, member_column))
            for campaign_id, key, member_id, count in rows:
                members[(campaign_id, dimension, key, kind, member_id)] = {"realized_count": count}
        if dimension in WEEKLY_DIMENSIONS:
            rows = db.session.execute(
                select(Purchase.campaign_id, column, Purchase.purchased_on,
                       func.coalesce(func.sum(_realized(Purchase.amount)), 0),
                       func.count(_realized(Purchase.id)),
                       func.coalesce(func.sum(_verified(Purchase.amount)), 0),
                       func.count(_verified(Purchase.id)))
                .group_by(Purchase.campaign_id, column, Purchase.purchased_on))
            for campaign_id, key, day, r_amt, r_cnt, v_amt, v_cnt in rows:
                week = weeks[(campaign_id, dimension, key, week_start(day))]
                week["realized_amount"] += int(r_amt)
                week["realized_count"] += r_cnt
                week["verified_amount"] += int(v_amt)
                week["verified_count"] += v_cnt
    for dimension, column in PLEDGE_KEY_COLUMNS.items():
        rows = db.session.execute(
            select(Pledge.campaign_id, column, func.sum(Pledge.amount), func.count())
            .group_by(Pledge.campaign_id, column))
        for campaign_id, key, amount, count in rows:
            tallies[(campaign_id, dimension, key)].update(pledged_amount=int(amount), pledgers=count)
    return _nonzero(tallies), _nonzero(weeks), members


def stored() -> tuple[dict[Key, dict], dict[Key, dict], dict[Key, dict]]:
    tallies = {(t.campaign_id, t.dimension, t.key_id): {f: getattr(t, f) for f in TALLY_FIELDS}
               for t in db.session.scalars(select(Tally))}
    weeks = {(w.campaign_id, w.dimension, w.key_id, w.week_start): {f: getattr(w, f) for f in WEEK_FIELDS}
             for w in db.session.scalars(select(TallyWeek))}
    members = {(m.campaign_id, m.dimension, m.key_id, m.member_kind, m.member_id):
               {"realized_count": m.realized_count} for m in db.session.scalars(select(TallyMember))}
    return _nonzero(tallies), _nonzero(weeks), _nonzero(members)


def find_differences(limit: int = 50) -> list[str]:
    """Human-readable differences between stored and recomputed tallies (empty when all agree)."""
    problems: list[str] = []
    for label, want, have in zip(("tally", "tally_week", "tally_member"), expected(), stored()):
        for key in sorted(set(want) | set(have), key=repr):
            if want.get(key) != have.get(key):
                problems.append(f"{label} {key}: tersimpan {have.get(key)}, seharusnya {want.get(key)}")
    db.session.rollback()
    return problems[:limit] if limit else problems


def rebuild() -> int:
    """Replace every tally with the recomputed values; returns the number of rows written."""
    with write_transaction():
        tallies, weeks, members = expected()
        for model in (TallyMember, TallyWeek, Tally):
            db.session.execute(delete(model))
        written = 0
        for model, rows, names in ((Tally, tallies, ("campaign_id", "dimension", "key_id")),
                                   (TallyWeek, weeks, ("campaign_id", "dimension", "key_id", "week_start")),
                                   (TallyMember, members, ("campaign_id", "dimension", "key_id",
                                                           "member_kind", "member_id"))):
            payload = [{**dict(zip(names, key)), **values} for key, values in rows.items()]
            for start in range(0, len(payload), 5000):
                db.session.execute(insert(model), payload[start:start + 5000])
            written += len(payload)
    return written


def _nonzero(rows: dict[Key, dict]) -> dict[Key, dict]:
    return {key: dict(values) for key, values in rows.items() if any(values.values())}
