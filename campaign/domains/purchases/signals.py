"""What the purchases domain tells the domains above it (trust's burst counters, notifications).

Each is sent inside the transaction of the change, after the tallies moved, so a receiver's
writes commit or roll back with it.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: A purchase was logged (sender: the :class:`Purchase`; ``earlier_logged``: when the buyer's
#: other recent purchases were logged, as the limits read them).
purchase_logged = _signals.signal("purchase-logged")

#: A purchase moved between statuses (sender: the :class:`Purchase`; ``old``: the status before).
purchase_changed = _signals.signal("purchase-changed")
