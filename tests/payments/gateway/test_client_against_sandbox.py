"""The client over real HTTP against the sandbox gateway (a live server), no stubs between."""

import uuid

from payments.gateway import gateway_client
from payments.gateway.types import CheckoutSession, PaymentIntent


def test_a_checkout_session_created_through_the_client_can_be_retrieved(live_server, settings):
    settings.PAYMENT_GATEWAY_URL = f"{live_server.url}/sandbox/stripe"
    client = gateway_client()
    key = f"invoice:{uuid.uuid4().hex}:checkout:1"
    arguments = {
        "idempotency_key": key,
        "amount": 150_000,
        "description": "Retribusi PBG",
        "payment_method_types": ["card", "va", "qris"],
        "success_url": "https://izin.test/pay/42/return/",
        "cancel_url": "https://izin.test/pay/42/",
        "client_reference_id": "invoice-42",
        "metadata": {"invoice": "42"},
    }

    created = client.checkout_session_create(**arguments)
    replayed = client.checkout_session_create(**arguments)
    fetched = client.checkout_session_retrieve(created.id)
    intent = client.payment_intent_retrieve(created.payment_intent)

    assert isinstance(created, CheckoutSession)
    assert created.id.startswith("cs_")
    assert replayed.id == created.id
    assert fetched == created
    assert (fetched.status, fetched.payment_status) == ("open", "unpaid")
    assert fetched.amount_total == 150_000
    assert fetched.metadata == {"invoice": "42"}
    assert isinstance(intent, PaymentIntent)
    assert intent.amount == 150_000
    assert intent.metadata == {"invoice": "42"}
