"""After signing in each person lands where their work is; where they were going comes first."""

import pytest
from django.urls import reverse

from tests.factories import PermitTypeFactory, UserFactory

pytestmark = pytest.mark.django_db


def landing(client, user, **extra) -> str:
    response = client.post(reverse("login") + extra.get("query", ""),
                           {"username": user.email, "password": "rahasia-123",
                            **({"next": extra["next"]} if "next" in extra else {})})
    assert response.status_code == 302
    return response["Location"]


def test_a_business_lands_on_its_applications(client):
    assert landing(client, UserFactory()) == reverse("dashboard")


def test_a_reviewer_lands_in_the_inbox(client):
    PermitTypeFactory(steps=["agency_a"])
    assert landing(client, UserFactory(groups=["agency_a"])) == reverse("inbox")


@pytest.mark.parametrize("group", ["treasury_officer", "treasury_supervisor"])
def test_the_treasury_lands_on_its_dashboard(client, group):
    assert landing(client, UserFactory(groups=[group])) == reverse("treasury:dashboard")


def test_the_administrator_lands_in_the_admin(client):
    assert landing(client, UserFactory(is_staff=True)) == reverse("admin:index")


def test_where_the_person_was_going_comes_first(client):
    assert landing(client, UserFactory(groups=["treasury_officer"]),
                   next="/notifications/") == "/notifications/"
