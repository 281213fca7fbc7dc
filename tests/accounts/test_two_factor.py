"""Every staff account gives a second factor before any staff page or the admin opens;
businesses may turn it on. Recovery codes work once."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import BusinessFactory, UserFactory

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["inbox", "review_overview", "treasury:dashboard", "admin:index", "dashboard",
               "notification_list"]


def code_of(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def head():
    return UserFactory(groups=["head_of_office", "treasury_supervisor"], is_staff=True)


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_signed_in_with_a_password_only_reach_nothing_but_the_setup(client, head, name):
    client.login_with_password_only(head)
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))


def test_the_real_login_form_leads_staff_to_the_second_factor(client, head):
    TOTPDevice.objects.create(user=head, name="Phone")
    response = client.post(reverse("login"), {"username": head.email,
                                              "password": "rahasia-123"}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("two_factor_verify"))
    # The admin's own login form leads there too.
    client.logout()
    client.post(reverse("admin:login"), {"username": head.email, "password": "rahasia-123"})
    assert client.get(reverse("admin:index"))["Location"].startswith(
        reverse("two_factor_verify"))


def test_staff_set_up_an_authenticator_and_get_recovery_codes_once(client, head):
    client.login_with_password_only(head)
    page = client.get(reverse("two_factor_setup")).content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=head, confirmed=False)

    wrong = client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert "That code is not right" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # the refusal doubled the wait; this test does not wait
    done = client.post(reverse("two_factor_setup"), {"code": code_of(device)})
    codes = re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert client.get(reverse("inbox")).status_code == 200

    # A recovery code signs in once, then it is spent.
    client.logout()
    client.login_with_password_only(head)
    assert client.post(reverse("two_factor_verify"), {"code": codes[0]}).status_code == 302
    assert client.get(reverse("inbox")).status_code == 200
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # logging out forgot the language
    client.login_with_password_only(head)
    spent = client.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert "That code is not right" in spent.content.decode()
    assert client.get(reverse("inbox")).status_code == 302


def test_a_wrong_code_is_refused_and_a_right_one_opens_the_pages(client, head):
    device = TOTPDevice.objects.create(user=head, name="Phone")
    client.login_with_password_only(head)
    assert "That code is not right" in client.post(
        reverse("two_factor_verify"), {"code": "123456"}).content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # the refusal doubled the wait; this test does not wait
    response = client.post(reverse("two_factor_verify") + "?next=/review/",
                           {"code": code_of(device), "next": "/review/"})
    assert response["Location"] == "/review/"
    assert client.get(reverse("inbox")).status_code == 200


def test_staff_cannot_turn_it_off(client, head):
    client.force_login(head)
    client.post(reverse("two_factor_off"))
    assert TOTPDevice.objects.filter(user=head, confirmed=True).exists()


def test_a_business_may_do_without_or_turn_it_on_and_then_it_is_asked(client):
    owner = UserFactory()
    BusinessFactory(owner=owner)
    client.login_with_password_only(owner)
    assert client.get(reverse("dashboard")).status_code == 200
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=owner)
    client.post(reverse("two_factor_setup"), {"code": code_of(device)})
    client.logout()
    client.login_with_password_only(owner)
    assert client.get(reverse("dashboard"))["Location"].startswith(
        reverse("two_factor_verify"))
