"""seed-demo's counting of member rows (campaign.demo.tallies), against a plain Python count."""
from collections import Counter

import numpy as np
import pytest

from campaign.demo import tallies


@pytest.mark.parametrize("size", [0, 1, 2_000])
def test_members_counts_each_distinct_pair_and_its_verified_purchases(size):
    rng = np.random.default_rng(size)
    keys, members = rng.integers(0, 30, size), rng.integers(0, 50, size)
    realized, verified = rng.random(size) < 0.8, rng.random(size) < 0.4
    verified &= realized
    expected_counts, expected_checked = Counter(), Counter()
    for key, member, real, check in zip(keys.tolist(), members.tolist(), realized.tolist(), verified.tolist()):
        if real:
            expected_counts[key, member] += 1
            expected_checked[key, member] += check

    member_keys, member_ids, counts, checked = tallies._members(keys, members, realized, verified)

    pairs = list(zip(member_keys.tolist(), member_ids.tolist()))
    assert pairs == sorted(expected_counts)  # distinct, in (key, member) order
    assert dict(zip(pairs, counts.tolist())) == dict(expected_counts)
    assert dict(zip(pairs, checked.tolist())) == dict(expected_checked)


def test_member_rows_of_both_kinds_come_out_in_primary_key_order():
    rng = np.random.default_rng(7)
    keys, members = rng.integers(0, 20, 5_000), rng.integers(0, 40, 5_000)
    shops = rng.integers(0, 40, 5_000)
    realized, verified = np.ones(5_000, dtype=bool), rng.random(5_000) < 0.5
    parts = [(k, np.full(len(k), tallies.MEMBER_KINDS.index(kind)), m, c, v)
             for kind, ids in (("asn", members), ("shop", shops))
             for k, m, c, v in [tallies._members(keys, ids, realized, verified)]]

    _table, columns, count = tallies._member_rows(1, "asn_region", [np.concatenate(c) for c in zip(*parts)])

    rows = list(zip(columns["key_id"].tolist(), columns["member_kind"].codes.tolist(), columns["member_id"].tolist()))
    assert count == len(rows) == sum(len(part[0]) for part in parts)
    assert rows == sorted(rows) and len(set(rows)) == len(rows)
