"""What the roster tells the domains above it (purchases: verified spend needs a NIP on the roster).

Sent inside the transaction of the roster change, so a receiver's writes commit or roll back with it.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: ASN came onto an active roster entry or left it (sender: None; ``on``, ``off``: their user
#: ids, whose ASN profiles' ``on_roster`` already says so).
standing_changed = _signals.signal("roster-standing-changed")
