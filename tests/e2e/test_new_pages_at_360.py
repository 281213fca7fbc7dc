"""The pages this release added, opened on a 360-pixel phone: nothing scrolls sideways."""

import pytest
from django.urls import reverse

from tests.e2e.browsing import log_in
from tests.factories import BusinessFactory, UserFactory
from tests.lifecycle import draft
from tests.payments.support import building_type

PHONE = {"viewport": {"width": 360, "height": 740}}

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def overflowing(page, path: str) -> int:
    page.goto(path)
    return page.evaluate(OVERFLOW)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_anonymous_account_pages_fit_a_phone(open_page):
    page = open_page(**PHONE)
    paths = [reverse("login"), reverse("signup"), reverse("signup_sent"),
             reverse("password_reset"), reverse("password_reset_done")]
    assert {path: overflowing(page, path) for path in paths} == dict.fromkeys(paths, 0)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_business_pages_fit_a_phone(open_page):
    owner = UserFactory()
    BusinessFactory(owner=owner)
    application, _owner = draft(permit_type=building_type(), owner=owner,
                                answers={"floor_area": 7.5, "building_function": "usaha"})
    page = open_page(**PHONE)
    log_in(page, owner)
    paths = [reverse("notification_list"), reverse("notification_settings"),
             reverse("two_factor_manage"), reverse("two_factor_setup"),
             reverse("application_detail", args=[application.pk])]
    assert {path: overflowing(page, path) for path in paths} == dict.fromkeys(paths, 0)
