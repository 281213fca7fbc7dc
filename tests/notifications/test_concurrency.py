"""Two processes telling the same event at the same moment: the unique constraint decides,
and the second caller gets nothing new rather than an error."""

import threading

import pytest
from django.db import connection, transaction

from notifications.models import Delivery, Notification
from tests.notifications.support import person, tell


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_event_told_at_once_from_two_connections_is_stored_once(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "memory://"  # the deliveries' tasks are not under test
    user = person(sms=True, phone="081234567890")
    outcome = {}

    def second():
        try:
            outcome["second"] = tell([user])  # waits on the first's unique index entry
        except Exception as error:
            outcome["second"] = error
        finally:
            connection.close()

    with transaction.atomic():
        outcome["first"] = tell([user])
        other = threading.Thread(target=second)
        other.start()
    other.join(timeout=60)

    assert len(outcome["first"]) == 1
    assert outcome["second"] == []
    assert Notification.objects.count() == 1
    assert Delivery.objects.count() == 2
