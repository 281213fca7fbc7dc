"""Reads for reviewers, and what an application's page shows of its review (progress by step,
the timeline). Every queryset is scoped to the person asking."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from licensing.models import Application
from licensing.states import FINAL, ApplicationState
from workflows.checklist import CheckResult, checklist_items
from workflows.models import Holiday, ReviewStep, ReviewTask, TransitionLog, unit_name
from workflows.states import DECIDED, PENDING, TaskState


def holiday_dates(*, since: date | None = None) -> set[date]:
    holidays = Holiday.objects.all()
    if since is not None:
        holidays = holidays.filter(date__gte=since)
    return set(holidays.values_list("date", flat=True))


def task_list_for_reviewer(*, user) -> QuerySet[ReviewTask]:
    """The pending tasks of my groups on applications in review, oldest due first, each with
    ``is_overdue``."""
    return (
        ReviewTask.objects.filter(
            group__in=user.groups.all(),
            state__in=list(PENDING),
            application__state=ApplicationState.IN_REVIEW,
        )
        .annotate(is_overdue=ExpressionWrapper(
            Q(due_date__lt=timezone.localdate()), output_field=BooleanField()
        ))
        .select_related("application__business", "application__permit_type", "step",
                        "group__review_unit", "assignee")
        .order_by("due_date", "pk")
    )


def task_get_for_reviewer(*, user, pk: int) -> ReviewTask:
    """A task of one of my groups (pending or decided), else ``ReviewTask.DoesNotExist``."""
    return (
        ReviewTask.objects.filter(group__in=user.groups.all())
        .select_related("application__business", "application__permit_type", "step",
                        "group__review_unit", "assignee", "decided_by")
        .get(pk=pk)
    )


def task_is_overdue(task: ReviewTask) -> bool:
    return task.state in PENDING and task.due_date < timezone.localdate()


def object_history(*, instance) -> QuerySet[TransitionLog]:
    """Every audit entry of one row (a permit, a refund, an exception…), oldest first."""
    return TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk,
    ).select_related("actor").order_by("created_at", "pk")


def application_timeline(*, application) -> QuerySet[TransitionLog]:
    return application.audit_entries.select_related("actor", "content_type").order_by(
        "created_at", "pk"
    )


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


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    label: str
    actor: str = ""
    note: str = ""


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


# What a task's transition means to a reader of the timeline (tests/licensing/test_timeline.py
# checks that every transition has a label). An application's own moves show its new state.
TASK_EVENTS = {
    "claim": _("taken up by a reviewer"),
    "release": _("returned to the queue"),
    "approve": _("approved"),
    "request_changes": _("changes requested"),
    "reject": _("rejected"),
    "cancel": _("closed without a decision"),
}
STATUS_CHANGED = _("Status changed")


def application_timeline_for_user(*, application: Application, user) -> list[TimelineEntry]:
    """Every step with its date. Applicants see the office, not the names of its officers."""
    members = set(application.business.memberships.values_list("user_id", flat=True))
    show_names = user.pk not in members

    def actor_name(actor) -> str:
        if actor is None:
            return str(_("System"))
        if show_names or actor.pk in members:
            return actor.full_name
        return str(_("Licensing office"))

    started = (_("Application filed at the counter") if application.filed_at_counter
               else _("Application started"))
    entries = [TimelineEntry(at=application.created_at, label=str(started),
                             actor=actor_name(application.created_by))]
    tasks = {t.pk: t for t in application.review_tasks.select_related("step",
                                                                       "group__review_unit")}
    entries += [
        TimelineEntry(
            at=task.created_at,
            label=_("%(step)s (%(unit)s): review opened, due %(due)s") % {
                "step": task.step.name, "unit": unit_name(task.group),
                "due": formats.date_format(task.due_date, "j F Y"),
            },
        )
        for task in tasks.values()
    ]
    application_type = ContentType.objects.get_for_model(Application)
    task_type = ContentType.objects.get_for_model(ReviewTask)
    # Bills (payments.Invoice), by their number and the state each entry moved them to.
    bills = dict(application.invoices.values_list("pk", "number"))
    for log in application_timeline(application=application):
        if log.content_type_id == application_type.pk:
            label = str(ApplicationState(log.target).label)
        elif log.content_type_id == task_type.pk and log.object_id in tasks:
            task = tasks[log.object_id]
            label = _("%(step)s (%(unit)s): %(event)s") % {
                "step": task.step.name, "unit": unit_name(task.group),
                "event": TASK_EVENTS.get(log.transition, STATUS_CHANGED),
            }
        elif (log.content_type.app_label, log.content_type.model) == ("payments", "invoice") and (
                log.object_id in bills):
            label = _("Bill %(number)s: %(state)s") % {"number": bills[log.object_id],
                                                       "state": log.target_label.lower()}
        else:
            label = str(STATUS_CHANGED)
        entries.append(TimelineEntry(at=log.created_at, label=label, actor=actor_name(log.actor),
                                     note=log.note))
    return sorted(entries, key=lambda entry: entry.at)
