"""Reads for reviewers. Every queryset is scoped to the person asking."""

from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from licensing.states import ApplicationState
from workflows.checklist import CheckResult, checklist_items
from workflows.models import Holiday, ReviewTask, TransitionLog, unit_name
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
