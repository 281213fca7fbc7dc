"""Reads for reviewers, and what an application's page shows of its review (progress by step,
the service-standard clock, the timeline of ``workflows.timeline``). Every queryset is scoped to
the person asking."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
    When,
)
from django.utils import timezone

from licensing import roles
from licensing.models import Application
from licensing.states import FINAL, ApplicationState
from workflows.calendar import OfficeCalendar, office_calendar
from workflows.checklist import CheckResult, checklist_items
from workflows.models import ApplicationClock, ReviewStep, ReviewTask, TransitionLog, unit_name
from workflows.states import DECIDED, PENDING, TaskState

# Pages read the timeline through the selectors, like the rest of the review.
from workflows.timeline import (  # noqa: F401
    STATUS_CHANGED,
    TimelineEntry,
    application_timeline,
    application_timeline_for_user,
)


def _pending_in_review() -> QuerySet[ReviewTask]:
    """Pending tasks of applications in review. First those at risk of approval by operation
    of law (the type approves by law and its standard runs out within
    ``AT_RISK_WORKING_DAYS``), soonest first; then the rest by the task's own due time. Each
    has ``is_overdue``, ``at_risk`` and ``decision_due_at`` (when the standard runs out)."""
    now = timezone.now()
    calendar = office_calendar()
    horizon = calendar.closing(calendar.add_working_days(
        calendar.received_on(now), settings.AT_RISK_WORKING_DAYS))
    at_risk = Q(application__permit_type__approved_by_law=True,
                application__clock__decision_due_at__lte=horizon)
    return (
        ReviewTask.objects.filter(state__in=list(PENDING),
                                  application__state=ApplicationState.IN_REVIEW)
        .annotate(
            is_overdue=ExpressionWrapper(Q(due_at__lt=now), output_field=BooleanField()),
            at_risk=ExpressionWrapper(at_risk, output_field=BooleanField()),
            decision_due_at=F("application__clock__decision_due_at"),
            risk_due_at=Case(When(at_risk, then=F("application__clock__decision_due_at"))),
        )
        .select_related("application__business", "application__permit_type", "step",
                        "group__review_unit", "assignee")
        .order_by(F("risk_due_at").asc(nulls_last=True), "due_at", "pk")
    )


def task_list_for_reviewer(*, user) -> QuerySet[ReviewTask]:
    """The pending tasks of my groups (``_pending_in_review``)."""
    return _pending_in_review().filter(group__in=user.groups.all())


def task_list_for_overview(*, user) -> QuerySet[ReviewTask]:
    """Every pending task, for the head of office; a unit supervisor sees their units'."""
    tasks = _pending_in_review()
    if roles.in_group(user, roles.HEAD_OF_OFFICE):
        return tasks
    return tasks.filter(group__review_unit__supervisor=user)


def may_oversee(*, user) -> bool:
    """The head of office, or the supervisor of a unit."""
    return roles.in_group(user, roles.HEAD_OF_OFFICE) or user.supervised_units.exists()


def task_get_for_overseer(*, user, pk: int) -> ReviewTask:
    """A pending task the person oversees, else ``ReviewTask.DoesNotExist``."""
    return task_list_for_overview(user=user).get(pk=pk)


def group_reviewers(*, group_ids) -> dict[int, list]:
    """The active members of each group, by name: whom a task may be reassigned to."""
    people = defaultdict(list)
    for group in Group.objects.filter(pk__in=group_ids).prefetch_related(
        Prefetch("user_set", queryset=get_user_model().objects.filter(is_active=True)
                 .order_by("full_name"))
    ):
        people[group.pk] = list(group.user_set.all())
    return dict(people)


@dataclass(frozen=True)
class DaysLeft:
    """Working days left for a task and for the application's service standard (negative:
    working days late)."""

    task: int
    standard: int | None


def days_left(tasks, *, calendar: OfficeCalendar | None = None) -> dict[int, DaysLeft]:
    """For one page of tasks annotated by ``_pending_in_review``."""
    calendar = calendar or office_calendar()
    now = timezone.now()
    return {
        task.pk: DaysLeft(
            task=calendar.days_left(now, task.due_at),
            standard=(calendar.days_left(now, task.decision_due_at)
                      if task.decision_due_at else None),
        )
        for task in tasks
    }


def task_get_for_reviewer(*, user, pk: int) -> ReviewTask:
    """A task of one of my groups (pending or decided), else ``ReviewTask.DoesNotExist``."""
    return (
        ReviewTask.objects.filter(group__in=user.groups.all())
        .select_related("application__business", "application__permit_type", "step",
                        "group__review_unit", "assignee", "decided_by")
        .get(pk=pk)
    )


def task_is_overdue(task: ReviewTask) -> bool:
    return task.state in PENDING and task.due_at < timezone.now()



def object_history(*, instance) -> QuerySet[TransitionLog]:
    """Every audit entry of one row (a permit, a refund, an exception…), oldest first."""
    return TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk,
    ).select_related("actor").order_by("created_at", "pk")


def application_decisions(*, application) -> QuerySet[ReviewTask]:
    """Every decision taken on the application, oldest first, with what each asked for."""
    return (
        application.review_tasks.filter(state__in=list(DECIDED))
        .select_related("step", "group__review_unit", "decided_by")
        .prefetch_related("documents_to_replace")
        .order_by("decided_at", "pk")
    )


@dataclass(frozen=True)
class ApprovalCondition:
    """A condition of approval set by a reviewer; it is printed on the permit."""

    text: str
    step_name: str
    group_name: str
    decided_at: object


def application_conditions(application) -> list[ApprovalCondition]:
    """The conditions attached to the approvals that stand (a change request on a step voids
    that step's earlier approvals), in step order."""
    approvals = (
        application.review_tasks.filter(state=TaskState.APPROVED, is_current=True)
        .exclude(conditions="")
        .select_related("step", "group__review_unit")
        .order_by("step__position", "decided_at", "pk")
    )
    return [
        ApprovalCondition(text=task.conditions, step_name=task.step.name,
                          group_name=unit_name(task.group), decided_at=task.decided_at)
        for task in approvals
    ]


@dataclass(frozen=True)
class ChecklistRow:
    key: str
    label: str
    result: str
    result_label: str


def inspection_checklist(*, task: ReviewTask) -> list[ChecklistRow]:
    """The step's checklist with this task's recorded results (blank where none yet); results
    recorded for items since removed from the step are kept at the end."""
    results = dict(task.checklist_results or {})
    labels = dict(CheckResult.choices)
    rows = []
    for item in checklist_items(task.step.checklist):
        result = results.pop(item.key, "")
        rows.append(ChecklistRow(item.key, item.label, result, labels.get(result, "")))
    rows += [ChecklistRow(key, key, result, labels.get(result, "")) for key, result in
             results.items()]
    return rows


# What the application page shows of its review.


@dataclass(frozen=True)
class TaskProgress:
    task: ReviewTask
    overdue: bool


@dataclass(frozen=True)
class StepProgress:
    step: ReviewStep
    status: str  # done, in_progress, changes_requested, stopped or waiting
    tasks: list[TaskProgress]
    finished_at: datetime | None


def application_review_progress(*, application: Application) -> list[StepProgress]:
    """Each review step of the permit type: done, being reviewed (with due dates), or waiting."""
    tasks = defaultdict(list)
    for task in (
        application.review_tasks.filter(is_current=True)
        .exclude(state=TaskState.CANCELLED)
        .select_related("group__review_unit")
    ):
        tasks[task.step_id].append(task)
    returned_from = None
    if application.state == ApplicationState.CHANGES_REQUESTED:
        request = application.latest_change_request()
        returned_from = request.step_id if request else None
    progress = []
    for step in application.permit_type.review_steps.prefetch_related("groups"):
        step_tasks = tasks[step.pk]
        approved = [t for t in step_tasks if t.state == TaskState.APPROVED]
        if step_tasks and {g.pk for g in step.groups.all()} <= {t.group_id for t in approved}:
            status = "done"
        elif step_tasks and application.state in FINAL:
            status = "stopped"  # rejected or withdrawn while the step was open
        elif any(t.state in PENDING for t in step_tasks):
            status = "in_progress"
        elif step.pk == returned_from:
            status = "changes_requested"
        else:
            status = "waiting"
        progress.append(StepProgress(
            step=step,
            status=status,
            tasks=[TaskProgress(task=t, overdue=task_is_overdue(t)) for t in step_tasks],
            finished_at=max((t.decided_at for t in approved), default=None)
            if status == "done" else None,
        ))
    return progress


@dataclass(frozen=True)
class DecisionClock:
    """The service standard as the application's page tells it, while it counts."""

    standard_days: int
    expected_by: datetime | None  # running: when the standard runs out
    overdue: bool
    paused_days_left: int | None  # stopped while the business makes changes: the days it keeps
    changes_due_by: datetime | None  # stopped: when the application lapses without them


def application_decision_clock(*, application: Application) -> DecisionClock | None:
    """None before the clock starts (a draft, a bill to pay first) and once it ended with the
    decision."""
    clock = ApplicationClock.objects.filter(application=application,
                                            stopped_at__isnull=True).first()
    if clock is None:
        return None
    return DecisionClock(
        standard_days=clock.standard_days,
        expected_by=clock.decision_due_at,
        overdue=clock.overdue_at is not None or (
            clock.decision_due_at is not None and clock.decision_due_at < timezone.now()),
        paused_days_left=None if clock.days_left is None else max(clock.days_left, 0),
        changes_due_by=clock.correction_due_at,
    )
