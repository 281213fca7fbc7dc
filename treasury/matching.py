"""Three-way matching: invoice ↔ payment ↔ gateway balance transaction ↔ payout ↔ bank line.

Everything here is set-based: each link is one UPDATE with subqueries, each kind of exception
one INSERT … SELECT, so the number of queries does not grow with the number of rows (the
benchmark: bench/reconcile_100k.py). The only per-row work is clearing an exception
(``fsm_apply`` audits each one), and exceptions are few.

``reconcile`` runs in one transaction under one lock (a PostgreSQL advisory lock; SQLite
serialises writers already), so two runs at once never link one payout to two bank lines.
Running it again links nothing new and finds nothing new.

Linking rules
- A balance transaction of a charge names the charge (``source``): it belongs to the payment
  with that ``charge_id``. A refund's names the gateway refund: it belongs to that ``Refund``.
- A bank credit belongs to a payout when its reference or description carries the payout id
  and the amounts are equal. A line naming a payout with another amount is not linked: the
  difference is for an officer (the line stays an exception, its evidence names the payout).
- Otherwise a credit belongs to the one payout not yet in the bank with the same amount whose
  arrival date is at most ``TREASURY_BANK_ARRIVAL_DAYS`` days before the booking date — when
  that payout has no other such line either. Anything ambiguous stays for an officer.
- A line a counter payment holds (proposed or confirmed) is never a payout's.

The exceptions, their rules and what clears them: ``treasury.discrepancies``.
"""

import logging
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.db.models.lookups import Contains, Exact
from django.utils import timezone

from payments.models import Payment, Refund
from treasury import discrepancies
from treasury.discrepancies import (
    CHARGE_TYPES,
    REFUND_TYPES,
    DaysAfter,
    names_payout,
    payout_candidate_lines,
    payouts_not_in_bank,
)
from treasury.discrepancies.common import counter_payments_paid
from treasury.models import BankLine, BankStatement, Discrepancy, GatewayTransaction
from treasury.states import DiscrepancyKind, DiscrepancyState

logger = logging.getLogger("izin.treasury")

_MATCHING_LOCK = 0x1D22  # one advisory lock key for matching (PostgreSQL)
_MANY = 1_000  # linked rows from which the planner's statistics are refreshed


def lock_matching() -> None:
    """One writer of links at a time (PostgreSQL; SQLite's writers queue already), held until
    the transaction ends. Taken before any row lock: matching lock, then application, invoice,
    payment, refund, exception."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_MATCHING_LOCK])


def _without_jit() -> None:
    """The correlated subqueries below look expensive to PostgreSQL's planner, which would then
    spend longer JIT-compiling them than they take to run (a second at 100,000 rows)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def _refresh_statistics(model) -> None:
    """After linking many rows, the planner's statistics still say "not linked" until
    autovacuum comes by, and it would plan the queries that follow for a handful of rows.
    ANALYZE samples the table (a fraction of a second at 100,000 rows)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')


def reconcile(*, today: date | None = None) -> dict[str, int]:
    """Link what belongs together, record the exceptions found, clear those that no longer
    hold. Idempotent. ``today`` is the clock (tests and late runs move it). Returns counts:
    rows linked per step, new exceptions per kind (``DiscrepancyKind`` values), ``cleared``."""
    today = today or timezone.localdate()
    with transaction.atomic():
        lock_matching()
        _without_jit()
        counts = {
            "payments_linked": _link_payments(),
            "refunds_linked": _link_refunds(),
            "bank_lines_linked": _link_bank_lines_by_reference() + _link_bank_lines_by_amount(),
        }
        if counts["payments_linked"] + counts["refunds_linked"] >= _MANY:
            _refresh_statistics(GatewayTransaction)
        counts.update(discrepancies.detect(today=today))
        counts["cleared"] = discrepancies.clear()
    logger.info("reconciled %s", " ".join(f"{name}={count}" for name, count in counts.items()))
    return counts


def statement_match(*, statement_id: int, today: date | None = None) -> dict[str, int]:
    """Matching right after a statement is uploaded, then what it left of the statement's
    lines, kept on the statement for its page. The run is ``reconcile``'s, whole: a line may
    belong to a payout of any day and its exceptions hold or clear with the rest, and the run
    is set-based, so one statement would cost no fewer queries."""
    with transaction.atomic():
        counts = reconcile(today=today)
        statements_record_matching(BankStatement.objects.filter(pk=statement_id))
    return counts


def statements_record_matching(statements: QuerySet) -> int:
    """Keep on each statement, as of now, how many of its lines are matched (a payout, a
    confirmed counter payment) and how many wait for an officer (an exception not resolved):
    one UPDATE, however many statements. Returns how many statements."""
    lines = BankLine.objects.filter(statement=OuterRef("pk"))
    matched = lines.filter(Q(payout__isnull=False)
                           | Exists(counter_payments_paid().filter(bank_line=OuterRef("pk"))))
    waiting = Discrepancy.objects.filter(
        kind=DiscrepancyKind.UNMATCHED_BANK_LINE, bank_line__statement=OuterRef("pk"),
        state__in=(DiscrepancyState.OPEN, DiscrepancyState.AWAITING_APPROVAL))
    return statements.update(matched_at=timezone.now(), lines_matched=_count(matched, "statement"),
                             lines_to_review=_count(waiting, "bank_line__statement"))


def _count(rows: QuerySet, group: str) -> Coalesce:
    counted = rows.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0, output_field=IntegerField())


def _link_payments() -> int:
    ours = Payment.objects.filter(charge_id=OuterRef("source")).exclude(charge_id="")
    return (GatewayTransaction.objects
            .filter(type__in=CHARGE_TYPES, payment__isnull=True, refund__isnull=True)
            .exclude(source="")
            .filter(Exists(ours))
            .update(payment=Subquery(ours.order_by().values("pk")[:1])))


def _link_refunds() -> int:
    ours = Refund.objects.filter(gateway_refund_id=OuterRef("source"))
    return (GatewayTransaction.objects
            .filter(type__in=REFUND_TYPES, payment__isnull=True, refund__isnull=True)
            .exclude(source="")
            .filter(Exists(ours))
            .update(refund=Subquery(ours.order_by().values("pk")[:1])))


class _CountUpTo2(Subquery):
    """How many rows a subquery has, counting no further than two: "exactly one" is all the
    matching rules ask."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _rows)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet, **extra):
        super().__init__(queryset.order_by().values("pk")[:2], **extra)


def _link(lines: QuerySet, payouts: QuerySet) -> int:
    """Link each line to its payout where the line has exactly one."""
    return (lines.filter(Exact(_CountUpTo2(payouts), 1))
            .update(payout=Subquery(payouts.order_by().values("pk")[:1])))


def _link_bank_lines_by_reference() -> int:
    # The payouts the line names, with the line's amount, that no other candidate line names.
    rivals = (payout_candidate_lines().filter(amount=OuterRef("amount"))
              .filter(Q(Contains(F("description"), OuterRef("payout_id")))
                      | Q(Contains(F("bank_reference"), OuterRef("payout_id"))))
              .exclude(pk=OuterRef(OuterRef("pk"))))
    payouts = (payouts_not_in_bank().filter(amount=OuterRef("amount"))
               .filter(names_payout(OuterRef)).filter(~Exists(rivals)))
    return _link(payout_candidate_lines(), payouts)


def _link_bank_lines_by_amount() -> int:
    window = settings.TREASURY_BANK_ARRIVAL_DAYS
    rivals = (payout_candidate_lines().filter(amount=OuterRef("amount"))
              .filter(booked_on__gte=OuterRef("arrival_date"),
                      booked_on__lte=DaysAfter(OuterRef("arrival_date"), window))
              .exclude(pk=OuterRef(OuterRef("pk"))))
    payouts = (payouts_not_in_bank().filter(amount=OuterRef("amount"))
               .filter(arrival_date__lte=OuterRef("booked_on"),
                       arrival_date__gte=DaysAfter(OuterRef("booked_on"), -window))
               .filter(~Exists(rivals)))
    return _link(payout_candidate_lines(), payouts)
