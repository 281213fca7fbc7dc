"""The SIPKD file pushed through the outbox: closing a day publishes ``daily_close.closed``, and
a subscription in the "sipkd" shape receives that day's file over real HTTP, signed over its
exact bytes, once, however often its receiver first refused it; parsed back it sums to the
day's ledger, and it is the file the treasury downloads."""

import csv
import io
import time
from datetime import timedelta

import pytest
import time_machine
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from events import shapes, topics
from events.models import Delivery, DeliveryState, Event, Subscription
from events.tasks import deliveries_due
from tests.events.receiver import Receiver, signed_by
from tests.factories import UserFactory
from tests.payments.support import TOTAL
from tests.treasury.books import bill, officer, paid_at_counter
from tests.treasury.test_sipkd_export import (
    DOCUMENTED,
    LEVY,
    SIGN,
    books_per_account,
    days_ago,
    two_account_bill,
)
from treasury.closing import DayNotClosable, day_close
from treasury.models import LedgerEntry

pytestmark = pytest.mark.django_db

SECRET = "whsec_bpkad_sipkd_test"


@pytest.fixture
def finance(settings):
    """The finance system's import endpoint on loopback, subscribed in the "sipkd" shape."""
    settings.EVENTS_SUBSCRIPTION_SECRETS = {"bpkad": SECRET}
    with Receiver() as receiver:
        Subscription.objects.create(name="SIPKD BPKAD", url=receiver.url, secret_name="bpkad",
                                    shape="sipkd", topics=[topics.DAILY_CLOSE_CLOSED])
        yield receiver


def test_a_closed_day_reaches_the_finance_system_once_signed_and_summing_to_the_books(
        client, finance, django_capture_on_commit_callbacks):
    clerk, day = officer(), days_ago(2)
    paid_at_counter(two_account_bill(), on=day, by=clerk)
    paid_at_counter(bill(), on=day, by=clerk)
    finance.script = [503]  # the import endpoint is down at first

    with django_capture_on_commit_callbacks(execute=True):
        close = day_close(day=day, actor=clerk)

    event = Event.objects.get(topic=topics.DAILY_CLOSE_CLOSED)
    assert (event.object_type, event.object_id) == ("daily_close", close.pk)
    delivery = Delivery.objects.get(event=event)
    assert (delivery.state, delivery.last_status_code) == (DeliveryState.RETRYING, 503)
    with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1), tick=False):
        assert deliveries_due() == 1  # beat's sweep, a minute later: the endpoint is back
    with time_machine.travel(timezone.now() + timedelta(days=4), tick=False):
        assert deliveries_due() == 0  # nothing left to send, ever

    assert [r.status for r in finance.received] == [503, 200]
    [taken] = [r for r in finance.received if r.status == 200]
    assert finance.received[0].body == taken.body  # the retry sent the same file
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.DELIVERED, 2)

    # Signed over exactly these bytes, checked as the receiver would, not with Izin's code.
    assert signed_by(taken, SECRET, now=int(time.time()))
    assert not signed_by(taken, "whsec_other", now=int(time.time()))
    number = close.sts_number.replace("/", "-")
    assert taken.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert taken.headers["Content-Disposition"] == (
        f'attachment; filename="sipkd-{day.isoformat()}-{number}.csv"')
    assert (taken.headers["Izin-Event-Id"], taken.headers["Izin-Event-Type"]) == (
        str(event.uid), "daily_close.closed")

    # Parsed back as the finance system would, it sums to the day's ledger.
    assert not taken.body.startswith(b"\xef\xbb\xbf") and taken.body.endswith(b"\r\n")
    header, *rows, trailer = csv.reader(io.StringIO(taken.body.decode("utf-8"), newline=""),
                                        delimiter=";")
    assert header == DOCUMENTED
    rows = [dict(zip(header, row, strict=True)) for row in rows]
    assert {(row["tanggal_buku"], row["nomor_sts"]) for row in rows} == {
        (day.isoformat(), close.sts_number)}
    assert {row["kode_rekening"]: (int(row["jumlah"]), int(row["jumlah_transaksi"]))
            for row in rows} == books_per_account(day) == {
        LEVY: (100_000 + TOTAL, 2), SIGN: (50_000, 1)}
    ledger_total = LedgerEntry.objects.filter(book_day=day).aggregate(total=Sum("amount"))
    assert trailer == ["TOTAL", "2", str(ledger_total["total"])]
    assert sum(int(row["jumlah"]) for row in rows) == ledger_total["total"] == close.total

    # The same file the treasury downloads.
    client.force_login(clerk)
    assert client.get(reverse("treasury:day_sipkd", args=[day])).content == taken.body


def test_the_event_tells_a_json_subscriber_the_day_its_sts_and_its_seal(
        settings, django_capture_on_commit_callbacks):
    settings.EVENTS_SUBSCRIPTION_SECRETS = {"bus": SECRET}
    clerk, day = officer(), days_ago(1)
    paid_at_counter(bill(), on=day, by=clerk)
    with Receiver() as bus:
        Subscription.objects.create(name="Service bus", url=bus.url, secret_name="bus",
                                    topics=[topics.DAILY_CLOSE_CLOSED])
        with django_capture_on_commit_callbacks(execute=True):
            close = day_close(day=day, actor=clerk)
    [event] = bus.accepted()
    assert bus.received[0].headers["Content-Type"] == "application/json; charset=utf-8"
    assert (event["type"], event["data"]) == ("daily_close.closed", {
        "object_type": "daily_close", "object_id": close.pk, "sequence": 1,
        "day": day.isoformat(), "sts_number": close.sts_number, "total": TOTAL,
        "entry_count": 1})


def test_a_refused_close_tells_nobody(finance, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DayNotClosable):
        day_close(day=timezone.localdate() + timedelta(days=1), actor=officer())
    assert not Event.objects.exists() and finance.received == []


def test_the_sipkd_shape_is_registered_for_closed_days_only(client):
    assert shapes.get("sipkd").topics == (topics.DAILY_CLOSE_CLOSED,)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    data = {"name": "SIPKD", "url": "https://sipkd.example/import", "shape": "sipkd",
            "secret_name": "bpkad", "active": "on"}
    url = reverse("admin:events_subscription_add")
    assert 'value="sipkd"' in client.get(url).content.decode()

    refused = client.post(url, {**data, "topics": '["permit.issued"]'})
    assert refused.status_code == 200
    assert "permit.issued" in str(refused.context["adminform"].form.errors["topics"])
    assert client.post(url, {**data, "topics": "[]"}).status_code == 200  # not "every topic"
    assert not Subscription.objects.exists()

    assert client.post(url, {**data, "topics": '["daily_close.closed"]'}).status_code == 302
    assert Subscription.objects.get().shape == "sipkd"
