"""Reads about reconciliation exceptions: the queue of each kind, counts, what holds a day's
close, one exception's evidence (labelled, amounts in rupiah) and history, what a manual
match may name, and the bank credits of the amount at stake that nothing has taken yet."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db.models import Count, F, QuerySet
from django.db.models.functions import Abs
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _

from licensing.formats import rupiah
from payments.models import Payment
from payments.states import PaymentMethod
from treasury.discrepancies import payout_candidate_lines
from treasury.models import BankLine, Discrepancy, GatewayPayout
from treasury.resolutions import match_candidates
from treasury.states import DISCREPANCY_DONE, DiscrepancyKind, DiscrepancyState

S = DiscrepancyState
PENDING = (S.OPEN, S.AWAITING_APPROVAL)
# The queue's tabs: what each shows.
VIEWS = {"open": PENDING, "awaiting": (S.AWAITING_APPROVAL,), "done": tuple(DISCREPANCY_DONE)}
MATCH_CHOICES_LIMIT = 200  # a manual match picks among the nearest in amount
SAME_AMOUNT_LIMIT = 10  # the bank credits of the amount at stake shown, the nearest in date


def open_exception_counts() -> dict[str, int]:
    """Exceptions not done (open or awaiting a supervisor), per kind, every kind named."""
    counted = dict(Discrepancy.objects.filter(state__in=PENDING).order_by().values("kind")
                   .annotate(n=Count("pk")).values_list("kind", "n"))
    return {kind: counted.get(kind, 0) for kind in DiscrepancyKind.values}


def exceptions_blocking_day(day: date) -> QuerySet[Discrepancy]:
    """What keeps ``day`` from closing: exceptions open or awaiting approval of that day or an
    earlier one."""
    return Discrepancy.objects.filter(state__in=PENDING, day__lte=day)


def exception_queue(*, kind: str | None = None, view: str = "open") -> QuerySet[Discrepancy]:
    """One queue: a kind (or all) and a tab of ``VIEWS``; the oldest day first, as the close
    needs them, except finished ones, newest first."""
    rows = Discrepancy.objects.filter(state__in=VIEWS[view]).select_related("proposed_by")
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("-resolved_at", "-pk") if view == "done" else rows.order_by("day", "pk")


def exception_get(*, pk: int) -> Discrepancy:
    return get_object_or_404(
        Discrepancy.objects.select_related(
            "invoice__application__business", "payment", "gateway_transaction", "payout",
            "bank_line__statement", "match_payment__invoice", "match_payout",
            "match_bank_line", "proposed_by", "resolved_by"),
        pk=pk)


# Evidence, as the officer reads it.

def _text(value) -> str:
    return str(value)


def _money(value) -> str:
    return rupiah(value)


def _number(value) -> str:
    return f"#{value}"


def _moment(value) -> str:
    """A moment as the database wrote it into the evidence: ISO 8601, in UTC (SQLite leaves
    the zone out)."""
    moment = datetime.fromisoformat(value)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return date_format(timezone.localtime(moment), "j F Y H:i")


def _date(value) -> str:
    return date_format(date.fromisoformat(value), "j F Y")


def _method(value) -> str:
    return str(PaymentMethod(value).label) if value in PaymentMethod.values else value


def _direction(value) -> str:
    return str(_("more than the bill") if value == "over" else _("less than the bill"))


EVIDENCE = (  # key in ``Discrepancy.evidence``, label, how the value reads
    ("transaction", _("Gateway transaction"), _text),
    ("type", _("Type"), _text),
    ("source", _("Charge or refund at the gateway"), _text),
    ("gross", _("Gross"), _money),
    ("fee", _("Fee"), _money),
    ("net", _("Net"), _money),
    ("created", _("Made at the gateway"), _moment),
    ("invoice", _("Bill (SKRD)"), _text),
    ("bill_total", _("Bill total"), _money),
    ("payment", _("Payment"), _number),
    ("counter_payment", _("Counter payment"), _number),
    ("method", _("Method"), _method),
    ("charge", _("Gateway charge"), _text),
    ("received", _("Received"), _money),
    ("paid_at", _("Paid at"), _moment),
    ("direction", _("Paid"), _direction),
    ("difference", _("Difference"), _money),
    ("payments_on_bill", _("Payments of this bill"), _text),
    ("refund", _("Refund"), _number),
    ("gateway_refund", _("Gateway refund"), _text),
    ("refunded", _("Refunded"), _money),
    ("refunded_at", _("Refunded at"), _moment),
    ("settle_by", _("To be settled by"), _date),
    ("payout", _("Payout"), _text),
    ("payout_amount", _("Payout amount"), _money),
    ("status", _("Status at the gateway"), _text),
    ("transactions", _("Its transactions"), _text),
    ("transactions_net", _("Its transactions, net"), _money),
    ("arrival_date", _("Expected in the bank on"), _date),
    ("expected_by", _("Booked in the bank at the latest by"), _date),
    ("statements_until", _("Bank statements go up to"), _date),
    ("bank_line", _("Bank line"), _number),
    ("statement", _("Statement file"), _text),
    ("line_number", _("Line in the file"), _text),
    ("booked_on", _("Booked on"), _date),
    ("line_amount", _("Amount on the line"), _money),
    ("bank_reference", _("Bank reference"), _text),
    ("description", _("Description"), _text),
    ("names_payout", _("Names the payout"), _text),
)


@dataclass(frozen=True)
class Fact:
    key: str
    label: str
    value: str


# What a queue shows of each exception: what tells one from the next.
SUMMARY = {
    DiscrepancyKind.UNKNOWN_TRANSACTION: ("source", "gross", "created", "payout"),
    DiscrepancyKind.UNSETTLED_PAYMENT: ("invoice", "received", "refunded", "settle_by"),
    DiscrepancyKind.AMOUNT_MISMATCH: ("invoice", "direction", "difference", "paid_at"),
    DiscrepancyKind.DUPLICATE_PAYMENT: ("invoice", "payments_on_bill", "received", "paid_at"),
    DiscrepancyKind.PAYOUT_MISMATCH: ("payout", "payout_amount", "transactions_net"),
    DiscrepancyKind.UNMATCHED_BANK_LINE: ("line_amount", "description", "names_payout"),
    DiscrepancyKind.PAYOUT_NOT_IN_BANK: ("payout", "arrival_date", "statements_until"),
}


def exception_evidence(*, discrepancy: Discrepancy, summary: bool = False) -> list[Fact]:
    """The evidence in a fixed order, labelled and readable, blank values left out; with
    ``summary`` only what the queue shows."""
    evidence = discrepancy.evidence or {}
    shown = SUMMARY.get(discrepancy.kind, ()) if summary else [key for key, *_ in EVIDENCE]
    return [Fact(key, str(label), read(evidence[key])) for key, label, read in EVIDENCE
            if key in shown and evidence.get(key) not in (None, "")]


# Manual matches.

def match_label(row) -> str:
    """How a candidate of a manual match reads in the form's list."""
    if isinstance(row, Payment):
        paid = date_format(timezone.localtime(row.succeeded_at), "j F Y") if row.succeeded_at \
            else ""
        return f"{row.invoice.number} #{row.attempt} · {rupiah(row.amount_received)} · {paid}"
    if isinstance(row, GatewayPayout):
        return (f"{row.payout_id} · {rupiah(row.amount)} · "
                f"{date_format(row.arrival_date, 'j F Y')}")
    if isinstance(row, BankLine):
        return (f"{date_format(row.booked_on, 'j F Y')} · {rupiah(row.amount)} · "
                f"{row.bank_reference} {row.description}".strip())
    return str(row)


def match_choices(*, discrepancy: Discrepancy) -> list[tuple[int, str]] | None:
    """What the exception's manual match may name, nearest in amount first (bank lines of the
    same amount: the nearest in date first), as form choices; None for a kind that takes no
    manual match."""
    candidates = match_candidates(discrepancy=discrepancy)
    if candidates is None:
        return None
    first = []
    if candidates.model is BankLine:
        first = same_amount_lines(discrepancy=discrepancy).rows
        candidates = candidates.exclude(pk__in=[line.pk for line in first])
    if candidates.model is Payment:
        candidates = candidates.select_related("invoice")
    field = "amount_received" if candidates.model is Payment else "amount"
    nearest = (candidates.annotate(_distance=Abs(F(field) - discrepancy.amount))
               .order_by("_distance", "pk")[:MATCH_CHOICES_LIMIT - len(first)])
    return [(row.pk, match_label(row)) for row in [*first, *nearest]]


def match_target(*, discrepancy: Discrepancy, pk: int | None):
    """The row a manual match form names (the service checks it may be matched)."""
    candidates = match_candidates(discrepancy=discrepancy)
    if candidates is None or pk is None:
        return None
    return candidates.model.objects.filter(pk=pk).first()


# Bank credits of the amount at stake.

@dataclass(frozen=True)
class SameAmountLines:
    amount: int
    rows: list[BankLine]  # the nearest in date first, at most ``SAME_AMOUNT_LIMIT``
    total: int  # how many there are in all


def _near_day(discrepancy: Discrepancy) -> date:
    """The day the money would be near: the payout's arrival, the line's booking, else the
    exception's business day."""
    if discrepancy.payout_id:
        return discrepancy.payout.arrival_date
    if discrepancy.bank_line_id:
        return discrepancy.bank_line.booked_on
    return discrepancy.day


def same_amount_lines(*, discrepancy: Discrepancy,
                      limit: int = SAME_AMOUNT_LIMIT) -> SameAmountLines:
    """Bank credits of exactly the amount at stake that no payout or counter payment has taken
    (the exception's own line left out), the nearest in date to it first: on a write-off, a
    line the officer may have missed; on a manual match of a payout, the lines it may be.
    Three queries on the index of free lines by amount and date, however many lines."""
    amount = discrepancy.amount
    if amount <= 0:
        return SameAmountLines(amount, [], 0)
    free = (payout_candidate_lines().filter(amount=amount).exclude(pk=discrepancy.bank_line_id)
            .select_related("statement"))
    day = _near_day(discrepancy)
    later = list(free.filter(booked_on__gte=day).order_by("booked_on", "pk")[:limit])
    earlier = list(free.filter(booked_on__lt=day).order_by("-booked_on", "-pk")[:limit])
    rows = sorted([*later, *earlier], key=lambda line: (abs((line.booked_on - day).days),
                                                        line.pk))[:limit]
    return SameAmountLines(amount, rows, free.count() if len(rows) == limit else len(rows))
