"""Records in the JSON shapes Stripe's API returns (the subset Izin and the SDK read)."""

from datetime import UTC, date, datetime, time

from django.db.models import Sum

from .models import (
    BalanceTransaction,
    Charge,
    CheckoutSession,
    Event,
    PaymentIntent,
    Payout,
    Refund,
)

API_VERSION = "2024-06-20"


def unix(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp())


def unix_day(day: date) -> int:
    """Stripe dates a payout's arrival at midnight UTC, which is the same date in Jakarta."""
    return int(datetime.combine(day, time(0), tzinfo=UTC).timestamp())


def _base(record, kind: str) -> dict:
    return {"id": record.id, "object": kind, "created": unix(record.created), "livemode": False}


def checkout_session(session: CheckoutSession) -> dict:
    return {
        **_base(session, "checkout.session"),
        "amount_subtotal": session.amount_total,
        "amount_total": session.amount_total,
        "cancel_url": session.cancel_url or None,
        "client_reference_id": session.client_reference_id or None,
        "currency": session.currency,
        "customer": None,
        "customer_email": session.customer_email or None,
        "expires_at": unix(session.expires_at),
        "metadata": session.metadata,
        "mode": session.mode,
        "payment_intent": session.payment_intent_id,
        "payment_method_types": session.payment_method_types,
        "payment_status": session.payment_status,
        "status": session.status,
        "success_url": session.success_url,
        # Stripe gives the hosted page's address only while the session can still be paid.
        "url": session.hosted_url if session.status == CheckoutSession.Status.OPEN else None,
    }


def payment_intent(intent: PaymentIntent) -> dict:
    return {
        **_base(intent, "payment_intent"),
        "amount": intent.amount,
        "amount_capturable": 0,
        "amount_received": intent.amount_received,
        "canceled_at": unix(intent.canceled_at),
        "cancellation_reason": intent.cancellation_reason or None,
        "capture_method": "automatic",
        "client_secret": f"{intent.id}_secret_sandbox",
        "confirmation_method": "automatic",
        "currency": intent.currency,
        "description": intent.description or None,
        "last_payment_error": intent.last_payment_error,
        "latest_charge": intent.latest_charge_id,
        "metadata": intent.metadata,
        "next_action": _next_action(intent),
        "payment_method": f"pm_{intent.method}_{intent.id[3:]}" if intent.method else None,
        "payment_method_types": intent.payment_method_types,
        "status": intent.status,
    }


def _next_action(intent: PaymentIntent) -> dict | None:
    """What the payer must still do: pay the virtual account, or scan the QRIS code, before
    ``expires_at`` (as in Stripe's konbini, boleto and multibanco display details)."""
    if intent.status != PaymentIntent.Status.PROCESSING:
        return None
    if intent.va_number:
        details = {"bank": intent.va_bank, "account_number": intent.va_number,
                   "amount_remaining": intent.amount, "currency": intent.currency,
                   "expires_at": _pay_before(intent)}
        return {"type": "va_display_details", "va_display_details": details}
    if intent.qris_data:
        details = {"data": intent.qris_data, "expires_at": _pay_before(intent)}
        return {"type": "qris_display_qr_code", "qris_display_qr_code": details}
    return None


def _pay_before(intent: PaymentIntent) -> int | None:
    """The account and the code take the payment for as long as the checkout would have stayed
    open: the merchant's deadline, not one the sandbox makes up."""
    session = CheckoutSession.objects.filter(payment_intent=intent).only("expires_at").first()
    return unix(session.expires_at) if session else None


def charge(record: Charge) -> dict:
    refunded = record.refunds.aggregate(total=Sum("amount"))["total"] or 0
    method_details: dict = {"type": record.method}
    if record.method == "card":
        method_details["card"] = {"brand": record.card_brand, "last4": record.card_last4}
    elif record.method == "va":
        method_details["va"] = {"bank": record.va_bank}
    succeeded = record.status == Charge.Status.SUCCEEDED
    return {
        **_base(record, "charge"),
        "amount": record.amount,
        "amount_captured": record.amount if succeeded else 0,
        "amount_refunded": refunded,
        "balance_transaction": record.balance_transaction_id,
        "captured": succeeded,
        "currency": record.currency,
        "failure_code": record.failure_code or None,
        "failure_message": record.failure_message or None,
        "metadata": {},
        "outcome": {
            "type": "authorized" if succeeded else "issuer_declined",
            "reason": record.decline_code or None,
            "seller_message": "Payment complete." if succeeded else "The bank declined it.",
        },
        "paid": succeeded,
        "payment_intent": record.payment_intent_id,
        "payment_method_details": method_details,
        "refunded": succeeded and refunded >= record.amount,
        "status": record.status,
    }


def refund(record: Refund) -> dict:
    return {
        **_base(record, "refund"),
        "amount": record.amount,
        "balance_transaction": record.balance_transaction_id,
        "charge": record.charge_id,
        "currency": record.currency,
        "metadata": record.metadata,
        "payment_intent": record.payment_intent_id,
        "reason": record.reason or None,
        "status": record.status,
    }


def balance_transaction(record: BalanceTransaction) -> dict:
    fee_details = []
    if record.fee:
        fee_details.append({"amount": record.fee, "currency": record.currency,
                            "description": f"Sandbox {record.method} processing fee",
                            "type": "stripe_fee", "application": None})
    return {
        **_base(record, "balance_transaction"),
        "amount": record.amount,
        "available_on": unix(record.available_on),
        "currency": record.currency,
        "description": record.description or None,
        "exchange_rate": None,
        "fee": record.fee,
        "fee_details": fee_details,
        "net": record.net,
        "reporting_category": record.type,
        "source": record.source,
        "status": record.status,
        "type": record.type,
    }


def payout(record: Payout) -> dict:
    return {
        **_base(record, "payout"),
        "amount": record.amount,
        "arrival_date": unix_day(record.arrival_date),
        "automatic": True,
        "balance_transaction": None,
        "currency": record.currency,
        "description": record.description or None,
        "destination": record.destination,
        "metadata": record.metadata,
        "method": "standard",
        "status": record.status,
        "statement_descriptor": None,
        "type": "bank_account",
    }


def event(record: Event) -> dict:
    pending = sum(1 for delivery in record.deliveries.all() if delivery.status != "succeeded")
    request_id = record.request_id or None
    return {
        **_base(record, "event"),
        "api_version": record.api_version,
        "data": record.data,
        "pending_webhooks": pending,
        "request": {"id": request_id, "idempotency_key": record.idempotency_key or None},
        "type": record.type,
    }
