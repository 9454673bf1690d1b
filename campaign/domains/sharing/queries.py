"""When the figures last changed."""
from __future__ import annotations

import functools
from datetime import datetime

from sqlalchemy import or_, select

from campaign.core.audit import AuditEvent
from campaign.core.extensions import db
from campaign.util.formatting import as_utc

# Audit actions that move a tally: pledges and every purchase state change.
FIGURE_ACTIONS = ("pledge.", "purchase.")


def figures_changed_at() -> datetime | None:
    """The time of the latest pledge or purchase change anywhere (UTC), None before the first
    (or when the rows were bulk-loaded without an audit trail, as seed-demo does).

    Reads the audit trail newest first through its index on ``at``; the latest events are
    nearly always purchases, so it stops after a few rows.
    """
    moment = db.session.scalar(_latest_change())
    return as_utc(moment) if moment is not None else None


@functools.cache
def _latest_change():
    """Built once per process: every page that shows figures runs it, often with nothing cached."""
    condition = or_(*(AuditEvent.action.startswith(prefix) for prefix in FIGURE_ACTIONS))
    return select(AuditEvent.at).where(condition).order_by(AuditEvent.at.desc()).limit(1)
