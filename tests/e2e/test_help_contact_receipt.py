"""The help page, the contact page and the counter's filing receipt in a real browser on a
360-pixel phone: nothing scrolls sideways, the icon loads, and the receipt prints as a receipt
(its "Print" button only where JavaScript runs)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from documents.services import attachment_upload
from licensing import roles, services
from tests.e2e.browsing import log_in
from tests.factories import BusinessFactory, RequiredDocumentFactory, UserFactory
from tests.lifecycle import Upload, pdf_bytes
from tests.payments.support import building_type

PHONE = {"viewport": {"width": 360, "height": 740}}
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
LONG_FILE_NAME = ("gambar-arsitektur-denah-tampak-potongan-ditandatangani-arsitek-berlisensi-"
                  "revisi-ketiga-final-2026.pdf")


@pytest.fixture
def counter_filing():
    permit_type = building_type(steps=["dinas_pupr"])
    requirement = RequiredDocumentFactory(
        permit_type=permit_type, max_size_kb=20 * 1024,
        name_id="Gambar arsitektur (denah, tampak, potongan) yang ditandatangani arsitek "
                "berlisensi")
    clerk = UserFactory(groups=[roles.FRONT_OFFICE])
    owner = UserFactory()
    application = services.application_create(
        business=BusinessFactory(owner=owner), permit_type=permit_type, actor=clerk)
    attachment_upload(application=application, requirement=requirement, actor=clerk,
                      uploaded_file=Upload(pdf_bytes(), LONG_FILE_NAME))
    return application, clerk, owner


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_help_and_contact_fit_a_phone_and_the_icon_loads(open_page, settings, counter_filing):
    settings.OFFICE_PHONE = "(0761) 123456"
    settings.OFFICE_WHATSAPP = "0812 3456 7890"
    application, _clerk, _owner = counter_filing
    page = open_page(**PHONE)

    page.goto(reverse("permit_type_help", args=[application.permit_type.code]))
    expect(page.locator(".fee-example")).to_be_visible()
    expect(page.locator(".journey-step")).to_have_count(4)  # submit, review, pay, issue
    assert page.evaluate(SIDEWAYS) == 0

    page.goto(reverse("contact"))
    expect(page.locator("a.office-whatsapp")).to_have_attribute(
        "href", "https://wa.me/6281234567890")
    expect(page.locator("a.office-phone")).to_have_attribute("href", "tel:+62761123456")
    assert page.evaluate(SIDEWAYS) == 0

    icon = page.request.get("/favicon.ico")
    assert icon.ok and icon.headers["content-type"].startswith("image/svg+xml")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_counter_receipt_prints_with_or_without_javascript(open_page, counter_filing):
    application, clerk, owner = counter_filing
    url = reverse("counter_receipt", args=[application.pk])

    page = open_page(**PHONE)
    log_in(page, clerk)
    page.goto(url)
    expect(page.locator(".receipt-reference")).to_contain_text(application.reference)
    expect(page.locator("button[data-print]")).to_be_visible()
    assert page.evaluate(SIDEWAYS) == 0
    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    expect(page.locator(".no-print")).to_be_hidden()
    expect(page.locator(".receipt-documents")).to_be_visible()

    # The business keeps the receipt too; it reads it here with JavaScript off. (A second
    # sign-in of the clerk within the same 30 s would reuse a spent authenticator code.)
    plain = open_page(java_script_enabled=False, **PHONE)
    log_in(plain, owner)
    plain.goto(url)
    expect(plain.locator(".receipt-reference")).to_contain_text(application.reference)
    expect(plain.locator("button[data-print]")).to_be_hidden()
