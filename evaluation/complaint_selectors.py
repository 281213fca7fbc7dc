"""Reading complaints: the head of office's list, a business's own, and the figures the monthly
evaluation reports (``complaint_counts``)."""

from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from evaluation.measures import median
from evaluation.models import Complaint
from evaluation.states import ComplaintState, ComplaintTopic
from licensing import roles
from licensing.models import Application, Business
from licensing.selectors import application_list_for_user
from licensing.states import ApplicationState
from workflows.calendar import office_calendar


def may_see_complaints(user) -> bool:
    return roles.in_group(user, roles.HEAD_OF_OFFICE)


def complaint_list_for_office(*, user, state: str = "") -> QuerySet[Complaint]:
    """Every complaint for the head of office: unanswered first, newest first."""
    if not may_see_complaints(user):
        return Complaint.objects.none()
    complaints = Complaint.objects.all()
    if state:
        complaints = complaints.filter(state=state)
    return (
        complaints.select_related("application__business")
        .annotate(open_first=Case(When(state=ComplaintState.RECEIVED, then=Value(0)),
                                  default=Value(1), output_field=IntegerField()))
        .order_by("open_first", "-created_at", "-pk")
    )


def complaint_get_for_office(*, user, pk: int) -> Complaint:
    return get_object_or_404(
        complaint_list_for_office(user=user).select_related("answered_by", "submitted_by"),
        pk=pk)


def complaint_list_for_member(*, user) -> QuerySet[Complaint]:
    """The complaints about the applications of the businesses ``user`` acts for, whoever of
    them filed it, newest first. Anonymous ones are nobody's."""
    if user is None or not user.is_authenticated:
        return Complaint.objects.none()
    businesses = Business.objects.filter(memberships__user=user).values("pk")
    return (Complaint.objects.filter(application__business__in=businesses)
            .select_related("application").order_by("-created_at", "-pk"))


def _local_midnight(day: date) -> datetime:
    """A month is the office's month (Asia/Jakarta), not UTC's."""
    return timezone.make_aware(datetime.combine(day, time.min))


def complaint_counts(*, start: date, end: date) -> dict:
    """The complaints of the days from ``start`` up to, not including, ``end`` (local dates):

    - ``received``: filed in the period;
    - ``answered``: answered in the period, whenever filed;
    - ``open``: filed before ``end`` and not answered before it (the backlog at the period's
      end, older complaints included);
    - ``by_topic``: of those received, how many per topic (every topic present, zero or not);
    - ``median_working_days_to_answer``: of those answered in the period, the median of the
      working days from the day each counts as received (``OfficeCalendar.received_on``) to
      the day of its answer, as a ``Decimal``; None when none was answered.

    Two queries and one for the calendar, however many complaints.
    """
    since, until = _local_midnight(start), _local_midnight(end)
    in_period = Q(created_at__gte=since, created_at__lt=until)
    answered = Q(answered_at__gte=since, answered_at__lt=until)
    row = Complaint.objects.aggregate(
        received=Count("pk", filter=in_period),
        answered=Count("pk", filter=answered),
        open=Count("pk", filter=Q(created_at__lt=until)
                   & (Q(answered_at__isnull=True) | Q(answered_at__gte=until))),
        **{f"topic_{value}": Count("pk", filter=in_period & Q(topic=value))
           for value in ComplaintTopic.values},
    )
    calendar = office_calendar()
    days = [
        calendar.working_days_after(calendar.received_on(created_at),
                                    timezone.localtime(answered_at).date())
        for created_at, answered_at in Complaint.objects.filter(answered)
        .values_list("created_at", "answered_at")
    ]
    middle = median(days)
    return {
        "received": row["received"],
        "answered": row["answered"],
        "open": row["open"],
        "by_topic": {value: row[f"topic_{value}"] for value in ComplaintTopic.values},
        "median_working_days_to_answer": Decimal(middle) if middle is not None else None,
    }


def complaint_applications_for(*, user) -> QuerySet[Application]:
    """The applications ``user`` may complain about: its businesses', past the draft."""
    return application_list_for_user(user=user).exclude(state=ApplicationState.DRAFT)
