"""The time budget of an interactive client (a web request's): every attempt's timeouts fit in
what is left of it, a wait that would leave too little for the next attempt is not taken, and
calls of one client share it. Time is a fake clock that the gateway's answers and the client's
waits move forward; nothing sleeps."""

import json
import random

import pytest
import requests

from payments.gateway.client import (
    CONNECT_TIMEOUT,
    MAX_RETRIES,
    MIN_ATTEMPT_SECONDS,
    READ_TIMEOUT,
    GatewayClient,
)
from payments.gateway.errors import (
    APIConnectionError,
    APIError,
    BudgetExhaustedError,
    InvalidRequestError,
)

from . import wire as w

SESSIONS = f"{w.API}/checkout/sessions"
SESSION = f"{SESSIONS}/cs_test_a1"
BUDGET = 8.0


class Clock:
    """Monotonic seconds, moved only by the gateway's answers and the client's waits."""

    def __init__(self):
        self.now = 1_000.0
        self.waits = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


class _TopOfRange(random.Random):
    """Always draws the top of the jitter range: the first wait is 0.5 s, then 1 s, 2 s."""

    def random(self):
        return 1.0


@pytest.fixture
def clock():
    return Clock()


def _client(clock, budget=BUDGET):
    return GatewayClient(base_url=w.BASE_URL, secret_key=w.SECRET_KEY, sleep=clock.sleep,
                         rng=_TopOfRange(), budget=budget, clock=clock)


def _limits(call):
    """(total, connect, read) of a recorded request's timeout."""
    timeout = call.request.req_kwargs["timeout"]
    return timeout.total, timeout.connect_timeout, timeout.read_timeout


def _slow(clock, seconds, answer):
    """A gateway that takes ``seconds`` to give ``answer``, a (status, json) pair. Longer than
    the request's read timeout, the read times out at that timeout instead."""

    def reply(request):
        timeout = request.req_kwargs["timeout"]
        read = timeout[1] if isinstance(timeout, tuple) else timeout.read_timeout
        if seconds > read:
            clock.now += read
            return requests.ReadTimeout()
        clock.now += seconds
        status, body = answer
        return status, {}, json.dumps(body)

    return reply


def test_the_first_attempt_gets_the_whole_budget_cut_to_the_client_timeouts(clock, wire):
    wire.post(SESSIONS, json=w.checkout_session())

    w.create_session(_client(clock))

    assert _limits(wire.calls[0]) == (BUDGET, CONNECT_TIMEOUT, BUDGET)


def test_a_retry_gets_only_what_is_left_after_the_answer_and_the_wait(clock, wire):
    wire.add_callback("POST", SESSIONS, callback=_slow(
        clock, 3, (503, w.error("api_error", "Busy."))))
    wire.add_callback("POST", SESSIONS, callback=_slow(clock, 0.2, (200, w.checkout_session())))

    assert w.create_session(_client(clock)).id == "cs_test_a1"

    assert clock.waits == [0.5]
    assert _limits(wire.calls[1]) == (4.5, 4.5, 4.5)  # 8 - 3 (the 503) - 0.5 (the wait)


def test_a_gateway_answering_in_15_seconds_is_given_up_on_when_the_budget_runs_out(clock, wire):
    """As measured: four 10 s read timeouts took 30.6 s; with the budget it is one of 8 s."""
    wire.add_callback("POST", SESSIONS, callback=_slow(clock, 15, (200, w.checkout_session())))
    started = clock.now

    with pytest.raises(BudgetExhaustedError) as raised:
        w.create_session(_client(clock))

    assert clock.now - started <= BUDGET
    assert len(wire.calls) == 1
    assert clock.waits == []
    assert isinstance(raised.value, APIConnectionError)  # the attempt stays, as after any timeout
    assert isinstance(raised.value.__cause__, requests.ReadTimeout)


def test_without_a_budget_the_same_gateway_gets_every_retry(clock, wire):
    for _attempt in range(MAX_RETRIES + 1):
        wire.add_callback("POST", SESSIONS, callback=_slow(clock, 15, (200, w.checkout_session())))
    started = clock.now

    with pytest.raises(APIConnectionError) as raised:
        w.create_session(_client(clock, budget=None))

    assert not isinstance(raised.value, BudgetExhaustedError)
    assert [call.request.req_kwargs["timeout"] for call in wire.calls] == [
        (CONNECT_TIMEOUT, READ_TIMEOUT)
    ] * (MAX_RETRIES + 1)
    assert clock.now - started == (MAX_RETRIES + 1) * READ_TIMEOUT + sum(clock.waits)
    assert len(clock.waits) == MAX_RETRIES


def test_a_wait_that_would_leave_too_little_for_another_attempt_is_not_taken(clock, wire):
    # 503 after 7 s: 1 s left, and the 0.5 s wait would leave less than an attempt needs.
    wire.add_callback("POST", SESSIONS, callback=_slow(
        clock, 7, (503, w.error("api_error", "Busy."))))

    with pytest.raises(BudgetExhaustedError) as raised:
        w.create_session(_client(clock))

    assert len(wire.calls) == 1
    assert clock.waits == []
    assert raised.value.http_status == 503
    assert isinstance(raised.value.__cause__, APIError)


def test_when_the_wait_fits_the_retry_is_made(clock, wire):
    # 503 after 6 s: 2 s left; after the 0.5 s wait 1.5 s, enough for an attempt.
    assert BUDGET - 6 - 0.5 >= MIN_ATTEMPT_SECONDS
    wire.add_callback("POST", SESSIONS, callback=_slow(
        clock, 6, (503, w.error("api_error", "Busy."))))
    wire.add_callback("POST", SESSIONS, callback=_slow(clock, 0.1, (200, w.checkout_session())))

    assert w.create_session(_client(clock)).id == "cs_test_a1"
    assert _limits(wire.calls[1]) == (1.5, 1.5, 1.5)


def test_the_calls_of_one_client_share_its_budget(clock, wire):
    wire.add_callback("GET", SESSION, callback=_slow(clock, 7.5, (200, w.checkout_session())))
    client = _client(clock)
    client.checkout_session_retrieve("cs_test_a1")

    with pytest.raises(BudgetExhaustedError):
        client.payment_intent_retrieve("pi_test_a1")

    assert len(wire.calls) == 1  # the second call was not even sent


def test_a_refusal_is_raised_as_it_is_whatever_the_budget(clock, wire):
    wire.post(SESSIONS, status=400, json=w.error("invalid_request_error", "Bad amount."))

    with pytest.raises(InvalidRequestError):
        w.create_session(_client(clock))

    assert len(wire.calls) == 1
