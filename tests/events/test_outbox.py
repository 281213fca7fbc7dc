"""The outbox is written with the change and only after its commit does anything leave: a
rolled-back change tells nobody, the web request that makes a change never calls a receiver,
and a delivery whose task was lost is found by beat's sweep."""

import pytest
from django.db import transaction
from django.urls import reverse

from events import topics
from events.models import Delivery, DeliveryState, Event, Subscription
from events.services import publish
from events.tasks import deliveries_due
from events.topics import UnknownTopic
from tests.lifecycle import complete, draft
from tests.payments.support import building_type
from tests.portal import post

pytestmark = pytest.mark.django_db


def test_an_event_rolls_back_with_the_change_that_caused_it(
        receiver, subscription, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            publish(topic=topics.PERMIT_REVOKED, object_type="permit", object_id=1, payload={})
            raise RuntimeError("the change failed after it published")
    assert not Event.objects.exists() and not Delivery.objects.exists()
    assert callbacks == [] and receiver.received == []


def test_an_unknown_topic_is_refused():
    with pytest.raises(UnknownTopic):
        publish(topic="permit.painted", object_type="permit", object_id=1, payload={})
    assert not Event.objects.exists()


def test_a_subscription_gets_the_topics_it_asked_for_while_active(receiver, subscription):
    Subscription.objects.create(name="Permits only", url=receiver.url, secret_name="partner",
                                topics=[topics.PERMIT_ISSUED])
    Subscription.objects.create(name="Paused", url=receiver.url, secret_name="partner",
                                active=False)
    submitted = publish(topic=topics.APPLICATION_SUBMITTED, object_type="application",
                        object_id=1, payload={})
    issued = publish(topic=topics.PERMIT_ISSUED, object_type="permit", object_id=1, payload={})
    assert list(submitted.deliveries.values_list("subscription__name", flat=True)) == ["Partner"]
    assert sorted(issued.deliveries.values_list("subscription__name", flat=True)) == [
        "Partner", "Permits only"]


def test_the_request_that_causes_an_event_only_writes_rows(
        client, receiver, subscription, django_capture_on_commit_callbacks):
    application, owner = draft(permit_type=building_type(steps=["agency_a"]),
                               answers={"floor_area": 120, "building_function": "usaha"})
    complete(application, owner)
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post(client, reverse("application_submit", args=[application.pk]))
    assert response.status_code == 302
    event = Event.objects.get(topic=topics.APPLICATION_SUBMITTED)
    assert event.object_id == application.pk
    assert Delivery.objects.get(event=event).state == DeliveryState.PENDING
    assert receiver.received == []  # the request answered without waiting on the receiver

    for callback in callbacks:  # what a worker does once the commit queued it
        callback()
    assert [e["id"] for e in receiver.accepted()] == [str(event.uid)]


def test_beat_sweep_sends_a_delivery_whose_task_was_lost(
        receiver, subscription, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        event = publish(topic=topics.PERMIT_EXPIRED, object_type="permit", object_id=9,
                        payload={})  # committed, but its message never reached a worker
    assert receiver.received == []

    assert deliveries_due() == 1
    assert deliveries_due() == 0
    assert [e["id"] for e in receiver.accepted()] == [str(event.uid)]
    assert Delivery.objects.get().state == DeliveryState.DELIVERED
