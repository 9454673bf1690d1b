"""The safe maximum of every stored rupiah: columns, deal values and running totals.

``SAFE_MAX`` (Rp9.000.000.000.000.000, nine thousand trillion) is below 2**53, so a total stays
exact even where SQLite or a client reads it as a float, and a thousand times below PostgreSQL's
``bigint`` limit, so no sum of checked values can overflow. Services check a value before they
write it (:func:`check_total`, 422 ``limit_exceeded``); CHECK constraints in the database are the
guard behind them.
"""
from __future__ import annotations

from campaign.core.errors import LimitExceeded

SAFE_MAX = 9_000_000_000_000_000


def check_total(value: int, *, what: str) -> int:
    """``value`` when it is a whole rupiah from 0 to SAFE_MAX; LimitExceeded naming ``what`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= SAFE_MAX:
        raise LimitExceeded(f"{what} melebihi batas aman sistem; transaksi tidak dicatat. Hubungi admin provinsi.")
    return value
