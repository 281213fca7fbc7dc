"""Paid bills to refund: payments made against the sandbox gateway on a live server (as
``tests/payments/flow.py`` makes them), the treasury officers who refund them, and what the
books and the gateway hold afterwards."""

from django.conf import settings

from licensing import roles
from payments import payment_services
from payments.models import Payment, Refund
from payments.money import from_gateway_amount, to_gateway_amount
from payments.sandbox.models import PaymentIntent as SandboxIntent
from payments.sandbox.models import Refund as SandboxRefund
from tests.factories import UserFactory
from tests.payments.flow import bank_pays, choose_bank, pay_by_card, start
from tests.payments.support import awaiting_payment
from treasury import refunds
from treasury.models import LedgerEntry

ACCOUNT = "4.1.02.03.01.0001"  # the building levy's revenue account (FeeRuleFactory)


def officer(**kwargs):
    return UserFactory(groups=[roles.TREASURY_OFFICER], **kwargs)


def supervisor(**kwargs):
    """Approves refunds (any treasury officer prepares them)."""
    return UserFactory(groups=[roles.TREASURY_SUPERVISOR], **kwargs)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def pay(invoice, owner, method: str = "card", *, charged: int | None = None) -> Payment:
    """Pay a bill through the sandbox and let Izin learn it. ``charged``: the gateway takes
    that many rupiah instead of the bill's total (set up on the sandbox's side, as a fault
    would)."""
    payment = start(invoice, owner, method)
    if charged is not None:
        SandboxIntent.objects.filter(pk=payment.payment_intent_id).update(
            amount=to_gateway_amount(charged))
    if method == "card":
        pay_by_card(payment)
    else:
        choose_bank(payment, method)
        bank_pays(payment)
    return payment_services.payment_refresh(payment=payment)


def paid(method: str = "card", *, charged: int | None = None):
    """A bill paid online: (application, owner, invoice, payment)."""
    application, owner, invoice = awaiting_payment()
    return application, owner, invoice, pay(invoice, owner, method, charged=charged)


def refund_of(payment: Payment, amount: int, *, maker, checker, reason: str = "other") -> Refund:
    """Proposed by an officer, approved by a supervisor (``checker``): the gateway is asked
    after commit."""
    refund = refunds.refund_propose(payment=payment, amount=amount, reason=reason,
                                    note="Tarif salah hitung", actor=maker)
    refunds.refund_approve(refund=refund, actor=checker)
    return fresh(refund)


def booked(refund: Refund) -> list[tuple[str, int]]:
    """The refund's ledger rows: (account, amount)."""
    return sorted(LedgerEntry.objects.filter(refund=refund)
                  .values_list("account_code", "amount"))


def balance(payment: Payment) -> dict[str, int]:
    """What a payment's rows add up to on each account."""
    totals: dict[str, int] = {}
    for account, amount in LedgerEntry.objects.filter(payment=payment).values_list(
            "account_code", "amount"):
        totals[account] = totals.get(account, 0) + amount
    return {account: amount for account, amount in totals.items() if amount}


def at_gateway(payment: Payment) -> list[int]:
    """The refunds the sandbox made of a payment, in whole rupiah."""
    return sorted(from_gateway_amount(amount) for amount in SandboxRefund.objects.filter(
        payment_intent_id=payment.payment_intent_id).values_list("amount", flat=True))


SUSPENSE = settings.TREASURY_SUSPENSE_ACCOUNT
