"""What the exception rules and matching share: the gateway's transaction types, the
rows still waiting for a link, and small SQL helpers (PostgreSQL and SQLite)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BigIntegerField,
    CharField,
    DateField,
    Exists,
    Expression,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.db.models.lookups import Contains
from django.utils.functional import Promise

from payments.models import InvoiceLine, Refund
from payments.states import RefundState
from treasury.models import BankLine, CounterPayment, Discrepancy, GatewayPayout
from treasury.states import (
    COUNTER_HOLDS_LINE,
    CounterPaymentState,
    DiscrepancyKind,
    DiscrepancyState,
)

K = DiscrepancyKind

# Balance transaction types (Stripe's names): a charge's, a refund's, and the payout's own
# movement, which is not one of the transactions the payout groups.
CHARGE_TYPES = ("charge", "payment")
REFUND_TYPES = ("refund", "payment_refund")
PAYOUT_OWN_TYPES = ("payout",)
PAYOUT_DEAD = ("failed", "canceled")


class DaysAfter(Func):
    """``date + days`` in SQL, still a date, on PostgreSQL and SQLite."""

    output_field = DateField()
    template = "(%(expressions)s)"
    arg_joiner = " + "

    def __init__(self, expression, days: int):
        super().__init__(expression, Value(days))
        self.days = days

    def as_sqlite(self, compiler, connection, **extra_context):
        clone = self.copy()
        clone.set_source_expressions([self.get_source_expressions()[0],
                                      Value(f"{self.days:+d} days")])
        return super(DaysAfter, clone).as_sql(compiler, connection, function="date",
                                              template="%(function)s(%(expressions)s)",
                                              arg_joiner=", ", **extra_context)


def counter_payments_paid() -> QuerySet:
    """Counter payments that paid their bill: a proposal awaiting its second officer has not
    (yet), a rejected one never will."""
    return CounterPayment.objects.filter(state=CounterPaymentState.CONFIRMED)


def payout_candidate_lines() -> QuerySet:
    """Bank credits that may still be a payout's: not linked, no counter payment holding them
    (a proposed one holds its line too, so matching and the second officer never collide)."""
    return (BankLine.objects.filter(payout__isnull=True, amount__gt=0)
            .filter(~Exists(CounterPayment.objects.filter(bank_line=OuterRef("pk"),
                                                          state__in=COUNTER_HOLDS_LINE))))


def payouts_not_in_bank() -> QuerySet:
    return (GatewayPayout.objects.exclude(status__in=PAYOUT_DEAD)
            .filter(~Exists(BankLine.objects.filter(payout=OuterRef("pk")))))


def names_payout(line: Callable[[str], OuterRef]) -> Q:
    """The line (``line(field)`` refers to it) carries the payout's id in its reference or text."""
    return (Q(Contains(line("description"), F("payout_id")))
            | Q(Contains(line("bank_reference"), F("payout_id"))))


def key(prefix: str, field: str = "pk") -> Concat:
    return Concat(Value(prefix), Cast(field, CharField()), output_field=CharField())


def refunded(payment_ref: str) -> Coalesce:
    """What has been given back of a payment (SUCCEEDED refunds), whole rupiah."""
    refunds = (Refund.objects.filter(payment=OuterRef(payment_ref), state=RefundState.SUCCEEDED)
               .order_by().values("payment").annotate(total=Sum("amount")).values("total"))
    return Coalesce(Subquery(refunds), 0, output_field=BigIntegerField())


def bill_total(invoice_ref: str) -> Subquery:
    lines = (InvoiceLine.objects.filter(invoice=OuterRef(invoice_ref)).order_by()
             .values("invoice").annotate(total=Sum("amount")).values("total"))
    return Subquery(lines)


@dataclass(frozen=True)
class Rule:
    """One kind of exception: the rows that raise it on a day (annotated with its ``_key``
    and its natural day, ``_natural``), the exception's columns as SQL over those rows (at least
    ``amount`` and ``evidence``), and the open exceptions of the kind that no longer hold."""

    kind: str
    found: Callable[[date], QuerySet]
    columns: Callable[[], dict[str, Expression]]
    cleared: Callable[[], QuerySet]
    cleared_note: Promise


def open_of_kind(kind: str) -> QuerySet:
    return Discrepancy.objects.filter(kind=kind, state=DiscrepancyState.OPEN)
