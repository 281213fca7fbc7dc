"""The treasury's reactions to money moving in payments: every rupiah received or given back
is booked, and a payment the treasury has to look at gets its refund suggestion.

Connected in ``TreasuryConfig.ready``. Payments sends these inside its transaction, on the one
transition that happens once, so each booking commits with the change that caused it.
"""

from django.dispatch import receiver

from config.celery import enqueue_on_commit
from payments.signals import payment_succeeded, refund_succeeded
from treasury.ledger import ledger_record_payment, ledger_record_refund
from treasury.tasks import payment_refunds_suggest


@receiver(payment_succeeded, dispatch_uid="treasury_book_payment")
def book_payment(sender, *, payment, **kwargs) -> None:
    ledger_record_payment(payment=payment)
    if payment.needs_review:
        # The refund suggestion (and, for an overpayment, the bill settled) after commit.
        enqueue_on_commit(payment_refunds_suggest, payment.pk)


@receiver(refund_succeeded, dispatch_uid="treasury_book_refund")
def book_refund(sender, *, refund, **kwargs) -> None:
    ledger_record_refund(refund=refund)
