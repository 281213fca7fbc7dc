"""The hosted checkout page: the payer chooses a method and pays, with test cards or a
simulated bank. Server-rendered, works without JavaScript.

Each POST re-reads the session under a row lock, so a double click or a retry pays once: a second
"Pay" finds the session complete and follows the first one to where it went.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from . import checkout
from .errors import ApiError, NotFound
from .models import Charge, CheckoutSession, Method

# What the payer reads for each refusal the API reports in English.
_PAGE_MESSAGES = {
    "generic_decline": _("Your card was declined. Try another card or another method."),
    "insufficient_funds": _("Your card has insufficient funds. Try another card or method."),
    "incorrect_number": _("Your card number is incorrect. Use one of the test cards below."),
    "checkout_session_expired": _("This payment page has expired and can no longer be paid."),
    "payment_method_not_available": _("This payment method is not offered for this payment."),
    "payment_intent_unexpected_state": _("There is no bank payment waiting on this page."),
}
_TEST_CARDS = [
    ("4242 4242 4242 4242", _("succeeds")),
    ("4000 0000 0000 0002", _("is declined")),
    ("4000 0000 0000 9995", _("fails: insufficient funds")),
]


@require_GET
def checkout_page(request, session_id: str):
    return _render(request, _session(session_id))


@require_POST
def checkout_pay(request, session_id: str):
    session = _session(session_id)
    method = request.POST.get("method", "")
    try:
        if method == Method.CARD:
            charge = checkout.checkout_session_pay_card(
                session_id=session.id, card_number=request.POST.get("card_number", "")
            )
            if charge.status == Charge.Status.FAILED:
                return _render(request, _session(session_id),
                               error=_PAGE_MESSAGES[charge.decline_code], status=402)
        elif method in (Method.VA, Method.QRIS):
            checkout.checkout_session_pay_async(
                session_id=session.id, method=method, bank=request.POST.get("bank", "")
            )
        else:
            return _render(request, session, error=_("Choose a payment method."), status=400)
    except ApiError as error:
        return _refused(request, session_id, error)
    return _onward(_session(session_id))


@require_POST
def checkout_simulate_bank_payment(request, session_id: str):
    session = _session(session_id)
    try:
        checkout.payment_intent_simulate_payment(intent_id=session.payment_intent_id)
    except ApiError as error:
        return _refused(request, session_id, error)
    return _onward(_session(session_id))


def _session(session_id: str) -> CheckoutSession:
    try:
        return checkout.session_get(session_id=session_id)
    except NotFound as missing:
        raise Http404 from missing


def _onward(session: CheckoutSession):
    """Paid: back to the merchant, as Stripe does. Waiting for the bank: the instructions."""
    if session.payment_status == CheckoutSession.PaymentStatus.PAID:
        return redirect(_success_url(session))
    return redirect("sandbox:checkout", session.id)


def _refused(request, session_id: str, error: ApiError):
    session = _session(session_id)
    if session.status == CheckoutSession.Status.COMPLETE:
        return _onward(session)  # a repeated click: the first one already did the work
    message = _PAGE_MESSAGES.get(error.decline_code or error.code, error.message)
    return _render(request, session, error=message, status=error.status)


def _success_url(session: CheckoutSession) -> str:
    return session.success_url.replace("{CHECKOUT_SESSION_ID}", session.id)


def _render(request, session: CheckoutSession, *, error: str = "", status: int = 200):
    context = {
        "session": session,
        "intent": session.payment_intent,
        "error": error,
        "success_url": _success_url(session),
        "offers_card": Method.CARD in session.payment_method_types,
        "offers_va": Method.VA in session.payment_method_types,
        "offers_qris": Method.QRIS in session.payment_method_types,
        "banks": sorted(checkout.VA_BANKS),
        "test_cards": _TEST_CARDS,
    }
    return render(request, "sandbox/checkout.html", context, status=status)
