"""The tallies of seed-demo's generated purchases and pledges, computed from the arrays in one
pass each (``bincount`` and ``unique`` over combined keys) and written in bulk.

Used only on a database whose tallies are empty: the rows are plain inserts, not additions.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from itertools import repeat

import numpy as np

from campaign.core.extensions import db
from campaign.demo import loading
from campaign.demo.binary_copy import Labels
from campaign.demo.bulk import Purchases, write_rows
from campaign.domains.tallies.buckets import (
    BUYER_COUNTED,
    DIMENSIONS,
    PLEDGE_DIMENSIONS,
    REALIZED,
    SHOP_COUNTED,
    TALLY_FIELDS,
    WEEK_FIELDS,
    WEEKLY_DIMENSIONS,
    week_start,
)
from campaign.domains.tallies.reconcile import MEMBER_COLUMNS, WEEK_MEMBER_COLUMNS

MEMBER_KINDS = ("asn", "shop")  # in their sort order
TALLY_COLUMNS = ("campaign_id", "dimension", "key_id", *TALLY_FIELDS)
WEEK_COLUMNS = ("campaign_id", "dimension", "key_id", "week_start", *WEEK_FIELDS)


def _sums(keys: np.ndarray, amount: np.ndarray, mask: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Per key: the sum of ``amount`` and the count where ``mask``. The float64 sums are exact:
    every partial sum stays far below 2**53 (10M purchases of at most Rp10.000.000 is 10**14)."""
    chosen = keys[mask]
    counts = np.bincount(chosen, minlength=size)
    totals = np.rint(np.bincount(chosen, weights=amount[mask], minlength=size)).astype(np.int64)
    return totals, counts


def _members(keys: np.ndarray, members: np.ndarray, realized: np.ndarray,
             verified: np.ndarray) -> tuple[np.ndarray, ...]:
    """Distinct (key, member) pairs among realized purchases, how many purchases each has, and
    how many of them are verified (``verified`` all False: zeros). One in-place sort of the pairs
    with the verified flag as the lowest bit, then each run of equal pairs counted: three to four
    times faster than ``np.unique`` with ``return_inverse`` (an argsort) and a ``bincount``, which
    took 18 of the 28 s of counting 10M purchases."""
    width = int(members.max(initial=0)) + 1
    tagged = (keys[realized] * width + members[realized]) * 2 + verified[realized]
    if not len(tagged):
        return (np.zeros(0, dtype=np.int64),) * 4
    tagged.sort()
    pair = tagged >> 1
    first = np.empty(len(pair), dtype=bool)
    first[0] = True
    np.not_equal(pair[1:], pair[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    pairs = pair[starts]
    return (pairs // width, pairs % width, np.diff(np.append(starts, len(pair))),
            np.add.reduceat(tagged & 1, starts))


@dataclass
class Counted:
    """One dimension's tallies as columns indexed by key id: which keys have a row, and each field."""

    present: np.ndarray
    fields: dict[str, np.ndarray]

    def grow(self, size: int) -> None:
        if size > len(self.present):
            self.present = np.pad(self.present, (0, size - len(self.present)))
            self.fields = {name: np.pad(values, (0, size - len(values))) for name, values in self.fields.items()}


@dataclass(frozen=True)
class Pledges:
    """seed-demo's pledges as columns."""

    user: np.ndarray
    region: np.ndarray
    agency: np.ndarray
    amount: np.ndarray

    def __len__(self) -> int:
        return len(self.user)

    def key(self, dimension: str) -> np.ndarray:
        return {"asn_region": self.region, "agency": self.agency, "asn": self.user}[dimension]


@dataclass
class Counts:
    """The purchases' tallies per dimension (pledges still to add), and the member and week rows to
    write, as ``(table, columns, count)``: counted with no database at hand, so in a thread."""

    tallies: dict[str, Counted]
    rows: list[tuple[str, dict, int]]


def write_counts(counts: Counts) -> dict[str, Counted]:
    """Write the member rows and the weeks; return the tallies per dimension (pledges still to add)."""
    for table, columns, count in counts.rows:
        _write(table, columns, count)
    return counts.tallies


def count_purchases(campaign_id: int, p: Purchases, *, iso_weeks: bool) -> Counts:
    """:class:`Counts` of the purchases; week starts as text with ``iso_weeks`` (SQLite)."""
    realized, verified = p.mask(REALIZED), p.verified()
    tallies, members, rows = {}, {}, []
    for dimension in DIMENSIONS:
        keys = p.key(dimension)
        size = int(keys.max(initial=0)) + 1
        fields = dict.fromkeys(TALLY_FIELDS, np.zeros(size, dtype=np.int64))
        fields["realized_amount"], fields["realized_count"] = _sums(keys, p.amount, realized, size)
        fields["verified_amount"], fields["verified_count"] = _sums(keys, p.amount, verified, size)
        for kind, ids, counted, field in (("asn", p.buyer, BUYER_COUNTED, "participants"),
                                          ("shop", p.shop, SHOP_COUNTED, "shops_supported")):
            if dimension in counted:
                member_keys, member_ids, counts, checked = _members(
                    keys, ids, realized, verified if kind == "asn" else np.zeros_like(verified))
                members.setdefault(dimension, []).append(
                    (member_keys, np.full(len(counts), MEMBER_KINDS.index(kind)), member_ids, counts, checked))
                fields[field] = np.bincount(member_keys, minlength=size)
                if kind == "asn":
                    fields["verified_buyers"] = np.bincount(member_keys[checked > 0], minlength=size)
        tallies[dimension] = Counted(fields["realized_count"] + fields["verified_count"] > 0, fields)
        if dimension in WEEKLY_DIMENSIONS:
            rows += _weeks(campaign_id, dimension, keys, p, realized, verified, iso_weeks)
    rows += [_member_rows(campaign_id, dimension, [np.concatenate(column) for column in zip(*parts)])
             for dimension, parts in sorted(members.items())]
    return Counts(tallies, rows)


def _member_rows(campaign_id: int, dimension: str, columns: list[np.ndarray]) -> tuple[str, dict, int]:
    """One dimension's member rows in primary-key order (key, kind, member), dimensions in turn in
    name order, so PostgreSQL's key build after the load sorts input that is already sorted: 11.3 s
    for the 2M-purchase demo's member rows in the order they were counted, 5.8 s in key order.
    Each kind's part comes from :func:`_members` in (key, member) order and the parts in kind
    order, so a stable sort on the key alone merges them (linear: a run per part)."""
    keys, kinds, ids, counts, checked = columns
    order = np.argsort(keys, kind="stable")
    return ("tally_member", dict(zip(MEMBER_COLUMNS, (
        campaign_id, dimension, keys[order], Labels(kinds[order], MEMBER_KINDS), ids[order], counts[order],
        checked[order]))), len(order))


def _write(table: str, columns: dict, count: int) -> None:
    """Rows given as columns (arrays, :class:`Labels`, or one value for all): a binary COPY on
    PostgreSQL (3.1M member rows of 1M purchases through ``write_row``: 5 s), else executemany."""
    if db.session.get_bind().dialect.name == "postgresql":
        loading.copy_columns(table, columns, count)
        return
    write_rows(table, tuple(columns), zip(*(_values(value, count) for value in columns.values())))


def _values(column, count: int):
    if isinstance(column, Labels):
        return [column.labels[code] for code in column.codes.tolist()]
    return column.tolist() if isinstance(column, np.ndarray) else repeat(column, count)


def _weeks(campaign_id: int, dimension: str, keys: np.ndarray, p: Purchases, realized, verified,
           iso_weeks: bool) -> list[tuple[str, dict, int]]:
    """Weekly sums and distinct buyers per key, from (key, week) combined into one integer: the
    week member rows and the week rows."""
    week_of_age = [week_start(p.today - timedelta(days=n)) for n in range(int(p.age.max(initial=0)) + 1)]
    mondays = sorted(set(week_of_age))
    slot_of_age = np.array([mondays.index(monday) for monday in week_of_age])
    combined = keys * len(mondays) + slot_of_age[p.age]
    size = (int(keys.max(initial=0)) + 1) * len(mondays)
    r_amount, r_count = _sums(combined, p.amount, realized, size)
    v_amount, v_count = _sums(combined, p.amount, verified, size)
    labels = tuple(m.isoformat() for m in mondays) if iso_weeks else tuple(mondays)
    slots, buyers, counts, checked = _members(combined, p.buyer, realized, verified)
    participants = np.bincount(slots, minlength=size)
    verified_buyers = np.bincount(slots[checked > 0], minlength=size)
    weeks = np.flatnonzero(r_count + v_count)
    return [("tally_week_member", dict(zip(WEEK_MEMBER_COLUMNS, (
                campaign_id, dimension, slots // len(mondays), Labels(slots % len(mondays), labels), buyers,
                counts, checked))), len(counts)),
            ("tally_week", dict(zip(WEEK_COLUMNS, (
                campaign_id, dimension, weeks // len(mondays), Labels(weeks % len(mondays), labels),
                r_amount[weeks], r_count[weeks], v_amount[weeks], v_count[weeks], participants[weeks],
                verified_buyers[weeks]))), len(weeks))]


def add_pledges(tallies: dict[str, Counted], pledges: Pledges) -> None:
    for dimension in PLEDGE_DIMENSIONS:
        keys = pledges.key(dimension)
        size = int(keys.max(initial=0)) + 1
        counted = tallies.setdefault(dimension, Counted(np.zeros(size, dtype=bool), {
            name: np.zeros(size, dtype=np.int64) for name in TALLY_FIELDS}))
        counted.grow(size)
        amounts, pledgers = _sums(keys, pledges.amount, np.ones(len(keys), dtype=bool), len(counted.present))
        counted.fields["pledged_amount"] = counted.fields["pledged_amount"] + amounts
        counted.fields["pledgers"] = counted.fields["pledgers"] + pledgers
        counted.present |= pledgers > 0


def write_tallies(campaign_id: int, tallies: dict[str, Counted]) -> None:
    """One tally row per dimension and key that has one, in (dimension, key) order."""
    for dimension, counted in sorted(tallies.items()):
        keys = np.flatnonzero(counted.present)
        write_rows("tally", TALLY_COLUMNS, zip(
            repeat(campaign_id), repeat(dimension), keys.tolist(),
            *(counted.fields[name][keys].tolist() for name in TALLY_FIELDS)))
