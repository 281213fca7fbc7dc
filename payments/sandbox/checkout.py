"""Checkout sessions and their payment intents: create, pay, simulate the bank, expire.

Every change locks the session's row, re-reads its state, and emits the events Stripe would.
Card payments settle at once; VA and QRIS leave the intent ``processing`` (the session is
complete but unpaid) until the bank's payment is simulated.
"""

import secrets
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from . import shapes
from .errors import ApiError, CardDeclined, InvalidRequest, NotFound
from .events import Origin, event_emit
from .ledger import balance_record_charge
from .models import ASYNC_METHODS, Charge, CheckoutSession, Method, PaymentIntent, new_id
from .qris import qris_payload

# Stripe's test card numbers: None succeeds, otherwise the decline code.
TEST_CARDS = {
    "4242424242424242": None,
    "4000000000000002": "generic_decline",
    "4000000000009995": "insufficient_funds",
}
DECLINE_MESSAGES = {
    "generic_decline": "Your card was declined.",
    "insufficient_funds": "Your card has insufficient funds.",
}
# Test payment methods the API's confirm accepts, standing for the cards above.
TEST_PAYMENT_METHODS = {
    "pm_card_visa": "4242424242424242",
    "pm_card_chargeDeclined": "4000000000000002",
    "pm_card_chargeDeclinedInsufficientFunds": "4000000000009995",
}
# Virtual-account banks and the prefix each gives its account numbers.
VA_BANKS = {"bca": "39010", "bni": "8808", "bri": "26215", "mandiri": "89608", "permata": "8625"}


def session_get(*, session_id: str) -> CheckoutSession:
    """The session, expired first if its time is up (expiry needs no clock task)."""
    session = _find(session_id)
    if session.status == CheckoutSession.Status.OPEN and session.expires_at <= timezone.now():
        with transaction.atomic():
            session = _locked(session_id)
    return session


def checkout_session_create(*, fields: dict, hosted_url_for) -> CheckoutSession:
    """Create an open session and its intent. ``fields`` are validated API parameters."""
    intent = PaymentIntent.objects.create(
        id=new_id("pi_"),
        amount=fields["amount_total"],
        currency=fields["currency"],
        description=fields["description"],
        metadata=fields["intent_metadata"],
        payment_method_types=fields["payment_method_types"],
    )
    session_id = new_id("cs_")
    return CheckoutSession.objects.create(
        id=session_id,
        currency=fields["currency"],
        amount_total=fields["amount_total"],
        line_items=fields["line_items"],
        payment_method_types=fields["payment_method_types"],
        success_url=fields["success_url"],
        cancel_url=fields["cancel_url"],
        client_reference_id=fields["client_reference_id"],
        customer_email=fields["customer_email"],
        metadata=fields["metadata"],
        expires_at=fields["expires_at"],
        hosted_url=hosted_url_for(session_id),
        payment_intent=intent,
    )


def checkout_session_expire(*, session_id: str, origin: Origin | None = None) -> CheckoutSession:
    with transaction.atomic():
        session = _locked(session_id)
        if session.status == CheckoutSession.Status.OPEN:
            _expire(session, origin)
            return session
    raise InvalidRequest(
        f"Only Checkout Sessions with a status in [\"open\"] can be expired. "
        f"This session has status {session.status}."
    )


def checkout_sessions_expire_due(*, now: datetime | None = None) -> int:
    """Expire open sessions whose time is up, so their events go out without a visitor."""
    due = CheckoutSession.objects.filter(
        status=CheckoutSession.Status.OPEN, expires_at__lte=now or timezone.now()
    ).values_list("id", flat=True)
    count = 0
    for session_id in due:
        with transaction.atomic():
            session = _locked(session_id, now=now)
            count += int(session.status == CheckoutSession.Status.EXPIRED)
    return count


def checkout_session_pay_card(
    *, session_id: str, card_number: str, origin: Origin | None = None
) -> Charge:
    """Charge a test card. A decline is recorded (failed charge, event) and the session stays
    open for another try; the caller reads ``charge.status``. Moves money."""
    number = "".join(ch for ch in card_number if ch.isdigit())
    if number not in TEST_CARDS:
        raise CardDeclined("Your card number is incorrect. Use one of the sandbox's test cards.",
                           code="incorrect_number", param="number")
    decline = TEST_CARDS[number]
    with transaction.atomic():
        session = _locked(session_id)
        if session.status == CheckoutSession.Status.OPEN:
            _require_method(session, Method.CARD)
            intent = _locked_intent(session.payment_intent_id)
            charge = Charge.objects.create(
                id=new_id("ch_"), payment_intent=intent, amount=intent.amount,
                currency=intent.currency, method=Method.CARD, card_brand="visa",
                card_last4=number[-4:],
                status=Charge.Status.FAILED if decline else Charge.Status.SUCCEEDED,
                failure_code="card_declined" if decline else "",
                decline_code=decline or "",
                failure_message=DECLINE_MESSAGES.get(decline, ""),
            )
            intent.method = Method.CARD
            intent.latest_charge = charge
            if decline:
                _record_decline(intent, charge, origin)
            else:
                _succeed(session, intent, charge, origin, asynchronous=False)
            return charge
    raise _not_payable(session)


def checkout_session_pay_async(
    *, session_id: str, method: str, bank: str = "", origin: Origin | None = None
) -> PaymentIntent:
    """Choose VA or QRIS: the session completes unpaid, the intent waits for the bank."""
    if method not in ASYNC_METHODS:
        raise InvalidRequest(f"{method} is not a bank method.", param="payment_method_data[type]")
    if method == Method.VA and bank not in VA_BANKS:
        raise InvalidRequest(f"Unknown bank: {bank}.", param="payment_method_data[va][bank]")
    with transaction.atomic():
        session = _locked(session_id)
        if session.status == CheckoutSession.Status.OPEN:
            _require_method(session, method)
            intent = _locked_intent(session.payment_intent_id)
            intent.method = method
            intent.status = PaymentIntent.Status.PROCESSING
            intent.last_payment_error = None
            if method == Method.VA:
                intent.va_bank = bank
                intent.va_number = VA_BANKS[bank] + "".join(
                    secrets.choice("0123456789") for _ in range(11)
                )
            else:
                intent.qris_data = qris_payload(reference=intent.id, amount=intent.amount)
            intent.save()
            session.status = CheckoutSession.Status.COMPLETE
            session.save(update_fields=["status"])
            event_emit(type="payment_intent.processing", data_object=shapes.payment_intent(intent),
                       origin=origin)
            event_emit(type="checkout.session.completed",
                       data_object=shapes.checkout_session(session), origin=origin)
            return intent
    raise _not_payable(session)


def payment_intent_simulate_payment(
    *, intent_id: str, origin: Origin | None = None
) -> PaymentIntent:
    """The bank pays a processing VA or QRIS intent, as it would hours later. Moves money."""
    with transaction.atomic():
        intent = _locked_intent(intent_id)
        if intent.status == PaymentIntent.Status.PROCESSING:
            session = CheckoutSession.objects.select_for_update().get(payment_intent=intent)
            charge = Charge.objects.create(
                id=new_id("ch_"), payment_intent=intent, amount=intent.amount,
                currency=intent.currency, method=intent.method, va_bank=intent.va_bank,
                status=Charge.Status.SUCCEEDED,
            )
            intent.latest_charge = charge
            _succeed(session, intent, charge, origin, asynchronous=True)
            return intent
    raise InvalidRequest(
        f"This PaymentIntent's status is {intent.status}; only a processing bank payment "
        "can be simulated.",
        code="payment_intent_unexpected_state",
    )


def payment_intent_confirm(
    *, intent_id: str, fields: dict, origin: Origin
) -> tuple[PaymentIntent, Charge | None]:
    """Pay an intent through the API with a test payment method, as the hosted page would.
    Returns the intent and, when the card was declined, the failed charge."""
    session = CheckoutSession.objects.filter(payment_intent_id=intent_id).first()
    if session is None:
        raise NotFound("payment_intent", intent_id)
    declined = None
    if fields["method"] == Method.CARD:
        charge = checkout_session_pay_card(
            session_id=session.id, card_number=fields["card_number"], origin=origin
        )
        declined = charge if charge.status == Charge.Status.FAILED else None
    else:
        checkout_session_pay_async(
            session_id=session.id, method=fields["method"], bank=fields["bank"], origin=origin
        )
    return PaymentIntent.objects.get(pk=intent_id), declined


def _find(session_id: str) -> CheckoutSession:
    session = CheckoutSession.objects.select_related("payment_intent").filter(pk=session_id).first()
    if session is None:
        raise NotFound("checkout.session", session_id)
    return session


def _locked(session_id: str, *, now: datetime | None = None) -> CheckoutSession:
    session = CheckoutSession.objects.select_for_update().filter(pk=session_id).first()
    if session is None:
        raise NotFound("checkout.session", session_id)
    if (session.status == CheckoutSession.Status.OPEN
            and session.expires_at <= (now or timezone.now())):
        _expire(session, None)
    return session


def _locked_intent(intent_id: str) -> PaymentIntent:
    intent = PaymentIntent.objects.select_for_update().filter(pk=intent_id).first()
    if intent is None:
        raise NotFound("payment_intent", intent_id)
    return intent


def _expire(session: CheckoutSession, origin: Origin | None) -> None:
    session.status = CheckoutSession.Status.EXPIRED
    session.save(update_fields=["status"])
    intent = session.payment_intent
    intent.status = PaymentIntent.Status.CANCELED
    intent.canceled_at = timezone.now()
    intent.cancellation_reason = "abandoned"
    intent.save(update_fields=["status", "canceled_at", "cancellation_reason"])
    event_emit(type="checkout.session.expired", data_object=shapes.checkout_session(session),
               origin=origin)


def _require_method(session: CheckoutSession, method: str) -> None:
    if method not in session.payment_method_types:
        raise InvalidRequest(f"This Checkout Session does not accept {method}.",
                             code="payment_method_not_available")


def _not_payable(session: CheckoutSession) -> ApiError:
    if session.status == CheckoutSession.Status.EXPIRED:
        return InvalidRequest("This Checkout Session has expired and can no longer be paid.",
                              code="checkout_session_expired")
    return InvalidRequest("This Checkout Session is already complete.",
                          code="checkout_session_complete")


def _record_decline(intent: PaymentIntent, charge: Charge, origin: Origin | None) -> None:
    intent.status = PaymentIntent.Status.REQUIRES_PAYMENT_METHOD
    intent.last_payment_error = {
        "type": "card_error", "code": charge.failure_code, "decline_code": charge.decline_code,
        "message": charge.failure_message, "charge": charge.id,
    }
    intent.save()
    event_emit(type="payment_intent.payment_failed", data_object=shapes.payment_intent(intent),
               origin=origin)


def _succeed(session: CheckoutSession, intent: PaymentIntent, charge: Charge,
             origin: Origin | None, *, asynchronous: bool) -> None:
    charge.balance_transaction = balance_record_charge(charge=charge)
    charge.save(update_fields=["balance_transaction"])
    intent.status = PaymentIntent.Status.SUCCEEDED
    intent.amount_received = intent.amount
    intent.last_payment_error = None
    intent.save()
    session.status = CheckoutSession.Status.COMPLETE
    session.payment_status = CheckoutSession.PaymentStatus.PAID
    session.save(update_fields=["status", "payment_status"])
    session_event = ("checkout.session.async_payment_succeeded" if asynchronous
                     else "checkout.session.completed")
    event_emit(type=session_event, data_object=shapes.checkout_session(session), origin=origin)
    event_emit(type="payment_intent.succeeded", data_object=shapes.payment_intent(intent),
               origin=origin)

