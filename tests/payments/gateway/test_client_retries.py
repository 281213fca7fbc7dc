"""Retries: which failures are retried, how long the client waits, and that a retry is the same
request under the same idempotency key (so the gateway replays instead of charging twice)."""

import random

import pytest
import requests

from payments.gateway.client import GatewayClient
from payments.gateway.errors import APIConnectionError, GatewayError

from . import wire as w

SESSIONS = f"{w.API}/checkout/sessions"


class _TopOfRange(random.Random):
    """Always draws the top of the jitter range, so the waits show their ceilings."""

    def random(self):
        return 1.0


@pytest.mark.parametrize("status", [500, 502, 503, 429, 409])
def test_transient_statuses_are_retried_under_the_same_key_then_succeed(
    client, wire, sleeps, status
):
    wire.post(SESSIONS, status=status, json=w.error("api_error", "Try again."))
    wire.post(SESSIONS, status=status, json=w.error("api_error", "Try again."))
    wire.post(SESSIONS, json=w.checkout_session())

    session = w.create_session(client)

    assert session.id == "cs_test_a1"
    assert len(wire.calls) == 3
    keys = {call.request.headers["Idempotency-Key"] for call in wire.calls}
    bodies = {call.request.body for call in wire.calls}
    assert keys == {"invoice:42:checkout:1"}
    assert len(bodies) == 1
    assert len(sleeps) == 2


@pytest.mark.parametrize(
    "failure",
    [requests.ConnectionError("refused"), requests.ConnectTimeout(), requests.ReadTimeout()],
    ids=type,
)
def test_connection_errors_and_timeouts_are_retried_under_the_same_key(
    client, wire, sleeps, failure
):
    wire.post(SESSIONS, body=failure)
    wire.post(SESSIONS, json=w.checkout_session())

    assert w.create_session(client).id == "cs_test_a1"
    assert [call.request.headers["Idempotency-Key"] for call in wire.calls] == [
        "invoice:42:checkout:1"
    ] * 2
    assert len(sleeps) == 1


def test_gets_are_retried_too(client, wire):
    url = f"{w.API}/payment_intents/pi_test_a1"
    wire.get(url, body=requests.ReadTimeout())
    wire.get(url, status=503, json=w.error("api_error", "Busy."))
    wire.get(url, json=w.payment_intent())

    assert client.payment_intent_retrieve("pi_test_a1").id == "pi_test_a1"
    assert len(wire.calls) == 3


def test_after_three_retries_a_connection_error_is_an_api_connection_error(client, wire, sleeps):
    wire.post(SESSIONS, body=requests.ConnectionError("refused"))

    with pytest.raises(APIConnectionError):
        w.create_session(client)

    assert len(wire.calls) == 4
    assert len(sleeps) == 3


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404])
def test_other_client_errors_are_never_retried(client, wire, sleeps, status):
    wire.post(SESSIONS, status=status, json=w.error("invalid_request_error", "No."))

    with pytest.raises(GatewayError):
        w.create_session(client)

    assert len(wire.calls) == 1
    assert sleeps == []


def test_stripe_should_retry_true_forces_a_retry_of_a_client_error(client, wire):
    wire.post(
        SESSIONS,
        status=400,
        json=w.error("invalid_request_error", "Lock timeout.", code="lock_timeout"),
        headers={"Stripe-Should-Retry": "true"},
    )
    wire.post(SESSIONS, json=w.checkout_session())

    assert w.create_session(client).id == "cs_test_a1"
    assert len(wire.calls) == 2


def test_stripe_should_retry_false_forbids_retrying_a_server_error(client, wire, sleeps):
    wire.post(
        SESSIONS,
        status=500,
        json=w.error("api_error", "Already failed for this key."),
        headers={"Stripe-Should-Retry": "false"},
    )

    with pytest.raises(GatewayError):
        w.create_session(client)

    assert len(wire.calls) == 1
    assert sleeps == []


def test_requests_have_a_5_second_connect_and_10_second_read_timeout(client, wire):
    wire.post(SESSIONS, json=w.checkout_session())
    wire.get(f"{SESSIONS}/cs_test_a1", json=w.checkout_session())

    w.create_session(client)
    client.checkout_session_retrieve("cs_test_a1")

    assert [call.request.req_kwargs["timeout"] for call in wire.calls] == [(5, 10), (5, 10)]


def test_backoff_ceiling_doubles_from_half_a_second_and_is_capped_at_eight(wire):
    sleeps = []
    client = GatewayClient(
        base_url=w.BASE_URL,
        secret_key=w.SECRET_KEY,
        sleep=sleeps.append,
        rng=_TopOfRange(),
        max_retries=6,
    )
    wire.post(SESSIONS, status=503, json=w.error("api_error", "Down."))

    with pytest.raises(GatewayError):
        w.create_session(client)

    assert sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


def test_backoff_is_full_jitter_below_the_ceiling(wire):
    """Seeded runs: every wait lies in [0, ceiling], and the waits vary from run to run."""
    wire.get(f"{w.API}/payouts/po_1", body=requests.ConnectionError("refused"))
    ceilings = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    runs = []
    for seed in range(20):
        sleeps = []
        client = GatewayClient(
            base_url=w.BASE_URL,
            secret_key=w.SECRET_KEY,
            sleep=sleeps.append,
            rng=random.Random(seed),
            max_retries=6,
        )
        with pytest.raises(APIConnectionError):
            client.payout_retrieve("po_1")
        assert all(0 <= wait <= ceiling for wait, ceiling in zip(sleeps, ceilings, strict=True))
        runs.append(tuple(sleeps))

    assert len(set(runs)) == len(runs)
    average_first = sum(run[0] for run in runs) / len(runs)
    average_fifth = sum(run[4] for run in runs) / len(runs)
    assert average_fifth > average_first
