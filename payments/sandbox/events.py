"""Events: what happened, stored once, and queued for webhook delivery after commit."""

from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction

from . import shapes
from .models import Event, WebhookDelivery, new_id


@dataclass(frozen=True)
class Origin:
    """The API request that caused a change (events name it; the hosted page has none)."""

    request_id: str = ""
    idempotency_key: str = ""


def event_emit(*, type: str, data_object: dict, origin: Origin | None = None) -> Event:
    origin = origin or Origin()
    event = Event.objects.create(
        id=new_id("evt_"),
        type=type,
        data={"object": data_object},
        api_version=shapes.API_VERSION,
        request_id=origin.request_id,
        idempotency_key=origin.idempotency_key,
    )
    url = settings.PAYMENT_SANDBOX_WEBHOOK_URL
    if url:
        from .tasks import deliver_webhook

        delivery = WebhookDelivery.objects.create(event=event, url=url,
                                                  next_attempt_at=event.created)
        # Izin must never hear of a payment the sandbox then rolls back.
        transaction.on_commit(partial(deliver_webhook.delay, delivery.pk))
    return event
