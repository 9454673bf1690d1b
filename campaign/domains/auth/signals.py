"""What the accounts domain tells the domains above it."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: An ASN account was created through the sign-up form (sender: the new user's id;
#: ``ip_address``: the client's address). Sent after the sign-up's transaction committed.
asn_signed_up = _signals.signal("asn-signed-up")
