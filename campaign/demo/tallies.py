"""The tallies of seed-demo's generated purchases and pledges, computed from the arrays in one
pass each (``bincount`` and ``unique`` over combined keys) and written in bulk.

Used only on a database whose tallies are empty: the rows are plain inserts, not additions.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import numpy as np

from campaign.core.extensions import db
from campaign.demo.bulk import Purchases, write_rows
from campaign.domains.tallies.buckets import (
    BUYER_COUNTED,
    DIMENSIONS,
    REALIZED,
    SHOP_COUNTED,
    TALLY_FIELDS,
    VERIFIED,
    WEEK_FIELDS,
    WEEKLY_DIMENSIONS,
    week_start,
)
from campaign.domains.tallies.reconcile import MEMBER_COLUMNS, WEEK_MEMBER_COLUMNS

TALLY_COLUMNS = ("campaign_id", "dimension", "key_id", *TALLY_FIELDS)
WEEK_COLUMNS = ("campaign_id", "dimension", "key_id", "week_start", *WEEK_FIELDS)


def _sums(keys: np.ndarray, amount: np.ndarray, mask: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Per key: the sum of ``amount`` and the count where ``mask``. The float64 sums are exact:
    every partial sum stays far below 2**53 (10M purchases of at most Rp10.000.000 is 10**14)."""
    counts = np.bincount(keys[mask], minlength=size)
    totals = np.rint(np.bincount(keys[mask], weights=amount[mask], minlength=size)).astype(np.int64)
    return totals, counts


def _members(keys: np.ndarray, members: np.ndarray, realized: np.ndarray,
             verified: np.ndarray) -> tuple[np.ndarray, ...]:
    """Distinct (key, member) pairs among realized purchases, how many purchases each has, and
    how many of them are verified (``verified`` all False: zeros)."""
    width = int(members.max(initial=0)) + 1
    pairs, inverse, counts = np.unique(keys[realized] * width + members[realized], return_inverse=True,
                                       return_counts=True)
    checked = np.bincount(inverse.ravel(), weights=verified[realized].astype(np.float64), minlength=len(pairs))
    return pairs // width, pairs % width, counts, checked.astype(np.int64)


def purchase_tallies(campaign_id: int, p: Purchases) -> dict[tuple, dict[str, int]]:
    """Write the member rows and the weeks; return the tally rows (pledges still to add)."""
    realized, verified = p.mask(REALIZED), p.mask(VERIFIED)
    tallies: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(TALLY_FIELDS, 0))
    for dimension in DIMENSIONS:
        keys = p.key(dimension)
        size = int(keys.max(initial=0)) + 1
        r_amount, r_count = _sums(keys, p.amount, realized, size)
        v_amount, v_count = _sums(keys, p.amount, verified, size)
        distinct = {}
        for kind, members, counted, field in (("asn", p.buyer, BUYER_COUNTED, "participants"),
                                              ("shop", p.shop, SHOP_COUNTED, "shops_supported")):
            if dimension in counted:
                member_keys, member_ids, counts, checked = _members(
                    keys, members, realized, verified if kind == "asn" else np.zeros_like(verified))
                write_rows("tally_member", tuple(MEMBER_COLUMNS), zip(
                    _same(campaign_id, counts), _same(dimension, counts), member_keys.tolist(),
                    _same(kind, counts), member_ids.tolist(), counts.tolist(), checked.tolist()))
                distinct[field] = np.bincount(member_keys, minlength=size)
                if kind == "asn":
                    distinct["verified_buyers"] = np.bincount(member_keys[checked > 0], minlength=size)
        for key in np.flatnonzero(r_count + v_count).tolist():
            tallies[(campaign_id, dimension, key)].update(
                realized_amount=int(r_amount[key]), realized_count=int(r_count[key]),
                verified_amount=int(v_amount[key]), verified_count=int(v_count[key]),
                **{field: int(values[key]) for field, values in distinct.items()})
        if dimension in WEEKLY_DIMENSIONS:
            _weeks(campaign_id, dimension, keys, p, realized, verified)
    return tallies


def _same(value, like: np.ndarray):
    return [value] * len(like)


def _weeks(campaign_id: int, dimension: str, keys: np.ndarray, p: Purchases, realized, verified) -> None:
    """Weekly sums and distinct buyers per key, from (key, week) combined into one integer."""
    week_of_age = [week_start(p.today - timedelta(days=n)) for n in range(int(p.age.max(initial=0)) + 1)]
    mondays = sorted(set(week_of_age))
    slot_of_age = np.array([mondays.index(monday) for monday in week_of_age])
    combined = keys * len(mondays) + slot_of_age[p.age]
    size = (int(keys.max(initial=0)) + 1) * len(mondays)
    r_amount, r_count = _sums(combined, p.amount, realized, size)
    v_amount, v_count = _sums(combined, p.amount, verified, size)
    labels = [m.isoformat() for m in mondays] if db.session.get_bind().dialect.name == "sqlite" else mondays
    slots, buyers, counts, checked = _members(combined, p.buyer, realized, verified)
    write_rows("tally_week_member", tuple(WEEK_MEMBER_COLUMNS), zip(
        _same(campaign_id, counts), _same(dimension, counts), (slots // len(mondays)).tolist(),
        [labels[slot] for slot in (slots % len(mondays)).tolist()], buyers.tolist(), counts.tolist(),
        checked.tolist()))
    participants = np.bincount(slots, minlength=size)
    verified_buyers = np.bincount(slots[checked > 0], minlength=size)
    rows = [(campaign_id, dimension, slot // len(mondays), labels[slot % len(mondays)], int(r_amount[slot]),
             int(r_count[slot]), int(v_amount[slot]), int(v_count[slot]), int(participants[slot]),
             int(verified_buyers[slot]))
            for slot in np.flatnonzero(r_count + v_count).tolist()]
    write_rows("tally_week", WEEK_COLUMNS, rows)


def add_pledges(tallies: dict[tuple, dict[str, int]], campaign_id: int, pledges: list[dict]) -> None:
    for pledge in pledges:
        for dimension, key in (("asn_region", pledge["region_id"]), ("agency", pledge["agency_id"]),
                               ("asn", pledge["user_id"])):
            row = tallies.setdefault((campaign_id, dimension, key), dict.fromkeys(TALLY_FIELDS, 0))
            row["pledged_amount"] += pledge["amount"]
            row["pledgers"] += 1


def write_tallies(tallies: dict[tuple, dict[str, int]]) -> None:
    write_rows("tally", TALLY_COLUMNS, [(*key, *(values[f] for f in TALLY_FIELDS))
                                        for key, values in sorted(tallies.items())])
