"""Requests at the same moment, on PostgreSQL (row locks and unique indexes for real)."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
import requests
import stripe
from django.db import connection

from payments.sandbox import ledger
from payments.sandbox.models import Charge, CheckoutSession, Payout

from .conftest import SECRET_KEY, session_params

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 8


def at_once(work):
    """Run ``work(http)`` in THREADS threads released together, each with its own HTTP session;
    return results or exceptions."""
    barrier = Barrier(THREADS)

    def run(_):
        http = requests.Session()
        barrier.wait()
        try:
            return work(http)
        except Exception as error:  # collected and asserted on
            return error
        finally:
            # A kept-alive socket would keep the live server's thread, and its database
            # connection, open past the test.
            http.close()
            connection.close()

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(run, range(THREADS)))


def client_for(live_server, http):
    return stripe.StripeClient(
        SECRET_KEY, max_network_retries=0,
        base_addresses={"api": live_server.url + "/sandbox/stripe"},
        http_client=stripe.RequestsClient(session=http),
    )


@pytest.fixture
def http():
    session = requests.Session()
    yield session
    session.close()


def test_one_idempotency_key_sent_at_once_creates_one_session(live_server):
    results = at_once(lambda http: client_for(live_server, http).v1.checkout.sessions.create(
        session_params(), {"idempotency_key": "invoice:99:checkout:1"}))

    assert all(isinstance(result, stripe.checkout.Session) for result in results), results
    assert len({result.id for result in results}) == 1
    assert CheckoutSession.objects.count() == 1


def test_paying_one_session_at_once_charges_it_once(live_server, http):
    gateway = client_for(live_server, http)
    session = gateway.v1.checkout.sessions.create(session_params())

    results = at_once(lambda http: client_for(live_server, http).v1.payment_intents.confirm(
        session.payment_intent, {"payment_method": "pm_card_visa"}))

    succeeded = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, stripe.InvalidRequestError)]
    assert len(succeeded) == 1 and len(refused) == THREADS - 1, results
    assert {r.code for r in refused} == {"checkout_session_complete"}
    assert Charge.objects.filter(status="succeeded").count() == 1


def test_payouts_run_at_once_pay_out_the_day_once(live_server, http):
    gateway = client_for(live_server, http)
    for _ in range(3):
        session = gateway.v1.checkout.sessions.create(session_params())
        gateway.v1.payment_intents.confirm(session.payment_intent,
                                           {"payment_method": "pm_card_visa"})

    results = at_once(lambda _: ledger.payouts_for_day())

    assert sum(len(result) for result in results) == 1, results
    payout = Payout.objects.get()
    assert payout.balance_transactions.count() == 3
