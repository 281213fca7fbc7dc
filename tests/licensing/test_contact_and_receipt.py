"""How businesses reach the office (the contact page, the footer link, the favicon) and the
receipt a walk-in takes home from the counter."""

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import override_settings
from django.urls import reverse

from documents.services import attachment_upload
from licensing import roles, services
from licensing.contact import international_digits
from tests.factories import BusinessFactory, PermitTypeFactory, RequiredDocumentFactory, UserFactory
from tests.html_parts import parts
from tests.lifecycle import Upload, complete, draft, pdf_bytes
from tests.portal import in_english

pytestmark = pytest.mark.django_db

OFFICE = {
    "OFFICE_ADDRESS": "Jl. Uji Coba No. 7, Pekanbaru 28111",
    "OFFICE_PHONE": "(0761) 123456",
    "OFFICE_WHATSAPP": "0812-3456-7890",
    "OFFICE_EMAIL": "loket@example.id",
    "OFFICE_OPENS_AT": "07:30",
    "OFFICE_CLOSES_AT": "15:30",
}


def only(html: str, css_class: str) -> tuple[dict, str]:
    [found] = parts(html, css_class)
    return found


@override_settings(**OFFICE)
def test_the_contact_page_shows_the_configured_office(client):
    page = client.get(reverse("contact")).content.decode()  # anyone, signed in or not
    assert only(page, "office-address")[1] == OFFICE["OFFICE_ADDRESS"]
    hours, _text = only(page, "office-hours")
    assert (hours["data-opens"], hours["data-closes"]) == ("07:30", "15:30")
    phone, phone_text = only(page, "office-phone")
    assert (phone["href"], phone_text) == ("tel:+62761123456", "(0761) 123456")
    whatsapp, _text = only(page, "office-whatsapp")
    assert whatsapp["href"] == "https://wa.me/6281234567890"
    assert only(page, "office-email")[0]["href"] == "mailto:loket@example.id"

    with override_settings(OFFICE_ADDRESS="Jl. Lain No. 1"):
        page = client.get(reverse("contact")).content.decode()
    assert only(page, "office-address")[1] == "Jl. Lain No. 1"


@override_settings(OFFICE_PHONE="", OFFICE_WHATSAPP="")
def test_a_number_not_configured_is_not_shown(client):
    page = client.get(reverse("contact")).content.decode()
    assert parts(page, "office-phone") == [] and parts(page, "office-whatsapp") == []
    assert "tel:" not in page and "wa.me" not in page


@pytest.mark.parametrize(("written", "digits"), [
    ("(0761) 123456", "62761123456"), ("+62 812-3456-7890", "6281234567890"),
    ("0812 3456 7890", "6281234567890"), ("", ""), ("-", ""),
])
def test_numbers_as_written_become_international(written, digits):
    assert international_digits(written) == digits


def test_every_page_links_the_contact_page_and_the_icon(client):
    page = client.get(reverse("home")).content.decode()
    assert only(page, "footer-contact")[0]["href"] == reverse("contact")
    assert f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in page


def test_favicon_ico_leads_to_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == static("favicon.svg")
    icon = finders.find("favicon.svg")
    assert icon and open(icon, encoding="utf-8").read().lstrip().startswith("<svg")


# The counter's filing receipt.


@pytest.fixture
def clerk():
    return UserFactory(groups=[roles.FRONT_OFFICE])


@pytest.fixture
def filed(clerk):
    """An application the clerk filed at the counter for a walk-in, one of two documents in."""
    owner = UserFactory()
    business = BusinessFactory(owner=owner)
    permit_type = PermitTypeFactory(steps=["dinas_pupr"], service_standard_days=12)
    RequiredDocumentFactory(permit_type=permit_type, name_en="Identity card")
    RequiredDocumentFactory(permit_type=permit_type, name_en="Site plan", mandatory=False)
    application = services.application_create(business=business, permit_type=permit_type,
                                               actor=clerk)
    attachment_upload(application=application, actor=clerk,
                      requirement=permit_type.required_documents.get(name_en="Identity card"),
                      uploaded_file=Upload(pdf_bytes(), "ktp-budi.pdf"))
    return application, owner


def receipt(client, user, application):
    client.force_login(user)
    return client.get(reverse("counter_receipt", args=[application.pk]))


@override_settings(SITE_URL="https://izin.example.id", **OFFICE)
def test_the_counter_receipt_says_what_was_filed_by_whom_and_what_comes_next(
        client, clerk, filed):
    application, _owner = filed
    in_english(client)
    response = receipt(client, clerk, application)
    assert response.status_code == 200
    page = response.content.decode()
    assert only(page, "filing-receipt")[0]["data-reference"] == application.reference
    assert application.reference in only(page, "receipt-reference")[1]
    assert application.business.legal_name in only(page, "receipt-business")[1]
    assert application.business.nib in only(page, "receipt-business")[1]
    assert only(page, "receipt-officer")[1] == clerk.full_name
    assert only(page, "receipt-state")[0]["data-state"] == "draft"
    documents = parts(page, "receipt-document")
    assert [a["data-received"] for a, _ in documents] == ["yes", "no"]
    assert "ktp-budi.pdf" in documents[0][1]
    assert [a["data-step"] for a, _ in parts(page, "journey-step")] == [
        "submit", "review", "issue"]
    assert only(page, "service-standard")[0]["data-days"] == "12"
    follow = f"https://izin.example.id{reverse('application_detail', args=[application.pk])}"
    assert only(page, "receipt-follow-url")[0]["href"] == follow
    assert reverse("permit_type_help", args=[application.permit_type.code]) in page
    assert OFFICE["OFFICE_PHONE"] in page
    assert 'src="/static/js/print.js"' in page and "data-print hidden" in page

    # Submitted: the receipt says when.
    complete(application, clerk)
    services.application_submit(application=application, actor=clerk)
    page = receipt(client, clerk, application).content.decode()
    assert only(page, "receipt-state")[0]["data-state"] != "draft"
    assert "WIB" in only(page, "receipt-submitted-at")[1]


def test_the_business_may_print_it_and_no_one_else(client, filed):
    application, owner = filed
    assert receipt(client, owner, application).status_code == 200
    stranger = UserFactory()
    BusinessFactory(owner=stranger)
    assert receipt(client, stranger, application).status_code == 404
    assert receipt(client, UserFactory(groups=[roles.FRONT_OFFICE]),
                   application).status_code == 200


def test_an_application_filed_online_has_no_counter_receipt(client):
    application, owner = draft(permit_type=PermitTypeFactory())
    assert receipt(client, owner, application).status_code == 404


def test_the_counter_lists_the_receipt_of_each_filing(client, clerk, filed):
    application, _owner = filed
    client.force_login(clerk)
    page = client.get(reverse("counter_intake")).content.decode()
    links = [a["href"] for a, _ in parts(page, "counter-receipt-link")]
    assert links == [reverse("counter_receipt", args=[application.pk])]
