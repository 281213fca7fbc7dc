"""Body shapes: a subscription receives events as the JSON envelope (unchanged, the default) or
as what a registered shape renders, sent with its content type and file name and signed over
exactly the bytes sent; the event's id and type ride in headers whatever the body. A shape that
is unknown, cannot render the topic or breaks fails the delivery with a clear error and is
retried like any failure; the admin offers only registered shapes and the topics they render."""

import json
import time
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from events import shapes, topics
from events.models import Delivery, DeliveryState, Subscription
from events.services import publish
from events.tasks import deliveries_due
from tests.events.conftest import SECRET
from tests.events.receiver import Received, signed_by
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEXT = "plain-test"
CLOSES_ONLY = "closes-only-test"


def plain_text(delivery: Delivery) -> shapes.Body:
    event = delivery.event
    return shapes.Body("text/plain; charset=utf-8",
                       f"{event.topic} {event.object_id}\n".encode(), f"event-{event.pk}.txt")


@pytest.fixture
def text_shape():
    shapes.register(TEXT, plain_text)
    shapes.register(CLOSES_ONLY, plain_text, topics=[topics.DAILY_CLOSE_CLOSED])
    yield
    shapes.unregister(TEXT)
    shapes.unregister(CLOSES_ONLY)


def published(capture, topic=topics.PERMIT_ISSUED, object_id=5):
    with capture(execute=True):
        return publish(topic=topic, object_type="permit", object_id=object_id,
                       payload={"number": "503/PBG/2026/0001"})


def test_json_stays_the_default_and_its_envelope_is_unchanged(
        receiver, subscription, django_capture_on_commit_callbacks):
    assert subscription.shape == "json"
    event = published(django_capture_on_commit_callbacks)

    [request] = receiver.received
    assert json.loads(request.body) == {
        "id": str(event.uid), "type": "permit.issued",
        "created": int(event.occurred_at.timestamp()),
        "data": {"object_type": "permit", "object_id": 5, "sequence": 1,
                 "number": "503/PBG/2026/0001"},
    }
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert (request.headers["Izin-Event-Id"], request.headers["Izin-Event-Type"]) == (
        str(event.uid), "permit.issued")
    assert "Content-Disposition" not in request.headers
    assert signed_by(request, SECRET, now=int(time.time()))


def test_a_registered_shape_is_sent_as_a_signed_attachment(
        receiver, subscription, text_shape, django_capture_on_commit_callbacks):
    Subscription.objects.filter(pk=subscription.pk).update(shape=TEXT)
    event = published(django_capture_on_commit_callbacks)

    [request] = receiver.received
    assert request.body == b"permit.issued 5\n"
    assert request.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert request.headers["Content-Disposition"] == (
        f'attachment; filename="event-{event.pk}.txt"')
    assert (request.headers["Izin-Event-Id"], request.headers["Izin-Event-Type"]) == (
        str(event.uid), "permit.issued")
    assert signed_by(request, SECRET, now=int(time.time()))
    tampered = Received(body=b"permit.issued 6\n", signature=request.signature, status=200)
    assert not signed_by(tampered, SECRET, now=int(time.time()))
    assert not signed_by(request, "whsec_other", now=int(time.time()))
    assert Delivery.objects.get(event=event).state == DeliveryState.DELIVERED


def test_an_unknown_shape_fails_the_delivery_clearly_and_is_retried(
        receiver, subscription, django_capture_on_commit_callbacks):
    Subscription.objects.filter(pk=subscription.pk).update(shape="fax")
    event = published(django_capture_on_commit_callbacks)

    delivery = Delivery.objects.get(event=event)
    assert receiver.received == []
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == (
        DeliveryState.RETRYING, 1, None)
    assert delivery.last_error == "Unknown shape 'fax': no app registers it."
    assert delivery.next_attempt_at - delivery.last_attempt_at == timedelta(minutes=1)

    Subscription.objects.filter(pk=subscription.pk).update(shape="json")  # the set-up mended
    with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1), tick=False):
        assert deliveries_due() == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_error) == (
        DeliveryState.DELIVERED, 2, "")
    assert [e["id"] for e in receiver.accepted()] == [str(event.uid)]


def test_a_shape_asked_for_a_topic_it_cannot_render_sends_nothing(
        receiver, subscription, text_shape, django_capture_on_commit_callbacks):
    Subscription.objects.filter(pk=subscription.pk).update(shape=CLOSES_ONLY)
    event = published(django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(event=event)
    assert receiver.received == []
    assert delivery.state == DeliveryState.RETRYING
    assert delivery.last_error == (
        "The shape 'closes-only-test' cannot render 'permit.issued'.")


def test_a_shaper_that_breaks_even_in_the_database_fails_only_its_delivery(
        receiver, subscription, django_capture_on_commit_callbacks):
    def broken(delivery):
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")
        raise AssertionError("unreachable")

    shapes.register("broken-test", broken)
    try:
        Subscription.objects.filter(pk=subscription.pk).update(shape="broken-test")
        event = published(django_capture_on_commit_callbacks)
    finally:
        shapes.unregister("broken-test")
    delivery = Delivery.objects.get(event=event)
    assert receiver.received == []
    assert (delivery.state, delivery.attempts) == (DeliveryState.RETRYING, 1)
    assert delivery.last_error.startswith("The shape 'broken-test' failed: ")


def test_an_unsafe_file_name_is_refused():
    with pytest.raises(shapes.ShapeError):
        shapes.Body("text/csv", b"", 'x.csv"\r\nX-Evil: 1')


def test_two_apps_cannot_claim_one_name(text_shape):
    shapes.register(TEXT, plain_text)  # the same registration again (ready() twice) is harmless
    with pytest.raises(ValueError, match="already registered"):
        shapes.register(TEXT, lambda delivery: shapes.Body("text/plain", b""))


def add_subscription(client, **fields):
    data = {"name": "Finance", "url": "https://finance.example/izin", "topics": "[]",
            "shape": "json", "secret_name": "finance", "active": "on", **fields}
    return client.post(reverse("admin:events_subscription_add"), data)


def test_the_admin_offers_the_registered_shapes_and_the_topics_they_render(client, text_shape):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:events_subscription_add")).content.decode()
    assert f'value="{TEXT}"' in page and 'value="json"' in page

    refused = {
        "fax": add_subscription(client, shape="fax"),
        "every topic": add_subscription(client, shape=CLOSES_ONLY),
        "another topic": add_subscription(client, shape=CLOSES_ONLY,
                                          topics='["daily_close.closed", "permit.issued"]'),
        "unknown topic": add_subscription(client, topics='["permit.painted"]'),
    }
    for why, response in refused.items():
        assert response.status_code == 200, why  # the form again, with its errors
        assert response.context["adminform"].form.errors, why
    assert "fax" in str(refused["fax"].context["adminform"].form.errors["shape"])
    assert "permit.issued" in str(
        refused["another topic"].context["adminform"].form.errors["topics"])
    assert not Subscription.objects.exists()

    assert add_subscription(client, shape=CLOSES_ONLY,
                            topics='["daily_close.closed"]').status_code == 302
    assert add_subscription(client, name="Everything", shape=TEXT).status_code == 302
    assert dict(Subscription.objects.values_list("name", "shape")) == {
        "Finance": CLOSES_ONLY, "Everything": TEXT}
