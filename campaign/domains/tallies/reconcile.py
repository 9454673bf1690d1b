"""Recompute every tally from the raw purchase and pledge rows (GROUP BY), compare, repair; and the
aggregates other domains register in :mod:`.checks` (training seats, affected UMKM, institutional deals).

``flask --app campaign check-tallies`` and ``rebuild-tallies`` are thin wrappers around
:func:`find_differences` and :func:`rebuild`. Zero rows and missing rows are the same thing.
The check recomputes distinct counts with ``COUNT(DISTINCT ...)`` straight from purchases and
compares member rows with ``EXCEPT`` inside the database, so it stays independent of the
incremental code and does not pull millions of rows into Python.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import (
    Date,
    Integer,
    and_,
    case,
    cast,
    delete,
    except_,
    extract,
    func,
    insert,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.exc import SQLAlchemyError

from campaign.core.database import write_transaction
from campaign.core.extensions import db
from campaign.domains.regions.models import Campaign
from campaign.domains.tallies.buckets import (
    BUYER_COUNTED,
    KEY_COLUMNS,
    PLEDGE_KEY_COLUMNS,
    REALIZED,
    SHOP_COUNTED,
    TALLY_FIELDS,
    VERIFIED,
    WEEK_FIELDS,
    WEEKLY_DIMENSIONS,
)
from campaign.domains.tallies import rostered
from campaign.domains.tallies.checks import CHECKS
from campaign.domains.tallies.models import Tally, TallyMember, TallyWeek, TallyWeekMember
from campaign.web import markers

Key = tuple  # (campaign_id, dimension, key_id[, week_start])


class _RawRows:
    """The raw purchase and pledge columns, by table name: the purchases domain sits above this
    one, and its rows are read here only through the columns :mod:`.buckets` names."""

    @property
    def purchase(self):
        return db.metadata.tables["purchase"].c

    @property
    def pledge(self):
        return db.metadata.tables["pledge"].c


raw = _RawRows()

MEMBER_COLUMNS = ["campaign_id", "dimension", "key_id", "member_kind", "member_id", "realized_count",
                  "verified_count"]
WEEK_MEMBER_COLUMNS = ["campaign_id", "dimension", "key_id", "week_start", "buyer_id", "realized_count",
                       "verified_count"]


def _realized(column):
    return case((raw.purchase.status.in_(REALIZED), column))


def _verified(column):
    """``column`` where the purchase is verified: confirmed, and its buyer on an active roster
    entry as the roster says now (not as the purchase's own ON_ROSTER copy says)."""
    return case((and_(raw.purchase.status.in_(VERIFIED), raw.purchase.buyer_id.in_(rostered.buyers())), column))


def _week_of(day):
    """The Monday of ``day``'s week, computed inside the database (as ``tallies.week_start``)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return day - (cast(extract("isodow", day), Integer) - 1)
    return type_coerce(func.date(day, "weekday 0", "-6 days"), Date)


def _member_selects():
    """(dimension, kind, SELECT): realized (and, for buyers, verified) purchases per key and
    member, as tally_member rows."""
    for dimension, column in ((dimension, raw.purchase[name]) for dimension, name in KEY_COLUMNS.items()):
        for kind, member_column, counted in (("asn", raw.purchase.buyer_id, BUYER_COUNTED),
                                             ("shop", raw.purchase.shop_id, SHOP_COUNTED)):
            if dimension in counted:
                verified = func.count(_verified(raw.purchase.id)) if kind == "asn" else literal(0)
                yield dimension, kind, (
                    select(raw.purchase.campaign_id, literal(dimension), column, literal(kind), member_column,
                           func.count(), verified)
                    .where(raw.purchase.status.in_(REALIZED))
                    .group_by(raw.purchase.campaign_id, column, member_column))


def _week_member_selects():
    """(dimension, SELECT): realized and verified purchases per key, week and buyer, as
    tally_week_member rows."""
    for dimension in WEEKLY_DIMENSIONS:
        column, week = raw.purchase[KEY_COLUMNS[dimension]], _week_of(raw.purchase.purchased_on)
        yield dimension, (
            select(raw.purchase.campaign_id, literal(dimension), column, week, raw.purchase.buyer_id, func.count(),
                   func.count(_verified(raw.purchase.id)))
            .where(raw.purchase.status.in_(REALIZED))
            .group_by(raw.purchase.campaign_id, column, week, raw.purchase.buyer_id))


def expected(*, distinct: bool = True) -> tuple[dict[Key, dict], dict[Key, dict]]:
    """The tallies and weeks the raw rows imply, without zero entries (``distinct=False``
    leaves the distinct counts at zero, for :func:`rebuild` to fill in)."""
    tallies: dict[Key, dict] = defaultdict(lambda: dict.fromkeys(TALLY_FIELDS, 0))
    weeks: dict[Key, dict] = defaultdict(lambda: dict.fromkeys(WEEK_FIELDS, 0))
    for dimension, column in ((dimension, raw.purchase[name]) for dimension, name in KEY_COLUMNS.items()):
        rows = db.session.execute(
            select(raw.purchase.campaign_id, column, *_sums(), *_distinct_counts(distinct))
            .group_by(raw.purchase.campaign_id, column))
        for campaign_id, key, r_amt, r_cnt, v_amt, v_cnt, buyers, verified_buyers, shops in rows:
            tallies[(campaign_id, dimension, key)].update(
                realized_amount=int(r_amt), realized_count=r_cnt, verified_amount=int(v_amt),
                verified_count=v_cnt, participants=buyers if dimension in BUYER_COUNTED else 0,
                verified_buyers=verified_buyers if dimension in BUYER_COUNTED else 0,
                shops_supported=shops if dimension in SHOP_COUNTED else 0)
        if dimension in WEEKLY_DIMENSIONS:
            _add_weeks(weeks, dimension, column, distinct)
    for dimension, column in ((dimension, raw.pledge[name]) for dimension, name in PLEDGE_KEY_COLUMNS.items()):
        rows = db.session.execute(
            select(raw.pledge.campaign_id, column, func.sum(raw.pledge.amount), func.count())
            .group_by(raw.pledge.campaign_id, column))
        for campaign_id, key, amount, count in rows:
            tallies[(campaign_id, dimension, key)].update(pledged_amount=int(amount), pledgers=count)
    return _nonzero(tallies), _nonzero(weeks)


def _sums():
    return (func.coalesce(func.sum(_realized(raw.purchase.amount)), 0), func.count(_realized(raw.purchase.id)),
            func.coalesce(func.sum(_verified(raw.purchase.amount)), 0), func.count(_verified(raw.purchase.id)))


def _distinct_counts(distinct: bool):
    """Distinct realized buyers, verified buyers and realized shops (zeros without ``distinct``)."""
    if not distinct:
        return literal(0), literal(0), literal(0)
    return (func.count(func.distinct(_realized(raw.purchase.buyer_id))),
            func.count(func.distinct(_verified(raw.purchase.buyer_id))),
            func.count(func.distinct(_realized(raw.purchase.shop_id))))


def _add_weeks(weeks: dict[Key, dict], dimension: str, column, distinct: bool) -> None:
    """Group by Monday-based week inside the database (distinct buyers cannot be summed from days)."""
    week = _week_of(raw.purchase.purchased_on)
    rows = db.session.execute(
        select(raw.purchase.campaign_id, column, week, *_sums(), *_distinct_counts(distinct)[:2])
        .group_by(raw.purchase.campaign_id, column, week))
    for campaign_id, key, monday, r_amt, r_cnt, v_amt, v_cnt, buyers, verified_buyers in rows:
        weeks[(campaign_id, dimension, key, monday)].update(
            realized_amount=int(r_amt), realized_count=r_cnt, verified_amount=int(v_amt), verified_count=v_cnt,
            participants=buyers, verified_buyers=verified_buyers)


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
    comparisons = [("tally_member", statement, TallyMember, MEMBER_COLUMNS, and_(
        TallyMember.dimension == dimension, TallyMember.member_kind == kind))
        for dimension, kind, statement in _member_selects()]
    comparisons += [("tally_week_member", statement, TallyWeekMember, WEEK_MEMBER_COLUMNS,
                     TallyWeekMember.dimension == dimension) for dimension, statement in _week_member_selects()]
    for table, statement, model, columns, which in comparisons:
        kept = select(*(getattr(model, c) for c in columns)).where(
            which, or_(model.realized_count != 0, model.verified_count != 0))
        for label, query in (("seharusnya ada", except_(statement, kept)),
                             ("tersimpan tanpa dasar", except_(kept, statement))):
            for row in db.session.execute(query.limit(limit)):
                problems.append(f"{table} {tuple(row[:5])}: {label}, jumlah {tuple(row[5:])}")
    return problems


def find_differences(limit: int = 50) -> list[str]:
    """Human-readable differences between stored and recomputed tallies (empty when all agree).

    A part that cannot be read (a sum past the database's integer range, a total stored as a
    float) is reported as a difference of its own, and the other parts are still checked."""
    problems: list[str] = []
    problems += _readable("tally", _tally_differences)
    problems += _readable("buyer_on_roster", lambda: rostered.differences(limit))
    problems += _readable("tally_member", lambda: _member_differences(limit))
    for name, check in CHECKS.items():
        problems += _readable(name, lambda check=check: check.differences(limit))
    db.session.rollback()
    return problems[:limit]


def _tally_differences() -> list[str]:
    problems = []
    for label, want, have in zip(("tally", "tally_week"), expected(), stored()):
        for key in sorted(set(want) | set(have), key=repr):
            if want.get(key) != have.get(key) or _not_whole(have.get(key)):
                problems.append(f"{label} {key}: tersimpan {have.get(key)}, seharusnya {want.get(key)}")
    return problems


def _not_whole(values: dict | None) -> bool:
    """A stored figure that is no whole number (SQLite turns an overflowing integer into a float)."""
    return any(not isinstance(v, int) for v in (values or {}).values())


def _readable(label: str, differences) -> list[str]:
    try:
        return differences()
    except (SQLAlchemyError, ArithmeticError, ValueError, TypeError) as exc:
        db.session.rollback()
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0][:200]
        return [f"{label}: tidak dapat dibaca atau dihitung ulang ({type(exc).__name__}: {reason}); "
                "periksa nilai yang melampaui batas aman"]


def rebuild() -> int:
    """Replace every tally with the recomputed values; returns the number of rows written.

    Member rows are written by ``INSERT ... SELECT`` inside the database (they are the many);
    the distinct counts are then counted from them.
    """
    with write_transaction():
        markers.touch(*(markers.campaign(c) for c in db.session.scalars(select(Campaign.id))))
        rostered.repair()
        tallies, weeks = expected(distinct=False)
        for model in (TallyMember, TallyWeekMember, TallyWeek, Tally):
            db.session.execute(delete(model))
        written = 0
        for _dimension, _kind, statement in _member_selects():
            written += db.session.execute(insert(TallyMember).from_select(MEMBER_COLUMNS, statement)).rowcount
        for _dimension, statement in _week_member_selects():
            written += db.session.execute(
                insert(TallyWeekMember).from_select(WEEK_MEMBER_COLUMNS, statement)).rowcount
        _count_members(tallies, weeks)
        for model, rows, names in ((Tally, tallies, ("campaign_id", "dimension", "key_id")),
                                   (TallyWeek, weeks, ("campaign_id", "dimension", "key_id", "week_start"))):
            payload = [{**dict(zip(names, key)), **values} for key, values in rows.items()]
            for start in range(0, len(payload), 5000):
                db.session.execute(insert(model), payload[start:start + 5000])
            written += len(payload)
        for check in CHECKS.values():
            written += check.rebuild()
    return written


def _count_members(tallies: dict[Key, dict], weeks: dict[Key, dict]) -> None:
    """Fill the distinct counts of :func:`rebuild` in from the member rows just written."""
    has_verified = func.count(case((TallyMember.verified_count > 0, 1)))
    distinct = select(TallyMember.campaign_id, TallyMember.dimension, TallyMember.key_id,
                      TallyMember.member_kind, func.count(), has_verified).group_by(
        TallyMember.campaign_id, TallyMember.dimension, TallyMember.key_id, TallyMember.member_kind)
    for campaign_id, dimension, key, kind, count, verified in db.session.execute(distinct):
        row = tallies.setdefault((campaign_id, dimension, key), dict.fromkeys(TALLY_FIELDS, 0))
        if kind == "asn":
            row.update(participants=count, verified_buyers=verified)
        else:
            row["shops_supported"] = count
    week = TallyWeekMember
    for campaign_id, dimension, key, monday, count, verified in db.session.execute(
            select(week.campaign_id, week.dimension, week.key_id, week.week_start, func.count(),
                   func.count(case((week.verified_count > 0, 1))))
            .group_by(week.campaign_id, week.dimension, week.key_id, week.week_start)):
        weeks.setdefault((campaign_id, dimension, key, monday), dict.fromkeys(WEEK_FIELDS, 0)).update(
            participants=count, verified_buyers=verified)


def _nonzero(rows: dict[Key, dict]) -> dict[Key, dict]:
    return {key: dict(values) for key, values in rows.items() if any(values.values())}
