"""Writing a purchase, and a change of its status, with everything that moves with it.

On PostgreSQL the row, its tally moves, its audit record, the burst counters
(:data:`.signals.purchase_written`'s receivers) and the change markers are one statement
(data-modifying ``WITH``, :mod:`campaign.core.chain`): one round trip where they were eight, and
the rows that every writer of a campaign shares (its tally rows, its markers) are locked by that
statement until the commit, with no round trip in between. On SQLite, where a statement is a
function call in the process and not a round trip, they are the insert (or the update), the
four tally upserts of :func:`campaign.domains.tallies.moves.move_purchase`, the audit insert and
the receivers' writes, and the markers at commit. Either way the purchase object is in the
session afterwards with every column known, so the answer is built from what is in hand.
"""
from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm.attributes import set_committed_value

from campaign.core import audit
from campaign.core.chain import Chain
from campaign.core.database import dialect_name, driver_rows, loaded
from campaign.domains.purchases import signals
from campaign.domains.purchases.models import Purchase
from campaign.domains.tallies import chained
from campaign.domains.tallies import moves as tallies
from campaign.web import markers

_COLUMNS = tuple(column.key for column in Purchase.__table__.columns if column.key != "id")


def _postgresql() -> bool:
    return dialect_name() == "postgresql"


def _finish(chain: Chain, purchase: Purchase, old: str | None, new: str, after: str, **details: Any) -> None:
    """The receivers' parts of :data:`.signals.purchase_written`, then the change markers, after
    the tallies' parts: the rows every writer shares are locked last."""
    for _receiver, last in signals.purchase_written.send(purchase, old=old, new=new, chain=chain, guard="p",
                                                         after=after, **details):
        after = last or after
    markers.chain_pending(chain, after=after)


def insert_reported(values: dict[str, Any], *, actor: Any, audit_after: dict, names: tuple[str, str, str],
                    earlier_logged: list[datetime]) -> Purchase | None:
    """Insert a ``reported`` purchase (``values``: every column but the id) with its tally moves,
    audit record and what :data:`.signals.purchase_written`'s receivers write; None, writing
    nothing, when the buyer already has a purchase under the same ``client_ref`` (a retry racing
    its first request; the caller returns that one). ``actor``: who logs it (its ``id``).
    ``names``: its shop's, buyer's and agency's, in hand, kept with it for its answer
    (:func:`.queries.row_of`). ``earlier_logged``: when the buyer's other recent purchases were
    logged."""
    values = {column: values.get(column) for column in _COLUMNS}
    if _postgresql():
        draft = Purchase(**values)  # what the tallies' and receivers' parts read: keys, amount, date, roster flag
        chain = Chain()
        chain.add("p", _insert_sql("%s"), tuple(values.values()))
        audit.chain_record(chain, actor_id=actor.id, action="purchase.reported", entity_type="purchase",
                           entity="p", region_id=values["shop_region_id"], after=audit_after)
        last = chained.chain_purchase(chain, draft, None, "reported", guard="p")
        _finish(chain, draft, None, "reported", last, earlier_logged=earlier_logged)
        rows = chain.run("SELECT id FROM p")
        if not rows:
            return None
        return _written(values, rows[0][0], names)
    rows = driver_rows(_insert_sql("?"), values.values())
    if not rows:
        return None
    purchase = _written(values, rows[0][0], names)
    tallies.move_purchase(purchase, None, "reported")
    audit.record(actor=actor, action="purchase.reported", entity=purchase, region_id=purchase.shop_region_id,
                 after=audit_after)
    signals.purchase_written.send(purchase, old=None, new="reported", earlier_logged=earlier_logged)
    return purchase


@functools.cache
def _insert_sql(mark: str) -> str:
    """The insert of a reported purchase as driver SQL (on SQLite run past SQLAlchemy's execution,
    :func:`~campaign.core.database.driver_rows`), ``mark`` the driver's placeholder."""
    return (f"INSERT INTO purchase ({', '.join(_COLUMNS)}) VALUES ({', '.join([mark] * len(_COLUMNS))}) "  # nosec B608: column names from the model
            "ON CONFLICT (buyer_id, client_ref) DO NOTHING RETURNING id")


def _written(values: dict[str, Any], new_id: int, names: tuple[str, str, str]) -> Purchase:
    """The inserted row as a persistent object of the session, without reading it back."""
    purchase = loaded(Purchase, {**values, "id": new_id})
    inspect(purchase).info[NAMES] = names
    return purchase


NAMES = "purchase_names"  # key of a written purchase's (shop, buyer, agency) names in its state's info


_UPDATE = "UPDATE purchase SET status = ?, status_reason = ?, decided_by_id = ?, decided_at = ? WHERE id = ?"


def change_status(purchase: Purchase, *, actor: Any, to: str, reason: str | None, at: datetime) -> None:
    """Move one locked purchase to ``to``, with its tally moves, audit record and what
    :data:`.signals.purchase_written`'s receivers write."""
    old = purchase.status
    decided = {"status": to, "status_reason": reason, "decided_by_id": actor.id, "decided_at": at}
    entry = {"actor": actor, "action": f"purchase.{to}", "region_id": purchase.shop_region_id,
             "before": {"status": old}, "after": {"status": to, "reason": reason}}
    postgresql = _postgresql()
    if postgresql:
        chain = Chain()
        chain.add("p", _UPDATE.replace("?", "%s") + " RETURNING id", (*decided.values(), purchase.id))
        audit.chain_record(chain, actor_id=actor.id, action=entry["action"], entity_type="purchase", entity="p",
                           region_id=entry["region_id"], before=entry["before"], after=entry["after"])
        last = chained.chain_purchase(chain, purchase, old, to, guard="p")
        _finish(chain, purchase, old, to, last)
        chain.run("SELECT id FROM p")
    else:  # through the driver, not the unit of work: its flush of the one row was a fifth of the turn
        driver_rows(_UPDATE, (*decided.values(), purchase.id))
    for name, value in decided.items():  # as written: nothing left for the session to flush
        set_committed_value(purchase, name, value)
    if not postgresql:
        tallies.move_purchase(purchase, old, to)
        audit.record(entity=purchase, **entry)
        signals.purchase_written.send(purchase, old=old, new=to)
