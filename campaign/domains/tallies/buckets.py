"""The one definition of where a purchase counts: which statuses count as realized and which
purchases as verified (confirmed by the shop and the buyer's NIP on an active roster entry), the dimensions it counts under, which distinct counts each dimension keeps, and the
contribution of one status move to every aggregate row.

Single moves and batch moves (:mod:`.moves`) write :func:`contribution`'s rows; the checks of
:mod:`.reconcile` recompute the same buckets with GROUP BY from the same constants; seed-demo's
numpy tallies are proven equal to them by a test. A purchase is read by its column names
(:data:`KEY_COLUMNS`), so this domain never imports the purchases domain above it.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

REALIZED = frozenset({"reported", "confirmed"})  # realized spend: reported + confirmed
VERIFIED = frozenset({"confirmed"})  # verified spend: confirmed, and ...
ON_ROSTER = "buyer_on_roster"  # ... this purchase column true: the buyer's NIP is on an active roster entry

#: The province dimensions (``asn_prov``, ``shop_prov``: the province of the ASN's region and of the
#: shop's, keyed by the Kemendagri province code as a number, 73) keep their own distinct counts:
#: an ASN buying in two regions of a province is one participant of it, so regions cannot be summed.
DIMENSIONS = ("asn_region", "shop_region", "agency", "asn", "shop", "asn_prov", "shop_prov")
PROVINCE_DIMENSIONS = {"asn_region": "asn_prov", "shop_region": "shop_prov"}  # by region perspective
WEEKLY_DIMENSIONS = ("asn_region", "shop_region")
BUYER_COUNTED = ("asn_region", "shop_region", "agency", "shop", "asn_prov", "shop_prov")  # -> participants, verified_buyers
SHOP_COUNTED = ("asn_region", "shop_region", "agency", "asn", "asn_prov", "shop_prov")  # -> shops_supported
PLEDGE_DIMENSIONS = ("asn_region", "agency", "asn")

#: The purchase column holding each dimension's key, and the pledge's.
KEY_COLUMNS = {"asn_region": "asn_region_id", "shop_region": "shop_region_id", "agency": "agency_id",
               "asn": "buyer_id", "shop": "shop_id", "asn_prov": "asn_province", "shop_prov": "shop_province"}
PLEDGE_KEY_COLUMNS = {"asn_region": "region_id", "agency": "agency_id", "asn": "user_id"}

TALLY_FIELDS = ("realized_amount", "realized_count", "verified_amount", "verified_count",
                "participants", "shops_supported", "verified_buyers", "pledged_amount", "pledgers")
WEEK_FIELDS = ("realized_amount", "realized_count", "verified_amount", "verified_count",
               "participants", "verified_buyers")
MEMBER_COUNTS = ("realized_count", "verified_count")


def week_start(day: date) -> date:
    """The Monday of ``day``'s week (weeks start on Monday)."""
    return day - timedelta(days=day.weekday())


def key_of(purchase: Any, dimension: str) -> int:
    return getattr(purchase, KEY_COLUMNS[dimension])


def is_verified(status: str | None, on_roster: bool) -> bool:
    """Verified spend: confirmed by the shop, and the buyer's NIP on an active roster entry."""
    return status in VERIFIED and bool(on_roster)


def steps(old_status: str | None, new_status: str | None, *, on_roster: bool = True,
          was_on_roster: bool | None = None) -> tuple[int, int]:
    """How a move from ``old_status`` to ``new_status`` (None: not existing) moves the realized
    and the verified buckets: -1, 0 or 1 each. ``on_roster``: whether the buyer's NIP is on an
    active roster entry after the move (``was_on_roster`` before it; by default the same), so a
    roster entry added or retired is a move too, with the status unchanged."""
    was = on_roster if was_on_roster is None else was_on_roster
    return ((new_status in REALIZED) - (old_status in REALIZED),
            is_verified(new_status, on_roster) - is_verified(old_status, was))


@dataclass
class Contribution:
    """What one or more moves add: sums per tally key ``(campaign, dimension, key)`` and week key
    ``(campaign, dimension, key, week)``, as ``[realized_amount, realized_count, verified_amount,
    verified_count]``; and the (realized, verified) steps of each member ``(campaign, dimension,
    key, kind, member)`` and week member ``(campaign, dimension, key, week, buyer)``, whose
    0 <-> 1 crossings move the distinct counts."""

    tallies: dict[tuple, list[int]] = field(default_factory=dict)
    weeks: dict[tuple, list[int]] = field(default_factory=dict)
    members: dict[tuple, list[int]] = field(default_factory=dict)
    week_members: dict[tuple, list[int]] = field(default_factory=dict)

    def add(self, purchase: Any, old_status: str | None, new_status: str | None, *,
            was_on_roster: bool | None = None) -> None:
        """Add a move of ``purchase`` (its :data:`ON_ROSTER` column as it is after the move;
        ``was_on_roster`` as it was before, by default the same)."""
        d_realized, d_verified = steps(old_status, new_status, on_roster=getattr(purchase, ON_ROSTER),
                                       was_on_roster=was_on_roster)
        if not d_realized and not d_verified:
            return
        amount, campaign_id = purchase.amount, purchase.campaign_id
        moved = (d_realized * amount, d_realized, d_verified * amount, d_verified)
        week = week_start(purchase.purchased_on)
        for dimension in DIMENSIONS:
            key = (campaign_id, dimension, key_of(purchase, dimension))
            _plus(self.tallies, key, moved)
            if dimension in BUYER_COUNTED:
                _plus(self.members, (*key, "asn", purchase.buyer_id), (d_realized, d_verified))
            if dimension in SHOP_COUNTED:
                _plus(self.members, (*key, "shop", purchase.shop_id), (d_realized, 0))
            if dimension in WEEKLY_DIMENSIONS:
                _plus(self.weeks, (*key, week), moved)
                _plus(self.week_members, (*key, week, purchase.buyer_id), (d_realized, d_verified))

    @classmethod
    def of(cls, moves: Iterable[tuple[Any, str | None, str | None]]) -> Contribution:
        contribution = cls()
        for purchase, old_status, new_status in moves:
            contribution.add(purchase, old_status, new_status)
        return contribution

    @property
    def campaigns(self) -> set[int]:
        return {key[0] for key in self.tallies}


def _plus(table: dict[tuple, list[int]], key: tuple, values: tuple[int, ...]) -> None:
    if not any(values):  # e.g. a shop member when only the verified buckets move: nothing to add
        return
    row = table.setdefault(key, [0] * len(values))
    for index, value in enumerate(values):
        row[index] += value


def crossing(step: int, count: int) -> int:
    """How a distinct count moves when a member's count, after adding ``step``, is ``count``."""
    if step > 0 and count == step:
        return 1
    if step < 0 and count == 0:
        return -1
    return 0


def order(key: tuple) -> tuple:
    """The global row order (by campaign, then dimension as in :data:`DIMENSIONS`, then the rest),
    in which every writer touches rows, so concurrent transactions cannot deadlock on PostgreSQL."""
    return (key[0], DIMENSIONS.index(key[1]), *key[2:])
