"""Treasury test data: bills paid as the payment services record them, and the gateway's and
the bank's rows written as the importers would (payouts, balance transactions, statements)."""

import itertools
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from licensing import roles
from payments.models import Invoice, Payment, Refund
from payments.services import invoice_settle
from payments.states import InvoiceState, ReviewReason
from tests.factories import PermitTypeFactory, UserFactory
from tests.lifecycle import submitted
from treasury.ledger import ledger_record_payment, ledger_record_refund
from treasury.models import (
    BankLine,
    BankStatement,
    CounterPayment,
    GatewayPayout,
    GatewayTransaction,
)
from treasury.states import CounterPaymentState
from workflows.machine import fsm_apply

_ids = itertools.count(1)

BILL_TOTAL = 150_000  # what PermitTypeFactory bills by default


def officer(**kwargs):
    return UserFactory(groups=[roles.TREASURY_OFFICER], **kwargs)


def supervisor(**kwargs):
    return UserFactory(groups=[roles.TREASURY_SUPERVISOR], **kwargs)


def bill(permit_type=None) -> Invoice:
    """An open SKRD of Rp 150.000 (a type with no review steps is billed on submission)."""
    permit_type = permit_type or PermitTypeFactory(paid_after_approval=True)
    application, _owner = submitted(permit_type=permit_type)
    return Invoice.objects.get(application=application, state=InvoiceState.ISSUED)


def paid(invoice: Invoice, *, amount: int | None = None, method: str = "card",
         charge_id: str | None = None) -> Payment:
    """A payment the gateway confirmed, recorded as ``payment_refresh`` records one: the
    ledger booked, the bill settled when the amount is the bill's, flagged otherwise."""
    amount = invoice.total if amount is None else amount
    with transaction.atomic():
        payment = Payment.objects.create(
            invoice=invoice, attempt=invoice.payments.count() + 1, method=method,
            amount=invoice.total, idempotency_key=f"test-{next(_ids)}",
            payment_intent_id=f"pi_{next(_ids)}", checkout_expires_at=timezone.now(),
        )
        invoice = Invoice.objects.get(pk=invoice.pk)
        reason = ("" if invoice.state == InvoiceState.ISSUED and amount == invoice.total
                  else ReviewReason.AMOUNT_MISMATCH if invoice.state == InvoiceState.ISSUED
                  else ReviewReason.BILL_CLOSED)
        fsm_apply(instance=payment, transition="succeed", actor=None, amount_received=amount,
                  currency_received="idr", review_reason=reason,
                  charge_id=charge_id or f"ch_{next(_ids)}")
        ledger_record_payment(payment=payment)
        if not reason:
            invoice_settle(invoice=invoice, paid_at=payment.succeeded_at)
    return payment


def payout(*, amount: int, arrival_date: date, status: str = "paid", pulled: bool = True,
           payout_id: str | None = None) -> GatewayPayout:
    return GatewayPayout.objects.create(
        payout_id=payout_id or f"po_{next(_ids):08d}", amount=amount, status=status,
        arrival_date=arrival_date, created_at_gateway=_midnight(arrival_date),
        transactions_pulled_at=timezone.now() if pulled else None,
    )


def transaction_row(*, amount: int, type: str = "charge", source: str = "", fee: int = 0,
                    payout: GatewayPayout | None = None,
                    created: datetime | None = None) -> GatewayTransaction:
    return GatewayTransaction.objects.create(
        txn_id=f"txn_{next(_ids):08d}", type=type, amount=amount, fee=fee, net=amount - fee,
        source=source, created_at_gateway=created or timezone.now(), payout=payout,
    )


def charge_of(payment: Payment, *, fee: int = 0,
              payout: GatewayPayout | None = None) -> GatewayTransaction:
    """The gateway's balance transaction of a payment's charge."""
    return transaction_row(amount=payment.amount_received, fee=fee, source=payment.charge_id,
                           payout=payout, created=payment.succeeded_at)


def refund_of(refund: Refund, *, payout: GatewayPayout | None = None) -> GatewayTransaction:
    return transaction_row(amount=-refund.amount, type="refund", source=refund.gateway_refund_id,
                           payout=payout)


def statement(*, user=None, filename: str = "mutasi.csv") -> BankStatement:
    return BankStatement.objects.create(
        format="csv", filename=filename, sha256=f"{next(_ids):064x}",
        account_number="1060012345678", uploaded_by=user or officer(), lines_added=0,
    )


def bank_line(*, amount: int, booked_on: date, description: str = "", reference: str = "",
              statement_row: BankStatement | None = None) -> BankLine:
    number = next(_ids)
    return BankLine.objects.create(
        statement=statement_row or statement(), line_number=number, booked_on=booked_on,
        amount=amount, bank_reference=reference or f"REF{number:06d}", description=description,
        checksum=f"{number:064x}",
    )


def payout_line(payout_row: GatewayPayout, *, booked_on: date | None = None,
                amount: int | None = None, **kwargs) -> BankLine:
    """The bank's credit of a payout, naming it as the gateway's transfers do."""
    return bank_line(amount=payout_row.amount if amount is None else amount,
                     booked_on=booked_on or payout_row.arrival_date,
                     description=f"IZIN PAYOUT {payout_row.payout_id}", **kwargs)


def counter_payment(invoice: Invoice, *, booked_on: date, user=None) -> CounterPayment:
    """A bill paid at a bank teller: the bank's line and the confirmed counter payment on it
    (the row only, proposed and confirmed by two officers; settling the bill is the counter
    service's)."""
    line = bank_line(amount=invoice.total, booked_on=booked_on,
                     description=f"SETORAN {invoice.billing_code}")
    return CounterPayment.objects.create(invoice=invoice, bank_line=line, amount=invoice.total,
                                         recorded_by=user or officer(), decided_by=officer(),
                                         decided_at=timezone.now(),
                                         state=CounterPaymentState.CONFIRMED)


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def refunded(payment: Payment, *, amount: int, reason: str = "overpayment") -> Refund:
    """A refund prepared, approved and paid back by the gateway (card: at once), as the refund
    services record one."""
    maker, checker = officer(), supervisor()
    with transaction.atomic():
        refund = Refund.objects.create(payment=payment, amount=amount, reason=reason,
                                       idempotency_key=f"test-refund-{next(_ids)}")
        fsm_apply(instance=refund, transition="prepare", actor=maker, by=maker, amount=amount,
                  remark="test")
        fsm_apply(instance=refund, transition="approve", actor=checker, by=checker)
        fsm_apply(instance=refund, transition="succeed", actor=None,
                  gateway_refund_id=f"re_{next(_ids):08d}")
        ledger_record_refund(refund=refund)
    return refund
