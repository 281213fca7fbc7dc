"""What the treasury's dashboard reads: collections per day and per ISO week, by permit type and
by method; bills still open and how old they are; exceptions waiting; refunds under way.

Collections are the money received (online and at the bank counter) counted in its business
day, as the day reports and exports count it; refunds are shown beside them, never netted into
the bars. Each figure is one GROUP BY query, whatever the number of rows behind it."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, IntegerField, Sum, Value, When
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from payments.models import InvoiceLine, Refund
from payments.states import InvoiceState, RefundState
from treasury.models import LedgerEntry
from treasury.selectors.closing import TotalRow, method_rows, permit_type_rows
from treasury.selectors.exceptions import open_exception_counts
from treasury.states import DiscrepancyKind, LedgerKind, LedgerMethod

DAYS = 30
WEEKS = 12
RECEIVED = (LedgerKind.PAYMENT, LedgerKind.COUNTER)


@dataclass(frozen=True)
class Period:
    """Collections of one day or one ISO week (``start`` is its Monday)."""

    start: date
    by_method: dict[str, int]  # LedgerMethod value → rupiah received
    refunded: int  # negative or 0

    @property
    def received(self) -> int:
        return sum(self.by_method.values())

    @property
    def net(self) -> int:
        return self.received + self.refunded

    @property
    def iso_week(self) -> str:
        year, week, _day = self.start.isocalendar()
        return f"{year}-W{week:02d}"


def _periods(rows, starts: list[date]) -> list[Period]:
    """Pivot (period, kind, method, amount) rows into one Period per start, zeros included."""
    received = {start: dict.fromkeys(LedgerMethod.values, 0) for start in starts}
    refunded = dict.fromkeys(starts, 0)
    for row in rows:
        if row["kind"] == LedgerKind.REFUND:
            refunded[row["period"]] += row["amount"]
        else:
            received[row["period"]][row["method"]] += row["amount"]
    return [Period(start, received[start], refunded[start]) for start in starts]


def _moving_money(start: date, end: date):
    return LedgerEntry.objects.filter(book_day__range=(start, end),
                                      kind__in=(*RECEIVED, LedgerKind.REFUND))


def collections_by_day(*, today: date, days: int = DAYS) -> list[Period]:
    """The last ``days`` days up to ``today``, oldest first."""
    starts = [today - timedelta(days=days - 1 - offset) for offset in range(days)]
    rows = (_moving_money(starts[0], today).values("book_day", "kind", "method")
            .annotate(amount=Sum("amount")).order_by())
    return _periods(({**row, "period": row["book_day"]} for row in rows), starts)


def collections_by_week(*, today: date, weeks: int = WEEKS) -> list[Period]:
    """The last ``weeks`` ISO weeks (Monday to Sunday), the current one included, oldest first."""
    monday = today - timedelta(days=today.weekday())
    starts = [monday - timedelta(weeks=weeks - 1 - offset) for offset in range(weeks)]
    rows = (_moving_money(starts[0], today).annotate(period=TruncWeek("book_day"))
            .values("period", "kind", "method").annotate(amount=Sum("amount")).order_by())
    return _periods(rows, starts)


def _received(*, today: date, days: int):
    return LedgerEntry.objects.filter(book_day__range=(today - timedelta(days=days - 1), today),
                                      kind__in=RECEIVED)


def collections_by_permit_type(*, today: date, days: int = DAYS) -> list[TotalRow]:
    rows = permit_type_rows(_received(today=today, days=days))
    return sorted(rows, key=lambda row: -row.amount)


def collections_by_method(*, today: date, days: int = DAYS) -> list[TotalRow]:
    return method_rows(_received(today=today, days=days))


@dataclass(frozen=True)
class AgeBucket:
    label: str
    invoices: int
    amount: int


# (label, oldest age in days that still belongs to the bucket); the last bucket is open-ended.
AGES = ((_("0 to 7 days"), 7), (_("8 to 14 days"), 14), (_("15 to 30 days"), 30),
        (_("over 30 days"), None))


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def outstanding_by_age(*, today: date) -> list[AgeBucket]:
    """Open bills (issued, not yet paid, expired or cancelled), counted and summed per age since
    issue. The amount is summed over the bills' lines: a bill's total is its lines' sum."""
    whens = [When(invoice__issued_at__gte=_local_midnight(today - timedelta(days=oldest)),
                  then=Value(position))
             for position, (_label, oldest) in enumerate(AGES) if oldest is not None]
    rows = (InvoiceLine.objects.filter(invoice__state=InvoiceState.ISSUED)
            .annotate(bucket=Case(*whens, default=Value(len(AGES) - 1),
                                  output_field=IntegerField()))
            .values("bucket")
            .annotate(invoices=Count("invoice", distinct=True), amount=Sum("amount"))
            .order_by())
    found = {row["bucket"]: row for row in rows}
    return [AgeBucket(str(label), found.get(position, {}).get("invoices", 0),
                      found.get(position, {}).get("amount", 0))
            for position, (label, _oldest) in enumerate(AGES)]


@dataclass(frozen=True)
class Tally:
    key: str
    label: str
    count: int
    amount: int = 0


def exception_counts() -> list[Tally]:
    """Unresolved exceptions (open or awaiting a supervisor) per kind, every kind listed."""
    counted = open_exception_counts()
    return [Tally(kind.value, kind.label, counted[kind]) for kind in DiscrepancyKind]


PENDING_REFUND = (RefundState.DRAFT, RefundState.PROPOSED, RefundState.APPROVED,
                  RefundState.PENDING)


def refunds_pending() -> list[Tally]:
    """Refunds not yet finished, per state: suggested, prepared, approved, at the bank."""
    found = {row["state"]: row for row in Refund.objects.filter(state__in=PENDING_REFUND)
             .values("state").annotate(count=Count("pk"), amount=Sum("amount")).order_by()}
    return [Tally(state.value, state.label, found.get(state, {}).get("count", 0),
                   found.get(state, {}).get("amount", 0)) for state in PENDING_REFUND]


@dataclass(frozen=True)
class Dashboard:
    today: date
    daily: list[Period]
    weekly: list[Period]
    by_permit_type: list[TotalRow]
    by_method: list[TotalRow]
    ageing: list[AgeBucket]
    exceptions: list[Tally]
    refunds: list[Tally]

    @property
    def outstanding_invoices(self) -> int:
        return sum(bucket.invoices for bucket in self.ageing)

    @property
    def outstanding_amount(self) -> int:
        return sum(bucket.amount for bucket in self.ageing)

    @property
    def received(self) -> int:
        return sum(period.received for period in self.daily)


def dashboard_get(*, today: date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    return Dashboard(
        today=today, daily=collections_by_day(today=today),
        weekly=collections_by_week(today=today),
        by_permit_type=collections_by_permit_type(today=today),
        by_method=collections_by_method(today=today), ageing=outstanding_by_age(today=today),
        exceptions=exception_counts(), refunds=refunds_pending(),
    )
