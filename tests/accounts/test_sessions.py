"""Staff sessions end after 30 idle minutes and after 12 hours in any case; a business's ends
when the browser closes unless it chose to stay signed in."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_staff_session_slides_with_activity_then_ends_after_30_idle_minutes(client):
    reviewer = UserFactory(groups=["agency_a"])
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(reviewer)
        assert client.get(reverse("inbox")).status_code == 200
        assert client.session.get_expiry_age() == 30 * 60
    with time_machine.travel(start + timedelta(minutes=25), tick=False):
        assert client.get(reverse("inbox")).status_code == 200  # active: the 30 minutes restart
    with time_machine.travel(start + timedelta(minutes=50), tick=False):
        assert client.get(reverse("inbox")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=81), tick=False):
        assert client.get(reverse("inbox"))["Location"].startswith(reverse("login"))


def test_a_staff_session_ends_after_12_hours_however_active(client):
    reviewer = UserFactory(groups=["agency_a"])
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(reviewer)
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("inbox")).status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=5), tick=False):
        response = client.get(reverse("inbox"))
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_a_business_session_ends_with_the_browser_unless_it_stays_signed_in(client, settings):
    owner = UserFactory()
    client.post(reverse("login"), {"username": owner.email, "password": "rahasia-123"})
    assert client.session.get_expire_at_browser_close()
    client.logout()
    client.post(reverse("login"), {"username": owner.email, "password": "rahasia-123",
                                   "remember": "on"})
    assert not client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.BUSINESS_REMEMBER_DAYS * 24 * 3600
