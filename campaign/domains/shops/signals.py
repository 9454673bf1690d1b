"""What the shops domain tells the domains above it (notifications), inside the transaction of
the change."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: A shop was registered and waits for verification (sender: the :class:`Shop`).
shop_registered = _signals.signal("shop-registered")

#: A shop was verified or rejected (sender: the :class:`Shop`, its new status set).
shop_decided = _signals.signal("shop-decided")
