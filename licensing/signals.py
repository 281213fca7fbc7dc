"""What licensing tells the apps built on it. Licensing imports none of them: they connect
their receivers in their app's ``ready()`` (docs/ARCHITECTURE.md lists who listens).

``application_entered`` is sent inside the transaction of the change, with the application
locked, once it rests in its new state (after the system's own automatic moves). A receiver's
writes commit or roll back with the change; side effects it defers with ``on_commit``.
"""

from django.dispatch import Signal

application_entered = Signal()
