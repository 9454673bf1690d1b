"""What the training services announce, inside their transaction.

Higher domains (notifications) connect to these; this domain never imports them."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: sender: the ``TrainingSeat`` just taken (status ``registered``)
seat_taken = _signals.signal("seat-taken")
#: sender: a ``TrainingSeat`` whose training starts tomorrow (``campaign.core.clock``); sent once per seat
reminder_due = _signals.signal("reminder-due")
#: sender: the cancelled ``Training``; ``seats``: the seats it held, now ``cancelled``
training_cancelled = _signals.signal("training-cancelled")
