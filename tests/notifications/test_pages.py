"""The notices page, opening a notice, the settings form and the header's badge: each person
sees their own only."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from notifications.models import Notification
from notifications.phones import INVALID
from notifications.services import preference_for
from tests.factories import UserFactory
from tests.notifications.support import person, tell


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["notification_list", "notification_settings"])
def test_anonymous_people_are_sent_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_anonymous_cannot_open_a_notice(client):
    user = person()
    notice = tell([user])[0]
    response = client.get(reverse("notification_open", args=[notice.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
    notice.refresh_from_db()
    assert notice.read_at is None


@pytest.mark.django_db
def test_the_list_shows_my_notices_only_and_the_header_counts_the_unread(english):
    me, other = person(language="en"), person(language="en")
    tell([me], key="e:1")
    tell([me], key="e:2")
    tell([other], key="e:3", url="/secret/")
    english.force_login(me)

    page = english.get(reverse("notification_list"))
    assert page.status_code == 200
    assert [n.event_key for n in page.context["page"]] == ["e:2", "e:1"]
    assert page.context["notifications_unread"] == 2
    html = page.content.decode()
    assert '<span class="badge" data-unread>2</span>' in html
    assert html.count('class="notice is-unread"') == 2
    assert reverse("notification_settings") in html
    other_notice = Notification.objects.get(recipient=other)
    assert f'data-notice="{other_notice.pk}"' not in html


@pytest.mark.django_db
def test_the_list_is_paginated_by_25(english):
    me = person(language="en")
    for number in range(30):
        tell([me], key=f"e:{number}")
    english.force_login(me)

    first = english.get(reverse("notification_list"))
    second = english.get(reverse("notification_list"), {"page": 2})
    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 5
    assert b"Page 1 of 2" in first.content


@pytest.mark.django_db
def test_the_list_is_in_indonesian_first(client):
    me = person()
    tell([me])
    client.force_login(me)
    page = client.get(reverse("notification_list"))
    assert page.headers["Content-Language"] == "id"
    assert "Izin 503/DPMPTSP/7 telah terbit" in page.content.decode()


@pytest.mark.django_db
def test_opening_a_notice_marks_it_read_and_follows_its_link(english):
    me = person(language="en")
    notice = tell([me])[0]
    english.force_login(me)

    response = english.get(reverse("notification_open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == "/permits/7/"
    notice.refresh_from_db()
    first_read = notice.read_at
    assert first_read is not None

    english.get(reverse("notification_open", args=[notice.pk]))
    notice.refresh_from_db()
    assert notice.read_at == first_read  # the first reading is kept
    assert english.get(reverse("notification_list")).context["notifications_unread"] == 0


@pytest.mark.django_db
def test_a_notice_without_a_link_opens_the_list(english):
    me = person(language="en")
    notice = tell([me], url="")[0]
    english.force_login(me)
    response = english.get(reverse("notification_open", args=[notice.pk]))
    assert response["Location"] == reverse("notification_list")


@pytest.mark.django_db
def test_another_persons_notice_is_not_found(english):
    me, other = person(language="en"), person(language="en")
    theirs = tell([other])[0]
    english.force_login(me)
    response = english.get(reverse("notification_open", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_mark_all_as_read_touches_my_notices_only(english):
    me, other = person(language="en"), person(language="en")
    tell([me, other], key="e:1")
    tell([me], key="e:2")
    english.force_login(me)

    assert english.get(reverse("notification_read_all")).status_code == 405  # POST only
    response = english.post(reverse("notification_read_all"))
    assert response["Location"] == reverse("notification_list")
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()
    assert Notification.objects.get(recipient=other).read_at is None


@pytest.mark.django_db
def test_anonymous_pages_have_no_badge(client):
    page = client.get("/")
    assert "notifications_unread" not in page.context
    assert b"data-unread" not in page.content


SETTINGS = {"language": "id", "email": "on", "phone": ""}


@pytest.mark.django_db
def test_settings_are_saved_with_the_phone_in_e164(english):
    me = UserFactory()
    english.force_login(me)
    response = english.post(reverse("notification_settings"), {
        "language": "en", "sms": "on", "phone": "0812 3456 7890"})
    assert response.status_code == 302
    preference = preference_for(me)
    assert (preference.language, preference.email, preference.sms, preference.phone) == (
        "en", False, True, "+6281234567890")
    page = english.get(reverse("notification_settings"))
    assert page.context["form"].initial["phone"] == "+6281234567890"


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "cookie"), [("id", None), ("en", "en")])
def test_a_bad_phone_is_refused_in_the_page_language(client, language, cookie):
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    client.force_login(UserFactory())
    response = client.post(reverse("notification_settings"),
                           {**SETTINGS, "sms": "on", "phone": "0761 123456"})
    assert response.status_code == 200
    assert response.headers["Content-Language"] == language
    with translation.override(language):
        message = str(INVALID)
    assert message in response.content.decode()
    if language == "en":
        assert "Enter an Indonesian mobile number" in message


@pytest.mark.django_db
@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_sms_or_whatsapp_need_a_phone(english, channel):
    me = UserFactory()
    english.force_login(me)
    response = english.post(reverse("notification_settings"), {**SETTINGS, channel: "on"})
    assert response.status_code == 200
    assert b"Enter your mobile number to receive SMS or WhatsApp messages." in response.content
    assert not getattr(preference_for(me), channel)


@pytest.mark.django_db
def test_staff_see_that_email_is_always_on_and_cannot_turn_it_off(english):
    me = UserFactory(groups=["agency_a"])
    english.force_login(me)
    page = english.get(reverse("notification_settings"))
    assert page.context["form"].fields["email"].disabled
    assert b"Always on for staff" in page.content

    english.post(reverse("notification_settings"), {"language": "en", "phone": ""})
    assert preference_for(me).email is True
