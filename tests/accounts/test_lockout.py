"""Guessing passwords: the account and the address are locked out after AXES_FAILURE_LIMIT
wrong passwords, on the site and the admin, counted at the real client behind the trusted
proxy; the administrator unlocks."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-123"


def attempt(client, email, password, *, url=None, **extra):
    return client.post(url or reverse("login"), {"username": email, "password": password},
                       **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_after_the_limit_even_the_right_password_is_refused(client, settings):
    owner = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, owner.email, "tebakan").status_code == 200
    assert attempt(client, owner.email, "tebakan").status_code == 429  # the limit reached
    locked = attempt(client, owner.email, PASSWORD)
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    assert not signed_in(client)


def test_the_account_is_locked_from_every_address_and_spelling(client, settings):
    owner = UserFactory()
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, owner.email.upper(), "tebakan", REMOTE_ADDR=f"10.0.0.{number + 1}")
    assert attempt(client, f" {owner.email} ", PASSWORD, REMOTE_ADDR="10.9.9.9").status_code == 429


def test_one_address_trying_many_accounts_is_locked_out(client, settings):
    victims = UserFactory.create_batch(settings.AXES_FAILURE_LIMIT)
    for victim in victims:
        attempt(client, victim.email, "tebakan", REMOTE_ADDR="10.1.1.1")
    other = UserFactory()
    assert attempt(client, other.email, PASSWORD, REMOTE_ADDR="10.1.1.1").status_code == 429
    assert attempt(client, other.email, PASSWORD, REMOTE_ADDR="10.2.2.2").status_code == 302


def test_behind_the_trusted_proxy_each_client_is_counted_on_its_own(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"nobody{number}@example.id", "tebakan",
                HTTP_X_FORWARDED_FOR="203.0.113.7")
    owner = UserFactory()
    # Another client behind the same proxy is not the guesser.
    assert attempt(client, owner.email, PASSWORD,
                   HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302
    client.logout()
    assert attempt(client, owner.email, PASSWORD,
                   HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429


def test_the_admin_login_is_locked_out_too(client, settings):
    admin = UserFactory(is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, admin.email, "tebakan", url=url)
    assert attempt(client, admin.email, PASSWORD, url=url).status_code == 429
    assert not signed_in(client)


def test_the_administrator_unlocks_an_account(client, admin_client, settings):
    owner = UserFactory()
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, owner.email, "tebakan", REMOTE_ADDR=f"10.3.0.{number + 1}")
    assert attempt(client, owner.email, PASSWORD, REMOTE_ADDR="10.4.0.1").status_code == 429

    response = admin_client.post(reverse("admin:licensing_user_changelist"),
                                 {"action": "unlock_sign_in", "_selected_action": [owner.pk]})
    assert response.status_code == 302
    assert attempt(client, owner.email, PASSWORD, REMOTE_ADDR="10.4.0.1").status_code == 302
    assert signed_in(client)
