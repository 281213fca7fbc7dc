"""The SKRD page and its "Pay" form, the pages around the gateway's hosted payment page
(return, with the answer its live update polls; cancelled; receipt), the signed PDFs of the SKRD
and the receipt, the staff action that reissues a bill, and the gateway's webhook.

The views that talk to the gateway run outside the request's transaction
(``non_atomic_requests``): the services hold their locks only around their own writes, never
while the gateway answers (the sandbox gateway may be this very process). They ask it with an
interactive client: all their calls together stop after
``PAYMENT_GATEWAY_INTERACTIVE_BUDGET_SECONDS``, so a slow gateway gets the business a "try again
in a moment" page before the server's worker timeout would answer 500.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from documents.payment_documents import invoice_pdf, receipt_pdf
from documents.signing import SigningUnavailable
from licensing.once import once
from payments import payment_services, selectors, services, webhook_services
from payments.gateway import gateway_client
from payments.gateway.errors import (
    BudgetExhaustedError,
    GatewayError,
    SignatureVerificationError,
)
from payments.gateway.types import Event
from payments.gateway.webhooks import verify_event
from payments.qr import qris_svg
from payments.states import PaymentMethod, PaymentState
from workflows.machine import TransitionRefused

logger = logging.getLogger("izin.payments")

# The gateway was too slow for the pay button: when to try again (the 503's Retry-After).
GATEWAY_SLOW_RETRY_AFTER_SECONDS = 10


@login_required
def invoice_detail(request, pk: int):
    invoice = selectors.invoice_get_for_user(user=request.user, pk=pk)
    return _invoice_page(request, invoice)


def _invoice_page(request, invoice, *, status: int = 200):
    return render(request, "payments/invoice_detail.html", {
        "invoice": invoice,
        "application": invoice.application,
        "can_reissue": selectors.invoice_may_reissue(invoice=invoice, user=request.user),
        "can_pay": selectors.invoice_may_pay(invoice=invoice, user=request.user),
        "open_payment": selectors.invoice_open_payment(invoice=invoice),
        "methods": PaymentMethod.choices,
        "refunds": selectors.refund_list_for_invoice(invoice=invoice),
    }, status=status)


@login_required
@require_POST
@once
def invoice_reissue(request, pk: int):
    invoice = selectors.invoice_get_for_user(user=request.user, pk=pk)
    try:
        new_invoice = services.invoice_reissue(application=invoice.application,
                                               actor=request.user)
    except TransitionRefused as refused:
        messages.error(request, refused.message)
        return redirect("invoice_detail", pk=invoice.pk)
    messages.success(request, _("Bill %(number)s is issued; it replaces %(old)s.")
                     % {"number": new_invoice.number, "old": invoice.number})
    return redirect("invoice_detail", pk=new_invoice.pk)


@transaction.non_atomic_requests
@login_required
@once
def invoice_pay(request, pk: int):
    """POST: start (or resume) paying and go to the gateway's page. A GET (a repeated form
    sent before the first finished) goes back to the bill."""
    invoice = selectors.invoice_get_for_user(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect("invoice_detail", pk=invoice.pk)
    try:
        payment = payment_services.payment_start(
            invoice=invoice, method=request.POST.get("method", ""), actor=request.user,
            absolute_url=request.build_absolute_uri, client=gateway_client(interactive=True))
    except TransitionRefused as refused:
        messages.error(request, refused.message)
        return redirect("invoice_detail", pk=invoice.pk)
    except BudgetExhaustedError:
        # The attempt and its idempotency key stay: the next click asks the gateway again and
        # gets its first answer back, never a second payment. The bill page, with a fresh form.
        logger.warning("invoice_pay_gateway_slow invoice_id=%s", invoice.pk)
        messages.error(request, _("The payment service is slow to answer right now. Please try "
                                  "again in a moment; you will not be charged twice."))
        response = _invoice_page(request, invoice, status=503)
        response["Retry-After"] = str(GATEWAY_SLOW_RETRY_AFTER_SECONDS)
        return response
    except GatewayError:
        messages.error(request, _("The payment service did not answer. Please try again in a "
                                  "moment."))
        return redirect("invoice_detail", pk=invoice.pk)
    if payment.state == PaymentState.OPEN and payment.checkout_url:
        return redirect(payment.checkout_url)
    return redirect("payment_return", pk=payment.pk)


@transaction.non_atomic_requests
@login_required
def payment_return(request, pk: int):
    """Where the gateway sends the business back. It shows what the gateway says, asking it
    again while the payment is pending; it never marks anything paid by itself."""
    payment = selectors.payment_get_for_user(user=request.user, pk=pk)
    if payment.is_open:
        try:
            payment = payment_services.payment_refresh(payment=payment,
                                                       client=gateway_client(interactive=True))
        except BudgetExhaustedError as error:
            logger.warning("payment_return_refresh_slow payment_id=%s error=%s", payment.pk,
                           error)
            messages.warning(request, _("The payment service is slow to answer right now. "
                                        "Please check the status again in a moment."))
        except GatewayError as error:
            logger.warning("payment_return_refresh_failed payment_id=%s error=%s", payment.pk,
                           error)
    if selectors.payment_has_receipt(payment=payment):
        return redirect("payment_receipt", pk=payment.pk)
    invoice = selectors.invoice_get_for_user(user=request.user, pk=payment.invoice_id)
    waiting_for_bank = payment.state == PaymentState.PROCESSING
    return render(request, "payments/payment_status.html", {
        "payment": payment,
        "invoice": invoice,
        # No reload of its own (a page that refreshes itself moves under a screen reader): a
        # "Check status" button, and where JavaScript runs, the live update below.
        "poll_seconds": settings.PAYMENT_STATUS_POLL_SECONDS if payment.is_open else None,
        "waiting_for_bank": waiting_for_bank,
        "qris_svg": (mark_safe(qris_svg(payment.qris_payload))  # noqa: S308 (drawn by us)
                     if waiting_for_bank and payment.qris_payload else ""),
        "can_pay": selectors.invoice_may_pay(invoice=invoice, user=request.user),
        "methods": PaymentMethod.choices,
    })


@transaction.non_atomic_requests
@login_required
def payment_status(request, pk: int):
    """The payment page's live update asks here whether anything changed. The gateway is asked
    at most once in a while per payment (``payment_services.payment_check``); a gateway that
    does not answer leaves the answer as the database has it."""
    payment = selectors.payment_get_for_user(user=request.user, pk=pk)
    try:
        payment = payment_services.payment_check(payment=payment,
                                                 client=gateway_client(interactive=True))
    except GatewayError as error:
        logger.warning("payment_status_refresh_failed payment_id=%s error=%s", payment.pk, error)
    response = JsonResponse({"state": payment.state, "state_label": payment.get_state_display(),
                             "open": payment.is_open, **_status_next_step(payment)})
    response["Cache-Control"] = "private, no-store"
    return response


def _status_next_step(payment) -> dict:
    """What the page tells the business once the state has changed, and where to go."""
    if selectors.payment_has_receipt(payment=payment):
        return {"message": _("Your payment has been received. Thank you."),
                "link_text": _("See the receipt"),
                "link_url": reverse("payment_receipt", args=[payment.pk])}
    if payment.state == PaymentState.SUCCEEDED:
        message = _("The payment service received your payment.")
    elif payment.is_open:
        message = _("Processing: waiting for your bank.")
    else:
        message = _("This payment was not completed; nothing was charged.")
    return {"message": message, "link_text": _("Show the details"),
            "link_url": reverse("payment_return", args=[payment.pk])}


@login_required
def payment_cancelled(request, pk: int):
    """The business left the gateway's page without paying: nothing was paid; try again."""
    payment = selectors.payment_get_for_user(user=request.user, pk=pk)
    return render(request, "payments/payment_cancelled.html", {
        "payment": payment,
        "invoice": payment.invoice,
        "can_pay": selectors.invoice_may_pay(invoice=payment.invoice, user=request.user),
        "methods": PaymentMethod.choices,
    })


@login_required
def payment_receipt(request, pk: int):
    payment = selectors.payment_get_for_user(user=request.user, pk=pk)
    if not selectors.payment_has_receipt(payment=payment):
        return redirect("payment_return", pk=payment.pk)
    return render(request, "payments/payment_receipt.html", {
        "payment": payment,
        "invoice": payment.invoice,
    })


def _pdf_attachment(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _signing_unavailable(request) -> None:
    messages.error(request, _("The document cannot be signed at the moment. Please try again "
                              "in a few minutes."))


@login_required
def invoice_download(request, pk: int):
    invoice = selectors.invoice_get_for_user(user=request.user, pk=pk)
    try:
        pdf = invoice_pdf(invoice)
    except SigningUnavailable:
        _signing_unavailable(request)
        return redirect("invoice_detail", pk=invoice.pk)
    return _pdf_attachment(pdf, f"skrd-{invoice.number.replace('/', '-')}.pdf")


@login_required
def receipt_download(request, pk: int):
    payment = selectors.payment_get_for_user(user=request.user, pk=pk)
    if not selectors.payment_has_receipt(payment=payment):
        raise Http404
    try:
        pdf = receipt_pdf(payment)
    except SigningUnavailable:
        _signing_unavailable(request)
        return redirect("payment_receipt", pk=payment.pk)
    return _pdf_attachment(pdf, f"bukti-bayar-{payment.invoice.number.replace('/', '-')}.pdf")


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """The gateway's events: verified, stored once, answered at once, processed after commit."""
    try:
        wire = verify_event(request.body, request.headers.get("Stripe-Signature", ""),
                            settings.PAYMENT_WEBHOOK_SECRETS)
        event = Event.from_wire(wire)
    except (SignatureVerificationError, KeyError, TypeError, AttributeError) as error:
        logger.warning("webhook_refused reason=%s", error)
        return HttpResponseBadRequest()
    webhook_services.webhook_event_receive(event=event)
    return HttpResponse(status=200)
