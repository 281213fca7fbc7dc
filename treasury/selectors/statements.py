"""What the pages about money coming in read: bank statements and their lines with what each
line is matched to, and the gateway's payouts with their transactions."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from payments.models import Invoice
from treasury.counter import billing_code_find
from treasury.models import BankLine, BankStatement, CounterPayment, GatewayPayout
from treasury.states import COUNTER_HOLDS_LINE
from treasury.states import CounterPaymentState as CS
from workflows.models import TransitionLog


def statement_list() -> QuerySet[BankStatement]:
    return BankStatement.objects.select_related("uploaded_by").annotate(
        credits=Sum("lines__amount", filter=Q(lines__amount__gt=0), default=0),
        debits=Sum("lines__amount", filter=Q(lines__amount__lt=0), default=0),
    ).order_by("-uploaded_at", "-pk")


def statement_get(*, pk: int) -> BankStatement:
    return get_object_or_404(BankStatement.objects.select_related("uploaded_by"), pk=pk)


def _holding() -> Prefetch:
    """The counter payment holding each line (proposed or confirmed; at most one), as
    ``line.holding``: a list, read through ``bank_line_counter_payment``."""
    return Prefetch("counter_payments", to_attr="holding",
                    queryset=CounterPayment.objects.filter(state__in=COUNTER_HOLDS_LINE)
                    .select_related("invoice", "recorded_by"))


def statement_lines(*, statement: BankStatement) -> QuerySet[BankLine]:
    """The statement's lines in file order, each with its payout or counter payment."""
    return (statement.lines.select_related("payout").prefetch_related(_holding())
            .order_by("line_number", "pk"))


def bank_line_get(*, pk: int) -> BankLine:
    return get_object_or_404(
        BankLine.objects.select_related("statement__uploaded_by", "payout")
        .prefetch_related(_holding()), pk=pk)


def bank_line_counter_payment(line: BankLine) -> CounterPayment | None:
    """The counter payment holding a line read by this module: proposed or confirmed."""
    return line.holding[0] if line.holding else None


def bank_line_is_open(line: BankLine) -> bool:
    """A credit not yet explained by a payout nor held by a counter payment."""
    return line.amount > 0 and line.payout_id is None and not line.holding


def bank_line_history(*, line: BankLine) -> QuerySet[TransitionLog]:
    """Every audit entry of the counter payments proposed on a line, rejected ones included,
    oldest first: why a line is free again stays on its page."""
    return TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(CounterPayment),
        object_id__in=line.counter_payments.values("pk"),
    ).select_related("actor").order_by("created_at", "pk")


def counter_payments_proposed() -> QuerySet[CounterPayment]:
    """Counter payments awaiting a second officer, oldest first: the bill is not paid until
    one confirms."""
    return (CounterPayment.objects.filter(state=CS.PROPOSED)
            .select_related("invoice__application__business", "bank_line__statement__uploaded_by",
                            "recorded_by")
            .order_by("recorded_at", "pk"))


def invoice_suggested(*, line: BankLine) -> Invoice | None:
    """The bill whose billing code the bank line's text carries, if any (open or not: the
    page says which)."""
    return invoices_suggested(lines=[line]).get(line.pk)


def invoices_suggested(*, lines) -> dict[int, Invoice]:
    """``invoice_suggested`` for many lines in one query: bank line id → bill."""
    codes = {line.pk: billing_code_find(f"{line.bank_reference} {line.description}")
             for line in lines}
    bills = Invoice.objects.select_related("application").in_bulk(
        [code for code in codes.values() if code], field_name="billing_code")
    return {pk: bills[code] for pk, code in codes.items() if code in bills}


def payout_list() -> QuerySet[GatewayPayout]:
    return GatewayPayout.objects.select_related("bank_line").annotate(
        transaction_count=Count("transactions"),
        transactions_net=Sum("transactions__net", default=0),
    ).order_by("-arrival_date", "-pk")


def payout_get(*, pk: int) -> GatewayPayout:
    return get_object_or_404(payout_list(), pk=pk)


def payout_transactions(*, payout: GatewayPayout) -> QuerySet:
    return payout.transactions.select_related("payment__invoice", "refund").order_by(
        "created_at_gateway", "pk")


def payout_totals(*, payout: GatewayPayout) -> dict[str, int]:
    return payout.transactions.aggregate(amount=Sum("amount", default=0),
                                         fee=Sum("fee", default=0), net=Sum("net", default=0))
