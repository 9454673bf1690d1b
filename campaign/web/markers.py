"""Change markers: one small row per kind of public data, changed in the same transaction as
the data, so a reader learns with one indexed read whether what it cached is still current.

Names: ``campaign:<id>`` (that campaign's tallies, pledges and region targets: anything on its
leaderboard), ``campaign:<id>:region:<region id>`` (one region's own figures in that campaign, in
either perspective), ``campaign:<id>:regions`` (every region's figures at once), ``reference``
(regions and campaigns: names, periods, which campaign is current) and ``shops`` (the shop
directory). Touching a region touches its campaign as well; touching a campaign without naming
any of its regions in the same transaction touches ``campaign:<id>:regions``, so a writer that
does not know the regions it moved can never leave a region page stale. A marker's value is a fresh random token on every commit that touched the data
(not a counter), so a restored backup or a truncated test database can never bring back a
value a process has already cached other data under.

Writers call :func:`touch` inside their transaction; the tokens are written just before the
commit (a ``before_commit`` hook), so on PostgreSQL the marker row is locked only for the last
moment of the transaction. A write that is one chained statement (:mod:`campaign.core.chain`)
writes them as its last part instead (:func:`chain_pending`), with no round trip of their
own. ORM inserts, updates and deletes of shops, regions, campaigns and
region targets touch their marker by themselves (an ``after_flush`` hook); Core statements
that change those tables must call :func:`touch`. Tallies are written with Core:
:mod:`campaign.domains.tallies.models` touches ``campaign:<id>`` for every move.
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from sqlalchemy import BigInteger, String, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from campaign.core import chain as chains
from campaign.core.database import driver_rows
from campaign.core.extensions import db

REFERENCE = "reference"
SHOPS = "shops"
_PENDING = "campaign_markers_pending"
_COMMITS = "campaign_markers_commits"


class ChangeMarker(db.Model):
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    token: Mapped[int] = mapped_column(BigInteger)


def campaign(campaign_id: int) -> str:
    return f"campaign:{campaign_id}"


def region(campaign_id: int, region_id: int) -> str:
    """One region's figures in one campaign (a purchase moves its ASN's and its shop's region)."""
    return f"campaign:{campaign_id}:region:{region_id}"


def regions(campaign_id: int, *region_ids: int) -> list[str]:
    return [region(campaign_id, region_id) for region_id in region_ids]


def all_regions(campaign_id: int) -> str:
    return f"campaign:{campaign_id}:regions"


_REGION = re.compile(r"campaign:(\d+):region:\d+")
_CAMPAIGN = re.compile(r"campaign:(\d+)")


def implied(names: set[str]) -> set[str]:
    """``names`` with what they imply: a region's campaign; a campaign's every region when the
    same transaction names none of them."""
    regions_of = {m.group(1) for name in names if (m := _REGION.fullmatch(name))}
    campaigns = {m.group(1) for name in names if (m := _CAMPAIGN.fullmatch(name))}
    return (names | {f"campaign:{c}" for c in regions_of}
            | {all_regions(int(c)) for c in campaigns - regions_of})


def touch(*names: str, session: Session | None = None) -> None:
    """Mark data as changed in the running transaction; the new tokens are written at commit."""
    session = session or db.session()
    session.info.setdefault(_PENDING, set()).update(names)


def commits(session: Session) -> int:
    """How many commits of ``session`` wrote markers: a value read before the last one is old."""
    return session.info.get(_COMMITS, 0)


def tokens_statement():
    return select(ChangeMarker.name, ChangeMarker.token)


def snapshot() -> dict[str, int]:
    """The tokens of ``reference``, ``shops`` and every campaign, in one read of a tiny table."""
    return dict(db.session.execute(tokens_statement()).all())


def _take_pending(session: Session) -> list[tuple[str, int]]:
    """The markers touched so far, each with a new token, in one global order (no deadlock
    between writers), and forget them; count the commit as one that wrote markers."""
    names = sorted(implied(session.info.pop(_PENDING, set())))
    if names:
        session.info[_COMMITS] = session.info.get(_COMMITS, 0) + 1
    return [(name, secrets.randbits(62)) for name in names]


def chain_pending(chain: chains.Chain, *, after: str) -> None:
    """Write the markers touched so far as a part of ``chain`` (PostgreSQL) rather than at
    commit, after the part ``after`` (which has a ``RETURNING``). A purchase's statement moves
    the tallies and turns their markers at once: the marker rows, which every writer of a
    campaign shares, stay locked from that statement to the commit, with no round trip in
    between. They are written whether or not the chain's own write found its row (a marker
    turned for nothing costs a page render; one not turned would leave a page stale, and the
    names may include what the transaction touched before). Only for the transaction's last
    write of markers: one touched later is written at commit, after these, which would lock two
    markers out of the global order."""
    tokens = _take_pending(db.session())
    if not tokens:
        return
    listed, params = chains.values(tokens, ("varchar", "bigint"))
    condition = chains.Chain.condition(None, after)
    chain.add(chain.fresh("mk"), "INSERT INTO change_marker (name, token) SELECT v.name, v.token "  # nosec B608
              f"FROM ({listed}) AS v (name, token) WHERE {condition} "  # parts' names from the code; values bound
              "ON CONFLICT (name) DO UPDATE SET token = excluded.token", params)


def _write_pending(session: Session) -> None:
    session.flush()  # commit flushes after this hook; the flush may touch markers
    tokens = _take_pending(session)
    if not tokens:
        return
    mark = "%s" if session.get_bind().dialect.name == "postgresql" else "?"
    values = ", ".join([f"({mark}, {mark})"] * len(tokens))
    driver_rows(f"INSERT INTO change_marker (name, token) VALUES {values} "  # nosec B608: table/column names come from the code; values are bound parameters
                "ON CONFLICT (name) DO UPDATE SET token = excluded.token",
                [value for pair in tokens for value in pair], session=session)


_WATCHED: list[tuple[type, Callable[[object], str | None]]] = []


def watch(model: type, marker: Callable[[object], str | None]) -> None:
    """Touch ``marker(obj)`` (a marker name; None: none) whenever an instance of ``model`` is
    added, changed or deleted. Domains register their models here at start-up, so this module
    never imports them."""
    if (model, marker) not in _WATCHED:
        _WATCHED.append((model, marker))


def _touch_flushed(session: Session, _context) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        for model, marker in _WATCHED:
            if isinstance(obj, model) and (name := marker(obj)) is not None:
                touch(name, session=session)


def _forget_pending(session: Session, *_args) -> None:
    session.info.pop(_PENDING, None)


def install() -> None:
    """Hook the markers into every session of :data:`db` (once per process)."""
    if event.contains(Session, "before_commit", _write_pending):
        return
    event.listen(Session, "before_commit", _write_pending)
    event.listen(Session, "after_flush", _touch_flushed)
    event.listen(Session, "after_rollback", _forget_pending)
