"""Stripe-shaped JSON as the gateway sends it (amounts in minor units: Rp 1 = 100)."""

BASE_URL = "https://gateway.test/stripe"
API = BASE_URL + "/v1"
SECRET_KEY = "sk_test_client_suite"
CREATED = 1_767_225_600


def checkout_session(**overrides):
    return {
        "id": "cs_test_a1",
        "object": "checkout.session",
        "status": "open",
        "payment_status": "unpaid",
        "url": "https://gateway.test/checkout/cs_test_a1",
        "payment_intent": "pi_test_a1",
        "amount_total": 15_000_000,
        "currency": "idr",
        "client_reference_id": "invoice-42",
        "metadata": {"invoice": "42"},
        "expires_at": CREATED + 3600,
        "created": CREATED,
        "livemode": False,
    } | overrides


def payment_intent(**overrides):
    return {
        "id": "pi_test_a1",
        "object": "payment_intent",
        "status": "processing",
        "amount": 15_000_000,
        "amount_received": 0,
        "currency": "idr",
        "latest_charge": None,
        "payment_method_types": ["va"],
        "next_action": {"type": "display_bank_transfer_instructions"},
        "metadata": {"invoice": "42"},
        "created": CREATED,
        "livemode": False,
    } | overrides


def refund(**overrides):
    return {
        "id": "re_test_a1",
        "object": "refund",
        "status": "succeeded",
        "amount": 5_000_000,
        "currency": "idr",
        "payment_intent": "pi_test_a1",
        "charge": "ch_test_a1",
        "reason": "requested_by_customer",
        "metadata": {"invoice": "42"},
        "created": CREATED,
    } | overrides


def event(id="evt_test_a1", **overrides):
    return {
        "id": id,
        "object": "event",
        "type": "checkout.session.completed",
        "created": CREATED,
        "data": {"object": checkout_session(status="complete", payment_status="paid")},
        "api_version": "2024-06-20",
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": "req_test_a1", "idempotency_key": "invoice:42:checkout:1"},
    } | overrides


def balance_transaction(id="txn_test_a1", **overrides):
    return {
        "id": id,
        "object": "balance_transaction",
        "type": "charge",
        "status": "available",
        "amount": 15_000_000,
        "fee": 635_000,
        "net": 14_365_000,
        "currency": "idr",
        "source": "ch_test_a1",
        "reporting_category": "charge",
        "available_on": CREATED + 86_400,
        "created": CREATED,
    } | overrides


def payout(id="po_test_a1", **overrides):
    return {
        "id": id,
        "object": "payout",
        "status": "paid",
        "amount": 14_365_000,
        "currency": "idr",
        "arrival_date": CREATED + 86_400,
        "method": "standard",
        "description": "Daily payout",
        "balance_transaction": "txn_test_po1",
        "metadata": {},
        "created": CREATED,
    } | overrides


def page(url, items, *, has_more=False):
    return {"object": "list", "url": url, "has_more": has_more, "data": items}


def error(error_type, message, *, code=None, param=None, decline_code=None):
    body = {"type": error_type, "message": message}
    for key, value in (("code", code), ("param", param), ("decline_code", decline_code)):
        if value is not None:
            body[key] = value
    return {"error": body}


def create_session(client):
    """A checkout session as Izin creates one: the call the retry and budget tests repeat."""
    return client.checkout_session_create(
        idempotency_key="invoice:42:checkout:1",
        amount=150_000,
        description="Retribusi PBG",
        payment_method_types=["card"],
        success_url="https://izin.test/ok/",
        cancel_url="https://izin.test/cancel/",
        client_reference_id="invoice-42",
        metadata={"invoice": "42"},
    )
