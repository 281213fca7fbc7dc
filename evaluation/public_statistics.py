"""The live statistics anyone may read (issue 14 §3): this month and this year, for the office
and per permit type — applications received, permits issued, the median working days to a
decision, the share decided within the service standard, and the satisfaction index (IKM).

They mean what the monthly evaluation means (``evaluation.figures``): received by
``submitted_at``, issued by ``issued_at``, processing time from the ``ApplicationClock``s that
ended with a decision in the period, order statistics from ``evaluation.measures`` and the index
from ``evaluation.ikm``.

No figure may single out one business: a median, a share or an index computed from fewer than
``SMALLEST_GROUP`` decisions or answers is withheld (``None`` with ``withheld`` set), for the
office as a whole as for a permit type. Counts are shown as they are: how many permits were
issued is what the public register lists one by one anyway.

The figures are counted in a handful of grouped queries and kept in the shared cache for a few
minutes under a key that names the day, so a new month or year starts from fresh counts."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from evaluation.ikm import GRADES, ikm_for
from evaluation.measures import median, share_of
from evaluation.models import SurveyResponse
from licensing.models import Application, PermitType
from workflows.models import ApplicationClock

# Fewer decisions or answers than this, and a derived figure would describe a handful of
# businesses, perhaps one: withheld.
SMALLEST_GROUP = 5
# Fresh enough for a public page, and a burst of visitors costs one count.
CACHE_SECONDS = 300
OFFICE = "office"  # the key of the office-wide figures beside the permit types' ids
PERIODS = ("month", "year")


@dataclass(frozen=True)
class Period:
    first: date
    next_first: date

    @property
    def start(self) -> datetime:
        return _midnight(self.first)

    @property
    def end(self) -> datetime:
        return _midnight(self.next_first)


def _midnight(day: date) -> datetime:
    # The office's zone by name: the month is Pekanbaru's, whoever asks.
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def periods_of(today: date) -> dict[str, Period]:
    month_first = today.replace(day=1)
    next_month = (month_first.replace(year=month_first.year + 1, month=1)
                  if month_first.month == 12 else month_first.replace(month=month_first.month + 1))
    return {
        "month": Period(month_first, next_month),
        "year": Period(today.replace(month=1, day=1), today.replace(year=today.year + 1,
                                                                     month=1, day=1)),
    }


@dataclass(frozen=True)
class Figures:
    """One scope's figures in one period."""

    received: int
    issued: int
    decided: int  # decisions with a processing time: what the median and the share count
    median_working_days: Decimal | None
    share_within_standard: Decimal | None
    time_withheld: bool
    ikm_responses: int
    ikm: Decimal | None  # converted, 25 to 100
    ikm_grade: str
    ikm_withheld: bool

    @property
    def ikm_grade_label(self) -> str:
        return next((str(label) for _lowest, grade, label in GRADES if grade == self.ikm_grade),
                    "")


@dataclass(frozen=True)
class Row:
    permit_type: PermitType | None  # None: the office as a whole
    month: Figures
    year: Figures


@dataclass(frozen=True)
class Statistics:
    today: date
    counted_at: datetime
    office: Row
    permit_types: list[Row]
    smallest_group: int = SMALLEST_GROUP

    def periods(self) -> list[tuple[str, Figures, list[tuple[PermitType, Figures]]]]:
        """For the page: each period with the office's figures and each permit type's."""
        return [(name, getattr(self.office, name),
                 [(row.permit_type, getattr(row, name)) for row in self.permit_types])
                for name in PERIODS]


def _in(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end})


def _counts(periods: dict[str, Period]) -> dict:
    """received and issued per permit type and period, in one query."""
    year = periods["year"]
    rows = (
        Application.objects
        .filter(_in("submitted_at", year) | _in("issued_at", year))
        .values("permit_type")
        .annotate(**{
            f"{measure}_{name}": Count("pk", filter=_in(field, period))
            for name, period in periods.items()
            for measure, field in (("received", "submitted_at"), ("issued", "issued_at"))
        })
    )
    return {row.pop("permit_type"): row for row in rows}


def _times(periods: dict[str, Period]) -> dict:
    """(working days used, standard) of each decision per permit type and period: the clocks
    that ended with a decision, in one query."""
    times: dict = defaultdict(lambda: {name: [] for name in PERIODS})
    rows = (
        ApplicationClock.objects
        .filter(_in("stopped_at", periods["year"]), working_days_used__isnull=False,
                application__decided_at__isnull=False)
        .values_list("application__permit_type", "stopped_at", "working_days_used",
                     "standard_days")
    )
    for permit_type, stopped_at, used, standard in rows:
        for name, period in periods.items():
            if period.start <= stopped_at < period.end:
                times[permit_type][name].append((used, standard))
                times[OFFICE][name].append((used, standard))
    return times


def _answers(periods: dict[str, Period]) -> dict:
    """How many survey answers per permit type and period, in one query."""
    rows = (
        SurveyResponse.objects
        .filter(answered_on__gte=periods["year"].first, answered_on__lt=periods["year"].next_first)
        .values("permit_type")
        .annotate(**{
            name: Count("pk", filter=Q(answered_on__gte=period.first,
                                       answered_on__lt=period.next_first))
            for name, period in periods.items()
        })
    )
    return {row.pop("permit_type"): row for row in rows}


def _figures(*, counts: dict, times: list, answers: int, period: Period, permit_type_id) -> dict:
    used = [days for days, _standard in times]
    within = sum(1 for days, standard in times if days <= standard)
    time_shown = len(used) >= SMALLEST_GROUP
    ikm = None
    if answers >= SMALLEST_GROUP:
        # Only where it will be shown: an index of a few answers is never computed.
        ikm = ikm_for(start=period.first, end=period.next_first,
                      permit_type=permit_type_id if permit_type_id != OFFICE else None)
    return {
        "received": counts["received"],
        "issued": counts["issued"],
        "decided": len(used),
        "median_working_days": str(median(used)) if time_shown else None,
        "share_within_standard": str(share_of(within, len(used))) if time_shown else None,
        "time_withheld": not time_shown,
        "ikm_responses": answers,
        "ikm": str(ikm.converted) if ikm else None,
        "ikm_grade": ikm.grade if ikm else "",
        "ikm_withheld": ikm is None,
    }


# A permit type with no activity in the period.
NOTHING = {"received": 0, "issued": 0, "decided": 0, "median_working_days": None,
           "share_within_standard": None, "time_withheld": True, "ikm_responses": 0, "ikm": None,
           "ikm_grade": "", "ikm_withheld": True}


def _count(today: date) -> dict:
    """The figures as plain data (what the cache keeps): ids, integers and decimals as text."""
    periods = periods_of(today)
    counts, times, answers = _counts(periods), _times(periods), _answers(periods)
    office_counts = {
        f"{measure}_{name}": sum(row[f"{measure}_{name}"] for row in counts.values())
        for name in PERIODS for measure in ("received", "issued")
    }
    office_answers = {name: sum(row[name] for row in answers.values()) for name in PERIODS}
    scopes = {OFFICE: office_counts, **counts}
    all_answers = {OFFICE: office_answers, **answers}
    ids = set(counts) | {key for key in times if key != OFFICE} | set(answers)
    result = {"counted_at": timezone.now().isoformat(), "scopes": {}}
    for scope in [OFFICE, *sorted(ids)]:
        result["scopes"][str(scope)] = {
            name: _figures(
                counts={measure: scopes.get(scope, {}).get(f"{measure}_{name}", 0)
                        for measure in ("received", "issued")},
                times=times[scope][name] if scope in times else [],
                answers=all_answers.get(scope, {}).get(name, 0),
                period=period, permit_type_id=scope,
            )
            for name, period in periods.items()
        }
    return result


def _cached(today: date) -> dict:
    key = f"evaluation:public-statistics:v1:{today.isoformat()}"
    figures = cache.get(key)
    if figures is None:
        figures = _count(today)
        cache.set(key, figures, CACHE_SECONDS)
    return figures


def _typed(data: dict) -> Figures:
    def decimal(value):
        return None if value is None else Decimal(value)
    return Figures(**{**data,
                      "median_working_days": decimal(data["median_working_days"]),
                      "share_within_standard": decimal(data["share_within_standard"]),
                      "ikm": decimal(data["ikm"])})


def public_statistics(*, today: date | None = None) -> Statistics:
    """The office's figures and every permit type's that is open for applications or had any
    activity this year, by code."""
    today = today or timezone.localdate()
    figures = _cached(today)
    scopes = figures["scopes"]
    ids = [int(key) for key in scopes if key != OFFICE]
    permit_types = PermitType.objects.filter(Q(is_active=True) | Q(pk__in=ids)).order_by("code")

    def row(permit_type, data):
        return Row(permit_type=permit_type,
                   **{name: _typed((data or {}).get(name, NOTHING)) for name in PERIODS})

    return Statistics(
        today=today,
        counted_at=datetime.fromisoformat(figures["counted_at"]),
        office=row(None, scopes[OFFICE]),
        permit_types=[row(permit_type, scopes.get(str(permit_type.pk)))
                      for permit_type in permit_types],
    )
