"""The monthly evaluation's figures, read from the live tables.

A month runs from midnight of its first day to midnight of the next month's first day in the
office's time (``settings.TIME_ZONE``, Asia/Jakarta). Every figure is counted in the database,
grouped by permit type (or review step) in one query per family; Python only adds the groups
up and takes order statistics of the working-day counts, one small integer per decided
application or review task of the month.

What the figures mean:
- received: applications submitted in the month; at the counter / online by ``filed_at_counter``;
- decided: approved or rejected in the month (``decided_at``, which every decision sets);
  approved: decided and not rejected (a rejection is final, so the state still says it);
  approved by operation of law: among those, ``approved_by_law``;
- withdrawn: withdrawals in the month, from the audit trail (the application keeps no date);
- issued: permits issued in the month (``issued_at``);
- processing time: ``ApplicationClock.working_days_used`` of the clocks that ended with a
  decision in the month (a withdrawal or a lapse ends the clock too, but is no processing time;
  a type approved on submission never starts one);
  within the standard: ``working_days_used <= standard_days``;
- changes requested: review tasks decided "request changes" in the month. Reviewers give the
  reason as free text and name the documents to replace; free text does not count reliably, so
  the most common reasons are the documents most often asked for again (a request naming none
  counts as "other, in the reviewer's message");
- billed: the SKRDs issued in the month, less those cancelled and those replaced by a new bill
  (the replacement counts; a bill is not billed twice); collected and refunded: the ledger's
  receipts and refunds whose money moved in the month (``occurred_on``), which covers online and
  bank-counter payments alike; outstanding: bills issued before the month's end and not yet paid,
  expired or cancelled at that moment; payment methods: the ledger's receipts by method;
- satisfaction: the IKM of the survey answers of the month (``evaluation.ikm``);
- complaints: received in the month, answered in the month, open at the month's end, and the
  median working days to an answer (``evaluation.complaint_selectors.complaint_counts``).

Money is whole rupiah (integers); shares and medians are decimals kept as strings, so the
figures are plain JSON and read back exactly.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, Sum

from evaluation.complaint_selectors import complaint_counts
from evaluation.ikm import ikm_for
from evaluation.measures import median, percentile, share_of
from licensing.models import Application, PermitType
from licensing.states import ApplicationState
from payments.models import InvoiceLine
from payments.states import InvoiceState
from treasury.models import LedgerEntry
from treasury.states import LedgerKind, LedgerMethod
from workflows.calendar import OfficeCalendar, office_calendar
from workflows.models import ApplicationClock, ReviewStep, ReviewTask, TransitionLog
from workflows.states import DECIDED, TaskState

TOP_REASONS = 5
OTHER_REASON = "other"

# The measures of the office as a whole and of each permit type, in the order reports show them.
MEASURES = (
    "received", "received_at_counter", "received_online", "share_at_counter",
    "decided", "approved", "rejected", "approved_by_law", "withdrawn", "issued",
    "processing_times", "median_working_days", "p95_working_days", "within_standard",
    "share_within_standard", "changes_requested",
    "billed", "collected", "refunded", "outstanding",
    "ikm_responses", "ikm", "ikm_grade",
)
COMPLAINT_MEASURES = ("complaints_received", "complaints_answered", "complaints_open",
                      "complaints_median_days_to_answer")
STEP_MEASURES = ("decided", "changes_requested", "median_working_days")


@dataclass(frozen=True)
class Month:
    first: date  # its first day

    @classmethod
    def of(cls, day: date) -> "Month":
        return cls(day.replace(day=1))

    @property
    def next_first(self) -> date:
        return (self.first + timedelta(days=32)).replace(day=1)

    @property
    def previous(self) -> "Month":
        return Month.of(self.first - timedelta(days=1))

    @property
    def label(self) -> str:
        return f"{self.first:%Y-%m}"

    @property
    def start(self) -> datetime:
        return _midnight(self.first)

    @property
    def end(self) -> datetime:
        return _midnight(self.next_first)


def _midnight(day: date) -> datetime:
    # The office's zone by name, not the active one: a request in another zone changes nothing.
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _text(value) -> str | None:
    return None if value is None else str(value)


def _in(field: str, month: Month) -> Q:
    return Q(**{f"{field}__gte": month.start, f"{field}__lt": month.end})


def _applications(month: Month) -> dict[int, dict]:
    rows = (
        Application.objects
        .filter(_in("submitted_at", month) | _in("decided_at", month) | _in("issued_at", month))
        .values("permit_type")
        .annotate(
            received=Count("pk", filter=_in("submitted_at", month)),
            received_at_counter=Count(
                "pk", filter=_in("submitted_at", month) & Q(filed_at_counter=True)),
            decided=Count("pk", filter=_in("decided_at", month)),
            rejected=Count("pk", filter=_in("decided_at", month)
                           & Q(state=ApplicationState.REJECTED)),
            approved_by_law=Count("pk", filter=_in("decided_at", month)
                                  & Q(approved_by_law=True)),
            issued=Count("pk", filter=_in("issued_at", month)),
        )
    )
    return {row.pop("permit_type"): row for row in rows}


def _withdrawn(month: Month) -> dict[int, int]:
    rows = (
        TransitionLog.objects
        .filter(_in("created_at", month), transition="withdraw",
                target=ApplicationState.WITHDRAWN,
                content_type=ContentType.objects.get_for_model(Application))
        .values("application__permit_type")
        .annotate(count=Count("application", distinct=True))
    )
    return {row["application__permit_type"]: row["count"] for row in rows}


def _processing_times(month: Month) -> dict[int, list[tuple[int, int]]]:
    rows = (
        ApplicationClock.objects
        .filter(_in("stopped_at", month), working_days_used__isnull=False,
                application__decided_at__isnull=False)
        .values_list("application__permit_type", "working_days_used", "standard_days")
    )
    times: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for permit_type, used, standard in rows:
        times[permit_type].append((used, standard))
    return times


def _time_measures(times: list[tuple[int, int]]) -> dict:
    used = [days for days, _standard in times]
    within = sum(1 for days, standard in times if days <= standard)
    return {
        "processing_times": len(used),
        "median_working_days": _text(median(used)),
        "p95_working_days": percentile(used, 95),
        "within_standard": within,
        "share_within_standard": _text(share_of(within, len(used))),
    }


class _WorkingDayIndex:
    """Working days between two dates by subtraction: the calendar is walked once over the
    span of the month's tasks, not once per task."""

    def __init__(self, calendar: OfficeCalendar, first: date, last: date):
        self.first = first
        self.counted: list[int] = []
        total, day = 0, first
        while day <= last:
            if day != first and calendar.is_working_day(day):
                total += 1
            self.counted.append(total)
            day += timedelta(days=1)

    def after(self, start: date, end: date) -> int:
        if end <= start:
            return 0
        return self.counted[(end - self.first).days] - self.counted[(start - self.first).days]


def _steps(month: Month, calendar: OfficeCalendar) -> dict[int, dict]:
    decided = ReviewTask.objects.filter(_in("decided_at", month), state__in=sorted(DECIDED))
    counts = {
        row["step"]: row for row in decided.values("step").annotate(
            decided=Count("pk"),
            changes_requested=Count("pk", filter=Q(state=TaskState.CHANGES_REQUESTED)))
    }
    # A step's time: from the working day its task counts as received to the day it was decided.
    spans = list(decided.values_list("step", "created_at", "decided_at"))
    days: dict[int, list[int]] = defaultdict(list)
    if spans:
        zone = ZoneInfo(settings.TIME_ZONE)
        received = [(step, calendar.received_on(created), decided_at.astimezone(zone).date())
                    for step, created, decided_at in spans]
        first = min(min(start, end) for _step, start, end in received)
        last = max(max(start, end) for _step, start, end in received)
        index = _WorkingDayIndex(calendar, first, last)
        for step, start, end in received:
            days[step].append(index.after(start, end))
    for step, row in counts.items():
        row["median_working_days"] = _text(median(days[step]))
    return counts


def _change_reasons(month: Month) -> list[dict]:
    requests = ReviewTask.objects.filter(_in("decided_at", month),
                                         state=TaskState.CHANGES_REQUESTED)
    through = ReviewTask.documents_to_replace.through
    named = (
        through.objects.filter(reviewtask__in=requests)
        .values("requireddocument", "requireddocument__name_id", "requireddocument__name_en")
        .annotate(count=Count("reviewtask", distinct=True))
        .order_by("-count", "requireddocument__name_id")[:TOP_REASONS]
    )
    reasons = [{"reason": row["requireddocument__name_id"],
                "reason_en": row["requireddocument__name_en"], "count": row["count"]}
               for row in named]
    unnamed = requests.filter(documents_to_replace__isnull=True).count()
    if unnamed:
        reasons.append({"reason": OTHER_REASON, "reason_en": OTHER_REASON, "count": unnamed})
    return reasons


def _billed(month: Month) -> dict[int, int]:
    rows = (
        InvoiceLine.objects
        .filter(_in("invoice__issued_at", month), invoice__replaced_by__isnull=True)
        .exclude(invoice__state=InvoiceState.CANCELLED)
        .values("invoice__application__permit_type").annotate(total=Sum("amount"))
    )
    return {row["invoice__application__permit_type"]: row["total"] for row in rows}


def _outstanding(month: Month) -> dict[int, int]:
    rows = (
        InvoiceLine.objects
        .filter(Q(invoice__closed_at__isnull=True) | Q(invoice__closed_at__gte=month.end),
                invoice__issued_at__lt=month.end)
        .values("invoice__application__permit_type").annotate(total=Sum("amount"))
    )
    return {row["invoice__application__permit_type"]: row["total"] for row in rows}


RECEIPTS = (LedgerKind.PAYMENT, LedgerKind.COUNTER)


def _ledger_rows(month: Month):
    return LedgerEntry.objects.filter(occurred_on__gte=month.first,
                                      occurred_on__lt=month.next_first)


def _money_moved(month: Month) -> dict[int, dict[str, int]]:
    rows = (
        _ledger_rows(month).values("permit_type").annotate(
            collected=Sum("amount", filter=Q(kind__in=RECEIPTS)),
            refunded=Sum("amount", filter=Q(kind=LedgerKind.REFUND)))
    )
    # Refunds are negative on the books; the report says how much went back.
    return {row["permit_type"]: {"collected": row["collected"] or 0,
                                 "refunded": -(row["refunded"] or 0)} for row in rows}


def _payment_methods(month: Month) -> dict[str, dict]:
    rows = (
        _ledger_rows(month).filter(kind__in=RECEIPTS).values("method").annotate(
            amount=Sum("amount"),
            online=Count("payment", distinct=True),
            counter=Count("counter_payment", distinct=True))
    )
    found = {row["method"]: row for row in rows}
    return {
        method: {"payments": (found[method]["online"] + found[method]["counter"]
                              if method in found else 0),
                 "amount": found[method]["amount"] if method in found else 0}
        for method in LedgerMethod.values
    }


def _satisfaction(month: Month, permit_type=None) -> dict:
    ikm = ikm_for(start=month.first, end=month.next_first, permit_type=permit_type)
    if ikm is None:
        return {"ikm_responses": 0, "ikm": None, "ikm_grade": None}
    return {"ikm_responses": ikm.responses, "ikm": str(ikm.converted), "ikm_grade": ikm.grade}


def _complaints(month: Month) -> dict:
    counts = complaint_counts(start=month.first, end=month.next_first)
    return {"complaints_received": counts["received"],
            "complaints_answered": counts["answered"],
            "complaints_open": counts["open"],
            "complaints_median_days_to_answer": _text(counts["median_working_days_to_answer"])}


def _measures(*, applications: dict, withdrawn: int, times: list, changes: int,
              money: dict, satisfaction: dict) -> dict:
    received = applications.get("received", 0)
    counter = applications.get("received_at_counter", 0)
    decided = applications.get("decided", 0)
    rejected = applications.get("rejected", 0)
    values = {
        "received": received,
        "received_at_counter": counter,
        "received_online": received - counter,
        "share_at_counter": _text(share_of(counter, received)),
        "decided": decided,
        "approved": decided - rejected,
        "rejected": rejected,
        "approved_by_law": applications.get("approved_by_law", 0),
        "withdrawn": withdrawn,
        "issued": applications.get("issued", 0),
        **_time_measures(times),
        "changes_requested": changes,
        **money,
        **satisfaction,
    }
    return {name: values[name] for name in MEASURES}


def period_figures(month: Month, *, calendar: OfficeCalendar | None = None) -> dict:
    """Every figure of one month: totals, per permit type, per review step."""
    calendar = calendar or office_calendar()
    applications = _applications(month)
    withdrawn = _withdrawn(month)
    times = _processing_times(month)
    steps = _steps(month, calendar)
    billed, outstanding, moved = _billed(month), _outstanding(month), _money_moved(month)

    step_rows = {step.pk: step for step in
                 ReviewStep.objects.filter(pk__in=steps).select_related("permit_type")}
    changes_by_type: dict[int, int] = defaultdict(int)
    for step_id, row in steps.items():
        changes_by_type[step_rows[step_id].permit_type_id] += row["changes_requested"]

    active = (set(applications) | set(withdrawn) | set(times) | set(changes_by_type)
              | set(billed) | set(outstanding) | set(moved))
    types = PermitType.objects.filter(Q(pk__in=active) | Q(is_active=True)).order_by("code")

    def money_of(keys) -> dict:
        return {
            "billed": sum(billed.get(key, 0) for key in keys),
            "collected": sum(moved.get(key, {}).get("collected", 0) for key in keys),
            "refunded": sum(moved.get(key, {}).get("refunded", 0) for key in keys),
            "outstanding": sum(outstanding.get(key, 0) for key in keys),
        }

    per_type = {}
    for permit_type in types:
        key = permit_type.pk
        per_type[permit_type.code] = {
            "name": permit_type.name_id,
            **_measures(applications=applications.get(key, {}), withdrawn=withdrawn.get(key, 0),
                        times=times.get(key, []), changes=changes_by_type.get(key, 0),
                        money=money_of([key]),
                        satisfaction=_satisfaction(month, permit_type)),
        }

    summed = defaultdict(int)
    for row in applications.values():
        for name, value in row.items():
            summed[name] += value
    every = (set(billed) | set(outstanding) | set(moved))
    totals = {
        **_measures(applications=summed, withdrawn=sum(withdrawn.values()),
                    times=[item for group in times.values() for item in group],
                    changes=sum(changes_by_type.values()), money=money_of(every),
                    satisfaction=_satisfaction(month)),
        **_complaints(month),
    }

    review_steps = {}
    for step in sorted(step_rows.values(), key=lambda s: (s.permit_type.code, s.position)):
        row = steps[step.pk]
        review_steps[f"{step.permit_type.code}/{step.position}"] = {
            "permit_type": step.permit_type.code, "step": step.name_id,
            **{name: row[name] for name in STEP_MEASURES},
        }

    return {
        "month": month.label,
        "totals": totals,
        "permit_types": per_type,
        "review_steps": review_steps,
        "change_reasons": _change_reasons(month),
        "payment_methods": _payment_methods(month),
    }


def monthly_figures(month: Month) -> dict:
    """The month's figures and the month before's, for comparison."""
    calendar = office_calendar()
    return {"month": month.label, "current": period_figures(month, calendar=calendar),
            "previous": period_figures(month.previous, calendar=calendar)}

