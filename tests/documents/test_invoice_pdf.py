"""The SKRD and the payment receipt as signed PDFs: context, HTML, PDF, signature, and the
downloads, which only the business that owes the bill (or paid it) gets."""

import pytest
from django.urls import reverse

from documents import rendering
from documents.context import invoice_context, receipt_context
from documents.payment_documents import invoice_pdf, receipt_pdf
from documents.validation import validate_pdf
from payments import payment_services
from payments.models import Payment
from payments.states import PaymentState as P
from tests.documents.pdf_tools import HOSTILE, pdf_text, pdfsig
from tests.factories import BusinessFactory, UserFactory
from tests.payments.flow import pay_by_card, start, use_sandbox
from tests.payments.support import TOTAL, awaiting_payment

TOTAL_SHOWN = "Rp 1.807.500"  # tests.payments.support.TOTAL as the SKRD prints it


def assert_signed_and_trusted(tmp_path, pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF")
    [report] = validate_pdf(pdf)
    assert report.holds
    assert report.modification_level == "NONE"
    assert "Signature is Valid." in pdfsig(tmp_path, pdf)


def stranger_client(client):
    stranger = UserFactory()
    BusinessFactory(owner=stranger)
    client.force_login(stranger)
    return client


@pytest.fixture
def paid(settings, live_server):
    """A bill paid by card at the sandbox gateway: (owner, its payment, fresh from the DB)."""
    use_sandbox(settings, live_server)
    _application, owner, invoice = awaiting_payment()
    payment = start(invoice, owner)
    pay_by_card(payment)
    payment = payment_services.payment_refresh(payment=payment)
    assert payment.state == P.SUCCEEDED
    return owner, Payment.objects.select_related("invoice__application__business").get(
        pk=payment.pk)


@pytest.mark.django_db
def test_the_skrd_html_shows_the_bill_its_lines_and_how_to_pay():
    _application, _owner, invoice = awaiting_payment()
    [line] = invoice.lines.all()
    context = invoice_context(invoice)
    html = rendering.invoice_html(context)
    business = invoice.application.business
    assert invoice.total == TOTAL
    for shown in (invoice.number, invoice.billing_code, business.legal_name, business.nib,
                  invoice.application.reference, line.label_id, line.label_en,
                  line.account_code, TOTAL_SHOWN, "Pemerintah Kota Pekanbaru",
                  "Cara membayar", "How to pay", "ditandatangani secara elektronik"):
        assert shown in html
    assert html.count(TOTAL_SHOWN) == 2  # the one line, and the total
    due = invoice.due_date
    assert context["due_date"]["en"] == f"{due.day} {due:%B} {due.year}"  # 28 November 2026
    assert context["due_date"]["id"] in html and context["due_date"]["en"] in html
    assert "LUNAS" not in html


@pytest.mark.django_db
def test_a_hostile_business_name_prints_as_text_on_the_skrd(tmp_path):
    owner = UserFactory()
    business = BusinessFactory(legal_name=HOSTILE, owner=owner)
    _application, _owner, invoice = awaiting_payment(business=business, owner=owner)
    html = rendering.invoice_html(invoice_context(invoice))
    assert "&lt;img src=file:///etc/passwd&gt;" in html
    assert HOSTILE not in html
    pdf = invoice_pdf(invoice)
    text = pdf_text(tmp_path, pdf)
    assert HOSTILE in text
    assert "root:" not in text


@pytest.mark.django_db
def test_the_skrd_is_a_real_pdf_signed_by_the_office(tmp_path):
    _application, _owner, invoice = awaiting_payment()
    pdf = invoice_pdf(invoice)
    assert_signed_and_trusted(tmp_path, pdf)
    text = pdf_text(tmp_path, pdf)
    assert invoice.number in text
    assert invoice.billing_code in text
    assert TOTAL_SHOWN in text


@pytest.mark.django_db
def test_the_business_downloads_its_skrd_and_no_one_else_does(client):
    _application, owner, invoice = awaiting_payment()
    url = reverse("invoice_download", args=[invoice.pk])
    client.force_login(owner)
    page = client.get(reverse("invoice_detail", args=[invoice.pk]))
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert invoice.number.replace("/", "-") in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert validate_pdf(response.content)[0].holds
    assert stranger_client(client).get(url).status_code == 404


def test_the_receipt_shows_the_payment_and_is_signed(paid, tmp_path):
    _owner, payment = paid
    invoice = payment.invoice
    context = receipt_context(payment)
    html = rendering.receipt_html(context)
    for shown in (invoice.number, invoice.billing_code, invoice.application.business.legal_name,
                  TOTAL_SHOWN, "Kartu", "Card", "LUNAS / PAID",
                  context["paid_at"]["id"], context["paid_at"]["en"], "WIB"):
        assert shown in html
    pdf = receipt_pdf(payment)
    assert_signed_and_trusted(tmp_path, pdf)
    text = " ".join(pdf_text(tmp_path, pdf).split())
    assert "LUNAS / PAID" in text
    # What it is in law, in both languages (the title is set in capitals); the gateway's own id
    # is no reference a payer has.
    assert ("BUKTI PEMBAYARAN RETRIBUSI DAERAH RECEIPT FOR PAYMENT OF A REGIONAL LEVY (RETRIBUSI "
            "DAERAH)") in text
    assert "City Government of Pekanbaru" in text
    assert payment.payment_intent_id not in html and payment.payment_intent_id not in text


def test_the_business_downloads_its_receipt_and_no_one_else_does(paid, client):
    owner, payment = paid
    url = reverse("receipt_download", args=[payment.pk])
    client.force_login(owner)
    page = client.get(reverse("payment_receipt", args=[payment.pk]))
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert validate_pdf(response.content)[0].holds
    assert stranger_client(client).get(url).status_code == 404


@pytest.mark.django_db
def test_a_payment_not_confirmed_has_no_receipt(client):
    _application, owner, invoice = awaiting_payment()
    payment = Payment.objects.create(invoice=invoice, attempt=1, method="card",
                                     amount=invoice.total, idempotency_key="k",
                                     checkout_expires_at=invoice.issued_at)
    client.force_login(owner)
    assert client.get(reverse("receipt_download", args=[payment.pk])).status_code == 404
