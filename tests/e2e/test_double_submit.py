"""A form that creates something does so once, however often the browser sends it.

Starting an application is the form to try: nothing else (no unique NIB, as with a business)
would stop a second one, so only the form's one-time token can.
"""

import re

import pytest
from playwright.sync_api import expect

from licensing.models import Application
from tests.e2e.browsing import log_in, press_main_button
from tests.factories import BusinessFactory, PermitTypeFactory, UserFactory

START = "/applications/new/PBG/"
STARTED = re.compile(r"/applications/\d+/edit/$")


@pytest.fixture
def owner():
    owner = UserFactory()
    BusinessFactory(owner=owner)
    PermitTypeFactory(code="PBG", steps=["dinas_pupr"])
    return owner


def sent_twice(route):
    """Both requests of a double click reach the server: the same form, one after the other.
    The browser shows the answer to the second; the answer to the first is never seen.

    (Chromium, clicked twice by a machine within a millisecond, drops the first submission
    before it leaves; a person's double click is slower and both go out, as here.)"""
    if route.request.method != "POST":
        route.continue_()
        return
    route.fetch(max_redirects=0)
    route.fulfill(response=route.fetch(max_redirects=0))


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_double_click_without_javascript_starts_one_application(open_page, owner):
    page = open_page(java_script_enabled=False)  # once.js cannot hold the second click back
    log_in(page, owner)
    page.goto(START)
    page.route(f"**{START}", sent_twice)
    press_main_button(page)

    expect(page).to_have_url(STARTED)
    application = Application.objects.get()
    expect(page).to_have_url(re.compile(f"/applications/{application.pk}/edit/$"))
    # The second request is told it was not processed again.
    expect(page.locator("ul.messages li.info")).to_have_count(1)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_going_back_and_sending_the_form_again_starts_nothing_new(open_page, owner):
    page = open_page(java_script_enabled=False)
    log_in(page, owner)
    page.goto(START)
    press_main_button(page)
    expect(page).to_have_url(STARTED)
    started = page.url

    page.go_back(wait_until="commit")  # restored from the back-forward cache: no load event
    expect(page).to_have_url(re.compile(f"{START}$"))
    press_main_button(page)

    expect(page).to_have_url(started)
    expect(page.locator("ul.messages li.info")).to_have_count(1)
    assert Application.objects.count() == 1


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_with_javascript_a_form_already_sent_cannot_be_pressed_again(page, owner):
    log_in(page, owner)
    page.goto(START)
    press_main_button(page)
    expect(page).to_have_url(STARTED)

    page.go_back(wait_until="commit")
    expect(page).to_have_url(re.compile(f"{START}$"))
    expect(page.locator('main form button[type="submit"]')).to_be_disabled()
    assert Application.objects.count() == 1
