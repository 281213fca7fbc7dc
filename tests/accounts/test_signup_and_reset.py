"""Sign-up and password reset tell no stranger whether an address has an account; the address
is confirmed by a one-use link before the account may own a business; both are rate limited."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from licensing.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Sandi-yang-panjang-77"


def sign_up(client, email, **extra):
    return client.post(reverse("signup"), {
        "email": email, "full_name": "Siti Rahmawati", "password1": PASSWORD,
        "password2": PASSWORD, "form_token": f"t-{email}-{len(extra)}-{id(extra)}"},
        follow=True, **extra)


def page_text(response) -> str:
    """The page without its one-time tokens (CSRF is masked anew on every page)."""
    return re.sub(r'value="[^"]{32,}"', 'value=""', response.content.decode())


def link_in(message, path_part: str) -> str:
    return urlsplit(re.search(rf"https?://\S+{path_part}\S+/", message.body).group(0)).path


def test_a_new_address_gets_a_one_use_confirmation_link_that_signs_in(client, mailoutbox,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = sign_up(client, "Baru@Example.id")
    assert page.redirect_chain[-1][0] == reverse("signup_sent")
    user = User.objects.get(email="baru@example.id")
    assert user.email_verified_at is None and "_auth_user_id" not in client.session
    [message] = mailoutbox
    link = link_in(message, "/accounts/confirm/")
    assert client.get(link)["Location"] == reverse("dashboard")
    user.refresh_from_db()
    assert user.email_verified_at is not None
    client.logout()
    assert client.get(link).status_code == 400  # used


def test_an_address_with_an_account_gets_the_same_page_and_its_owner_a_warning(
        client, mailoutbox, django_capture_on_commit_callbacks):
    owner = UserFactory(email="ada@example.id")
    with django_capture_on_commit_callbacks(execute=True):
        taken = sign_up(client, "ada@example.id")
        fresh = sign_up(client, "belum@example.id")
    assert taken.redirect_chain == fresh.redirect_chain
    assert page_text(taken) == page_text(fresh)
    assert User.objects.filter(email="ada@example.id").count() == 1
    warning = next(m for m in mailoutbox if m.to == [owner.email])
    assert "already has one" in warning.body


def test_sign_up_is_rate_limited_per_address(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": 2}
    assert sign_up(client, "a1@example.id").status_code == 200
    assert sign_up(client, "a2@example.id").status_code == 200
    assert sign_up(client, "a3@example.id").status_code == 429
    assert not User.objects.filter(email="a3@example.id").exists()


def test_password_reset_answers_the_same_and_the_link_sets_a_new_password(
        client, mailoutbox, django_capture_on_commit_callbacks):
    owner = UserFactory(email="lupa@example.id")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("password_reset"), {"email": "LUPA@example.id"},
                            follow=True)
        unknown = client.post(reverse("password_reset"), {"email": "siapa@example.id"},
                              follow=True)
    assert page_text(known) == page_text(unknown)
    [message] = mailoutbox
    assert message.to == [owner.email]
    link = link_in(message, "/accounts/password/reset/")
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    done = client.post(form_page.redirect_chain[-1][0], {
        "new_password1": "Kata-sandi-baru-99", "new_password2": "Kata-sandi-baru-99"})
    assert done["Location"] == reverse("password_reset_complete")
    assert client.post(reverse("login"), {"username": owner.email,
                                          "password": "Kata-sandi-baru-99"}).status_code == 302


def test_password_reset_is_rate_limited_per_address(client, settings, mailoutbox):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "password_reset": 1}
    client.post(reverse("password_reset"), {"email": "a@example.id"})
    assert client.post(reverse("password_reset"), {"email": "a@example.id"}).status_code == 429
