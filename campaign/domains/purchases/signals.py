"""What the purchases domain tells the domains above it (trust's burst counters, notifications).

Each is sent inside the transaction of the change, so a receiver's writes commit or roll back
with it. :data:`purchase_written` is sent as the purchase is written, so that a receiver's own
writes can travel in the same statement; :data:`purchase_changed` after the tallies moved.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: A purchase moved between statuses (sender: the :class:`Purchase`; ``old``: the status before).
purchase_changed = _signals.signal("purchase-changed")

#: A purchase is being written (:mod:`.writes`): logged (``old`` None) or moved from ``old`` to
#: ``new``. On PostgreSQL it is sent before the write's one statement runs (``chain``, a
#: :class:`~campaign.core.chain.Chain`): the sender holds every column of the row but the id and
#: the new status, and a receiver adds its writes as parts of the chain that run only if the
#: part ``guard`` returned a row, after the part ``after`` (the tallies' last), as
#: :meth:`~campaign.core.chain.Chain.condition` words it; it returns the name of its last part
#: with a ``RETURNING``, or None. On SQLite it is sent after the write (``chain`` None) and a
#: receiver writes at once. ``earlier_logged``: for a logged purchase, when the buyer's other
#: recent purchases were logged, as the limits read them.
purchase_written = _signals.signal("purchase-written")
