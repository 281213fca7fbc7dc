"""What people see: the fee and its breakdown on the application page before submitting, and the
SKRD page (its lines, total, billing code, due date), readable only by those who may."""

import re

import pytest
from django.urls import reverse
from django.utils import formats, translation

from licensing.states import ApplicationState as A
from payments import services as payments
from payments.models import Invoice
from payments.states import InvoiceState as I
from tests.factories import BusinessFactory, PermitTypeFactory, UserFactory
from tests.lifecycle import draft
from tests.payments.support import ANSWERS, awaiting_payment, building_type, make_overdue
from tests.portal import in_english, post

pytestmark = pytest.mark.django_db


def page_of(client, user, url) -> tuple[int, str]:
    client.force_login(user)
    response = in_english(client).get(url)
    return response.status_code, response.content.decode()


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_draft_shows_the_fee_with_its_breakdown_before_submitting(client):
    application, owner = draft(permit_type=building_type(steps=["agency_a"]),
                               answers=dict(ANSWERS))
    status, page = page_of(client, owner, reverse("application_detail", args=[application.pk]))
    assert status == 200
    assert application.state == A.DRAFT
    shown = text(page)
    assert "Building approval levy" in shown
    assert "120.5 m² × Rp 10.000 × index 1.5 (Business)" in shown
    assert "Total Rp 1.807.500" in shown
    assert "The bill (SKRD) is issued when the application is approved." in shown


def test_the_fee_follows_the_answers(client):
    application, owner = draft(permit_type=building_type(),
                               answers={**ANSWERS, "building_function": "hunian"})
    _status, page = page_of(client, owner, reverse("application_detail",
                                                   args=[application.pk]))
    assert "Rp 1.205.000" in page


def test_until_the_answer_is_given_the_page_says_which_one_is_needed(client):
    application, owner = draft(permit_type=building_type(), answers={"building_function": "usaha"})
    status, page = page_of(client, owner, reverse("application_detail", args=[application.pk]))
    assert status == 200
    assert "Answer “Floor area” to calculate the fee." in page


def test_a_free_permit_says_so(client):
    application, owner = draft(permit_type=PermitTypeFactory())
    _status, page = page_of(client, owner, reverse("application_detail", args=[application.pk]))
    assert "This permit is free of charge." in page
    assert "Rp " not in text(page)


def test_once_billed_the_application_page_links_to_the_bill(client):
    application, owner, invoice = awaiting_payment()
    _status, page = page_of(client, owner, reverse("application_detail", args=[application.pk]))
    assert reverse("invoice_detail", args=[invoice.pk]) in page
    assert invoice.number in page


def test_the_bill_page_shows_lines_total_billing_code_and_due_date(client):
    _application, owner, invoice = awaiting_payment()
    status, page = page_of(client, owner, reverse("invoice_detail", args=[invoice.pk]))
    assert status == 200
    shown = text(page)
    assert invoice.number in shown
    assert invoice.billing_code in shown
    assert "4.1.02.03.01.0001" in shown
    assert "Building approval levy" in shown
    assert "Total Rp 1.807.500" in shown
    with translation.override("en"):
        due = formats.date_format(invoice.due_date, "j F Y")
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", due)
    assert due in shown


def test_the_bill_page_is_in_indonesian_by_default(client):
    _application, owner, invoice = awaiting_payment()
    client.force_login(owner)
    shown = text(client.get(reverse("invoice_detail", args=[invoice.pk])).content.decode())
    assert "Rp 1.807.500" in shown
    assert "Retribusi PBG" in shown
    assert "120,5 m² × Rp 10.000 × indeks 1,5 (Usaha)" in shown


@pytest.mark.parametrize("who", ["other_business", "stranger", "front_office", "reviewer_of_other"])
def test_others_get_404_for_a_bill(client, who):
    _application, _owner, invoice = awaiting_payment()
    user = UserFactory(groups={"front_office": ["front_office"],
                               "reviewer_of_other": ["agency_b"]}.get(who, []))
    if who == "other_business":
        BusinessFactory(owner=user)
    status, _page = page_of(client, user, reverse("invoice_detail", args=[invoice.pk]))
    assert status == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    _application, _owner, invoice = awaiting_payment()
    response = client.get(reverse("invoice_detail", args=[invoice.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("group", ["treasury_officer", "treasury_supervisor", "agency_a"])
def test_treasury_and_the_reviewers_of_the_application_read_the_bill(client, group):
    _application, _owner, invoice = awaiting_payment()
    status, _page = page_of(client, UserFactory(groups=[group]),
                            reverse("invoice_detail", args=[invoice.pk]))
    assert status == 200


def _expired(invoice):
    make_overdue(invoice)
    payments.invoice_expire_overdue()


def test_treasury_reissues_an_expired_bill_from_its_page(client):
    application, _owner, invoice = awaiting_payment()
    _expired(invoice)
    clerk = UserFactory(groups=["treasury_officer"])
    _status, page = page_of(client, clerk, reverse("invoice_detail", args=[invoice.pk]))
    assert "Issue a new bill" in page
    response = post(client, reverse("invoice_reissue", args=[invoice.pk]))
    new = Invoice.objects.get(application=application, state=I.ISSUED)
    assert response.status_code == 302
    assert response["Location"] == reverse("invoice_detail", args=[new.pk])
    _status, page = page_of(client, clerk, response["Location"])
    assert f"Bill {new.number} is issued; it replaces {invoice.number}." in page


def test_the_business_is_not_offered_a_reissue_and_cannot_force_one(client):
    application, owner, invoice = awaiting_payment()
    _expired(invoice)
    _status, page = page_of(client, owner, reverse("invoice_detail", args=[invoice.pk]))
    assert "Issue a new bill" not in page
    response = post(client, reverse("invoice_reissue", args=[invoice.pk]))
    assert response.status_code == 302
    _status, page = page_of(client, owner, response["Location"])
    assert "You may not do this." in page
    assert Invoice.objects.filter(application=application).count() == 1
