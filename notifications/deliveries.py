"""Sending one delivery, exactly once: the row is locked while its channel sends, and a
delivery already sent (or failed for good) is never sent again. The tasks call these."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from notifications.channels import ChannelError, channel_for
from notifications.models import Delivery, DeliveryState

logger = logging.getLogger("izin.notifications")

ERROR_LIMIT = 300  # what is kept of a failure's reason: enough to act on, never a whole reply
# A pending delivery this long past its due time lost its task (broker restarted, worker
# killed before it acknowledged): the sweep queues it again.
LOST_AFTER = timedelta(minutes=15)


@dataclass(frozen=True)
class Attempt:
    """What one attempt came to: ``done`` (sent now or before, or failed for good: nothing more
    to do) or not, with the attempts made so far."""

    done: bool
    attempts: int


def message_for(delivery: Delivery) -> tuple[str, str]:
    """``(subject, body)`` as a channel sends them: the notice's text and its absolute link."""
    notification = delivery.notification
    body = notification.body
    if notification.url:
        body = f"{body}\n\n{settings.SITE_URL.rstrip('/')}{notification.url}"
    return notification.subject, body


def delivery_attempt(*, delivery_id: int) -> Attempt:
    """Send the delivery unless it is already settled. A second run at the same moment waits
    on the row lock and then finds it sent. A passing failure (``ChannelError``) is recorded
    and committed with the attempt count: the caller decides whether to try again.

    The channel sends before the commit: should the commit then fail, the message has gone and
    the next attempt sends it again. Once at most is impossible with outside providers; once
    at least, and never twice from two workers at once, is what the lock gives."""
    with transaction.atomic():
        delivery = (Delivery.objects.select_for_update().select_related("notification")
                    .get(pk=delivery_id))
        if delivery.state != DeliveryState.PENDING:
            return Attempt(done=True, attempts=delivery.attempts)
        subject, body = message_for(delivery)
        delivery.attempts += 1
        try:
            channel_for(delivery.channel).send(to=delivery.address, subject=subject, body=body)
        except ChannelError as error:
            # Caught inside the block, so the failure's record commits (and a sandbox outage's
            # counter with it) rather than rolling back with an exception.
            delivery.last_error = f"{type(error).__name__}: {error}"[:ERROR_LIMIT]
            delivery.save(update_fields=["attempts", "last_error"])
            logger.warning("notification_send_failed delivery_id=%s notification_id=%s "
                           "channel=%s attempts=%s", delivery.pk, delivery.notification_id,
                           delivery.channel, delivery.attempts)
            return Attempt(done=False, attempts=delivery.attempts)
        delivery.state = DeliveryState.SENT
        delivery.sent_at = timezone.now()
        delivery.save(update_fields=["state", "sent_at", "attempts"])
    logger.info("notification_sent delivery_id=%s notification_id=%s channel=%s attempts=%s",
                delivery.pk, delivery.notification_id, delivery.channel, delivery.attempts)
    return Attempt(done=True, attempts=delivery.attempts)


def delivery_postpone(*, delivery_id: int, seconds: int) -> None:
    """The next attempt is due in ``seconds``: the sweep leaves it to its retry until then."""
    Delivery.objects.filter(pk=delivery_id, state=DeliveryState.PENDING).update(
        due_at=timezone.now() + timedelta(seconds=seconds))


def delivery_fail(*, delivery_id: int) -> None:
    """Retries spent: failed for good, until someone sends it again from the admin."""
    delivery = Delivery.objects.filter(pk=delivery_id).values(
        "notification_id", "channel", "attempts").first()
    if Delivery.objects.filter(pk=delivery_id, state=DeliveryState.PENDING).update(
            state=DeliveryState.FAILED):
        logger.error("notification_failed delivery_id=%s notification_id=%s channel=%s "
                     "attempts=%s", delivery_id, delivery["notification_id"],
                     delivery["channel"], delivery["attempts"])


def deliveries_lost(*, limit: int) -> list[int]:
    """Pending deliveries well past their due time, oldest first, at most ``limit``; each is
    marked due now, so the next sweep leaves it to the task queued for it this time."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Delivery.objects.filter(Q(state=DeliveryState.PENDING), due_at__lt=now - LOST_AFTER)
            .order_by("due_at", "pk").values_list("pk", flat=True)[:limit]
        )
        Delivery.objects.filter(pk__in=ids, state=DeliveryState.PENDING).update(due_at=now)
    return ids
