import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import UserFactory
from tests.portal import in_english, post

pytestmark = pytest.mark.django_db

User = get_user_model()

SIGNUP = {
    "email": "Siti.Rahma@Example.id",
    "full_name": "Siti Rahma",
    "password1": "kopi-susu-pagi-77",
    "password2": "kopi-susu-pagi-77",
}


@pytest.fixture(autouse=True)
def _english(client):
    in_english(client)


def confirmation_link(mailoutbox) -> str:
    [message] = [m for m in mailoutbox if "/accounts/confirm/" in m.body]
    link = re.search(r"https?://\S+/accounts/confirm/\S+", message.body).group(0)
    split = urlsplit(link)
    return split.path + (f"?{split.query}" if split.query else "")


def test_sign_up_creates_the_account_and_its_link_confirms_and_logs_in(
        client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, reverse("signup"), SIGNUP)
    assert response.status_code == 302 and response["Location"] == reverse("signup_sent")
    user = User.objects.get()
    assert (user.email, user.full_name) == ("siti.rahma@example.id", "Siti Rahma")
    assert user.check_password("kopi-susu-pagi-77")
    assert client.get(reverse("dashboard")).status_code == 302  # not signed in yet
    assert client.get(confirmation_link(mailoutbox))["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_sign_up_twice_with_the_same_form_creates_one_account(client):
    first = post(client, reverse("signup"), SIGNUP, token="same-token")
    second = post(client, reverse("signup"), SIGNUP, token="same-token")
    assert User.objects.count() == 1
    assert second["Location"] == first["Location"]


def test_sign_up_with_an_address_taken_in_another_case_answers_as_for_a_new_one(client):
    UserFactory(email="siti.rahma@example.id")
    response = post(client, reverse("signup"), SIGNUP)
    assert response["Location"] == reverse("signup_sent")
    assert "already exists" not in client.get(response["Location"]).content.decode()
    assert User.objects.count() == 1


def test_sign_up_returns_to_where_the_person_was_going(
        client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, reverse("signup"), {**SIGNUP, "next": "/invitations/abc/"})
    assert client.get(confirmation_link(mailoutbox))["Location"] == "/invitations/abc/"
    client.logout()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post(client, reverse("signup"),
             {**SIGNUP, "email": "x@example.id", "next": "https://evil.example/"})
    assert client.get(confirmation_link(mailoutbox))["Location"] == reverse("dashboard")


def test_log_in_by_e_mail_in_any_case_and_log_out_by_post(client):
    user = UserFactory(email="budi@example.id")
    response = client.post(reverse("login"),
                           {"username": "Budi@Example.ID", "password": "rahasia-123"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)

    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_wrong_password_is_refused(client):
    UserFactory(email="budi@example.id")
    response = client.post(reverse("login"), {"username": "budi@example.id", "password": "x"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "enter a correct" in response.content.decode().lower()


def test_login_and_signup_pages_carry_where_to_go_next(client):
    page = client.get(reverse("login"), {"next": "/invitations/abc/"}).content.decode()
    assert 'name="username"' in page and 'value="/invitations/abc/"' in page
    assert reverse("signup") + "?next=/invitations/abc/" in page
    page = client.get(reverse("signup"), {"next": "/invitations/abc/"}).content.decode()
    assert 'name="full_name"' in page and 'name="form_token"' in page
    assert 'value="/invitations/abc/"' in page
