"""``notify``: in each recipient's language, once per event and person, only when the caller's
change commits, on the channels each person chose."""

import pytest
from django.core import mail
from django.db import transaction

from notifications.models import (
    Delivery,
    DeliveryChannel,
    DeliveryState,
    Notification,
    SandboxMessage,
)
from notifications.services import notify, preference_for
from tests.factories import UserFactory
from tests.notifications.support import BODY, SUBJECT, person, tell


@pytest.mark.django_db
def test_each_recipient_reads_the_event_in_their_own_language(
        django_capture_on_commit_callbacks):
    indonesian, english = person(language="id"), person(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        tell([indonesian, english])

    ours = Notification.objects.get(recipient=indonesian)
    theirs = Notification.objects.get(recipient=english)
    assert (ours.language, theirs.language) == ("id", "en")
    assert ours.subject == "Izin 503/DPMPTSP/7 telah terbit"
    assert theirs.subject == "Permit 503/DPMPTSP/7 is issued"
    assert ours.body == "Izin 503/DPMPTSP/7: 8 Des. 2026"  # Django's Indonesian DATE_FORMAT
    assert theirs.body == "Permit 503/DPMPTSP/7: Dec. 8, 2026"
    # The e-mail says what the list says, with the absolute link.
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address[indonesian.email].subject == ours.subject
    assert by_address[english.email].body == (
        "Permit 503/DPMPTSP/7: Dec. 8, 2026\n\nhttp://127.0.0.1:8000/permits/7/")


@pytest.mark.django_db
def test_a_second_notify_of_the_same_event_adds_nothing(django_capture_on_commit_callbacks):
    user = person(sms=True, phone="081234567890")
    with django_capture_on_commit_callbacks(execute=True):
        first = tell([user, user, None])
    with django_capture_on_commit_callbacks(execute=True) as queued:
        second = tell([user])

    assert len(first) == 1 and second == []
    assert queued == []
    assert Notification.objects.filter(recipient=user).count() == 1
    assert sorted(Delivery.objects.values_list("channel", flat=True)) == ["email", "sms"]
    assert len(mail.outbox) == 1
    assert SandboxMessage.objects.count() == 1


@pytest.mark.django_db
def test_a_new_event_for_the_same_person_is_told_again(django_capture_on_commit_callbacks):
    user = person()
    with django_capture_on_commit_callbacks(execute=True):
        tell([user], key="permit:7:issued")
        tell([user], key="permit:8:issued")
    assert Notification.objects.filter(recipient=user).count() == 2
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_tells_no_one():
    user = person(sms=True, phone="081234567890")

    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        assert len(tell([user])) == 1
        raise Refused

    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()
    assert mail.outbox == [] and not SandboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_deliveries_go_at_once():
    user = person()
    tell([user])
    assert Delivery.objects.get().state == DeliveryState.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_business_user_with_sms_and_a_phone_gets_email_and_sms(
        django_capture_on_commit_callbacks):
    user = person(sms=True, whatsapp=True, phone="0812-3456-7890")
    with django_capture_on_commit_callbacks(execute=True):
        tell([user])
    deliveries = {d.channel: d for d in Delivery.objects.all()}
    assert set(deliveries) == {DeliveryChannel.EMAIL, DeliveryChannel.SMS, DeliveryChannel.WHATSAPP}
    assert deliveries[DeliveryChannel.SMS].address == "+6281234567890"
    assert {d.state for d in deliveries.values()} == {DeliveryState.SENT}
    sms = SandboxMessage.objects.get(channel="sms")
    assert sms.to == "+6281234567890"
    assert sms.body.endswith("http://127.0.0.1:8000/permits/7/")


@pytest.mark.django_db
@pytest.mark.parametrize("staff", [{"is_staff": True}, {"groups": ["agency_a"]}])
def test_staff_get_email_even_when_they_turned_it_off(django_capture_on_commit_callbacks, staff):
    user = person(email=False, **staff)
    with django_capture_on_commit_callbacks(execute=True):
        tell([user])
    assert list(Delivery.objects.values_list("channel", flat=True)) == ["email"]
    assert [m.to for m in mail.outbox] == [[user.email]]


@pytest.mark.django_db
def test_a_business_user_who_turned_email_off_has_the_notice_only(
        django_capture_on_commit_callbacks):
    user = person(email=False, sms=True, phone="")  # SMS chosen once, the phone since removed
    with django_capture_on_commit_callbacks(execute=True):
        made = tell([user])
    assert len(made) == 1
    assert not Delivery.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_inactive_people_are_not_told(django_capture_on_commit_callbacks):
    gone = UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert tell([gone]) == []
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_the_preference_is_made_with_the_defaults_when_first_needed(
        django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=UserFactory._meta.model.objects.filter(pk=user.pk),
               event_key="x:1", kind="test.plain", subject=SUBJECT, body=BODY,
               params={"number": "1", "state": "ok"})
    preference = preference_for(user)
    assert (preference.language, preference.email, preference.sms) == ("id", True, False)
    assert Notification.objects.get().url == ""
    assert mail.outbox[0].body == "Izin 1: ok"
