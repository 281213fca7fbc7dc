"""Refunds through the gateway: full and partial, followed to the end, made once however often
the task runs, never more than the payment received, and never without the approval of a
treasury supervisor who did not prepare it.
Against the sandbox over real HTTP (a live server)."""

import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from notifications.models import Notification
from payments import refunds as gateway_refunds
from payments import tasks
from payments.gateway import gateway_client
from payments.models import Refund
from payments.states import RefundState as R
from tests.factories import UserFactory
from tests.payments.flow import deliver, sandbox_event, sandbox_post, start, use_sandbox
from tests.payments.support import TOTAL, awaiting_payment
from tests.treasury.refunding import (
    ACCOUNT,
    SUSPENSE,
    at_gateway,
    balance,
    booked,
    fresh,
    officer,
    paid,
    refund_of,
    supervisor,
)
from treasury import refunds
from treasury.models import LedgerEntry
from treasury.states import LedgerKind
from workflows.machine import TransitionRefused
from workflows.models import TransitionLog

# Tasks run eagerly here: `.delay(...).result` is the answer. Not `.get()`: Celery's guard
# against joining inside a task is process-wide, and the live server's thread may be running
# an eager task (a webhook delivery) at that moment.

pytestmark = pytest.mark.django_db(transaction=True)

# Connection refused at once: the gateway is down.
UNREACHABLE = "http://127.0.0.1:9/sandbox/stripe"


@pytest.fixture
def gateway(settings, live_server):
    use_sandbox(settings, live_server)
    return live_server


@pytest.fixture
def maker():
    return officer()


@pytest.fixture
def checker():
    """Approves: a treasury supervisor."""
    return supervisor()


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_a_partial_then_a_full_card_refund(gateway, maker, checker):
    _application, owner, _invoice, payment = paid("card")

    first = refund_of(payment, 500_000, maker=maker, checker=checker)

    assert first.state == R.SUCCEEDED  # a card refund succeeds at once
    # The business is told of the money coming back, once.
    [notice] = Notification.objects.filter(recipient=owner, kind="payment.refunded")
    assert "Rp 500.000" in notice.subject
    assert first.gateway_refund_id.startswith("re_")
    assert first.succeeded_at is not None
    assert at_gateway(payment) == [500_000]
    assert booked(first) == [(ACCOUNT, -500_000)]  # back out of the bill's revenue account
    left = TOTAL - 500_000
    assert refunds.refund_amount_left(payment=payment) == left

    rest = refund_of(payment, left, maker=checker, checker=supervisor())  # roles swap

    assert rest.state == R.SUCCEEDED
    assert at_gateway(payment) == sorted([500_000, left])
    assert balance(payment) == {}  # received and given back: nothing left on the books
    assert LedgerEntry.objects.filter(kind=LedgerKind.REFUND).count() == 2
    with pytest.raises(TransitionRefused) as refused:
        refunds.refund_propose(payment=payment, amount=1, reason="other", note="lagi",
                               actor=maker)
    assert refused.value.code == "amount_nothing_left"


def test_a_bank_transfer_refund_is_pending_until_the_bank_pays_it_back(gateway, maker,
                                                                       checker):
    _application, _owner, _invoice, payment = paid("va")

    refund = refund_of(payment, TOTAL, maker=maker, checker=checker)

    assert refund.state == R.PENDING
    assert booked(refund) == []  # nothing left the city's money yet
    assert tasks.refunds_refresh_pending.delay().result == 0  # the bank has not paid yet
    assert fresh(refund).state == R.PENDING

    sandbox_post(f"test_helpers/refunds/{refund.gateway_refund_id}/settle")
    assert tasks.refunds_refresh_pending.delay().result == 1

    refund = fresh(refund)
    assert refund.state == R.SUCCEEDED
    assert booked(refund) == [(ACCOUNT, -TOTAL)]
    assert tasks.refunds_refresh_pending.delay().result == 0
    assert gateway_refunds.refund_refresh(refund=refund).state == R.SUCCEEDED
    assert booked(refund) == [(ACCOUNT, -TOTAL)]  # booked once


def test_the_gateways_webhooks_follow_a_refund_to_the_end(settings, live_server, client, maker,
                                                          checker):
    use_sandbox(settings, live_server, webhooks=True)  # the sandbox delivers its events to us
    _application, _owner, _invoice, payment = paid("qris")
    refund = refund_of(payment, 700_000, maker=maker, checker=checker)
    assert refund.state == R.PENDING

    sandbox_post(f"test_helpers/refunds/{refund.gateway_refund_id}/settle")

    refund = fresh(refund)  # refund.updated came and was applied: nobody polled
    assert refund.state == R.SUCCEEDED
    assert booked(refund) == [(ACCOUNT, -700_000)]
    # The same event again, delivered late: nothing moves twice.
    settings.PAYMENT_SANDBOX_WEBHOOK_URL = ""
    assert deliver(client, sandbox_event("refund.updated", refund.gateway_refund_id)
                   ).status_code == 200
    assert booked(refund) == [(ACCOUNT, -700_000)]
    assert TransitionLog.objects.filter(content_type=ContentType.objects.get_for_model(Refund),
                                        object_id=refund.pk, transition="succeed").count() == 1


def test_a_gateway_that_does_not_answer_leaves_the_refund_approved_for_later(
        gateway, settings, maker, checker):
    _application, _owner, _invoice, payment = paid("card")
    settings.PAYMENT_GATEWAY_URL = UNREACHABLE

    refund = refund_of(payment, 250_000, maker=maker, checker=checker)

    assert refund.state == R.APPROVED  # not lost: waiting for the gateway
    assert tasks.refunds_refresh_pending.delay().result == 0
    use_sandbox(settings, gateway)  # the gateway is back
    assert tasks.refunds_refresh_pending.delay().result == 1
    assert fresh(refund).state == R.SUCCEEDED
    assert at_gateway(payment) == [250_000]


def test_the_task_run_again_after_a_lost_answer_makes_one_refund_at_the_gateway(
        gateway, settings, maker, checker):
    _application, _owner, _invoice, payment = paid("card")
    settings.PAYMENT_GATEWAY_URL = UNREACHABLE
    refund = refund_of(payment, 300_000, maker=maker, checker=checker)
    use_sandbox(settings, gateway)
    # A first run reached the gateway and was killed before it could apply the answer.
    gateway_client().refund_create(idempotency_key=refund.idempotency_key,
                                   payment_intent=payment.payment_intent_id, amount=300_000,
                                   metadata={"izin_refund": str(refund.pk)})
    assert at_gateway(payment) == [300_000]
    assert fresh(refund).state == R.APPROVED

    assert tasks.refund_send.delay(refund.pk).result == R.SUCCEEDED
    assert tasks.refund_send.delay(refund.pk).result == R.SUCCEEDED  # and delivered twice

    assert at_gateway(payment) == [300_000]
    assert booked(fresh(refund)) == [(ACCOUNT, -300_000)]


def test_more_than_the_payment_received_is_refused(gateway, maker, checker):
    _application, _owner, _invoice, payment = paid("card")

    with pytest.raises(TransitionRefused) as refused:
        refunds.refund_propose(payment=payment, amount=TOTAL + 1, reason="other",
                               note="terlalu banyak", actor=maker)
    assert refused.value.code == "amount_too_much"
    held = refunds.refund_propose(payment=payment, amount=TOTAL - 100_000, reason="other",
                                  note="sebagian", actor=maker)
    # A proposal holds its amount: only Rp 100.000 is left for another.
    with pytest.raises(TransitionRefused) as refused:
        refunds.refund_propose(payment=payment, amount=100_001, reason="other",
                               note="sisanya", actor=checker)
    assert refused.value.code == "amount_too_much"
    for amount in (0, -5, 1.5, "100"):
        with pytest.raises(TransitionRefused):
            refunds.refund_propose(payment=payment, amount=amount, reason="other",
                                   note="salah", actor=checker)
    # Rejecting the proposal frees its amount.
    refunds.refund_reject(refund=held, actor=checker, note="Batal")
    assert refunds.refund_amount_left(payment=payment) == TOTAL
    assert Refund.objects.filter(state=R.PROPOSED).count() == 0
    assert at_gateway(payment) == []


def test_a_payment_that_did_not_succeed_online_cannot_be_refunded(gateway, maker):
    _application, owner, invoice = awaiting_payment()
    payment = start(invoice, owner)  # the page is open; nothing paid

    with pytest.raises(TransitionRefused) as refused:
        refunds.refund_propose(payment=payment, amount=1_000, reason="other", note="x",
                               actor=maker)
    assert refused.value.code == "not_refundable"


def test_the_officer_who_prepared_a_refund_cannot_approve_it(gateway, maker, checker):
    _application, _owner, _invoice, payment = paid("card")
    refund = refunds.refund_propose(payment=payment, amount=100_000, reason="other",
                                    note="Koreksi", actor=maker)

    with pytest.raises(TransitionRefused) as refused:
        refunds.refund_approve(refund=refund, actor=maker)
    assert refused.value.code == "permission_denied"
    for outsider in (UserFactory(), None, officer()):
        with pytest.raises(TransitionRefused):
            refunds.refund_approve(refund=refund, actor=outsider)
    assert fresh(refund).state == R.PROPOSED
    assert at_gateway(payment) == []

    # Nor can the database be talked into it: four eyes are a constraint too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Refund.objects.filter(pk=refund.pk).update(approved_by=maker)
    with pytest.raises(IntegrityError), transaction.atomic():
        Refund.objects.filter(pk=refund.pk).update(state=R.APPROVED)  # nobody approved

    refunds.refund_approve(refund=refund, actor=checker)
    assert fresh(refund).state == R.SUCCEEDED
    assert at_gateway(payment) == [100_000]


def test_a_treasury_officer_who_is_no_supervisor_cannot_approve(gateway, maker):
    """A second officer is not enough: money leaves the city's account on a supervisor's word."""
    _application, _owner, _invoice, payment = paid("card")
    refund = refunds.refund_propose(payment=payment, amount=100_000, reason="other",
                                    note="Koreksi", actor=maker)

    with pytest.raises(TransitionRefused) as refused:
        refunds.refund_approve(refund=refund, actor=officer())

    assert refused.value.code == "permission_denied"
    assert refused.value.message == "Only a treasury supervisor may approve a refund."
    assert fresh(refund).state == R.PROPOSED
    assert at_gateway(payment) == []


def test_a_supervisor_who_prepared_a_refund_cannot_approve_it_another_can(gateway):
    boss, other_boss = supervisor(), supervisor()
    _application, _owner, _invoice, payment = paid("card")
    refund = refunds.refund_propose(payment=payment, amount=100_000, reason="other",
                                    note="Koreksi", actor=boss)

    with pytest.raises(TransitionRefused) as refused:
        refunds.refund_approve(refund=refund, actor=boss)
    assert refused.value.code == "permission_denied"
    assert refused.value.message == ("You prepared this refund: another treasury supervisor "
                                     "must approve it.")
    assert fresh(refund).state == R.PROPOSED

    refunds.refund_approve(refund=refund, actor=other_boss)

    assert (fresh(refund).state, fresh(refund).approved_by) == (R.SUCCEEDED, other_boss)
    assert at_gateway(payment) == [100_000]


def test_a_suggestion_nobody_prepared_cannot_be_approved(gateway, maker):
    _application, _owner, _invoice, payment = paid("card")
    draft = refunds.refund_draft(payment=payment, amount=5_000, reason="other")

    with pytest.raises(TransitionRefused):
        refunds.refund_approve(refund=draft, actor=maker)
    with pytest.raises(IntegrityError), transaction.atomic():
        Refund.objects.filter(pk=draft.pk).update(approved_by=maker)  # prepared by nobody
    assert refunds.refund_draft(payment=payment, amount=5_000, reason="other") == draft


def test_every_step_is_audited(gateway, maker, checker):
    _application, _owner, _invoice, payment = paid("card")
    refund = refund_of(payment, 10_000, maker=maker, checker=checker)

    entries = list(TransitionLog.objects.filter(content_type=ContentType.objects.get_for_model(
        Refund), object_id=refund.pk).order_by("pk").values_list("transition", "target", "actor"))
    assert entries == [("propose", R.DRAFT, maker.pk), ("prepare", R.PROPOSED, maker.pk),
                       ("approve", R.APPROVED, checker.pk), ("succeed", R.SUCCEEDED, None)]


@pytest.mark.postgres
def test_two_runs_at_once_make_one_refund_and_book_it_once(gateway, settings, maker, checker):
    _application, _owner, _invoice, payment = paid("card")
    settings.PAYMENT_GATEWAY_URL = UNREACHABLE
    refund = refund_of(payment, 400_000, maker=maker, checker=checker)
    use_sandbox(settings, gateway)
    connection.close()

    states = at_once(2, lambda: gateway_refunds.refund_send(refund_id=refund.pk).state)

    assert states == [R.SUCCEEDED, R.SUCCEEDED]
    assert at_gateway(payment) == [400_000]
    assert booked(fresh(refund)) == [(ACCOUNT, -400_000)]


@pytest.mark.postgres
def test_two_officers_proposing_at_once_cannot_refund_more_than_was_paid(gateway, maker,
                                                                         checker):
    _application, _owner, _invoice, payment = paid("card")
    connection.close()

    results = at_once(2, lambda officer: refunds.refund_propose(
        payment=payment, amount=TOTAL, reason="other", note="penuh", actor=officer),
        args=[maker, checker])

    assert sorted(type(result).__name__ for result in results) == ["Refund",
                                                                   "TransitionRefused"]
    assert refunds.refund_amount_left(payment=payment) == 0
    assert balance(payment) == {ACCOUNT: TOTAL}
    assert SUSPENSE not in balance(payment)


def at_once(count: int, work, *, args=None) -> list:
    """Run ``work`` in ``count`` threads released together; results or exceptions."""
    barrier = threading.Barrier(count)
    results = []

    def run(*arg):
        try:
            barrier.wait()
            results.append(work(*arg))
        except Exception as error:  # collected and asserted on
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(args[i],) if args else ())
               for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
