"""Sending one delivery: at least once, never from two workers at once, and in order per object
and subscriber. The tasks call these; the retry schedule lives here, not in Celery, so a
receiver down for days loses nothing and the admin shows what is waiting and why.

The POST happens under the delivery's row lock (as notifications send under theirs): a second
worker skips the row rather than sending it again. Should the commit fail after the receiver
answered, the next attempt sends it again; receivers deduplicate by the event's ``id`` (in the
envelope, and in the ``Izin-Event-Id`` header whatever the body's shape)."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from events import shapes
from events.models import UNSETTLED, Delivery, DeliveryState
from events.signing import HEADER, signature_header

logger = logging.getLogger("izin.events")

# The wait after the first, second … failure; after the last one the delivery is given up
# (about three days and an hour of trying), until someone redelivers it from the admin.
RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(hours=1),
               timedelta(days=1), timedelta(days=2))
# A delivery held back by an earlier one of its object looks again this soon at the latest;
# the earlier one's success queues it at once.
BLOCKED_RECHECK = timedelta(minutes=1)
ERROR_LIMIT = 300  # enough to act on, never a whole reply
BODY_EXCERPT = 120
EVENT_ID_HEADER = "Izin-Event-Id"
EVENT_TYPE_HEADER = "Izin-Event-Type"


@dataclass(frozen=True)
class Attempt:
    """What one call came to: ``state`` of the delivery after it (None: another worker holds
    it, or it was not due) and the delivery to queue next (the object's following event)."""

    state: str | None
    follower_id: int | None = None


def retry_wait(attempts: int) -> timedelta | None:
    """The wait after the ``attempts``-th failure, None when it was the last."""
    return RETRY_AFTER[attempts - 1] if attempts <= len(RETRY_AFTER) else None


def _earlier_unsettled(delivery: Delivery) -> Delivery | None:
    event = delivery.event
    return (Delivery.objects.filter(
        subscription_id=delivery.subscription_id, state__in=UNSETTLED,
        event__object_type=event.object_type, event__object_id=event.object_id,
        event__sequence__lt=event.sequence,
    ).order_by("event__sequence").first())


def _follower(delivery: Delivery, now: datetime) -> int | None:
    """The object's next unsettled delivery to the same subscriber, made due now."""
    event = delivery.event
    follower = (Delivery.objects.filter(
        subscription_id=delivery.subscription_id, state__in=UNSETTLED,
        event__object_type=event.object_type, event__object_id=event.object_id,
        event__sequence__gt=event.sequence,
    ).order_by("event__sequence").values_list("pk", flat=True).first())
    if follower is not None:
        Delivery.objects.filter(pk=follower).update(next_attempt_at=now)
    return follower


def delivery_attempt(*, delivery_id: int) -> Attempt:
    now = timezone.now()
    with transaction.atomic():
        delivery = (Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("event", "subscription").filter(pk=delivery_id).first())
        if (delivery is None or delivery.state not in UNSETTLED
                or not delivery.subscription.active
                or (delivery.next_attempt_at and delivery.next_attempt_at > now)):
            return Attempt(state=None)
        if blocker := _earlier_unsettled(delivery):
            delivery.next_attempt_at = max(blocker.next_attempt_at or now, now + BLOCKED_RECHECK)
            delivery.save(update_fields=["next_attempt_at"])
            logger.info("event_delivery_held delivery_id=%s behind_delivery_id=%s",
                        delivery.pk, blocker.pk)
            return Attempt(state=delivery.state)
        status_code, error = _post(delivery)
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.last_status_code = status_code
        delivery.last_error = error[:ERROR_LIMIT]
        follower_id = None
        if not error:
            delivery.state = DeliveryState.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.next_attempt_at = None
            follower_id = _follower(delivery, now)
        elif wait := retry_wait(delivery.attempts):
            delivery.state = DeliveryState.RETRYING
            delivery.next_attempt_at = now + wait
        else:
            delivery.state = DeliveryState.GIVEN_UP
            delivery.next_attempt_at = None
        delivery.save(update_fields=["attempts", "last_attempt_at", "last_status_code",
                                     "last_error", "state", "delivered_at", "next_attempt_at"])
    log = logger.error if delivery.state == DeliveryState.GIVEN_UP else logger.info
    log("event_delivery_attempt delivery_id=%s event_id=%s subscription_id=%s attempt=%s "
        "state=%s status_code=%s", delivery.pk, delivery.event_id, delivery.subscription_id,
        delivery.attempts, delivery.state, status_code)
    return Attempt(state=delivery.state, follower_id=follower_id)


def _shaped(delivery: Delivery) -> tuple[shapes.Body | None, str]:
    """``(body, error)``. A shape that cannot render fails this attempt like a receiver's
    refusal (recorded, retried), never the worker: the shaper runs in a savepoint so that a
    failed query of its own leaves the delivery's transaction usable."""
    try:
        with transaction.atomic():
            return shapes.render(delivery), ""
    except shapes.ShapeError as error:
        return None, str(error)
    except Exception as error:  # a shaper is another app's code: record it, keep the worker
        logger.exception("event_delivery_shape_failed delivery_id=%s shape=%s", delivery.pk,
                         delivery.subscription.shape)
        return None, f"The shape {delivery.subscription.shape!r} failed: {type(error).__name__}"


def _post(delivery: Delivery) -> tuple[int | None, str]:
    """``(status code, error)``; no error means the receiver took it (2xx)."""
    secret = settings.EVENTS_SUBSCRIPTION_SECRETS.get(delivery.subscription.secret_name)
    if not secret:
        return None, f"No secret named {delivery.subscription.secret_name!r} is configured."
    shaped, error = _shaped(delivery)
    if shaped is None:
        return None, error
    event = delivery.event
    # The event's id and type in headers too: a receiver of a file (no envelope) deduplicates
    # and routes by them. The signature covers exactly the bytes sent, whatever the shape.
    headers = {
        "Content-Type": shaped.content_type,
        HEADER: signature_header(body=shaped.body, secret=secret),
        EVENT_ID_HEADER: str(event.uid),
        EVENT_TYPE_HEADER: event.topic,
        "User-Agent": "Izin/1.0 (events)",
    }
    if shaped.filename:
        headers["Content-Disposition"] = f'attachment; filename="{shaped.filename}"'
    timeout = (settings.EVENTS_DELIVERY_CONNECT_TIMEOUT_SECONDS,
               settings.EVENTS_DELIVERY_READ_TIMEOUT_SECONDS)
    try:
        response = requests.post(delivery.subscription.url, data=shaped.body, headers=headers,
                                 timeout=timeout, allow_redirects=False)
    except requests.RequestException as exc:
        return None, type(exc).__name__
    if 200 <= response.status_code < 300:
        return response.status_code, ""
    return response.status_code, f"HTTP {response.status_code}: {response.text[:BODY_EXCERPT]}"


def deliveries_due(*, limit: int, now: datetime | None = None) -> list[int]:
    """Unsettled deliveries to active subscribers whose next attempt has come, oldest first."""
    return list(
        Delivery.objects.filter(state__in=UNSETTLED, next_attempt_at__lte=now or timezone.now(),
                                subscription__active=True)
        .order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]
    )
