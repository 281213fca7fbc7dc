"""Review work: opening steps, claiming, deciding, inspections."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from licensing import services as licensing_services
from licensing.models import Application
from workflows import selectors
from workflows.calendar import add_working_days
from workflows.machine import TransitionRefused, fsm_apply
from workflows.models import ReviewStep, ReviewTask
from workflows.rules import review_refusal
from workflows.states import PENDING, Decision, TaskState

logger = logging.getLogger("izin.workflows")


def _current_step(application: Application) -> ReviewStep | None:
    """The first step not yet approved by all of its groups."""
    for step in application.permit_type.review_steps.prefetch_related("groups"):
        approved = set(
            application.review_tasks.filter(
                step=step, is_current=True, state=TaskState.APPROVED
            ).values_list("group_id", flat=True)
        )
        if {g.pk for g in step.groups.all()} - approved:
            return step
    return None


def review_open_next_step(*, application: Application) -> list[ReviewTask]:
    """Create the tasks of the step the application has reached. Called under its row lock."""
    step = _current_step(application)
    if step is None:
        return []
    due = add_working_days(timezone.localdate(), step.sla_working_days, selectors.holiday_dates())
    covered = set(
        application.review_tasks.filter(step=step, is_current=True)
        .exclude(state=TaskState.CANCELLED)
        .values_list("group_id", flat=True)
    )
    created = [
        ReviewTask.objects.create(application=application, step=step, group=group, due_date=due)
        for group in step.groups.all()
        if group.pk not in covered
    ]
    for task in created:
        logger.info("review_task_opened task_id=%s application_id=%s", task.pk, application.pk)
    return created


def _lock(task: ReviewTask) -> tuple[Application, ReviewTask]:
    """Lock application, then task: always in that order, so two decisions cannot deadlock."""
    application = Application.objects.select_for_update().get(pk=task.application_id)
    locked = ReviewTask.objects.select_for_update().select_related("step").get(pk=task.pk)
    return application, locked


def _refuse_unless_pending(task: ReviewTask) -> None:
    if task.state not in PENDING:
        decider = task.decided_by.full_name if task.decided_by else _("someone else")
        raise TransitionRefused(
            _("This task was already decided by %(name)s (%(decision)s).")
            % {"name": decider, "decision": task.get_state_display()},
            code="already_decided",
        )


def _refuse_unless_allowed(task: ReviewTask, user) -> None:
    reason = review_refusal(task=task, user=user)
    if reason:
        raise TransitionRefused(reason, code="four_eyes")


@transaction.atomic
def task_claim(*, task: ReviewTask, actor) -> ReviewTask:
    application, task = _lock(task)
    _refuse_unless_pending(task)
    _refuse_unless_allowed(task, actor)
    if task.state == TaskState.CLAIMED:
        if task.assignee_id == actor.pk:
            return task
        raise TransitionRefused(
            _("%(name)s is already working on this task.") % {"name": task.assignee.full_name},
            code="claimed",
        )
    fsm_apply(instance=task, transition="claim", actor=actor, application=application, by=actor)
    return task


@transaction.atomic
def task_release(*, task: ReviewTask, actor) -> ReviewTask:
    application, task = _lock(task)
    _refuse_unless_pending(task)
    if task.state == TaskState.OPEN:
        return task
    if task.assignee_id != actor.pk:
        raise TransitionRefused(_("Only the reviewer who claimed the task can release it."),
                                code="claimed")
    fsm_apply(instance=task, transition="release", actor=actor, application=application)
    return task


@transaction.atomic
def task_schedule_inspection(*, task: ReviewTask, actor, at) -> ReviewTask:
    _application, task = _lock(task)
    _refuse_unless_pending(task)
    _refuse_unless_allowed(task, actor)
    if not task.step.is_inspection:
        raise TransitionRefused(_("This step is not a site inspection."))
    task.inspection_at = at
    task.save(update_fields=["inspection_at"])
    logger.info("inspection_scheduled task_id=%s", task.pk)
    return task


@transaction.atomic
def task_record_inspection(*, task: ReviewTask, actor, checklist_results: dict,
                           findings: str) -> ReviewTask:
    _application, task = _lock(task)
    _refuse_unless_pending(task)
    _refuse_unless_allowed(task, actor)
    if not task.step.is_inspection:
        raise TransitionRefused(_("This step is not a site inspection."))
    task.checklist_results = checklist_results
    task.findings = findings
    task.save(update_fields=["checklist_results", "findings"])
    return task


def task_decide(*, task: ReviewTask, actor, decision: str, message: str = "",
                conditions: str = "", documents_to_replace=()) -> ReviewTask:
    """Approve, request changes or reject. Of two reviewers deciding at once, exactly one wins;
    the other gets ``TransitionRefused(code="already_decided")``."""
    with transaction.atomic():
        application, task = _lock(task)
        _refuse_unless_pending(task)
        _refuse_unless_allowed(task, actor)
        if task.state == TaskState.CLAIMED and task.assignee_id != actor.pk:
            raise TransitionRefused(
                _("%(name)s is already working on this task.") % {"name": task.assignee.full_name},
                code="claimed",
            )
        message = message.strip()
        if decision in (Decision.REJECT, Decision.REQUEST_CHANGES) and not message:
            raise TransitionRefused(_("Give the reason for your decision."), code="reason_required")
        if (decision == Decision.APPROVE and task.step.is_inspection
                and not (task.inspection_at and task.findings)):
            raise TransitionRefused(
                _("Schedule the inspection and record the findings before approving."),
                code="inspection_incomplete",
            )
        task.message = message
        task.conditions = conditions.strip() if decision == Decision.APPROVE else ""
        now = timezone.now()
        if decision == Decision.APPROVE:
            fsm_apply(instance=task, transition="approve", actor=actor, note=message,
                      application=application, by=actor, at=now)
            _after_approval(application, actor)
        elif decision == Decision.REQUEST_CHANGES:
            fsm_apply(instance=task, transition="request_changes", actor=actor, note=message,
                      application=application, by=actor, at=now)
            task.documents_to_replace.set(documents_to_replace)
            _close_step(application, task, keep_current=False)
            licensing_services.application_transition(
                application=application, transition="request_changes", actor=actor, note=message
            )
        elif decision == Decision.REJECT:
            fsm_apply(instance=task, transition="reject", actor=actor, note=message,
                      application=application, by=actor, at=now)
            _close_step(application, task, keep_current=True)
            licensing_services.application_transition(
                application=application, transition="reject", actor=actor, note=message
            )
        else:
            raise ValueError(f"unknown decision {decision!r}")
    return task


def _after_approval(application: Application, actor) -> None:
    if review_open_next_step(application=application):
        return
    if _current_step(application) is None:
        licensing_services.application_transition(
            application=application, transition="approve", actor=actor
        )


def _close_step(application: Application, decided: ReviewTask, *, keep_current: bool) -> None:
    """Cancel the other pending tasks of the step; after a change request the whole step is
    reviewed again, so its tasks stop being current."""
    siblings = application.review_tasks.filter(step=decided.step, is_current=True).exclude(
        pk=decided.pk
    )
    for sibling in siblings.select_for_update():
        if sibling.state in PENDING:
            fsm_apply(instance=sibling, transition="cancel", actor=None,
                      application=application)
    if not keep_current:
        application.review_tasks.filter(step=decided.step, is_current=True).update(
            is_current=False
        )
