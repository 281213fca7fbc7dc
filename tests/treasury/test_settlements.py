"""Pulling the gateway's settlements: payouts and their balance transactions, from the sandbox
gateway over real HTTP (a live server). The same settlement pulled twice adds nothing; lists
longer than one page are paged through; a pull cut off half-way is finished by the next."""

from datetime import datetime, time, timedelta

import pytest
import requests
from django.conf import settings as django_settings
from django.db.models import Sum
from django.utils import timezone

from payments import payment_services
from payments.gateway.client import GatewayClient
from payments.gateway.errors import APIConnectionError
from payments.models import Payment
from payments.sandbox import ledger
from payments.sandbox.models import BalanceTransaction as SandboxTransaction
from payments.sandbox.models import Payout as SandboxPayout
from payments.sandbox.models import new_id
from tests.payments.flow import pay_by_card, start, use_sandbox
from tests.payments.support import TOTAL, awaiting_payment
from treasury.models import GatewayPayout, GatewayTransaction
from treasury.settlements import SettlementPull, settlements_pull

# Tasks run eagerly here: `.delay(...).result` is the answer. Not `.get()`: Celery's guard
# against joining inside a task is process-wide, and the live server's thread may be running
# an eager task (a webhook delivery) at that moment.


@pytest.fixture
def gateway(settings, live_server):
    use_sandbox(settings, live_server)
    return live_server


def card_payment() -> Payment:
    """A bill paid by card at the sandbox, confirmed in Izin (its charge id recorded)."""
    _application, owner, invoice = awaiting_payment()
    payment = start(invoice, owner)
    pay_by_card(payment)
    return payment_services.payment_refresh(payment=payment)


def gateway_charges(count: int, *, day, amount: int = 150_000) -> list[SandboxTransaction]:
    """The gateway's own records of ``count`` card charges available on ``day`` (set-up of the
    gateway's side only: Izin reads them over HTTP like any other)."""
    at = timezone.make_aware(datetime.combine(day, time(0)))
    fee = 2_000
    return SandboxTransaction.objects.bulk_create([
        SandboxTransaction(id=new_id("txn_"), type="charge", amount=amount * 100,
                           fee=fee * 100, net=(amount - fee) * 100, currency="idr",
                           source=new_id("ch_"), method="card", created=at + timedelta(seconds=i),
                           available_on=at)
        for i in range(count)
    ])


def pay_out(day) -> None:
    """The gateway's payout of ``day``, made in that day's evening."""
    evening = timezone.make_aware(datetime.combine(day, time(22)))
    [payout] = ledger.payouts_for_day(day=day, now=evening + timedelta(hours=3))
    SandboxPayout.objects.filter(pk=payout.pk).update(created=evening)


class DropsAfter(requests.Session):
    """A network that carries ``left`` requests to the gateway, then drops the connection: a
    pull stopped half-way, as a killed worker or an outage would stop it."""

    def __init__(self, left: int):
        super().__init__()
        self.left = left

    def request(self, *args, **kwargs):
        if self.left == 0:
            raise requests.ConnectionError("connection dropped")
        self.left -= 1
        return super().request(*args, **kwargs)


def client_cut_after(requests_left: int) -> GatewayClient:
    return GatewayClient(base_url=django_settings.PAYMENT_GATEWAY_URL,
                         secret_key=django_settings.PAYMENT_GATEWAY_SECRET_KEY,
                         session=DropsAfter(requests_left), max_retries=0)


def test_the_same_settlement_pulled_twice_adds_nothing(gateway):
    payments = [card_payment(), card_payment()]
    [payout] = ledger.payouts_for_day(now=timezone.now())

    first = settlements_pull()

    assert first == SettlementPull(payouts_seen=1, payouts_added=1, payouts_completed=1,
                                   transactions_added=2)
    ours = GatewayPayout.objects.get()
    assert ours.payout_id == payout.id
    assert ours.amount == payout.amount // 100 and ours.transactions_pulled_at is not None
    assert ours.arrival_date == payout.arrival_date
    rows = GatewayTransaction.objects.filter(payout=ours)
    assert sorted(rows.values_list("source", flat=True)) == sorted(p.charge_id for p in payments)
    assert all(row.amount == TOTAL and row.net == row.amount - row.fee > 0 for row in rows)
    assert rows.aggregate(net=Sum("net"))["net"] == ours.amount

    second = settlements_pull()

    assert second == SettlementPull(payouts_seen=1, payouts_added=0, payouts_completed=0,
                                    transactions_added=0)
    assert GatewayPayout.objects.count() == 1 and GatewayTransaction.objects.count() == 2


def test_a_later_payout_is_added_beside_the_ones_pulled_before(gateway):
    card_payment()
    ledger.payouts_for_day(now=timezone.now())
    settlements_pull()
    gateway_charges(3, day=timezone.localdate() + timedelta(days=1))

    pay_out(timezone.localdate() + timedelta(days=1))
    report = settlements_pull()

    assert (report.payouts_seen, report.payouts_added, report.transactions_added) == (2, 1, 3)
    assert GatewayTransaction.objects.count() == 4


def test_lists_longer_than_a_page_are_paged_through(gateway):
    # The client asks for 100 per page (the gateway's maximum): 102 payouts are two pages of
    # payouts, and a payout of 150 transactions two pages of transactions.
    first_day = timezone.localdate() - timedelta(days=200)
    for offset in range(101):
        day = first_day + timedelta(days=offset)
        gateway_charges(1, day=day)
        pay_out(day)
    big_day = first_day + timedelta(days=150)
    gateway_charges(150, day=big_day)
    pay_out(big_day)

    report = settlements_pull()

    assert report == SettlementPull(payouts_seen=102, payouts_added=102, payouts_completed=102,
                                    transactions_added=251)
    big = GatewayPayout.objects.get(arrival_date=big_day)
    assert big.transactions.count() == 150
    assert big.transactions.aggregate(net=Sum("net"))["net"] == big.amount == 150 * 148_000
    assert not GatewayPayout.objects.filter(transactions_pulled_at__isnull=True).exists()
    assert settlements_pull().transactions_added == 0


@pytest.mark.parametrize(("requests_carried", "written_before", "completed_before"), [
    (2, 100, 0),  # cut between the two pages of the first payout's transactions
    (3, 150, 1),  # cut after the first payout, before the second's transactions
])
def test_a_pull_cut_off_half_way_is_finished_by_the_next(gateway, requests_carried,
                                                         written_before, completed_before):
    yesterday = timezone.localdate() - timedelta(days=1)
    gateway_charges(150, day=yesterday)
    pay_out(yesterday)
    gateway_charges(1, day=timezone.localdate())
    pay_out(timezone.localdate())

    with pytest.raises(APIConnectionError):
        settlements_pull(client=client_cut_after(requests_carried))

    assert GatewayPayout.objects.count() == 2
    assert GatewayTransaction.objects.count() == written_before
    complete = GatewayPayout.objects.filter(transactions_pulled_at__isnull=False)
    assert complete.count() == completed_before

    report = settlements_pull()

    assert report.payouts_added == 0
    assert report.payouts_completed == 2 - completed_before
    assert report.transactions_added == 151 - written_before
    assert GatewayTransaction.objects.count() == 151
    assert set(GatewayTransaction.objects.values_list("txn_id", flat=True)) == set(
        SandboxTransaction.objects.values_list("id", flat=True))
    assert not GatewayPayout.objects.filter(transactions_pulled_at__isnull=True).exists()


def test_a_payout_whose_status_changed_at_the_gateway_follows_it(gateway):
    card_payment()
    [payout] = ledger.payouts_for_day(now=timezone.now())
    settlements_pull()
    payout.status = "failed"
    payout.save(update_fields=["status"])

    settlements_pull()

    assert GatewayPayout.objects.get().status == "failed"
    assert GatewayTransaction.objects.count() == 1


def test_the_task_pulls_then_matches_and_runs_twice_harmlessly(gateway):
    from treasury.tasks import settlements_pull as task

    payment = card_payment()
    ledger.payouts_for_day(now=timezone.now())

    first = task.delay().result
    second = task.delay().result

    assert first["pulled"]["transactions_added"] == 1
    assert second["pulled"]["transactions_added"] == 0
    assert GatewayTransaction.objects.get().payment == payment
