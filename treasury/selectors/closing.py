"""What the daily close and its reports read: a day's totals, the recent days at a glance, the
exceptions that keep a day open, and the check of a closed day against its seal.

Totals are always derived from the ledger (a few GROUP BY queries), never stored twice; the
close's seal (entry count and total) exists only to prove that nothing changed afterwards."""

from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext as _

from licensing.i18n import localized
from treasury.models import DailyClose, LedgerEntry
from treasury.selectors.exceptions import exceptions_blocking_day
from treasury.states import DiscrepancyKind, LedgerKind, LedgerMethod


@dataclass(frozen=True)
class TotalRow:
    """One line of a breakdown: ``key`` is the code (account, permit type, method), ``label``
    what a person reads beside it (may be empty)."""

    key: str
    label: str
    amount: int
    entries: int


@dataclass(frozen=True)
class LateItem:
    """Money booked into this day that moved on an earlier, already closed day."""

    occurred_on: date
    invoice_number: str
    kind: str
    method: str
    amount: int
    entries: int


@dataclass(frozen=True)
class DayTotals:
    day: date
    by_permit_type: list[TotalRow]
    by_account: list[TotalRow]
    by_method: list[TotalRow]
    late: list[LateItem]
    total: int
    entries: int


def _sum_rows(queryset, *fields):
    return (queryset.values(*fields).annotate(amount=Sum("amount"), entries=Count("pk"))
            .order_by(*fields))


def account_label(code: str) -> str:
    """Revenue accounts are known by their codes; only the suspense account needs a word."""
    if code == settings.TREASURY_SUSPENSE_ACCOUNT:
        return _("suspense: awaiting the treasury")
    return ""


def permit_type_rows(queryset) -> list[TotalRow]:
    """Ledger rows summed per permit type, named in the reader's language."""
    rows = _sum_rows(queryset, "permit_type__code", "permit_type__name_id",
                     "permit_type__name_en")
    return [TotalRow(row["permit_type__code"],
                     localized(SimpleNamespace(name_id=row["permit_type__name_id"],
                                               name_en=row["permit_type__name_en"]), "name"),
                     row["amount"], row["entries"]) for row in rows]


def account_rows(queryset) -> list[TotalRow]:
    """Ledger rows summed per revenue account code."""
    return [TotalRow(row["account_code"], account_label(row["account_code"]), row["amount"],
                     row["entries"]) for row in _sum_rows(queryset, "account_code")]


def method_rows(queryset) -> list[TotalRow]:
    """Ledger rows summed per payment method; every method is listed, with 0 when unused."""
    found = {row["method"]: row for row in _sum_rows(queryset, "method")}
    return [TotalRow(method.value, method.label, found.get(method, {}).get("amount", 0),
                     found.get(method, {}).get("entries", 0)) for method in LedgerMethod]


def day_totals(*, day: date) -> DayTotals:
    """A business day's totals per permit type, revenue account code and payment method, with
    the late items it holds. Works for open and closed days alike."""
    entries = LedgerEntry.objects.filter(book_day=day)
    by_account = account_rows(entries)
    late = [LateItem(row["occurred_on"], row["invoice__number"], LedgerKind(row["kind"]).label,
                     LedgerMethod(row["method"]).label, row["amount"], row["entries"])
            for row in _sum_rows(entries.exclude(occurred_on=F("book_day")), "occurred_on",
                                 "invoice__number", "kind", "method")]
    return DayTotals(
        day=day, by_permit_type=permit_type_rows(entries), by_account=by_account,
        by_method=method_rows(entries), late=late,
        total=sum(row.amount for row in by_account),
        entries=sum(row.entries for row in by_account),
    )


def exceptions_blocking_by_kind(*, day: date) -> list[tuple[str, int]]:
    """(kind's label, count) of the exceptions keeping ``day`` open, in the kinds' order."""
    counted = dict(exceptions_blocking_day(day).values_list("kind").annotate(count=Count("pk"))
                   .order_by())
    return [(kind.label, counted[kind]) for kind in DiscrepancyKind if kind in counted]


@dataclass(frozen=True)
class DayRow:
    """One day in the list of recent days."""

    day: date
    total: int
    entries: int
    late_entries: int
    exceptions: int  # unresolved exceptions of this very day
    blocking: int  # unresolved exceptions of this day or earlier: the close waits for them
    close: DailyClose | None
    future: bool

    @property
    def closable(self) -> bool:
        return self.close is None and not self.blocking and not self.future

    @property
    def seal_intact(self) -> bool | None:
        if self.close is None:
            return None
        return (self.close.entry_count, self.close.total) == (self.entries, self.total)


def day_list(*, end: date, today: date, days: int = 31) -> list[DayRow]:
    """``days`` business days up to ``end``, latest first: three GROUP BY queries whatever
    the number of days."""
    start = end - timedelta(days=days - 1)
    ledger = {row["book_day"]: row for row in (
        LedgerEntry.objects.filter(book_day__range=(start, end)).values("book_day")
        .annotate(amount=Sum("amount"), entries=Count("pk"),
                  late=Count("pk", filter=~Q(occurred_on=F("book_day"))))
        .order_by())}
    unresolved = dict(exceptions_blocking_day(end).values_list("day")
                      .annotate(count=Count("pk")).order_by())
    closes = {close.day: close for close in DailyClose.objects.filter(day__range=(start, end))}
    blocking = sum(count for day, count in unresolved.items() if day < start)
    rows = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        blocking += unresolved.get(day, 0)
        found = ledger.get(day, {})
        rows.append(DayRow(day=day, total=found.get("amount", 0), entries=found.get("entries", 0),
                           late_entries=found.get("late", 0), exceptions=unresolved.get(day, 0),
                           blocking=blocking, close=closes.get(day), future=day > today))
    return rows[::-1]


@dataclass(frozen=True)
class SealCheck:
    """A closed day re-counted from its ledger rows, beside what its close sealed."""

    close: DailyClose
    entries: int
    total: int

    @property
    def intact(self) -> bool:
        return (self.entries, self.total) == (self.close.entry_count, self.close.total)


def day_seal_check(*, day: date) -> SealCheck | None:
    """Re-derive a closed day's entry count and total and set them beside its seal; None for a
    day that is not closed. A broken seal means rows were written around the application."""
    close = DailyClose.objects.filter(day=day).first()
    if close is None:
        return None
    found = LedgerEntry.objects.filter(book_day=day).aggregate(entries=Count("pk"),
                                                               total=Sum("amount"))
    return SealCheck(close=close, entries=found["entries"], total=found["total"] or 0)
