"""A single purchase's tally move as parts of one PostgreSQL statement (:mod:`campaign.core.chain`).

The same rows as :func:`.moves.move_purchase` writes in four statements: the member and week
member upserts return their new counts, and the 0 <-> 1 crossings (:func:`.buckets.crossing`)
are summed in SQL into the tallies' and weeks' distinct counts. Each part reads the one before
it, so the rows are locked in the global order of :func:`.buckets.order`, as the other writers
lock them. SQLite, without data-modifying ``WITH``, uses :func:`.moves.move_purchase`.
"""
from __future__ import annotations

from typing import Any

from campaign.core import chain as chains
from campaign.domains.tallies.buckets import MEMBER_COUNTS, Contribution, order
from campaign.domains.tallies.moves import KEYS, touch


def chain_purchase(chain: chains.Chain, purchase: Any, old_status: str | None, new_status: str | None, *,
                   guard: str) -> str:
    """Add :func:`.moves.move_purchase`'s writes to ``chain`` (PostgreSQL), to run only if the part
    ``guard`` returns a row (the purchase's own insert or update): the member and week member
    upserts return their new counts, the 0 <-> 1 crossings are summed in SQL (as
    :func:`.buckets.crossing` does) into the tallies' and weeks' distinct counts. Each part reads
    the one before it, so the rows are locked in the global order. Returns the name of the last
    part (``guard`` when the move moves no tally): a part that reads it locks its rows after
    every tally row (:meth:`~campaign.core.chain.Chain.condition`)."""
    contribution = Contribution()
    contribution.add(purchase, old_status, new_status)
    if not contribution.tallies:
        return guard
    touch(contribution)
    _chain_members(chain, "m", "tally_member", _MEMBER_CASTS, contribution.members, guard)
    _chain_members(chain, "wm", "tally_week_member", _WEEK_MEMBER_CASTS, contribution.week_members, "m")
    _chain_sums(chain, "t", "tally", _TALLY_CASTS, contribution.tallies, "m", after="wm",
                distinct=("participants", "shops_supported", "verified_buyers"), zeros=("pledged_amount", "pledgers"))
    _chain_sums(chain, "w", "tally_week", _WEEK_CASTS, contribution.weeks, "wm", after="t",
                distinct=("participants", "verified_buyers"), zeros=())
    return "w"


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
    keys, added = KEYS[table], MEMBER_COUNTS
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
    keys = KEYS[table]
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
