"""The official Stripe SDK, unchanged, against the sandbox over real HTTP: every endpoint."""

import time

import pytest
import stripe

from payments.sandbox import ledger

from .conftest import SECRET_KEY, session_params

pytestmark = pytest.mark.django_db(transaction=True)


def paid_intent(gateway, **overrides):
    session = gateway.v1.checkout.sessions.create(session_params(**overrides))
    return gateway.v1.payment_intents.confirm(session.payment_intent,
                                              {"payment_method": "pm_card_visa"})


def test_create_and_retrieve_a_checkout_session(gateway, live_server):
    session = gateway.v1.checkout.sessions.create(session_params(
        payment_intent_data={"metadata": {"invoice": "42"}, "description": "SKRD 42"},
    ))

    assert session.id.startswith("cs_") and len(session.id) == 3 + 24
    assert session.object == "checkout.session"
    assert (session.status, session.payment_status) == ("open", "unpaid")
    assert session.amount_total == 150_000_000 and session.currency == "idr"
    assert session.url == f"{live_server.url}/sandbox/checkout/{session.id}/"
    assert session.metadata.to_dict() == {"invoice": "42"}
    assert session.client_reference_id == "invoice-42"
    assert session.livemode is False
    assert session.expires_at > time.time() + 23 * 3600

    again = gateway.v1.checkout.sessions.retrieve(session.id)
    assert again.to_dict() == session.to_dict()

    intent = gateway.v1.payment_intents.retrieve(session.payment_intent)
    assert intent.object == "payment_intent" and intent.id.startswith("pi_")
    assert intent.status == "requires_payment_method"
    assert (intent.amount, intent.amount_received, intent.currency) == (150_000_000, 0, "idr")
    assert intent.metadata.to_dict() == {"invoice": "42"}
    assert intent.description == "SKRD 42"
    assert intent.payment_method_types == ["card", "va", "qris"]


def test_line_items_are_totalled(gateway):
    session = gateway.v1.checkout.sessions.create(session_params(line_items=[
        {"price_data": {"currency": "idr", "unit_amount": 500_000,
                        "product_data": {"name": "Reklame / bulan"}}, "quantity": 3},
        {"price_data": {"currency": "idr", "unit_amount": 1_000_000,
                        "product_data": {"name": "Administrasi"}}, "quantity": 1},
    ]))
    assert session.amount_total == 2_500_000


def test_invalid_parameters_are_refused_as_stripe_refuses_them(gateway):
    with pytest.raises(stripe.InvalidRequestError) as missing:
        gateway.v1.checkout.sessions.create(session_params(success_url=None))
    assert missing.value.param == "success_url"
    assert missing.value.code == "parameter_missing"

    with pytest.raises(stripe.InvalidRequestError) as unknown:
        gateway.v1.checkout.sessions.create(session_params(colour="red"))
    assert unknown.value.param == "colour"
    assert unknown.value.http_status == 400

    with pytest.raises(stripe.InvalidRequestError) as method:
        gateway.v1.checkout.sessions.create(session_params(payment_method_types=["paypal"]))
    assert method.value.param == "payment_method_types[0]"

    with pytest.raises(stripe.InvalidRequestError) as too_late:
        gateway.v1.checkout.sessions.create(session_params(expires_at=int(time.time()) + 7 * 86400))
    assert too_late.value.param == "expires_at"


def test_expire_a_session(gateway, receiver):
    session = gateway.v1.checkout.sessions.create(session_params())

    expired = gateway.v1.checkout.sessions.expire(session.id)

    assert expired.status == "expired" and expired.url is None
    assert gateway.v1.payment_intents.retrieve(session.payment_intent).status == "canceled"
    assert receiver.types() == ["checkout.session.expired"]
    with pytest.raises(stripe.InvalidRequestError):
        gateway.v1.checkout.sessions.expire(session.id)
    with pytest.raises(stripe.InvalidRequestError) as refused:
        gateway.v1.payment_intents.confirm(session.payment_intent,
                                           {"payment_method": "pm_card_visa"})
    assert refused.value.code == "checkout_session_expired"


def test_unknown_ids_are_resource_missing(gateway):
    with pytest.raises(stripe.InvalidRequestError) as missing:
        gateway.v1.checkout.sessions.retrieve("cs_doesnotexist")
    assert missing.value.http_status == 404
    assert missing.value.code == "resource_missing"
    assert missing.value.param == "id"
    for call in (gateway.v1.payment_intents.retrieve, gateway.v1.refunds.retrieve,
                 gateway.v1.events.retrieve, gateway.v1.payouts.retrieve,
                 gateway.v1.balance_transactions.retrieve):
        with pytest.raises(stripe.InvalidRequestError):
            call("x_missing")


def test_wrong_or_missing_key_is_an_authentication_error(live_server):
    base = {"api": live_server.url + "/sandbox/stripe"}
    wrong = stripe.StripeClient("sk_test_not_ours_at_all", base_addresses=base,
                                max_network_retries=0)
    with pytest.raises(stripe.AuthenticationError) as failure:
        wrong.v1.events.list()
    assert failure.value.http_status == 401
    assert failure.value.error.type == "authentication_error"
    assert "sk_test_not_ours_at_all" not in failure.value.user_message

    with pytest.raises(stripe.AuthenticationError):
        wrong.v1.checkout.sessions.create(session_params())


def test_a_repeated_idempotency_key_replays_the_first_response(gateway):
    options = {"idempotency_key": "invoice:42:checkout:1"}
    first = gateway.v1.checkout.sessions.create(session_params(), options)
    second = gateway.v1.checkout.sessions.create(session_params(), options)

    assert second.id == first.id
    assert second.last_response.headers.get("Idempotent-Replayed") == "true"
    assert first.last_response.headers.get("Idempotent-Replayed") is None
    third = gateway.v1.checkout.sessions.create(session_params(),
                                                {"idempotency_key": "invoice:42:checkout:2"})
    assert third.id != first.id


def test_the_same_key_with_other_parameters_is_an_idempotency_error(gateway):
    options = {"idempotency_key": "invoice:43:checkout:1"}
    gateway.v1.checkout.sessions.create(session_params(), options)

    with pytest.raises(stripe.IdempotencyError) as conflict:
        gateway.v1.checkout.sessions.create(session_params(client_reference_id="other"), options)
    assert conflict.value.http_status == 400
    assert conflict.value.error.type == "idempotency_error"


def test_a_refused_request_stores_nothing_under_its_key(gateway):
    options = {"idempotency_key": "invoice:44:checkout:1"}
    with pytest.raises(stripe.InvalidRequestError):
        gateway.v1.checkout.sessions.create(session_params(success_url=None), options)

    session = gateway.v1.checkout.sessions.create(session_params(), options)
    assert session.status == "open"


def test_confirm_with_the_test_card_pays_the_session(gateway, receiver):
    session = gateway.v1.checkout.sessions.create(session_params())

    intent = gateway.v1.payment_intents.confirm(session.payment_intent,
                                                {"payment_method": "pm_card_visa"})

    assert intent.status == "succeeded" and intent.amount_received == 150_000_000
    assert intent.latest_charge.startswith("ch_")
    paid = gateway.v1.checkout.sessions.retrieve(session.id)
    assert (paid.status, paid.payment_status) == ("complete", "paid")
    assert receiver.types() == ["checkout.session.completed", "payment_intent.succeeded"]


@pytest.mark.parametrize(("payment_method", "decline_code"), [
    ("pm_card_chargeDeclined", "generic_decline"),
    ("pm_card_chargeDeclinedInsufficientFunds", "insufficient_funds"),
])
def test_a_declined_card_is_a_card_error_and_the_session_stays_open(
    gateway, receiver, payment_method, decline_code
):
    session = gateway.v1.checkout.sessions.create(session_params())

    with pytest.raises(stripe.CardError) as declined:
        gateway.v1.payment_intents.confirm(session.payment_intent,
                                           {"payment_method": payment_method})

    assert declined.value.http_status == 402
    assert declined.value.code == "card_declined"
    assert declined.value.error.decline_code == decline_code
    intent = gateway.v1.payment_intents.retrieve(session.payment_intent)
    assert intent.status == "requires_payment_method"
    assert intent.last_payment_error.decline_code == decline_code
    assert gateway.v1.checkout.sessions.retrieve(session.id).status == "open"
    assert receiver.types() == ["payment_intent.payment_failed"]

    retried = gateway.v1.payment_intents.confirm(session.payment_intent,
                                                 {"payment_method": "pm_card_visa"})
    assert retried.status == "succeeded"


def test_bank_payment_waits_for_the_simulated_bank(gateway, receiver):
    session = gateway.v1.checkout.sessions.create(session_params())

    intent = gateway.v1.payment_intents.confirm(
        session.payment_intent,
        {"payment_method_data": {"type": "va", "va": {"bank": "bca"}}},
    )

    assert intent.status == "processing"
    assert intent.next_action.type == "va_display_details"
    assert intent.next_action.va_display_details.account_number.startswith("39010")
    waiting = gateway.v1.checkout.sessions.retrieve(session.id)
    assert (waiting.status, waiting.payment_status) == ("complete", "unpaid")

    simulated = gateway.raw_request(
        "post", f"/v1/test_helpers/payment_intents/{intent.id}/simulate_payment"
    )
    assert gateway.deserialize(simulated, api_mode="V1").status == "succeeded"
    paid = gateway.v1.checkout.sessions.retrieve(session.id)
    assert paid.payment_status == "paid"
    assert receiver.types() == [
        "payment_intent.processing", "checkout.session.completed",
        "checkout.session.async_payment_succeeded", "payment_intent.succeeded",
    ]


def test_create_and_retrieve_refunds(gateway, receiver):
    intent = paid_intent(gateway)

    partial = gateway.v1.refunds.create({"payment_intent": intent.id, "amount": 50_000_000,
                                         "reason": "requested_by_customer",
                                         "metadata": {"case": "7"}})
    assert partial.object == "refund" and partial.id.startswith("re_")
    assert (partial.amount, partial.status, partial.charge) == (
        50_000_000, "succeeded", intent.latest_charge)
    assert gateway.v1.refunds.retrieve(partial.id).to_dict() == partial.to_dict()

    with pytest.raises(stripe.InvalidRequestError) as too_much:
        gateway.v1.refunds.create({"payment_intent": intent.id, "amount": 100_000_001})
    assert too_much.value.code == "amount_too_large"

    rest = gateway.v1.refunds.create({"payment_intent": intent.id})
    assert rest.amount == 100_000_000
    with pytest.raises(stripe.InvalidRequestError) as done:
        gateway.v1.refunds.create({"payment_intent": intent.id})
    assert done.value.code == "charge_already_refunded"

    refunded = [e["data"]["object"] for e in receiver.events() if e["type"] == "charge.refunded"]
    assert [charge["amount_refunded"] for charge in refunded] == [50_000_000, 150_000_000]
    assert refunded[-1]["refunded"] is True


def test_an_unpaid_intent_cannot_be_refunded(gateway):
    session = gateway.v1.checkout.sessions.create(session_params())
    with pytest.raises(stripe.InvalidRequestError) as refused:
        gateway.v1.refunds.create({"payment_intent": session.payment_intent})
    assert refused.value.code == "charge_not_refundable"


def test_a_bank_refund_is_pending_until_settled(gateway, receiver):
    session = gateway.v1.checkout.sessions.create(session_params())
    gateway.v1.payment_intents.confirm(session.payment_intent,
                                       {"payment_method_data": {"type": "qris"}})
    gateway.raw_request(
        "post", f"/v1/test_helpers/payment_intents/{session.payment_intent}/simulate_payment")

    refund = gateway.v1.refunds.create({"payment_intent": session.payment_intent})
    assert refund.status == "pending"

    gateway.raw_request("post", f"/v1/test_helpers/refunds/{refund.id}/settle")

    assert gateway.v1.refunds.retrieve(refund.id).status == "succeeded"
    assert receiver.types()[-2:] == ["charge.refunded", "refund.updated"]
    assert receiver.events()[-1]["data"]["object"]["status"] == "succeeded"


def test_list_and_retrieve_events(gateway):
    before = int(time.time())
    paid_intent(gateway)
    session = gateway.v1.checkout.sessions.create(session_params())
    gateway.v1.checkout.sessions.expire(session.id)

    events = gateway.v1.events.list()
    assert events.object == "list" and events.url == "/v1/events"
    assert [e.type for e in events.data] == [
        "checkout.session.expired", "payment_intent.succeeded", "checkout.session.completed",
    ]
    assert all(e.id.startswith("evt_") and e.api_version == "2024-06-20" for e in events.data)
    expired = events.data[0]
    assert expired.data.object.id == session.id
    assert expired.request.id.startswith("req_")
    assert gateway.v1.events.retrieve(expired.id).to_dict() == expired.to_dict()

    only = gateway.v1.events.list({"type": "payment_intent.succeeded"})
    assert [e.type for e in only.data] == ["payment_intent.succeeded"]
    assert len(gateway.v1.events.list({"type": "checkout.session.*"}).data) == 2
    assert len(gateway.v1.events.list({"created": {"gte": before}}).data) == 3
    assert gateway.v1.events.list({"created": {"gte": int(time.time()) + 60}}).data == []


def test_event_pages_follow_the_cursor_both_ways(gateway):
    for _ in range(3):
        paid_intent(gateway)
    everything = [e.id for e in gateway.v1.events.list({"limit": 100}).data]
    assert len(everything) == 6

    first = gateway.v1.events.list({"limit": 4})
    assert first.has_more is True
    second = gateway.v1.events.list({"limit": 4, "starting_after": first.data[-1].id})
    assert second.has_more is False
    assert [e.id for e in first.data + second.data] == everything
    back = gateway.v1.events.list({"limit": 2, "ending_before": second.data[0].id})
    assert [e.id for e in back.data] == everything[2:4]
    assert back.has_more is True
    assert [e.id for e in first.auto_paging_iter()] == everything

    with pytest.raises(stripe.InvalidRequestError) as bad:
        gateway.v1.events.list({"limit": 101})
    assert bad.value.param == "limit"


def test_balance_transactions_of_a_payout_with_auto_paging(gateway):
    intents = [paid_intent(gateway) for _ in range(3)]
    refund = gateway.v1.refunds.create({"payment_intent": intents[0].id, "amount": 10_000_000})
    [payout] = ledger.payouts_for_day()
    later = paid_intent(gateway)  # after the payout: waits for the next one

    listed = gateway.v1.balance_transactions.list({"payout": payout.id, "limit": 2})
    assert listed.url == "/v1/balance_transactions" and listed.has_more is True
    rows = list(listed.auto_paging_iter())

    assert len(rows) == 4
    assert all(row.object == "balance_transaction" and row.id.startswith("txn_") for row in rows)
    charges = [row for row in rows if row.type == "charge"]
    assert {row.source for row in charges} == {i.latest_charge for i in intents}
    [refund_row] = [row for row in rows if row.type == "refund"]
    assert (refund_row.amount, refund_row.fee, refund_row.net) == (-10_000_000, 0, -10_000_000)
    assert refund_row.source == refund.id
    assert all(row.status == "available" and row.net == row.amount - row.fee for row in rows)
    assert payout.amount == sum(row.net for row in rows)
    assert later.latest_charge not in {row.source for row in rows}

    one = gateway.v1.balance_transactions.retrieve(charges[0].id)
    assert one.fee == 4_550_000 and one.fee_details[0].amount == 4_550_000
    only_refunds = gateway.v1.balance_transactions.list({"type": "refund"})
    assert [row.id for row in only_refunds.data] == [refund_row.id]
    with pytest.raises(stripe.InvalidRequestError):
        gateway.v1.balance_transactions.list({"payout": "po_missing"})


def test_list_and_retrieve_payouts(gateway):
    paid_intent(gateway)
    [payout] = ledger.payouts_for_day()

    payouts = gateway.v1.payouts.list()
    assert payouts.url == "/v1/payouts"
    assert [p.id for p in payouts.data] == [payout.id]
    shown = gateway.v1.payouts.retrieve(payout.id)
    assert shown.object == "payout" and shown.id.startswith("po_")
    assert (shown.amount, shown.currency, shown.status) == (payout.amount, "idr", "paid")
    assert shown.arrival_date % 86400 == 0
    assert [p.id for p in gateway.v1.payouts.list({"status": "paid"}).auto_paging_iter()] == [
        payout.id]


def test_responses_carry_stripe_headers(gateway):
    session = gateway.v1.checkout.sessions.create(
        session_params(), {"idempotency_key": "headers:1", "stripe_version": "2024-06-20"}
    )
    headers = session.last_response.headers
    assert headers["Request-Id"].startswith("req_")
    assert headers["Stripe-Version"] == "2024-06-20"
    assert headers["Idempotency-Key"] == "headers:1"


def test_an_unknown_url_is_an_invalid_request(gateway):
    with pytest.raises(stripe.InvalidRequestError) as unknown:
        gateway.raw_request("get", "/v1/customers")
    assert unknown.value.http_status == 404
    assert "Unrecognized request URL (GET: /v1/customers)" in unknown.value.user_message


def test_basic_auth_is_accepted_as_stripe_accepts_it(live_server):
    import requests

    response = requests.get(live_server.url + "/sandbox/stripe/v1/events",
                            auth=(SECRET_KEY, ""), timeout=5)
    assert response.status_code == 200
    assert response.json()["object"] == "list"
