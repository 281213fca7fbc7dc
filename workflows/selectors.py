"""Reads for reviewers. Every queryset is scoped to the person asking."""

from django.db.models import QuerySet
from django.utils import timezone

from workflows.models import Holiday, ReviewTask, TransitionLog
from workflows.states import PENDING


def holiday_dates() -> set:
    return set(Holiday.objects.values_list("date", flat=True))


def task_list_for_reviewer(*, user) -> QuerySet[ReviewTask]:
    """The pending tasks of my groups, oldest due first."""
    return (
        ReviewTask.objects.filter(group__in=user.groups.all(), state__in=list(PENDING))
        .select_related("application__business", "application__permit_type", "step", "group",
                        "assignee")
        .order_by("due_date", "pk")
    )


def task_get_for_reviewer(*, user, pk: int) -> ReviewTask:
    """A task of one of my groups (pending or decided), else ``ReviewTask.DoesNotExist``."""
    return (
        ReviewTask.objects.filter(group__in=user.groups.all())
        .select_related("application__business", "application__permit_type", "step", "group",
                        "assignee", "decided_by")
        .get(pk=pk)
    )


def task_is_overdue(task: ReviewTask) -> bool:
    return task.state in PENDING and task.due_date < timezone.localdate()


def application_timeline(*, application) -> QuerySet[TransitionLog]:
    return application.audit_entries.select_related("actor", "content_type").order_by(
        "created_at", "pk"
    )
