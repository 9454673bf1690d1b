"""What the buyer organisation services announce, inside their transaction.

Higher domains (notifications) connect to these; this domain never imports them."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: sender: the new ``BuyerOrganisation`` (status ``pending``)
buyer_registered = _signals.signal("buyer-registered")
#: sender: the ``BuyerOrganisation`` just verified or rejected
buyer_decided = _signals.signal("buyer-decided")
