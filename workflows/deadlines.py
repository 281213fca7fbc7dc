"""Legal deadlines that run themselves.

Every deadline is a due time stored in the database: an application's service standard
(``ApplicationClock.decision_due_at``), the business's time to make requested changes
(``ApplicationClock.correction_due_at``) and each review task's next reminder or escalation
(``ReviewTask.next_alert_at``). ``deadlines_sweep`` (beat, every few minutes) acts on those that
have passed, each under its row lock and marked done in the same transaction: a deadline passed
while Izin was down fires on the next sweep, and fires once however often the sweep runs.

What fires:
- the standard ran out in review: approval by operation of law (fiktif positif) where the type
  says so, else the head of office is told the standard was missed;
- the correction time ran out: the application lapses;
- a task is due soon: its reviewer (or group) is reminded; overdue: the head of office and the
  unit's supervisor are told, and may reassign it.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from licensing import services as licensing_services
from licensing.models import Application
from licensing.states import ApplicationState
from workflows import notices
from workflows.calendar import OfficeCalendar, office_calendar
from workflows.models import ApplicationClock, ReviewStep, ReviewTask
from workflows.states import PENDING

logger = logging.getLogger("izin.deadlines")

# How many deadlines of each kind one sweep takes; the next sweep takes the rest.
SWEEP_BATCH = 200


# The application's clock. Called by ``workflows.receivers`` under the application's lock.


def clock_follow(*, application: Application, calendar: OfficeCalendar | None = None) -> None:
    """Start, stop, resume or end the clock for the state the application now rests in."""
    calendar = calendar or office_calendar()
    now = timezone.now()
    clock = ApplicationClock.objects.select_for_update().filter(application=application).first()
    if application.state == ApplicationState.IN_REVIEW:
        if clock is None:
            standard = application.permit_type.service_standard_days
            ApplicationClock.objects.create(
                application=application, standard_days=standard, started_at=now,
                decision_due_at=calendar.due_at(now, standard),
            )
        elif clock.days_left is not None:
            # Resumed: the days used before the business was asked for changes stay used.
            clock.decision_due_at = calendar.due_at(now, max(clock.days_left, 0))
            clock.days_left = None
            clock.correction_due_at = None
            clock.overdue_at = None
            clock.save(update_fields=["decision_due_at", "days_left", "correction_due_at",
                                      "overdue_at"])
    elif clock is None or clock.stopped_at is not None:
        return
    elif application.state == ApplicationState.CHANGES_REQUESTED:
        clock.days_left = (calendar.days_left(now, clock.decision_due_at)
                           if clock.decision_due_at else clock.days_left)
        clock.decision_due_at = None
        clock.correction_due_at = calendar.due_at(now, application.permit_type.correction_days)
        clock.save(update_fields=["days_left", "decision_due_at", "correction_due_at"])
    else:
        # Ended while running: the days left now; while stopped for changes: those kept then.
        left = (calendar.days_left(now, clock.decision_due_at) if clock.decision_due_at
                else clock.days_left)
        clock.working_days_used = None if left is None else clock.standard_days - left
        clock.stopped_at = now
        clock.correction_due_at = None
        clock.save(update_fields=["stopped_at", "correction_due_at", "working_days_used"])


# A review task's due time and alerts.


def task_due_at(*, step: ReviewStep, application: Application, calendar: OfficeCalendar,
                now: datetime) -> datetime:
    """The step's SLA from now; a step sent back for changes keeps the days it had left."""
    returned = (
        application.review_tasks.filter(step=step, is_current=False,
                                        days_left_at_return__isnull=False)
        .order_by("-decided_at", "-pk").values_list("days_left_at_return", flat=True).first()
    )
    days = step.sla_working_days if returned is None else max(returned, 0)
    return calendar.due_at(now, days)


def task_alerts(task: ReviewTask, calendar: OfficeCalendar) -> list[tuple[datetime, str]]:
    """When the task's reminders fall (opening time, ``REVIEW_REMINDER_DAYS`` working days
    before the due day) and its escalation (the due time itself), in order. Reminders that
    would fall before the task existed are left out."""
    due_day = timezone.localtime(task.due_at).date()
    alerts = [
        (calendar.opening(calendar.subtract_working_days(due_day, days)), f"reminder:{days}")
        for days in sorted(set(settings.REVIEW_REMINDER_DAYS), reverse=True)
    ]
    alerts = [(at, name) for at, name in alerts if at > task.created_at and at < task.due_at]
    return [*alerts, (task.due_at, "overdue")]


def task_schedule_alerts(task: ReviewTask, calendar: OfficeCalendar, *, after: datetime) -> None:
    """Point ``next_alert_at`` at the first alert after ``after`` (none left: empty)."""
    task.next_alert_at = next((at for at, _name in task_alerts(task, calendar) if at > after),
                              None)


# The sweep.


def deadlines_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Act on every deadline that has passed. Safe to run twice, or at once in two workers."""
    now = now or timezone.now()
    calendar = office_calendar()
    done = {"approved_by_law": 0, "standard_missed": 0, "lapsed": 0, "reminded": 0,
            "escalated": 0}
    due_clocks = ApplicationClock.objects.filter(
        stopped_at__isnull=True, overdue_at__isnull=True, decision_due_at__lte=now,
    ).order_by("decision_due_at").values_list("application_id", flat=True)[:SWEEP_BATCH]
    for application_id in list(due_clocks):
        outcome = _decision_deadline(application_id, now)
        if outcome:
            done[outcome] += 1
    late_corrections = ApplicationClock.objects.filter(
        correction_due_at__lte=now
    ).order_by("correction_due_at").values_list("application_id", flat=True)[:SWEEP_BATCH]
    for application_id in list(late_corrections):
        done["lapsed"] += _correction_deadline(application_id, now)
    alerts = ReviewTask.objects.filter(next_alert_at__lte=now).order_by(
        "next_alert_at").values_list("pk", flat=True)[:SWEEP_BATCH]
    for task_id in list(alerts):
        outcome = _task_alert(task_id, now, calendar)
        if outcome:
            done[outcome] += 1
    if any(done.values()):
        logger.info("deadlines_swept %s", " ".join(f"{k}={v}" for k, v in done.items()))
    return done


def _locked_clock(application_id: int) -> tuple[Application, ApplicationClock]:
    """Application, then clock: the order ``application_transition`` and the receivers use."""
    application = (Application.objects.select_for_update(of=("self",))
                   .select_related("permit_type", "business").get(pk=application_id))
    return application, ApplicationClock.objects.select_for_update().get(pk=application_id)


def _decision_deadline(application_id: int, now: datetime) -> str | None:
    with transaction.atomic():
        application, clock = _locked_clock(application_id)
        if (clock.stopped_at or clock.overdue_at or clock.decision_due_at is None
                or clock.decision_due_at > now):
            return None  # another sweep got here first, or the clock moved meanwhile
        clock.overdue_at = now
        clock.save(update_fields=["overdue_at"])
        if application.state != ApplicationState.IN_REVIEW:
            return None
        permit_type = application.permit_type
        if permit_type.approved_by_law:
            licensing_services.application_transition(
                application=application, transition="approve_by_law", actor=None,
                note=permit_type.approved_by_law_basis,
            )
            logger.info("application_approved_by_law application_id=%s", application_id)
            return "approved_by_law"
        notices.standard_missed(application=application, clock=clock)
        return "standard_missed"


def _correction_deadline(application_id: int, now: datetime) -> int:
    with transaction.atomic():
        application, clock = _locked_clock(application_id)
        if clock.correction_due_at is None or clock.correction_due_at > now:
            return 0
        due = clock.correction_due_at
        clock.correction_due_at = None
        clock.save(update_fields=["correction_due_at"])
        if application.state != ApplicationState.CHANGES_REQUESTED:
            return 0
        licensing_services.application_transition(
            application=application, transition="lapse", actor=None,
            note=f"correction_due_at={due.isoformat()}",
        )
        logger.info("application_lapsed application_id=%s", application_id)
        return 1


def _task_alert(task_id: int, now: datetime, calendar: OfficeCalendar) -> str | None:
    with transaction.atomic():
        task = (ReviewTask.objects.select_for_update(of=("self",))
                .select_related("application", "step", "group__review_unit", "assignee")
                .get(pk=task_id))
        if task.next_alert_at is None or task.next_alert_at > now:
            return None
        passed = [(at, name) for at, name in task_alerts(task, calendar) if at <= now]
        task_schedule_alerts(task, calendar, after=now)
        fields = ["next_alert_at"]
        outcome = None
        if (task.state in PENDING and task.application.state == ApplicationState.IN_REVIEW
                and passed):
            # Only the latest alert that passed: after an outage an overdue task is escalated,
            # not also reminded that it was due in two days.
            _at, name = passed[-1]
            if name == "overdue":
                task.escalated_at = now
                fields.append("escalated_at")
                notices.task_overdue(task=task)
                outcome = "escalated"
            else:
                notices.task_due_soon(task=task, alert=name)
                outcome = "reminded"
        elif task.state not in PENDING:
            task.next_alert_at = None
        task.save(update_fields=fields)
        return outcome

