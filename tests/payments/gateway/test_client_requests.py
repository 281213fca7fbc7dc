"""What the client puts on the wire and what it hands back: headers, bodies, typed objects."""

import logging
from urllib.parse import parse_qsl, urlsplit

import pytest
from responses import matchers

from payments.gateway import gateway_client
from payments.gateway.types import (
    BalanceTransaction,
    CheckoutSession,
    Event,
    ListPage,
    PaymentIntent,
    Payout,
    Refund,
)

from . import wire as w


def _query(call):
    return dict(parse_qsl(urlsplit(call.request.url).query))


def _create_session(client, **overrides):
    arguments = {
        "idempotency_key": "invoice:42:checkout:1",
        "amount": 150_000,
        "description": "Retribusi PBG 503/PBG/2026/0042",
        "payment_method_types": ["card", "va"],
        "success_url": "https://izin.test/pay/42/return/",
        "cancel_url": "https://izin.test/pay/42/",
        "client_reference_id": "invoice-42",
        "metadata": {"invoice": "42", "payment": "9"},
    }
    return client.checkout_session_create(**(arguments | overrides))


def test_every_request_carries_the_bearer_key_and_the_pinned_version(client, wire):
    wire.get(f"{w.API}/payment_intents/pi_test_a1", json=w.payment_intent())

    client.payment_intent_retrieve("pi_test_a1")

    headers = wire.calls[0].request.headers
    assert headers["Authorization"] == f"Bearer {w.SECRET_KEY}"
    assert headers["Stripe-Version"] == "2024-06-20"
    assert "Idempotency-Key" not in headers


def test_checkout_session_create_sends_whole_rupiah_as_minor_units_in_stripe_form(client, wire):
    wire.post(f"{w.API}/checkout/sessions", json=w.checkout_session())

    _create_session(client, expires_at=w.CREATED + 3600)

    request = wire.calls[0].request
    assert request.headers["Idempotency-Key"] == "invoice:42:checkout:1"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert dict(parse_qsl(request.body)) == {
        "mode": "payment",
        "line_items[0][price_data][currency]": "idr",
        "line_items[0][price_data][unit_amount]": "15000000",
        "line_items[0][price_data][product_data][name]": "Retribusi PBG 503/PBG/2026/0042",
        "line_items[0][quantity]": "1",
        "payment_method_types[0]": "card",
        "payment_method_types[1]": "va",
        "success_url": "https://izin.test/pay/42/return/",
        "cancel_url": "https://izin.test/pay/42/",
        "client_reference_id": "invoice-42",
        "metadata[invoice]": "42",
        "metadata[payment]": "9",
        "payment_intent_data[metadata][invoice]": "42",
        "payment_intent_data[metadata][payment]": "9",
        "expires_at": str(w.CREATED + 3600),
    }


def test_checkout_session_create_returns_a_typed_session_in_whole_rupiah(client, wire):
    wire.post(f"{w.API}/checkout/sessions", json=w.checkout_session(amount_total=15_000_000))

    session = _create_session(client)

    assert isinstance(session, CheckoutSession)
    assert session.id == "cs_test_a1"
    assert session.amount_total == 150_000
    assert session.payment_intent == "pi_test_a1"
    assert session.url == "https://gateway.test/checkout/cs_test_a1"
    assert (session.status, session.payment_status) == ("open", "unpaid")
    assert session.metadata == {"invoice": "42"}
    assert session.raw["amount_total"] == 15_000_000


@pytest.mark.parametrize("key", ["", None])
def test_a_post_without_an_idempotency_key_is_refused_before_it_leaves(client, wire, key):
    with pytest.raises(ValueError, match="idempotency key"):
        _create_session(client, idempotency_key=key)
    with pytest.raises(ValueError, match="idempotency key"):
        client.refund_create(idempotency_key=key, payment_intent="pi_test_a1")

    assert len(wire.calls) == 0


@pytest.mark.parametrize(
    "overrides", [{"amount": 0}, {"amount": -5}, {"currency": "usd"}], ids=str
)
def test_checkout_session_create_refuses_amounts_it_cannot_express(client, wire, overrides):
    with pytest.raises(ValueError):
        _create_session(client, **overrides)

    assert len(wire.calls) == 0


def test_checkout_session_retrieve_and_expire(client, wire):
    wire.get(f"{w.API}/checkout/sessions/cs_test_a1", json=w.checkout_session())
    wire.post(
        f"{w.API}/checkout/sessions/cs_test_a1/expire",
        json=w.checkout_session(status="expired"),
    )

    fetched = client.checkout_session_retrieve("cs_test_a1")
    expired = client.checkout_session_expire("cs_test_a1", idempotency_key="payment:9:expire")

    assert fetched.status == "open"
    assert expired.status == "expired"
    assert wire.calls[1].request.headers["Idempotency-Key"] == "payment:9:expire"


def test_ids_cannot_escape_their_path(client, wire):
    wire.get(f"{w.API}/payment_intents/pi_x%2F..%2Frefunds", json=w.payment_intent())

    client.payment_intent_retrieve("pi_x/../refunds")

    path = urlsplit(wire.calls[0].request.url).path
    assert path == "/stripe/v1/payment_intents/pi_x%2F..%2Frefunds"
    with pytest.raises(ValueError):
        client.payment_intent_retrieve("")


def test_payment_intent_retrieve_returns_whole_rupiah(client, wire):
    wire.get(
        f"{w.API}/payment_intents/pi_test_a1",
        json=w.payment_intent(status="succeeded", amount_received=15_000_000, latest_charge="ch_1"),
    )

    intent = client.payment_intent_retrieve("pi_test_a1")

    assert isinstance(intent, PaymentIntent)
    assert (intent.amount, intent.amount_received) == (150_000, 150_000)
    assert intent.status == "succeeded"
    assert intent.latest_charge == "ch_1"
    assert intent.payment_method_types == ("va",)


def test_refund_create_sends_minor_units_and_returns_whole_rupiah(client, wire):
    wire.post(f"{w.API}/refunds", json=w.refund(amount=5_000_000))

    refund = client.refund_create(
        idempotency_key="payment:9:refund:1",
        payment_intent="pi_test_a1",
        amount=50_000,
        reason="requested_by_customer",
        metadata={"payment": "9"},
    )

    assert dict(parse_qsl(wire.calls[0].request.body)) == {
        "payment_intent": "pi_test_a1",
        "amount": "5000000",
        "reason": "requested_by_customer",
        "metadata[payment]": "9",
    }
    assert isinstance(refund, Refund)
    assert refund.amount == 50_000
    assert refund.charge == "ch_test_a1"


def test_a_full_refund_sends_no_amount(client, wire):
    wire.post(f"{w.API}/refunds", json=w.refund())

    client.refund_create(idempotency_key="payment:9:refund:1", payment_intent="pi_test_a1")

    assert dict(parse_qsl(wire.calls[0].request.body)) == {"payment_intent": "pi_test_a1"}


def test_refund_retrieve(client, wire):
    wire.get(f"{w.API}/refunds/re_test_a1", json=w.refund(status="pending"))

    assert client.refund_retrieve("re_test_a1").status == "pending"


def test_event_retrieve_types_the_event_and_names_its_object(client, wire):
    wire.get(f"{w.API}/events/evt_test_a1", json=w.event())

    event = client.event_retrieve("evt_test_a1")

    assert isinstance(event, Event)
    assert event.type == "checkout.session.completed"
    assert (event.object_type, event.object_id) == ("checkout.session", "cs_test_a1")
    assert event.idempotency_key == "invoice:42:checkout:1"
    assert event.request_id == "req_test_a1"


def test_event_list_sends_its_filters_as_stripe_query_params(client, wire):
    wire.get(f"{w.API}/events", json=w.page("/v1/events", [w.event()]))

    page = client.event_list(type="checkout.session.completed", created_gte=w.CREATED, limit=10)

    assert _query(wire.calls[0]) == {
        "type": "checkout.session.completed",
        "created[gte]": str(w.CREATED),
        "limit": "10",
    }
    assert isinstance(page, ListPage)
    assert [event.id for event in page.data] == ["evt_test_a1"]
    assert page.has_more is False


def test_balance_transactions_keep_their_sign_in_whole_rupiah(client, wire):
    transactions = [
        w.balance_transaction("txn_charge"),
        w.balance_transaction(
            "txn_refund", type="refund", amount=-5_000_000, fee=0, net=-5_000_000
        ),
    ]
    wire.get(f"{w.API}/balance_transactions", json=w.page("/v1/balance_transactions", transactions))

    page = client.balance_transaction_list(payout="po_test_a1", type="charge")

    charge, refund = page.data
    assert isinstance(charge, BalanceTransaction)
    assert (charge.amount, charge.fee, charge.net) == (150_000, 6_350, 143_650)
    assert (refund.amount, refund.net) == (-50_000, -50_000)
    assert _query(wire.calls[0]) == {"payout": "po_test_a1", "type": "charge", "limit": "100"}


def test_payout_list_and_retrieve(client, wire):
    wire.get(f"{w.API}/payouts", json=w.page("/v1/payouts", [w.payout()]))
    wire.get(f"{w.API}/payouts/po_test_a1", json=w.payout(status="in_transit"))

    listed = client.payout_list()
    fetched = client.payout_retrieve("po_test_a1")

    assert isinstance(listed.data[0], Payout)
    assert listed.data[0].amount == 143_650
    assert fetched.status == "in_transit"


def test_auto_paging_follows_starting_after_across_three_pages(client, wire):
    url = f"{w.API}/events"
    for after, ids, more in [
        (None, ["evt_5", "evt_4"], True),
        ("evt_4", ["evt_3", "evt_2"], True),
        ("evt_2", ["evt_1"], False),
    ]:
        query = {"type": "payout.paid", "limit": "100"} | (
            {"starting_after": after} if after else {}
        )
        wire.get(
            url,
            json=w.page("/v1/events", [w.event(id) for id in ids], has_more=more),
            match=[matchers.query_param_matcher(query)],
        )

    events = list(client.iter_events(type="payout.paid"))

    assert [event.id for event in events] == ["evt_5", "evt_4", "evt_3", "evt_2", "evt_1"]
    assert len(wire.calls) == 3


def test_auto_paging_balance_transactions_keeps_the_payout_filter(client, wire):
    url = f"{w.API}/balance_transactions"
    wire.get(
        url,
        json=w.page("/v1/balance_transactions", [w.balance_transaction("txn_1")], has_more=True),
        match=[matchers.query_param_matcher({"payout": "po_1", "limit": "100"})],
    )
    wire.get(
        url,
        json=w.page("/v1/balance_transactions", [w.balance_transaction("txn_2")]),
        match=[
            matchers.query_param_matcher(
                {"payout": "po_1", "limit": "100", "starting_after": "txn_1"}
            )
        ],
    )

    ids = [txn.id for txn in client.iter_balance_transactions(payout="po_1")]

    assert ids == ["txn_1", "txn_2"]


def test_iter_payouts_stops_when_there_is_no_more(client, wire):
    wire.get(f"{w.API}/payouts", json=w.page("/v1/payouts", [w.payout("po_1"), w.payout("po_2")]))

    assert [payout.id for payout in client.iter_payouts()] == ["po_1", "po_2"]
    assert len(wire.calls) == 1


def test_each_attempt_is_logged_as_an_event_without_secrets_or_personal_data(client, wire, caplog):
    wire.post(
        f"{w.API}/checkout/sessions",
        json=w.checkout_session(),
        headers={"Request-Id": "req_abc"},
    )

    with caplog.at_level(logging.INFO, logger="izin.payments.gateway"):
        _create_session(client, description="Retribusi reklame PT Maju Jaya")

    messages = [record.getMessage() for record in caplog.records]
    assert messages == [
        "gateway_request method=POST path=/checkout/sessions status=200 attempt=1 "
        "request_id=req_abc"
    ]
    assert w.SECRET_KEY not in caplog.text
    assert "Maju Jaya" not in caplog.text


def test_gateway_client_reads_url_and_key_from_settings(settings, wire):
    settings.PAYMENT_GATEWAY_URL = "https://pay.example.test/stripe/"
    settings.PAYMENT_GATEWAY_SECRET_KEY = "sk_test_from_settings"
    wire.get(
        "https://pay.example.test/stripe/v1/payouts/po_test_a1", json=w.payout()
    )

    gateway_client().payout_retrieve("po_test_a1")

    assert wire.calls[0].request.headers["Authorization"] == "Bearer sk_test_from_settings"
