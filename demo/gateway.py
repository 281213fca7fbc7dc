"""The month's online payments on both sides, as the live flow would have left them.

Izin's side: a ``Payment`` attempt in its final state with the gateway's ids (session, intent,
charge) and the time Izin learnt of it. The gateway's side, in the sandbox's own tables: the
checkout session, the payment intent, its charge and the balance transaction with the
sandbox's fee (``fee_for``), and a payout per day of what became available (the next day).
No events are recorded: this history was never delivered to anyone.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import F, Sum
from django.urls import reverse

from demo.plan import moment
from payments.models import Invoice, Payment
from payments.money import CURRENCY, to_gateway_amount
from payments.sandbox.checkout import VA_BANKS
from payments.sandbox.ledger import PAYOUT_DESTINATION, fee_for
from payments.sandbox.models import (
    BalanceTransaction,
    Charge,
    CheckoutSession,
    PaymentIntent,
    Payout,
    new_id,
)
from payments.states import PaymentState

# The gateway makes money available the day after the payment, and pays it out that evening.
AVAILABLE_AFTER = timedelta(days=1)
PAYOUT_HOUR = 21
# A balance the gateway holds back (a payment under review at the gateway) for this long.
HELD_FOR = timedelta(days=21)
VA_BANK = "bca"


@dataclass(frozen=True)
class Attempt:
    invoice: Invoice
    attempt: int
    method: str
    paid_at: datetime
    received: int  # whole rupiah
    review_reason: str = ""
    held: bool = False


def _started(attempt: Attempt) -> datetime:
    """A card is paid on the hosted page at once; a transfer some time after the page opened."""
    return attempt.paid_at - (timedelta(minutes=3) if attempt.method == "card"
                              else timedelta(hours=2))


def payment_write(attempt: Attempt) -> Payment:
    """Izin's attempt, succeeded, and the gateway's records of it."""
    invoice, started = attempt.invoice, _started(attempt)
    session_id, intent_id, charge_id = new_id("cs_"), new_id("pi_"), new_id("ch_")
    learnt_at = attempt.paid_at + timedelta(seconds=20)  # the webhook's round trip
    payment = Payment.objects.create(
        invoice=invoice, attempt=attempt.attempt, method=attempt.method, amount=invoice.total,
        state=PaymentState.SUCCEEDED,
        idempotency_key=f"invoice:{invoice.pk}:attempt:{attempt.attempt}:checkout",
        checkout_session_id=session_id, payment_intent_id=intent_id, charge_id=charge_id,
        checkout_expires_at=started + timedelta(hours=23), amount_received=attempt.received,
        currency_received=CURRENCY, needs_review=bool(attempt.review_reason),
        review_reason=attempt.review_reason, succeeded_at=learnt_at, closed_at=learnt_at,
    )
    Payment.objects.filter(pk=payment.pk).update(created_at=started, updated_at=learnt_at)
    metadata = {"payment": str(payment.pk), "invoice": invoice.number}
    intent = _intent(intent_id, attempt, started=started, metadata=metadata)
    _session(session_id, intent, attempt, payment=payment, metadata=metadata)
    _charge(charge_id, intent, attempt.received, at=attempt.paid_at, held=attempt.held)
    return payment


def foreign_charge_write(*, amount: int, method: str, at: datetime) -> Charge:
    """A charge of someone else's integration on the same gateway account."""
    intent = PaymentIntent.objects.create(
        id=new_id("pi_"), created=at - timedelta(minutes=2), amount=to_gateway_amount(amount),
        amount_received=to_gateway_amount(amount), currency=CURRENCY,
        status=PaymentIntent.Status.SUCCEEDED, description="Kios cendera mata Bandar Seni Raja",
        payment_method_types=[method], method=method)
    return _charge(new_id("ch_"), intent, amount, at=at, held=False)


def _intent(intent_id: str, attempt: Attempt, *, started: datetime,
            metadata: dict) -> PaymentIntent:
    va = {}
    if attempt.method == "va":
        va = {"va_bank": VA_BANK,
              "va_number": VA_BANKS[VA_BANK] + attempt.invoice.billing_code[-11:]}
    return PaymentIntent.objects.create(
        id=intent_id, created=started, amount=to_gateway_amount(attempt.invoice.total),
        amount_received=to_gateway_amount(attempt.received), currency=CURRENCY,
        status=PaymentIntent.Status.SUCCEEDED, description=f"Retribusi {attempt.invoice.number}",
        metadata=metadata, payment_method_types=[attempt.method], method=attempt.method, **va)


def _session(session_id: str, intent: PaymentIntent, attempt: Attempt, *, payment: Payment,
             metadata: dict) -> CheckoutSession:
    site = settings.SITE_URL.rstrip("/")
    total = to_gateway_amount(attempt.invoice.total)
    return CheckoutSession.objects.create(
        id=session_id, created=intent.created, status=CheckoutSession.Status.COMPLETE,
        payment_status=CheckoutSession.PaymentStatus.PAID, currency=CURRENCY,
        amount_total=total, payment_method_types=[attempt.method],
        line_items=[{"price_data": {"currency": CURRENCY, "unit_amount": total,
                                    "product_data": {"name": intent.description}},
                     "quantity": 1}],
        success_url=site + reverse("payment_return", args=[payment.pk]),
        cancel_url=site + reverse("payment_cancelled", args=[payment.pk]),
        client_reference_id=attempt.invoice.number, metadata=metadata,
        expires_at=payment.checkout_expires_at,
        hosted_url=site + reverse("sandbox:checkout", args=[session_id]), payment_intent=intent)


def _charge(charge_id: str, intent: PaymentIntent, amount: int, *, at: datetime,
            held: bool) -> Charge:
    minor = to_gateway_amount(amount)
    card = {"card_brand": "visa", "card_last4": "4242"} if intent.method == "card" else {}
    charge = Charge.objects.create(
        id=charge_id, created=at, payment_intent=intent, amount=minor, currency=CURRENCY,
        status=Charge.Status.SUCCEEDED, method=intent.method, va_bank=intent.va_bank, **card)
    fee = fee_for(method=intent.method, amount=minor, currency=CURRENCY)
    charge.balance_transaction = BalanceTransaction.objects.create(
        id=new_id("txn_"), created=at, type=BalanceTransaction.Type.CHARGE, amount=minor,
        fee=fee, net=minor - fee, currency=CURRENCY, description=f"Payment {intent.id}",
        source=charge.id, method=intent.method,
        available_on=at + (HELD_FOR if held else AVAILABLE_AFTER))
    charge.save(update_fields=["balance_transaction"])
    PaymentIntent.objects.filter(pk=intent.pk).update(latest_charge=charge)
    return charge


def payouts_write(*, first: date, last: date) -> list[Payout]:
    """One payout per day of what was available by the day's end, as the sandbox's daily run
    (``payouts_for_day``) makes them; a day that has its payout already is left as it is."""
    payouts = []
    day = first
    while day <= last:
        available = BalanceTransaction.objects.filter(
            payout__isnull=True, currency=CURRENCY,
            available_on__lt=moment(day + timedelta(days=1), 0))
        total = available.aggregate(total=Sum("net"))["total"] or 0
        if total > 0 and not Payout.objects.filter(for_date=day, currency=CURRENCY).exists():
            payout = Payout.objects.create(
                id=new_id("po_"), created=moment(day, PAYOUT_HOUR), amount=total,
                currency=CURRENCY, for_date=day, arrival_date=day,
                destination=PAYOUT_DESTINATION, description=f"Sandbox payout {day.isoformat()}")
            available.update(payout=payout)
            payouts.append(payout)
        day += timedelta(days=1)
    return payouts


def payout_short(payout: Payout, *, by: int) -> Payout:
    """The gateway paid ``by`` rupiah less than the transactions it lists (an adjustment it
    does not show): the payout does not add up."""
    Payout.objects.filter(pk=payout.pk).update(amount=F("amount") - to_gateway_amount(by))
    payout.refresh_from_db()
    return payout
