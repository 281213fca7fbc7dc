"""Writing to the outbox. ``publish`` is called by the apps' ``outbound`` modules inside the
transaction of the change, so the event commits or rolls back with it; sending waits for the
commit and a worker: the request that made the change only writes rows."""

import logging

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from config.celery import enqueue_on_commit
from events.models import Delivery, DeliveryState, Event, Subscription
from events.tasks import deliver
from events.topics import TOPICS, UnknownTopic

logger = logging.getLogger("izin.events")


def publish(*, topic: str, object_type: str, object_id: int, payload: dict) -> Event:
    """Store the event and one delivery per active subscription that wants it. Call under the
    object's row lock: the per-object sequence is the next after the last one stored."""
    if topic not in TOPICS:
        raise UnknownTopic(topic)
    now = timezone.now()
    with transaction.atomic():
        last = (Event.objects.filter(object_type=object_type, object_id=object_id)
                .aggregate(last=Max("sequence"))["last"])
        event = Event.objects.create(topic=topic, object_type=object_type, object_id=object_id,
                                     sequence=(last or 0) + 1, payload=payload, occurred_at=now)
        deliveries = Delivery.objects.bulk_create([
            Delivery(event=event, subscription=subscription, next_attempt_at=now)
            for subscription in Subscription.objects.filter(active=True)
            if subscription.wants(topic)
        ])
        for delivery in deliveries:
            _queue(delivery.pk)
    logger.info("event_published event_id=%s topic=%s object=%s:%s deliveries=%s", event.pk,
                topic, object_type, object_id, len(deliveries))
    return event


def deliveries_redeliver(*, delivery_ids: list[int]) -> int:
    """Send these again, now, whatever became of them (a receiver that lost what it was sent
    asks for it again). Counts start afresh: a given-up delivery gets its full schedule."""
    with transaction.atomic():
        count = Delivery.objects.filter(pk__in=delivery_ids).update(
            state=DeliveryState.PENDING, attempts=0, next_attempt_at=timezone.now(),
        )
        for delivery_id in sorted(delivery_ids):
            _queue(delivery_id)
    logger.info("event_deliveries_redelivered count=%s", count)
    return count


def _queue(delivery_id: int) -> None:
    enqueue_on_commit(deliver, delivery_id)
