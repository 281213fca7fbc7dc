"""Balance transactions with the configured fees, and daily payouts that group them."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from payments.sandbox import checkout, ledger, refunds, shapes, tasks
from payments.sandbox.events import Origin
from payments.sandbox.models import BalanceTransaction, CheckoutSession, Event, Payout

from .conftest import AUTH, form_body, session_params

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_session(client):
    def create(**overrides):
        response = client.post("/sandbox/stripe/v1/checkout/sessions",
                               form_body(session_params(**overrides)),
                               content_type="application/x-www-form-urlencoded", **AUTH)
        return response.json()["id"]

    return create


def one_line(amount: int) -> list[dict]:
    return [{"price_data": {"currency": "idr", "unit_amount": amount,
                            "product_data": {"name": "Retribusi"}}, "quantity": 1}]


def paid(session_id: str, method: str = "card") -> BalanceTransaction:
    if method == "card":
        checkout.checkout_session_pay_card(session_id=session_id, card_number="4242424242424242")
    else:
        checkout.checkout_session_pay_async(session_id=session_id, method=method, bank="bri")
        intent_id = CheckoutSession.objects.get(pk=session_id).payment_intent_id
        checkout.payment_intent_simulate_payment(intent_id=intent_id)
    charge = CheckoutSession.objects.get(pk=session_id).payment_intent.latest_charge
    return charge.balance_transaction


@pytest.mark.parametrize(("method", "fee"), [
    ("card", 4_350_000 + 200_000),  # 2.9 % of Rp 1.500.000 + Rp 2.000
    ("va", 400_000),  # a flat Rp 4.000
    ("qris", 1_050_000),  # 0.7 %
])
def test_each_payment_has_a_charge_transaction_with_its_methods_fee(new_session, method, fee):
    txn = paid(new_session(), method)

    assert txn.type == "charge" and txn.amount == 150_000_000
    assert (txn.fee, txn.net) == (fee, 150_000_000 - fee)


def test_percent_fees_round_to_a_whole_rupiah():
    # 0.7 % of Rp 12.345 is Rp 86,415: Rp 86 on the wire as 8 600.
    assert ledger.fee_for(method="qris", amount=1_234_500, currency="idr") == 8_600
    assert ledger.fee_for(method="qris", amount=1_235_800, currency="idr") == 8_700  # 86,506


def test_the_fee_schedule_comes_from_settings(new_session, settings):
    settings.PAYMENT_SANDBOX_FEE_PERCENT = {"card": "1.5"}
    settings.PAYMENT_SANDBOX_FEE_FIXED = {"card": 100_000}

    txn = paid(new_session())

    assert txn.fee == 2_250_000 + 100_000


def test_funds_are_pending_until_the_configured_delay_passes(new_session, settings):
    settings.PAYMENT_SANDBOX_BALANCE_DELAY_HOURS = 48
    txn = paid(new_session())

    assert shapes.balance_transaction(txn)["status"] == "pending"
    assert txn.available_on - txn.created == timedelta(hours=48)
    assert ledger.payouts_for_day() == []

    in_three_days = timezone.now() + timedelta(days=3)
    [payout] = ledger.payouts_for_day(now=in_three_days)
    assert payout.for_date == timezone.localdate(in_three_days)
    assert list(payout.balance_transactions.all()) == [txn]


def test_a_payout_groups_the_days_available_transactions_once(new_session):
    first, second = paid(new_session()), paid(new_session(), "va")
    refund = refunds.refund_create(
        fields={"payment_intent": first.charge.payment_intent_id, "amount": 30_000_000,
                "metadata": {}, "reason": ""},
        origin=Origin(),
    )

    [payout] = ledger.payouts_for_day()

    grouped = set(payout.balance_transactions.all())
    assert grouped == {first, second, refund.balance_transaction}
    assert payout.amount == first.net + second.net - 30_000_000
    assert payout.id.startswith("po_") and payout.status == "paid"
    assert payout.arrival_date == timezone.localdate()
    paid_events = Event.objects.filter(type="payout.paid")
    assert [event.data["object"]["id"] for event in paid_events] == [payout.id]

    assert ledger.payouts_for_day() == []  # the same day again: nothing new
    late = paid(new_session())
    assert ledger.payouts_for_day() == []  # paid after today's payout: waits for tomorrow
    assert Payout.objects.count() == 1 and Event.objects.filter(type="payout.paid").count() == 1

    [tomorrows] = ledger.payouts_for_day(now=timezone.now() + timedelta(days=1))
    assert list(tomorrows.balance_transactions.all()) == [late]


def test_refunds_that_outweigh_payments_wait_for_more(new_session):
    txn = paid(new_session())
    [first] = ledger.payouts_for_day()
    refunds.refund_create(
        fields={"payment_intent": txn.charge.payment_intent_id, "amount": None, "metadata": {},
                "reason": ""},
        origin=Origin(),
    )

    assert ledger.payouts_for_day(now=timezone.now() + timedelta(days=1)) == []
    assert first.amount == txn.net
    assert BalanceTransaction.objects.filter(payout__isnull=True, type="refund").count() == 1


def test_the_payout_command_and_task(new_session):
    paid(new_session())
    out = StringIO()
    call_command("sandbox_payout", stdout=out)
    assert out.getvalue().startswith("po_")

    call_command("sandbox_payout", stdout=out)
    assert "Nothing to pay out." in out.getvalue()
    assert tasks.pay_out_day.delay(timezone.localdate().isoformat()).get() == []
    assert Payout.objects.count() == 1
