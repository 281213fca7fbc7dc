"""The exceptions about payments and refunds: a gateway transaction of no payment of ours, a
payment or refund never settled, an amount other than the bill's, a bill paid twice."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Abs, Coalesce, JSONObject, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from payments.models import Payment, Refund
from payments.states import PaymentState, RefundState
from treasury.discrepancies.common import (
    CHARGE_TYPES,
    REFUND_TYPES,
    DaysAfter,
    K,
    Rule,
    bill_total,
    counter_payments_paid,
    key,
    open_of_kind,
    refunded,
)
from treasury.models import Discrepancy, GatewayTransaction

# -- unknown_txn ----------------------------------------------------------------------------


def _unknown_found(today: date) -> QuerySet:
    return (GatewayTransaction.objects
            .filter(type__in=CHARGE_TYPES + REFUND_TYPES, payment__isnull=True,
                    refund__isnull=True)
            .annotate(_key=key("unknown_txn:", "txn_id"),
                      _natural=TruncDate("created_at_gateway")))


def _unknown_columns() -> dict:
    return {"amount": Abs("amount"), "gateway_transaction_id": F("pk"), "evidence": JSONObject(
        transaction="txn_id", type="type", gross="amount", fee="fee", net="net", source="source",
        created="created_at_gateway", payout="payout__payout_id")}


def _unknown_cleared() -> QuerySet:
    matched = GatewayTransaction.objects.filter(pk=OuterRef("gateway_transaction")).filter(
        Q(payment__isnull=False) | Q(refund__isnull=False))
    return open_of_kind(K.UNKNOWN_TRANSACTION).filter(Exists(matched))


# -- unsettled ------------------------------------------------------------------------------


def _settle_cutoff(today: date) -> datetime:
    """Succeeded before this moment and still not settled: overdue."""
    day = today - timedelta(days=settings.TREASURY_SETTLEMENT_DAYS)
    return timezone.make_aware(datetime.combine(day, time.min))


def _settle_by() -> DaysAfter:
    return DaysAfter(TruncDate("succeeded_at"), settings.TREASURY_SETTLEMENT_DAYS)


def _unsettled_payments_found(today: date) -> QuerySet:
    return (Payment.objects
            .filter(state=PaymentState.SUCCEEDED, succeeded_at__lt=_settle_cutoff(today))
            .exclude(charge_id="")
            .filter(~Exists(GatewayTransaction.objects.filter(payment=OuterRef("pk"))))
            .annotate(_key=key("unsettled:payment:"), _natural=TruncDate("succeeded_at")))


def _unsettled_payment_columns() -> dict:
    return {"amount": Coalesce("amount_received", 0), "payment_id": F("pk"),
            "invoice_id": F("invoice_id"), "evidence": JSONObject(
                payment="pk", invoice="invoice__number", method="method", charge="charge_id",
                received="amount_received", paid_at="succeeded_at", settle_by=_settle_by())}


def _unsettled_payments_cleared() -> QuerySet:
    return (open_of_kind(K.UNSETTLED_PAYMENT).filter(key__startswith="unsettled:payment:")
            .filter(Exists(GatewayTransaction.objects.filter(payment=OuterRef("payment")))))


def _unsettled_refunds_found(today: date) -> QuerySet:
    return (Refund.objects
            .filter(state=RefundState.SUCCEEDED, succeeded_at__lt=_settle_cutoff(today),
                    gateway_refund_id__isnull=False)
            .filter(~Exists(GatewayTransaction.objects.filter(refund=OuterRef("pk"))))
            .annotate(_key=key("unsettled:refund:"), _natural=TruncDate("succeeded_at")))


def _unsettled_refund_columns() -> dict:
    return {"amount": F("amount"), "payment_id": F("payment_id"),
            "invoice_id": F("payment__invoice_id"), "evidence": JSONObject(
                refund="pk", gateway_refund="gateway_refund_id", payment="payment_id",
                invoice="payment__invoice__number", refunded="amount",
                refunded_at="succeeded_at", settle_by=_settle_by())}


def _unsettled_refunds_cleared() -> QuerySet:
    settled = (Refund.objects.filter(Exists(GatewayTransaction.objects.filter(
        refund=OuterRef("pk")))).annotate(_key=key("unsettled:refund:")).values("_key"))
    return open_of_kind(K.UNSETTLED_PAYMENT).filter(key__in=settled)


# -- amount ---------------------------------------------------------------------------------


def _amount_found(today: date) -> QuerySet:
    return (Payment.objects
            .filter(state=PaymentState.SUCCEEDED, review_reason="amount_mismatch")
            .annotate(_key=key("amount:payment:"), _natural=TruncDate("succeeded_at"),
                      _difference=Coalesce("amount_received", 0) - bill_total("invoice")))


def _amount_columns() -> dict:
    return {"amount": Abs("_difference"), "payment_id": F("pk"), "invoice_id": F("invoice_id"),
            "evidence": JSONObject(
                payment="pk", invoice="invoice__number", method="method",
                bill_total=bill_total("invoice"), received="amount_received",
                difference="_difference", paid_at="succeeded_at",
                direction=Case(When(_difference__gt=0, then=Value("over")),
                               default=Value("under")))}


def _amount_cleared() -> QuerySet:
    received, total = F("payment__amount_received"), F("_total")
    return (open_of_kind(K.AMOUNT_MISMATCH)
            .annotate(_total=bill_total("payment__invoice"), _refunded=refunded("payment"))
            .annotate(_due=Case(When(payment__amount_received__gt=total, then=received - total),
                                default=received, output_field=BigIntegerField()))
            .filter(_refunded__gte=F("_due")))


# -- duplicate ------------------------------------------------------------------------------


def _succeeded() -> QuerySet:
    return Payment.objects.filter(state=PaymentState.SUCCEEDED)


def _payments_on_bill() -> Coalesce:
    online = (_succeeded().filter(invoice=OuterRef("invoice")).order_by().values("invoice")
              .annotate(n=Count("pk")).values("n"))
    counter = (counter_payments_paid().filter(invoice=OuterRef("invoice")).order_by()
               .values("invoice").annotate(n=Count("pk")).values("n"))
    return (Coalesce(Subquery(online), 0, output_field=IntegerField())
            + Coalesce(Subquery(counter), 0, output_field=IntegerField()))


def _bills_paid_twice() -> Q:
    """The bill has more than one payment: two online, online and at the counter, or two at
    the counter (a cheap set to test first; the ordering below runs on these only)."""
    online_twice = (_succeeded().order_by().values("invoice").annotate(n=Count("pk"))
                    .filter(n__gt=1).values("invoice"))
    counter_twice = (counter_payments_paid().order_by().values("invoice").annotate(n=Count("pk"))
                     .filter(n__gt=1).values("invoice"))
    at_counter = counter_payments_paid().values("invoice")
    return (Q(invoice__in=online_twice) | Q(invoice__in=counter_twice)
            | Q(invoice__in=at_counter) & Q(invoice__in=_succeeded().values("invoice")))


def _duplicate_payments_found(today: date) -> QuerySet:
    same_bill = _succeeded().filter(invoice=OuterRef("invoice"))
    # Ordered by (flagged for review, succeeded at, pk): is there one before this one?
    same_flag = Q(needs_review=OuterRef("needs_review"))
    earlier_online = same_bill.filter(
        Q(needs_review__lt=OuterRef("needs_review"))
        | same_flag & Q(succeeded_at__lt=OuterRef("succeeded_at"))
        | same_flag & Q(succeeded_at=OuterRef("succeeded_at"), pk__lt=OuterRef("pk")))
    counters = counter_payments_paid().filter(invoice=OuterRef("invoice"))
    return (_succeeded().filter(_bills_paid_twice())
            .filter(Exists(earlier_online)
                    | Exists(counters.filter(recorded_at__lt=OuterRef("succeeded_at")))
                    | Q(needs_review=True) & Exists(counters))
            .annotate(_key=key("duplicate:payment:"), _natural=TruncDate("succeeded_at")))


def _duplicate_payment_columns() -> dict:
    return {"amount": Coalesce("amount_received", 0), "payment_id": F("pk"),
            "invoice_id": F("invoice_id"), "evidence": JSONObject(
                payment="pk", invoice="invoice__number", bill_total=bill_total("invoice"),
                method="method", received="amount_received", paid_at="succeeded_at",
                payments_on_bill=_payments_on_bill())}


def _duplicate_payments_cleared() -> QuerySet:
    return (open_of_kind(K.DUPLICATE_PAYMENT).filter(key__startswith="duplicate:payment:")
            .annotate(_refunded=refunded("payment"))
            .filter(_refunded__gte=F("payment__amount_received")))


def _duplicate_counters_found(today: date) -> QuerySet:
    same_bill = counter_payments_paid().filter(invoice=OuterRef("invoice"))
    earlier_counter = same_bill.filter(
        Q(recorded_at__lt=OuterRef("recorded_at"))
        | Q(recorded_at=OuterRef("recorded_at"), pk__lt=OuterRef("pk")))
    accepted_online = _succeeded().filter(invoice=OuterRef("invoice"), needs_review=False,
                                          succeeded_at__lte=OuterRef("recorded_at"))
    return (counter_payments_paid().filter(_bills_paid_twice())
            .filter(Exists(earlier_counter) | Exists(accepted_online))
            .annotate(_key=key("duplicate:counter:"), _natural=F("bank_line__booked_on")))


def _duplicate_counter_columns() -> dict:
    return {"amount": F("amount"), "invoice_id": F("invoice_id"),
            "bank_line_id": F("bank_line_id"), "evidence": JSONObject(
                counter_payment="pk", invoice="invoice__number",
                bill_total=bill_total("invoice"), received="amount",
                booked_on="bank_line__booked_on", bank_reference="bank_line__bank_reference",
                payments_on_bill=_payments_on_bill())}


def _never_cleared() -> QuerySet:
    """A second payment at a bank counter is given back by the bank, outside Izin: an officer
    resolves it."""
    return Discrepancy.objects.none()


RULES = (
    Rule(K.UNKNOWN_TRANSACTION, _unknown_found, _unknown_columns, _unknown_cleared,
         _("The gateway transaction is now matched.")),
    Rule(K.UNSETTLED_PAYMENT, _unsettled_payments_found, _unsettled_payment_columns,
         _unsettled_payments_cleared, _("The gateway has settled the payment.")),
    Rule(K.UNSETTLED_PAYMENT, _unsettled_refunds_found, _unsettled_refund_columns,
         _unsettled_refunds_cleared, _("The gateway has settled the refund.")),
    Rule(K.AMOUNT_MISMATCH, _amount_found, _amount_columns, _amount_cleared,
         _("The difference has been refunded.")),
    Rule(K.DUPLICATE_PAYMENT, _duplicate_payments_found, _duplicate_payment_columns,
         _duplicate_payments_cleared, _("The second payment has been refunded.")),
    Rule(K.DUPLICATE_PAYMENT, _duplicate_counters_found, _duplicate_counter_columns,
         _never_cleared, _("The second payment has been refunded.")),
)
