"""What the pages about money coming in read: bank statements and their lines with what each
line is matched to, and the gateway's payouts with their transactions."""

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from payments.models import Invoice
from treasury.counter import billing_code_find
from treasury.models import BankLine, BankStatement, GatewayPayout


def statement_list() -> QuerySet[BankStatement]:
    return BankStatement.objects.select_related("uploaded_by").annotate(
        credits=Sum("lines__amount", filter=Q(lines__amount__gt=0), default=0),
        debits=Sum("lines__amount", filter=Q(lines__amount__lt=0), default=0),
    ).order_by("-uploaded_at", "-pk")


def statement_get(*, pk: int) -> BankStatement:
    return get_object_or_404(BankStatement.objects.select_related("uploaded_by"), pk=pk)


def statement_lines(*, statement: BankStatement) -> QuerySet[BankLine]:
    """The statement's lines in file order, each with its payout or counter payment."""
    return (statement.lines.select_related("payout", "counter_payment__invoice")
            .order_by("line_number", "pk"))


def bank_line_get(*, pk: int) -> BankLine:
    return get_object_or_404(
        BankLine.objects.select_related("statement", "payout", "counter_payment__invoice"), pk=pk)


def bank_line_is_open(line: BankLine) -> bool:
    """A credit not yet explained by a payout or a counter payment."""
    return line.amount > 0 and line.payout_id is None and not hasattr(line, "counter_payment")


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
