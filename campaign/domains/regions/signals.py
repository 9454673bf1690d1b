"""What the regions domain tells the domains above it, inside the running transaction."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent after ``init-db`` loaded or changed kecamatan (sender: the regions service), so rows
#: that name a kecamatan by text can be linked to it in the same transaction.
districts_loaded = _signals.signal("districts-loaded")
