"""Matching: links made set-based, each kind of exception found once and cleared when its
condition no longer holds, and the number of queries independent of the volume."""

import threading
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from tests.conftest import on_postgres
from tests.factories import PermitTypeFactory
from tests.treasury import builders as b
from treasury.closing import day_close
from treasury.matching import reconcile
from treasury.models import BankLine, Discrepancy, GatewayTransaction
from treasury.states import DiscrepancyKind as K
from treasury.states import DiscrepancyState
from workflows.models import TransitionLog

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# The day after which a payment of today is overdue for settlement (TREASURY_SETTLEMENT_DAYS).
SETTLED_LATE = TODAY + timedelta(days=4)


def found(kind: str | None = None):
    rows = Discrepancy.objects.all()
    return rows.filter(kind=kind) if kind else rows


def only(kind: str) -> Discrepancy:
    return found(kind).get()


# Links.

def test_a_charge_and_a_refund_belong_to_our_payment_and_refund():
    payment = b.paid(b.bill())
    refund = b.refunded(payment, amount=10_000)
    charge, back = b.charge_of(payment, fee=1_000), b.refund_of(refund)

    counts = reconcile(today=SETTLED_LATE)

    assert (counts["payments_linked"], counts["refunds_linked"]) == (1, 1)
    charge.refresh_from_db()
    back.refresh_from_db()
    assert (charge.payment, back.refund) == (payment, refund)
    assert not found().exists()


def test_a_payout_credit_belongs_to_the_payout_it_names_or_the_one_of_its_amount_and_days():
    named = b.payout(amount=500_000, arrival_date=TODAY - timedelta(days=3))
    by_amount = b.payout(amount=700_000, arrival_date=TODAY - timedelta(days=4))
    naming = b.payout_line(named, booked_on=TODAY)  # late, but it says which payout it is
    plain = b.bank_line(amount=700_000, booked_on=TODAY - timedelta(days=2),
                        description="TRF DARI PT GATEWAY")  # two days after arrival: in time

    assert reconcile(today=TODAY)["bank_lines_linked"] == 2
    assert BankLine.objects.get(pk=naming.pk).payout == named
    assert BankLine.objects.get(pk=plain.pk).payout == by_amount


def test_an_amount_three_days_late_or_shared_by_two_payouts_is_left_to_an_officer():
    late = b.payout(amount=700_000, arrival_date=TODAY - timedelta(days=3))
    b.bank_line(amount=700_000, booked_on=TODAY)  # three days after: outside the window
    twins = [b.payout(amount=900_000, arrival_date=TODAY - timedelta(days=1)) for _ in range(2)]
    b.bank_line(amount=900_000, booked_on=TODAY)  # which of the two? nobody guesses
    lonely = b.payout(amount=300_000, arrival_date=TODAY)
    b.bank_line(amount=300_000, booked_on=TODAY)
    b.bank_line(amount=300_000, booked_on=TODAY)  # two lines for one payout: neither

    assert reconcile(today=TODAY)["bank_lines_linked"] == 0
    assert not BankLine.objects.filter(payout__isnull=False).exists()
    assert found(K.UNMATCHED_BANK_LINE).count() == 4
    assert {late, *twins, lonely}  # still waiting for their lines


def test_a_line_naming_a_payout_with_another_amount_is_not_linked_and_its_evidence_says_so():
    payout = b.payout(amount=500_000, arrival_date=TODAY)
    line = b.payout_line(payout, amount=497_500)  # the bank kept a transfer fee

    reconcile(today=TODAY)

    assert BankLine.objects.get(pk=line.pk).payout is None
    exception = only(K.UNMATCHED_BANK_LINE)
    assert exception.evidence["names_payout"] == payout.payout_id
    assert exception.evidence["payout_amount"] == 500_000
    assert exception.amount == 497_500


def test_a_line_paid_at_the_counter_is_never_a_payouts():
    invoice = b.bill()
    counter = b.counter_payment(invoice, booked_on=TODAY)
    b.payout(amount=invoice.total, arrival_date=TODAY)

    reconcile(today=TODAY)

    assert BankLine.objects.get(pk=counter.bank_line_id).payout is None
    assert not found(K.UNMATCHED_BANK_LINE).exists()


# Each kind, found and cleared.

def test_a_gateway_transaction_of_no_payment_of_ours_until_our_payment_appears():
    stranger = b.transaction_row(amount=80_000, fee=800, source="ch_from_elsewhere")
    reconcile(today=TODAY)
    exception = only(K.UNKNOWN_TRANSACTION)
    assert exception.key == f"unknown_txn:{stranger.txn_id}"
    assert exception.gateway_transaction == stranger
    assert exception.amount == 80_000
    assert exception.evidence.pop("created")  # a moment, as the database writes it
    assert exception.evidence == {
        "transaction": stranger.txn_id, "type": "charge", "gross": 80_000, "fee": 800,
        "net": 79_200, "source": "ch_from_elsewhere", "payout": None}
    assert exception.day == TODAY

    payment = b.paid(b.bill(), charge_id="ch_from_elsewhere")  # its webhook came late
    counts = reconcile(today=TODAY)

    assert counts["cleared"] == 1
    exception.refresh_from_db()
    assert exception.state == DiscrepancyState.CLEARED
    assert GatewayTransaction.objects.get(pk=stranger.pk).payment == payment
    entry = TransitionLog.objects.filter(object_id=exception.pk, transition="clear").get()
    assert entry.actor is None and entry.note


def test_a_payment_the_gateway_has_not_settled_after_the_settlement_days():
    payment = b.paid(b.bill())
    assert reconcile(today=TODAY + timedelta(days=3))["unsettled"] == 0  # still in time
    assert reconcile(today=SETTLED_LATE)["unsettled"] == 1
    exception = only(K.UNSETTLED_PAYMENT)
    assert (exception.payment, exception.invoice) == (payment, payment.invoice)
    assert exception.evidence["charge"] == payment.charge_id
    assert exception.evidence["settle_by"] == (TODAY + timedelta(days=3)).isoformat()

    b.charge_of(payment)
    assert reconcile(today=SETTLED_LATE)["cleared"] == 1
    assert only(K.UNSETTLED_PAYMENT).state == DiscrepancyState.CLEARED


def test_a_refund_of_ours_the_gateway_never_shows():
    payment = b.paid(b.bill())
    b.charge_of(payment)
    refund = b.refunded(payment, amount=20_000)

    reconcile(today=SETTLED_LATE)
    exception = only(K.UNSETTLED_PAYMENT)
    assert exception.key == f"unsettled:refund:{refund.pk}"
    assert exception.evidence["refunded"] == 20_000
    assert exception.amount == 20_000

    b.refund_of(refund)
    reconcile(today=SETTLED_LATE)
    assert only(K.UNSETTLED_PAYMENT).state == DiscrepancyState.CLEARED


@pytest.mark.parametrize(("received", "direction", "given_back"), [
    (b.BILL_TOTAL + 25_000, "over", 25_000),  # the excess, under an SKRDLB
    (b.BILL_TOTAL - 50_000, "under", b.BILL_TOTAL - 50_000),  # all of it
])
def test_a_paid_amount_other_than_the_bill_until_its_refund_succeeds(received, direction,
                                                                      given_back):
    payment = b.paid(b.bill(), amount=received)
    b.charge_of(payment)
    reconcile(today=TODAY)
    exception = only(K.AMOUNT_MISMATCH)
    assert exception.evidence["direction"] == direction
    assert exception.evidence["difference"] == received - b.BILL_TOTAL
    assert exception.evidence["bill_total"] == b.BILL_TOTAL
    assert exception.amount == abs(received - b.BILL_TOTAL)

    b.refunded(payment, amount=given_back - 1)  # not all of it yet
    assert reconcile(today=TODAY)["cleared"] == 0
    b.refunded(payment, amount=1)
    assert reconcile(today=TODAY)["cleared"] == 1
    assert only(K.AMOUNT_MISMATCH).state == DiscrepancyState.CLEARED


def test_a_second_payment_of_a_bill_until_it_is_refunded():
    invoice = b.bill()
    first, second = b.paid(invoice), b.paid(invoice)  # the second finds the bill paid
    b.charge_of(first)
    b.charge_of(second)

    reconcile(today=TODAY)
    exception = only(K.DUPLICATE_PAYMENT)
    assert exception.key == f"duplicate:payment:{second.pk}"
    assert exception.evidence["payments_on_bill"] == 2
    assert exception.amount == second.amount_received

    b.refunded(second, amount=second.amount_received, reason="duplicate")
    reconcile(today=TODAY)
    assert only(K.DUPLICATE_PAYMENT).state == DiscrepancyState.CLEARED


def test_a_bill_paid_online_and_then_at_the_counter():
    invoice = b.bill()
    b.charge_of(b.paid(invoice))
    counter = b.counter_payment(invoice, booked_on=TODAY)

    reconcile(today=TODAY)
    exception = only(K.DUPLICATE_PAYMENT)
    assert exception.key == f"duplicate:counter:{counter.pk}"
    assert exception.bank_line_id == counter.bank_line_id
    assert exception.evidence["counter_payment"] == counter.pk


def test_an_underpayment_followed_by_a_full_payment_makes_the_underpayment_the_extra():
    invoice = b.bill()
    short = b.paid(invoice, amount=100_000)
    full = b.paid(invoice)
    for payment in (short, full):
        b.charge_of(payment)

    reconcile(today=TODAY)

    assert only(K.DUPLICATE_PAYMENT).payment == short
    assert only(K.AMOUNT_MISMATCH).payment == short


def test_a_payout_whose_transactions_do_not_add_up_until_the_rest_is_pulled():
    payout = b.payout(amount=300_000, arrival_date=TODAY)
    b.transaction_row(amount=200_000, fee=2_000, payout=payout, source="ch_a")
    b.payout_line(payout)

    reconcile(today=TODAY)
    exception = only(K.PAYOUT_MISMATCH)
    assert exception.evidence["transactions_net"] == 198_000
    assert exception.evidence["difference"] == 102_000
    assert exception.payout == payout

    b.transaction_row(amount=103_000, fee=1_000, payout=payout, source="ch_b")
    reconcile(today=TODAY)
    assert only(K.PAYOUT_MISMATCH).state == DiscrepancyState.CLEARED


def test_a_payout_not_yet_pulled_whole_or_failed_is_not_checked_against_its_sum():
    b.payout(amount=300_000, arrival_date=TODAY, pulled=False)
    b.payout(amount=300_000, arrival_date=TODAY, status="failed")
    reconcile(today=TODAY)
    assert not found(K.PAYOUT_MISMATCH).exists()


def test_a_bank_line_of_no_payout_credit_or_debit_until_its_payout_arrives():
    fee = b.bank_line(amount=-6_500, booked_on=TODAY, description="BIAYA ADM")
    early = b.bank_line(amount=400_000, booked_on=TODAY, description="IZIN PAYOUT po_soon")

    reconcile(today=TODAY)
    assert {row.bank_line for row in found(K.UNMATCHED_BANK_LINE)} == {fee, early}
    assert found(K.UNMATCHED_BANK_LINE).get(bank_line=fee).amount == 6_500

    b.payout(amount=400_000, arrival_date=TODAY, payout_id="po_soon")  # pulled an hour later
    assert reconcile(today=TODAY)["cleared"] == 1
    assert found(K.UNMATCHED_BANK_LINE).get(bank_line=early).state == DiscrepancyState.CLEARED


def test_a_payout_never_in_the_bank_once_the_statements_go_past_its_window():
    payout = b.payout(amount=500_000, arrival_date=TODAY - timedelta(days=5))
    b.bank_line(amount=-6_500, booked_on=TODAY - timedelta(days=3))  # within the window
    reconcile(today=TODAY)
    assert not found(K.PAYOUT_NOT_IN_BANK).exists()  # the statements may still be coming

    b.bank_line(amount=-6_500, booked_on=TODAY - timedelta(days=2))  # past it
    reconcile(today=TODAY)
    exception = only(K.PAYOUT_NOT_IN_BANK)
    assert exception.evidence["expected_by"] == (TODAY - timedelta(days=3)).isoformat()
    assert exception.day == TODAY - timedelta(days=5)

    b.payout_line(payout, booked_on=TODAY - timedelta(days=1))  # found in a later statement
    reconcile(today=TODAY)
    assert only(K.PAYOUT_NOT_IN_BANK).state == DiscrepancyState.CLEARED


def test_a_late_find_lands_in_the_first_open_day():
    yesterday = TODAY - timedelta(days=1)
    day_close(day=yesterday, actor=b.officer())
    b.bank_line(amount=-6_500, booked_on=yesterday)

    reconcile(today=TODAY)

    exception = only(K.UNMATCHED_BANK_LINE)
    assert exception.day == TODAY
    assert exception.evidence["booked_on"] == yesterday.isoformat()


# Idempotent and set-based.

def a_bit_of_everything(count: int, permit_type) -> None:
    """``count`` rows of every path matching takes."""
    payout = b.payout(amount=0, arrival_date=TODAY)
    for number in range(count):
        linked = b.paid(b.bill(permit_type))
        b.charge_of(linked, payout=payout)
        b.paid(linked.invoice)  # a second payment, never settled: duplicate and unsettled
        b.paid(b.bill(permit_type), amount=100_000)  # under-paid, never settled
        b.transaction_row(amount=5_000, source=f"ch_unknown_{number}", payout=payout)
        b.payout_line(b.payout(amount=1_000 + number, arrival_date=TODAY))
        b.bank_line(amount=-(100 + number), booked_on=TODAY)
        b.payout(amount=2_000 + number, arrival_date=TODAY - timedelta(days=9))
    b.bank_line(amount=1, booked_on=TODAY)  # the statements go on


def test_matching_twice_adds_nothing():
    a_bit_of_everything(2, PermitTypeFactory(paid_after_approval=True))
    first = reconcile(today=SETTLED_LATE)
    assert all(first[kind] for kind in K.values)
    rows, entries = found().count(), TransitionLog.objects.count()

    again = reconcile(today=SETTLED_LATE)

    assert set(again.values()) == {0}
    assert (found().count(), TransitionLog.objects.count()) == (rows, entries)


# What a reconcile run takes, whatever the volume (counted with 5 rows of each): per linking
# step one UPDATE; per rule one INSERT … SELECT; the first history entries and a look at closed
# days; per rule one SELECT of what clears. PostgreSQL adds its advisory lock and a setting.
MAX_QUERIES = 46 if on_postgres() else 44


@pytest.mark.parametrize("count", [5, 50])
def test_the_number_of_queries_does_not_grow_with_the_rows(count, django_assert_max_num_queries):
    a_bit_of_everything(count, PermitTypeFactory(paid_after_approval=True))
    ContentType.objects.get_for_model(Discrepancy)  # cached for the process: not part of a run
    with django_assert_max_num_queries(MAX_QUERIES):
        counts = reconcile(today=SETTLED_LATE)
    assert counts["payments_linked"] == count
    assert counts["unknown_txn"] == counts["duplicate"] == count
    assert counts["unsettled"] == 2 * count
    assert counts["bank_line"] == count + 1  # the debits, and the last line
    assert counts["payout_bank"] == count


# On PostgreSQL, the production database.

@pytest.mark.postgres
def test_every_kind_is_found_and_cleared_on_postgresql():
    a_bit_of_everything(3, PermitTypeFactory(paid_after_approval=True))
    counts = reconcile(today=SETTLED_LATE)
    assert counts["payments_linked"] == 3 and counts["bank_lines_linked"] == 3
    assert all(counts[kind] for kind in K.values)
    for exception in found(K.UNKNOWN_TRANSACTION):
        b.paid(b.bill(), charge_id=exception.gateway_transaction.source)
    assert reconcile(today=SETTLED_LATE)["cleared"] == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_link_each_line_once_and_find_each_exception_once():
    for number in range(20):
        b.payout_line(b.payout(amount=10_000 + number, arrival_date=TODAY))
        b.bank_line(amount=-(100 + number), booked_on=TODAY)
    results, errors = [], []

    def run():
        try:
            results.append(reconcile(today=TODAY))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert sorted(result["bank_lines_linked"] for result in results) == [0, 20]
    assert sorted(result["bank_line"] for result in results) == [0, 20]
    assert found(K.UNMATCHED_BANK_LINE).count() == 20
