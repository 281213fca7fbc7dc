"""What payments tells the apps built on it (the treasury books money when it moves).

Both are sent inside the transaction that made the change, under the rows' locks, on the one
transition that happens once: a receiver's writes commit or roll back with it, so money is
booked exactly once. Payments never imports its receivers; they connect in their app's
``ready()``.
"""

from django.dispatch import Signal

# A payment the gateway confirmed: ``payment`` is locked and ``succeeded`` (``needs_review``
# set when the treasury has to look at it: another amount or currency, or a closed bill).
payment_succeeded = Signal()

# A refund the gateway finished paying back: ``refund`` is locked and ``succeeded``.
refund_succeeded = Signal()
