"""What the needs board services announce, inside their transaction.

Every sender is the ``Offer`` concerned, its ``status`` already moved. Higher domains
(notifications) connect to these; this domain never imports them."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: a shop sent an offer (``sent``): the buyer organisation hears
offer_sent = _signals.signal("offer-sent")
#: the buyer accepted the offer (``accepted``) or it was declined when the need closed (``declined``)
offer_decided = _signals.signal("offer-decided")
#: the buyer recorded the delivery (``delivered``)
offer_delivered = _signals.signal("offer-delivered")
#: the shop confirmed the delivery: the deal is complete (``completed``)
delivery_confirmed = _signals.signal("delivery-confirmed")
#: a coordinator voided a completed deal (``voided``)
deal_voided = _signals.signal("deal-voided")
#: a coordinator undid that void: the deal is completed again (``completed``)
deal_restored = _signals.signal("deal-restored")
