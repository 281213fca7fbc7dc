"""The treasury's offered choices match what the rules accept: for every kind of exception, in
every situation its rules tell apart, and in every state, the resolutions (and the manual
match's targets) on the exception's page are exactly those the services accept. Each is tried
through the service and undone; what the page renders is read from its form inputs, so a
choice shown but disabled counts as offered."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from payments.models import Payment
from payments.states import RefundReason
from tests.portal import in_english, post
from tests.treasury import builders as b
from treasury.counter import counter_payment_propose
from treasury.exceptions import exception_propose, exception_resolve
from treasury.matching import reconcile
from treasury.models import BankLine, Discrepancy, GatewayPayout
from treasury.refunds import refund_approve, refund_propose
from treasury.resolutions import MATCH_FIELD, RESOLUTIONS, resolutions_allowed
from treasury.states import NEEDS_CHECKER, Resolution
from treasury.states import DiscrepancyKind as K
from treasury.states import DiscrepancyState as S
from workflows.machine import TransitionRefused

TODAY = timezone.localdate()
LATER = TODAY + timedelta(days=4)  # past the settlement days: unsettled payments show
E, REFUND, WRITE_OFF, MATCH = (Resolution.EXPLAINED, Resolution.REFUND, Resolution.WRITE_OFF,
                               Resolution.MANUAL_MATCH)
TARGETS = {"match_payment": Payment, "match_payout": GatewayPayout, "match_bank_line": BankLine}


def found(kind: str) -> Discrepancy:
    reconcile(today=LATER)
    return Discrepancy.objects.get(kind=kind)


# The situations, one per line of the rules.

def unknown_charge_and_a_payment_waiting_for_it():
    payment = b.paid(b.bill())
    b.transaction_row(amount=payment.amount_received, source="ch_renamed")
    return found(K.UNKNOWN_TRANSACTION)


def unknown_charge_and_no_payment_waiting():
    b.transaction_row(amount=80_000, source="ch_from_elsewhere")
    return found(K.UNKNOWN_TRANSACTION)


def unknown_refund_at_the_gateway():
    b.paid(b.bill())  # waiting for its charge: still, only a charge is matched to a payment
    b.transaction_row(amount=-50_000, type="refund", source="re_from_elsewhere")
    return found(K.UNKNOWN_TRANSACTION)


def unsettled_payment():
    b.paid(b.bill())
    return found(K.UNSETTLED_PAYMENT)


def _underpaid():
    payment = b.paid(b.bill(), amount=b.BILL_TOTAL - 2_000)
    b.charge_of(payment)
    return payment


def underpaid():
    _underpaid()
    return found(K.AMOUNT_MISMATCH)


def underpaid_and_its_refund_proposed():
    payment = _underpaid()
    refund_propose(payment=payment, amount=payment.amount_received,
                   reason=RefundReason.UNDERPAYMENT, note="All of it back", actor=b.officer())
    return found(K.AMOUNT_MISMATCH)


def underpaid_and_its_refund_approved():
    payment = _underpaid()
    refund = refund_propose(payment=payment, amount=payment.amount_received,
                            reason=RefundReason.UNDERPAYMENT, note="All of it back",
                            actor=b.officer())
    refund_approve(refund=refund, actor=b.supervisor())  # the gateway not asked yet: on commit
    return found(K.AMOUNT_MISMATCH)


def underpaid_then_paid_in_full():
    invoice = b.bill()
    b.charge_of(b.paid(invoice, amount=b.BILL_TOTAL - 2_000))
    b.charge_of(b.paid(invoice))  # the bill is paid: the short payment cannot settle it
    return found(K.AMOUNT_MISMATCH)


def _overpaid():
    payment = b.paid(b.bill(), amount=b.BILL_TOTAL + 25_000)
    b.charge_of(payment)
    return payment


def overpaid():
    _overpaid()
    return found(K.AMOUNT_MISMATCH)


def overpaid_and_its_refund_proposed():
    refund_propose(payment=_overpaid(), amount=25_000, reason=RefundReason.OTHER,
                   note="The excess", actor=b.officer())
    return found(K.AMOUNT_MISMATCH)


def _paid_twice():
    invoice = b.bill()
    first, second = b.paid(invoice), b.paid(invoice)
    b.charge_of(first)
    b.charge_of(second)
    return second


def paid_twice_online():
    _paid_twice()
    return found(K.DUPLICATE_PAYMENT)


def paid_twice_online_and_the_second_refund_proposed():
    second = _paid_twice()
    refund_propose(payment=second, amount=second.amount_received,
                   reason=RefundReason.DUPLICATE, note="Paid twice", actor=b.officer())
    return found(K.DUPLICATE_PAYMENT)


def paid_online_then_at_the_counter():
    invoice = b.bill()
    b.charge_of(b.paid(invoice))
    b.counter_payment(invoice, booked_on=TODAY)
    return found(K.DUPLICATE_PAYMENT)


def payout_short_of_its_transactions():
    payout = b.payout(amount=300_000, arrival_date=TODAY)
    b.transaction_row(amount=300_500, fee=1_000, payout=payout, source="ch_x")
    b.payout_line(payout)
    return found(K.PAYOUT_MISMATCH)


def _payout_waiting(amount: int = 480_000):
    return b.payout(amount=amount, arrival_date=TODAY - timedelta(days=9), pulled=False)


def bank_credit_and_a_payout_waiting():
    _payout_waiting()
    b.bank_line(amount=480_000, booked_on=TODAY)
    return found(K.UNMATCHED_BANK_LINE)


def bank_credit_and_no_payout_waiting():
    b.bank_line(amount=480_000, booked_on=TODAY)
    return found(K.UNMATCHED_BANK_LINE)


def bank_charge():
    _payout_waiting()
    b.bank_line(amount=-6_500, booked_on=TODAY, description="BIAYA ADM")
    return found(K.UNMATCHED_BANK_LINE)


def bank_credit_a_counter_payment_is_proposed_on():
    _payout_waiting(b.BILL_TOTAL)
    invoice = b.bill()
    line = b.bank_line(amount=invoice.total, booked_on=TODAY,
                       description=f"SETORAN {invoice.billing_code}")
    counter_payment_propose(bank_line=line, invoice=invoice, actor=b.officer())
    reconcile(today=LATER)
    return Discrepancy.objects.get(kind=K.UNMATCHED_BANK_LINE, bank_line=line)


def payout_not_in_bank_and_a_late_credit():
    b.payout(amount=500_000, arrival_date=TODAY - timedelta(days=6), pulled=False)
    b.bank_line(amount=500_000, booked_on=TODAY, description="TRF GATEWAY")
    return found(K.PAYOUT_NOT_IN_BANK)


def payout_not_in_bank_and_no_credit_free():
    b.payout(amount=500_000, arrival_date=TODAY - timedelta(days=6), pulled=False)
    b.bank_line(amount=-6_500, booked_on=TODAY, description="BIAYA ADM")
    return found(K.PAYOUT_NOT_IN_BANK)


def awaiting_a_supervisor():
    proposed = bank_credit_and_a_payout_waiting()
    exception_propose(discrepancy=proposed, actor=b.officer(), resolution=WRITE_OFF,
                      note="Unknown cash")
    return proposed


def resolved():
    charge = bank_charge()
    exception_resolve(discrepancy=charge, actor=b.officer(), note="Bank fee")
    return charge


def cleared():
    b.bank_line(amount=480_000, booked_on=TODAY, description="IZIN PAYOUT po_later")
    stray = found(K.UNMATCHED_BANK_LINE)
    b.payout(amount=480_000, arrival_date=TODAY, payout_id="po_later")
    reconcile(today=LATER)
    return stray


# What the rules accept in each situation: the table the page and the services are checked
# against (the kind and state each situation makes, then the resolutions).
SITUATIONS = [
    (unknown_charge_and_a_payment_waiting_for_it, K.UNKNOWN_TRANSACTION, S.OPEN,
     {E, MATCH, WRITE_OFF}),
    (unknown_charge_and_no_payment_waiting, K.UNKNOWN_TRANSACTION, S.OPEN, {E, WRITE_OFF}),
    (unknown_refund_at_the_gateway, K.UNKNOWN_TRANSACTION, S.OPEN, {E, WRITE_OFF}),
    (unsettled_payment, K.UNSETTLED_PAYMENT, S.OPEN, {E, WRITE_OFF}),
    (underpaid, K.AMOUNT_MISMATCH, S.OPEN, {E, WRITE_OFF}),
    (underpaid_and_its_refund_proposed, K.AMOUNT_MISMATCH, S.OPEN, {E, REFUND, WRITE_OFF}),
    (underpaid_and_its_refund_approved, K.AMOUNT_MISMATCH, S.OPEN, {E, REFUND}),
    (underpaid_then_paid_in_full, K.AMOUNT_MISMATCH, S.OPEN, {E}),
    (overpaid, K.AMOUNT_MISMATCH, S.OPEN, {E}),
    (overpaid_and_its_refund_proposed, K.AMOUNT_MISMATCH, S.OPEN, {E, REFUND}),
    (paid_twice_online, K.DUPLICATE_PAYMENT, S.OPEN, {E}),
    (paid_twice_online_and_the_second_refund_proposed, K.DUPLICATE_PAYMENT, S.OPEN, {E, REFUND}),
    (paid_online_then_at_the_counter, K.DUPLICATE_PAYMENT, S.OPEN, {E}),
    (payout_short_of_its_transactions, K.PAYOUT_MISMATCH, S.OPEN, {E, WRITE_OFF}),
    (bank_credit_and_a_payout_waiting, K.UNMATCHED_BANK_LINE, S.OPEN, {E, MATCH, WRITE_OFF}),
    (bank_credit_and_no_payout_waiting, K.UNMATCHED_BANK_LINE, S.OPEN, {E, WRITE_OFF}),
    (bank_charge, K.UNMATCHED_BANK_LINE, S.OPEN, {E, WRITE_OFF}),
    (bank_credit_a_counter_payment_is_proposed_on, K.UNMATCHED_BANK_LINE, S.OPEN, {E, WRITE_OFF}),
    (payout_not_in_bank_and_a_late_credit, K.PAYOUT_NOT_IN_BANK, S.OPEN, {E, MATCH, WRITE_OFF}),
    (payout_not_in_bank_and_no_credit_free, K.PAYOUT_NOT_IN_BANK, S.OPEN, {E, WRITE_OFF}),
    (awaiting_a_supervisor, K.UNMATCHED_BANK_LINE, S.AWAITING_APPROVAL, set()),
    (resolved, K.UNMATCHED_BANK_LINE, S.RESOLVED, set()),
    (cleared, K.UNMATCHED_BANK_LINE, S.CLEARED, set()),
]


class _Undo(Exception):
    """Raised inside a savepoint to undo what a service did."""


def _accepts(service, **kwargs) -> bool:
    try:
        with transaction.atomic():
            service(**kwargs)
            raise _Undo
    except _Undo:
        return True
    except TransitionRefused:
        return False


def accepted(discrepancy: Discrepancy, actor) -> tuple[set[str], set[int]]:
    """What the services accept, each resolution tried (a manual match with every row it might
    name) and undone: the resolutions, and the manual match's targets."""
    resolutions, targets = set(), set()
    for resolution in Resolution:
        if resolution not in NEEDS_CHECKER:
            if _accepts(exception_resolve, discrepancy=discrepancy, actor=actor,
                        resolution=resolution, note="Tried"):
                resolutions.add(resolution.value)
        elif resolution != MATCH or discrepancy.kind not in MATCH_FIELD:
            if _accepts(exception_propose, discrepancy=discrepancy, actor=actor,
                        resolution=resolution, note="Tried"):
                resolutions.add(resolution.value)
        else:
            field = MATCH_FIELD[discrepancy.kind]
            for row in TARGETS[field].objects.all():
                if _accepts(exception_propose, discrepancy=discrepancy, actor=actor,
                            resolution=resolution, note="Tried", **{field: row}):
                    resolutions.add(resolution.value)
                    targets.add(row.pk)
    return resolutions, targets


class Offered(HTMLParser):
    """What the exception page offers: the resolution inputs of its forms, the manual match's
    options, and the resolutions it says are not possible now."""

    def __init__(self, page: str):
        super().__init__()
        self.resolutions, self.targets, self.refused = set(), set(), set()
        self._in_match = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") == "resolution":
            self.resolutions.add(attrs["value"])
        elif tag == "select" and attrs.get("name") == "match":
            self._in_match = True
        elif tag == "option" and self._in_match and attrs.get("value"):
            self.targets.add(int(attrs["value"]))
        elif tag == "li" and "data-resolution" in attrs:
            self.refused.add(attrs["data-resolution"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._in_match = False


@pytest.mark.django_db
@pytest.mark.parametrize(("situation", "kind", "state", "expected"), SITUATIONS,
                         ids=[row[0].__name__ for row in SITUATIONS])
def test_the_offered_choices_are_those_the_rules_accept(client, situation, kind, state,
                                                        expected):
    discrepancy = Discrepancy.objects.get(pk=situation().pk)
    assert (discrepancy.kind, discrepancy.state) == (kind, state)
    viewer = b.officer()
    client.force_login(viewer)

    response = client.get(reverse("treasury:exception_detail", args=[discrepancy.pk]))
    offered = Offered(response.content.decode())
    resolutions, targets = accepted(discrepancy, viewer)

    assert response.status_code == 200
    assert offered.resolutions == resolutions == {r.value for r in expected}
    assert offered.targets == targets
    assert {r.value for r in resolutions_allowed(discrepancy, viewer)} == resolutions
    assert bool(targets) == (MATCH.value in resolutions)
    # The page says why each resolution of the kind is not offered (an open exception's).
    expected_refused = ({r.value for r in RESOLUTIONS[discrepancy.kind]} - resolutions
                        if discrepancy.state == S.OPEN else set())
    assert offered.refused == expected_refused


def test_the_table_has_every_kind_and_state():
    assert {kind for _situation, kind, _state, _expected in SITUATIONS} == set(K.values)
    assert {state for _situation, _kind, state, _expected in SITUATIONS} == set(S.values)


@pytest.mark.django_db
def test_a_choice_from_a_stale_page_is_refused_with_the_services_reason(client):
    """Offered when the page was drawn, gone meanwhile: the form takes the choice and the
    service says why not, instead of "not one of the available choices"."""
    waiting = _payout_waiting(b.BILL_TOTAL)
    invoice = b.bill()
    line = b.bank_line(amount=invoice.total, booked_on=TODAY,
                       description=f"SETORAN {invoice.billing_code}")
    stray = found(K.UNMATCHED_BANK_LINE)
    in_english(client).force_login(b.officer())
    assert 'value="manual_match"' in client.get(
        reverse("treasury:exception_detail", args=[stray.pk])).content.decode()
    # Meanwhile another officer finds the bill the cash paid.
    counter_payment_propose(bank_line=line, invoice=invoice, actor=b.officer())

    response = post(client, reverse("treasury:exception_propose", args=[stray.pk]),
                    {"resolution": "manual_match", "match": str(waiting.pk),
                     "note": "This one"})

    assert response.status_code == 400
    assert "cannot take a payout" in response.content.decode()
    assert 'value="manual_match"' not in response.content.decode()
    assert Discrepancy.objects.get(pk=stray.pk).state == S.OPEN


@pytest.mark.django_db
def test_a_kind_that_takes_no_proposal_says_so(client):
    duplicate = paid_twice_online()
    client.force_login(b.officer())
    page = client.get(reverse("treasury:exception_detail", args=[duplicate.pk])).content.decode()
    assert 'class="muted proposals-none"' in page
    assert "propose-form" not in page
