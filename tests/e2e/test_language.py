"""Indonesian first, English on request and from then on; and the core pages need no JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from licensing.models import Business
from tests.e2e.browsing import business_form_fill, log_in, press_main_button
from tests.factories import PermitTypeFactory, UserFactory


def choose_language(page, code: str) -> None:
    page.locator(f'header button[name="language"][value="{code}"]').click()
    expect(page.locator("html")).to_have_attribute("lang", code)


@pytest.fixture
def permit_type():
    return PermitTypeFactory(code="PBG", name_id="Persetujuan Bangunan Gedung",
                             name_en="Building Approval")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_indonesian_by_default_then_english_on_every_page_until_switched_back(page,
                                                                              permit_type):
    html = page.locator("html")
    permit = page.locator('main a[href="/catalogue/PBG/"]')
    page.goto("/catalogue/")
    expect(html).to_have_attribute("lang", "id")
    expect(permit).to_have_text("Persetujuan Bangunan Gedung")

    choose_language(page, "en")
    expect(page).to_have_url(re.compile(r"/catalogue/$"))  # one stays on the page one was on
    expect(permit).to_have_text("Building Approval")
    for link in ("/", "/accounts/login/", "/accounts/signup/", "/catalogue/PBG/"):
        page.goto(link)
        expect(html).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_contain_text("Building Approval")

    choose_language(page, "id")
    page.goto("/")
    expect(html).to_have_attribute("lang", "id")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_browser_asking_for_a_language_we_lack_gets_indonesian(open_page):
    page = open_page(locale="fr-FR")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "id")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_switching_language_logging_in_and_registering_a_business_without_javascript(
        open_page):
    owner = UserFactory()
    page = open_page(java_script_enabled=False)
    page.goto("/")
    choose_language(page, "en")

    log_in(page, owner)
    expect(page.locator("html")).to_have_attribute("lang", "en")  # kept across the log-in
    expect(page).to_have_url(re.compile(r"/dashboard/$"))  # a business lands on its work
    page.locator('main a[href="/businesses/new/"]').click()
    business_form_fill(page, legal_name="UD Sagu Rumbia", nib="9120007654321")
    press_main_button(page)

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    business = Business.objects.get(nib="9120007654321")
    assert business.memberships.get().user == owner
    expect(page.locator(f'main a[href="/businesses/{business.pk}/"]')).to_have_text(
        "UD Sagu Rumbia")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.locator('header form[action="/accounts/logout/"] button').click()
    expect(page.locator('header a[href="/accounts/login/"]')).to_be_visible()
